"""Alembic migrations of the Sessions service (version table ``alembic_version_sessions``)."""
