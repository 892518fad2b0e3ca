"""Alembic migrations of the Scripts service (version table ``alembic_version_scripts``)."""
