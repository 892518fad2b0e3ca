"""context script: each context row keeps its element's script, so a script's contexts list at once

Existing rows get NULL: their script is known only to Central Sequence (another service, maybe
another database), so a migration cannot fill it offline. A row gets its script on its next
write (``PUT /contexts/...``, even one that changes no value); until then the script's listing
leaves it out, while reading it by its target works as before.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions_contexts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("script_id", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            "ix_sessions_contexts_script", ["script_id", "target_type", "target_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sessions_contexts", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_contexts_script")
        batch_op.drop_column("script_id")
