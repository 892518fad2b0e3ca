"""never reused ids: AUTOINCREMENT on SQLite for scripts, sections, transitions and markup

Central Sequence keys versions by (elementType, elementId); without AUTOINCREMENT SQLite hands a
deleted newest row's id to the next row, which would then inherit the deleted element's history.
PostgreSQL never reuses ids, so this is a no-op there. SQLite cannot alter a table's
AUTOINCREMENT: each table is rebuilt (data, constraints and indexes kept; ``Migrations.upgrade``
turns foreign-key enforcement off meanwhile and checks every reference before it commits).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 19:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("scripts_scripts", "scripts_sections", "scripts_transitions", "scripts_markup")


def _rebuild(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
