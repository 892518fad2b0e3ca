"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 16:05:30.434237
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from fountainai.core.db import UtcDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "twofa_accounts",
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("username", sa.String(length=256), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("attempts_window_started_at", UtcDateTime(), nullable=False),
        sa.Column("locked_until", UtcDateTime(), nullable=True),
        sa.Column("codes_sent", sa.Integer(), nullable=False),
        sa.Column("sending_window_started_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_twofa_accounts")),
    )
    with op.batch_alter_table("twofa_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_twofa_accounts_username"), ["username"], unique=False)

    op.create_table(
        "twofa_one_time_codes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("consumed_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject"],
            ["twofa_accounts.subject"],
            name=op.f("fk_twofa_one_time_codes_subject_twofa_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_twofa_one_time_codes")),
    )
    with op.batch_alter_table("twofa_one_time_codes", schema=None) as batch_op:
        batch_op.create_index("ix_twofa_one_time_codes_subject", ["subject", "id"], unique=False)

    op.create_table(
        "twofa_recovery_codes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject"],
            ["twofa_accounts.subject"],
            name=op.f("fk_twofa_recovery_codes_subject_twofa_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_twofa_recovery_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_twofa_recovery_codes_code_hash")),
    )
    with op.batch_alter_table("twofa_recovery_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_twofa_recovery_codes_subject"), ["subject"], unique=False
        )

    op.create_table(
        "twofa_totp",
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("secret_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("last_used_step", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("confirmed_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject"],
            ["twofa_accounts.subject"],
            name=op.f("fk_twofa_totp_subject_twofa_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_twofa_totp")),
    )


def downgrade() -> None:
    op.drop_table("twofa_totp")
    with op.batch_alter_table("twofa_recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_twofa_recovery_codes_subject"))

    op.drop_table("twofa_recovery_codes")
    with op.batch_alter_table("twofa_one_time_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_twofa_one_time_codes_subject")

    op.drop_table("twofa_one_time_codes")
    with op.batch_alter_table("twofa_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_twofa_accounts_username"))

    op.drop_table("twofa_accounts")
