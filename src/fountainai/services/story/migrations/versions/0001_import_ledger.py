"""import ledger

Revision ID: 0001
Revises:
Create Date: 2026-11-27 22:10:00
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

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "story_imports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("script_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source_format", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("source_bytes", sa.Integer(), nullable=False),
        sa.Column("elements_total", sa.Integer(), nullable=False),
        sa.Column("elements_done", sa.Integer(), nullable=False),
        sa.Column("counts", _JSON, nullable=False),
        sa.Column("warnings", _JSON, nullable=False),
        sa.Column("error", sa.String(length=2000), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_imports")),
    )
    with op.batch_alter_table("story_imports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_story_imports_created_by_created", ["created_by", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("story_imports", schema=None) as batch_op:
        batch_op.drop_index("ix_story_imports_created_by_created")
    op.drop_table("story_imports")
