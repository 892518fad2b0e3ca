"""importing: a script may be created as an unfinished import

Existing scripts are finished (``false``). SQLite adds the column in place; dropping it rebuilds
the table there, so the downgrade keeps 0003's AUTOINCREMENT explicitly.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not a batch: that would rebuild the table on SQLite (and drop its AUTOINCREMENT).
    op.add_column(
        "scripts_scripts",
        sa.Column("importing", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table(
        "scripts_scripts", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_column("importing")
