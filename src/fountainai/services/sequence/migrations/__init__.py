"""Alembic migrations of Central Sequence (version table ``alembic_version_sequence``)."""
