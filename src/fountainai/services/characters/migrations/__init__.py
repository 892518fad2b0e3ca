"""Alembic migrations of the Characters service (version table ``alembic_version_characters``)."""
