"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 17:08:41.601286
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
        "scripts_outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("document_id", sa.String(length=160), nullable=False),
        sa.Column("operation", sa.String(length=6), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "operation IN ('upsert', 'delete')", name=op.f("ck_scripts_outbox_operation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scripts_outbox")),
    )
    with op.batch_alter_table("scripts_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scripts_outbox_document", ["document_id", "delivered_at"], unique=False
        )
        batch_op.create_index(
            "ix_scripts_outbox_due", ["delivered_at", "next_attempt_at"], unique=False
        )

    op.create_table(
        "scripts_scripts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=10000), nullable=False),
        sa.Column(
            "title_page",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scripts_scripts")),
    )
    with op.batch_alter_table("scripts_scripts", schema=None) as batch_op:
        batch_op.create_index("ix_scripts_scripts_created", ["created_at", "id"], unique=False)

    op.create_table(
        "scripts_sections",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "script_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("parent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "heading",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["scripts_sections.id"],
            name=op.f("fk_scripts_sections_parent_id_scripts_sections"),
        ),
        sa.ForeignKeyConstraint(
            ["script_id"],
            ["scripts_scripts.id"],
            name=op.f("fk_scripts_sections_script_id_scripts_scripts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scripts_sections")),
    )
    with op.batch_alter_table("scripts_sections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scripts_sections_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scripts_sections_script_id"), ["script_id"], unique=False
        )

    op.create_table(
        "scripts_transitions",
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
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["script_id"],
            ["scripts_scripts.id"],
            name=op.f("fk_scripts_transitions_script_id_scripts_scripts"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["scripts_sections.id"],
            name=op.f("fk_scripts_transitions_section_id_scripts_sections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scripts_transitions")),
    )
    with op.batch_alter_table("scripts_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scripts_transitions_script_id"), ["script_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scripts_transitions_section_id"), ["section_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("scripts_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scripts_transitions_section_id"))
        batch_op.drop_index(batch_op.f("ix_scripts_transitions_script_id"))

    op.drop_table("scripts_transitions")
    with op.batch_alter_table("scripts_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scripts_sections_script_id"))
        batch_op.drop_index(batch_op.f("ix_scripts_sections_parent_id"))

    op.drop_table("scripts_sections")
    with op.batch_alter_table("scripts_scripts", schema=None) as batch_op:
        batch_op.drop_index("ix_scripts_scripts_created")

    op.drop_table("scripts_scripts")
    with op.batch_alter_table("scripts_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_scripts_outbox_due")
        batch_op.drop_index("ix_scripts_outbox_document")

    op.drop_table("scripts_outbox")
