"""Migration 0003 rebuilds the scripts tables on SQLite with AUTOINCREMENT, keeping their rows and
foreign keys, so a deleted newest element's id is never handed out again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from fountainai.cli.registry import SERVICES
from fountainai.core.db import create_engine

TABLES = ("scripts_scripts", "scripts_sections", "scripts_transitions", "scripts_markup")
NOW = "2026-11-27 00:00:00.000000"


async def test_upgrade_keeps_rows_and_stops_reusing_ids(tmp_path: Path) -> None:
    migrations = SERVICES["scripts"].definition.migrations
    assert migrations is not None
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'scripts.db'}")
    try:
        await migrations.upgrade(engine, "0002")
        async with engine.begin() as connection:
            stamp = {"by": "w", "at": NOW}
            await connection.execute(
                text(
                    "INSERT INTO scripts_scripts (id, title, author, description, title_page,"
                    " created_by, created_at, updated_at)"
                    " VALUES (1, 'T', '', '', '[]', :by, :at, :at)"
                ),
                stamp,
            )
            await connection.execute(
                text(
                    "INSERT INTO scripts_sections (id, script_id, kind, title, created_by,"
                    " created_at, updated_at) VALUES (1, 1, 'scene', 'S', :by, :at, :at)"
                ),
                stamp,
            )
            for transition_id in (1, 2):
                await connection.execute(
                    text(
                        "INSERT INTO scripts_transitions (id, script_id, section_id, text, forced,"
                        " created_by, created_at, updated_at)"
                        " VALUES (:id, 1, 1, 'CUT TO:', 0, :by, :at, :at)"
                    ),
                    {"id": transition_id, **stamp},
                )

        await migrations.upgrade(engine)

        async with engine.begin() as connection:
            # Enforcement is back on for the pooled connection the migration used.
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
            for table in TABLES:
                ddl = (
                    await connection.execute(
                        text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}
                    )
                ).scalar_one()
                assert "AUTOINCREMENT" in ddl, table
            assert (await connection.execute(text("PRAGMA foreign_key_check"))).all() == []
            rows = await connection.execute(
                text("SELECT id, section_id FROM scripts_transitions ORDER BY id")
            )
            assert rows.all() == [(1, 1), (2, 1)]
            await connection.execute(text("DELETE FROM scripts_transitions WHERE id = 2"))
            await connection.execute(
                text(
                    "INSERT INTO scripts_transitions (script_id, text, forced, created_by,"
                    " created_at, updated_at) VALUES (1, 'FADE OUT.', 0, 'w', :at, :at)"
                ),
                {"at": NOW},
            )
            fresh = await connection.execute(text("SELECT max(id) FROM scripts_transitions"))
            assert fresh.scalar_one() == 3  # not 2 again
        await migrations.upgrade(engine, "0002")  # and back down
        await migrations.upgrade(engine)
    finally:
        await engine.dispose()
