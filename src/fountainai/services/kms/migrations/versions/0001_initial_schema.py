"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 13:26:13.031728
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
        "kms_api_keys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("service_name", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "scopes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=128), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("last_used_at", UtcDateTime(), nullable=True),
        sa.Column("rotated_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kms_api_keys")),
        sa.UniqueConstraint("prefix", name=op.f("uq_kms_api_keys_prefix")),
    )
    with op.batch_alter_table("kms_api_keys", schema=None) as batch_op:
        batch_op.create_index(
            "ix_kms_api_keys_service", ["service_name", "revoked_at"], unique=False
        )
        batch_op.create_index(
            "uq_kms_api_keys_current",
            ["service_name"],
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL AND rotated_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL AND rotated_at IS NULL"),
        )

    op.create_table(
        "kms_audit_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=True),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kms_audit_events")),
    )
    with op.batch_alter_table("kms_audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_kms_audit_events_actor", ["actor", "id"], unique=False)
        batch_op.create_index("ix_kms_audit_events_event", ["event", "id"], unique=False)
        batch_op.create_index("ix_kms_audit_events_target", ["target", "id"], unique=False)

    op.create_table(
        "kms_login_throttle",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UtcDateTime(), nullable=False),
        sa.Column("locked_until", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_kms_login_throttle")),
    )
    op.create_table(
        "kms_revoked_tokens",
        sa.Column("jti", sa.String(length=128), nullable=False),
        sa.Column("subject", sa.String(length=36), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_kms_revoked_tokens")),
    )
    with op.batch_alter_table("kms_revoked_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kms_revoked_tokens_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "kms_signing_keys",
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column(
            "public_jwk",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("private_key_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("activates_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_kms_signing_keys")),
    )
    op.create_table(
        "kms_users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "roles",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("tokens_not_before", sa.BigInteger(), nullable=False),
        sa.Column("mfa_enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_at", UtcDateTime(), nullable=True),
        sa.Column("password_changed_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kms_users")),
        sa.UniqueConstraint("username", name=op.f("uq_kms_users_username")),
    )
    with op.batch_alter_table("kms_users", schema=None) as batch_op:
        batch_op.create_index("ix_kms_users_tokens_not_before", ["tokens_not_before"], unique=False)

    op.create_table(
        "kms_refresh_families",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column(
            "amr",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("auth_time", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_reason", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["kms_users.id"],
            name=op.f("fk_kms_refresh_families_user_id_kms_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kms_refresh_families")),
    )
    with op.batch_alter_table("kms_refresh_families", schema=None) as batch_op:
        batch_op.create_index(
            "ix_kms_refresh_families_user", ["user_id", "revoked_at"], unique=False
        )

    op.create_table(
        "kms_refresh_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("family_id", sa.String(length=36), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["kms_refresh_families.id"],
            name=op.f("fk_kms_refresh_tokens_family_id_kms_refresh_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kms_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kms_refresh_tokens_token_hash")),
    )
    with op.batch_alter_table("kms_refresh_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kms_refresh_tokens_family_id"), ["family_id"], unique=False
        )
        batch_op.create_index("ix_kms_refresh_tokens_parent", ["parent_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kms_refresh_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_kms_refresh_tokens_parent")
        batch_op.drop_index(batch_op.f("ix_kms_refresh_tokens_family_id"))

    op.drop_table("kms_refresh_tokens")
    with op.batch_alter_table("kms_refresh_families", schema=None) as batch_op:
        batch_op.drop_index("ix_kms_refresh_families_user")

    op.drop_table("kms_refresh_families")
    with op.batch_alter_table("kms_users", schema=None) as batch_op:
        batch_op.drop_index("ix_kms_users_tokens_not_before")

    op.drop_table("kms_users")
    op.drop_table("kms_signing_keys")
    with op.batch_alter_table("kms_revoked_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kms_revoked_tokens_expires_at"))

    op.drop_table("kms_revoked_tokens")
    op.drop_table("kms_login_throttle")
    with op.batch_alter_table("kms_audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_kms_audit_events_target")
        batch_op.drop_index("ix_kms_audit_events_event")
        batch_op.drop_index("ix_kms_audit_events_actor")

    op.drop_table("kms_audit_events")
    with op.batch_alter_table("kms_api_keys", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_kms_api_keys_current",
            sqlite_where=sa.text("revoked_at IS NULL AND rotated_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL AND rotated_at IS NULL"),
        )
        batch_op.drop_index("ix_kms_api_keys_service")

    op.drop_table("kms_api_keys")
