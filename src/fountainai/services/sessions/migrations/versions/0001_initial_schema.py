"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 17:07:17
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
        "sessions_audit",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("session_id", sa.BigInteger(), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions_audit")),
    )
    with op.batch_alter_table("sessions_audit", schema=None) as batch_op:
        batch_op.create_index("ix_sessions_audit_session", ["session_id", "id"], unique=False)

    op.create_table(
        "sessions_context_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("target_type", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column(
            "old_value",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column(
            "new_value",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions_context_changes")),
    )
    with op.batch_alter_table("sessions_context_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sessions_context_changes_key",
            ["target_type", "target_id", "key", "revision"],
            unique=False,
        )
        batch_op.create_index(
            "ix_sessions_context_changes_target",
            ["target_type", "target_id", "revision"],
            unique=False,
        )

    op.create_table(
        "sessions_contexts",
        sa.Column("target_type", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column(
            "state",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("target_type", "target_id", name=op.f("pk_sessions_contexts")),
    )
    op.create_table(
        "sessions_sessions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("owner_name", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("script_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "context",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions_sessions")),
    )
    with op.batch_alter_table("sessions_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_sessions_sessions_owner", ["owner", "id"], unique=False)
        batch_op.create_index("ix_sessions_sessions_script", ["script_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sessions_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_sessions_script")
        batch_op.drop_index("ix_sessions_sessions_owner")

    op.drop_table("sessions_sessions")
    op.drop_table("sessions_contexts")
    with op.batch_alter_table("sessions_context_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_context_changes_target")
        batch_op.drop_index("ix_sessions_context_changes_key")

    op.drop_table("sessions_context_changes")
    with op.batch_alter_table("sessions_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_audit_session")

    op.drop_table("sessions_audit")
