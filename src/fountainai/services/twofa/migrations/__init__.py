"""Alembic migrations of the 2FA service."""
