"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:45:21.475796
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from fountainai.core.db import UtcDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sequence_audit",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("script_id", sa.BigInteger(), nullable=True),
        sa.Column("element_type", sa.String(length=32), nullable=True),
        sa.Column("element_id", sa.BigInteger(), nullable=True),
        sa.Column("comment", sa.String(length=2000), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sequence_audit")),
    )
    with op.batch_alter_table("sequence_audit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sequence_audit_element", ["element_type", "element_id", "id"], unique=False
        )
        batch_op.create_index("ix_sequence_audit_script", ["script_id", "id"], unique=False)

    op.create_table(
        "sequence_elements",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("script_id", sa.BigInteger(), nullable=False),
        sa.Column("element_type", sa.String(length=32), nullable=False),
        sa.Column("element_id", sa.BigInteger(), nullable=False),
        sa.Column("sequence_number", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sequence_elements")),
        sa.UniqueConstraint(
            "element_type", "element_id", name=op.f("uq_sequence_elements_element_type_element_id")
        ),
        sa.UniqueConstraint(
            "script_id",
            "sequence_number",
            name=op.f("uq_sequence_elements_script_id_sequence_number"),
        ),
    )
    op.create_table(
        "sequence_scripts",
        sa.Column("script_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("script_id", name=op.f("pk_sequence_scripts")),
    )
    op.create_table(
        "sequence_version_heads",
        sa.Column("element_type", sa.String(length=32), nullable=False),
        sa.Column("element_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("latest", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "element_type", "element_id", name=op.f("pk_sequence_version_heads")
        ),
    )
    op.create_table(
        "sequence_versions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("element_type", sa.String(length=32), nullable=False),
        sa.Column("element_id", sa.BigInteger(), nullable=False),
        sa.Column("script_id", sa.BigInteger(), nullable=True),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("comment", sa.String(length=2000), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sequence_versions")),
        sa.UniqueConstraint(
            "element_type",
            "element_id",
            "version_number",
            name=op.f("uq_sequence_versions_element_type_element_id_version_number"),
        ),
    )


def downgrade() -> None:
    op.drop_table("sequence_versions")
    op.drop_table("sequence_version_heads")
    op.drop_table("sequence_scripts")
    op.drop_table("sequence_elements")
    with op.batch_alter_table("sequence_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_sequence_audit_script")
        batch_op.drop_index("ix_sequence_audit_element")

    op.drop_table("sequence_audit")
