"""markup: the Fountain-only kinds (note, lyric, centered, pageBreak, synopsis)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 17:43:07.164621
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from fountainai.core.db import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scripts_markup",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "script_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "section_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=10000), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["script_id"],
            ["scripts_scripts.id"],
            name=op.f("fk_scripts_markup_script_id_scripts_scripts"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["scripts_sections.id"],
            name=op.f("fk_scripts_markup_section_id_scripts_sections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scripts_markup")),
    )
    with op.batch_alter_table("scripts_markup", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scripts_markup_script_id"), ["script_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scripts_markup_section_id"), ["section_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("scripts_markup", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scripts_markup_section_id"))
        batch_op.drop_index(batch_op.f("ix_scripts_markup_script_id"))

    op.drop_table("scripts_markup")
