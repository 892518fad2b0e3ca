"""Alembic migrations of the KMS service."""
