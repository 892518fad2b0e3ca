"""mfa tickets: the second step of a login with two factors

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 16:11:43.289001
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
        "kms_mfa_tickets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("consumed_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["kms_users.id"],
            name=op.f("fk_kms_mfa_tickets_user_id_kms_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kms_mfa_tickets")),
        sa.UniqueConstraint("ticket_hash", name=op.f("uq_kms_mfa_tickets_ticket_hash")),
    )
    with op.batch_alter_table("kms_mfa_tickets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kms_mfa_tickets_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_kms_mfa_tickets_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kms_mfa_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kms_mfa_tickets_user_id"))
        batch_op.drop_index(batch_op.f("ix_kms_mfa_tickets_expires_at"))

    op.drop_table("kms_mfa_tickets")
