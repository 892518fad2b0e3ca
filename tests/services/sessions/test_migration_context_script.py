"""Migration 0002 adds each context's script: rows from before keep their values with a NULL
script (only Central Sequence knows it, so nothing fills it offline), indexed for listing by
script; and it goes back down cleanly."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection, inspect, text

from fountainai.core.db import create_engine
from fountainai.core.db.migrations import Migrations
from fountainai.services.sessions.app import DEFINITION


def sessions_migrations() -> Migrations:
    migrations = DEFINITION.migrations
    assert migrations is not None
    return migrations


def context_columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("sessions_contexts")}


def context_indexes(connection: Connection) -> dict[str, list[str | None]]:
    indexes = inspect(connection).get_indexes("sessions_contexts")
    return {str(index["name"]): list(index["column_names"]) for index in indexes}


async def test_old_rows_get_a_null_script_and_the_script_index(database_url: str) -> None:
    migrations = sessions_migrations()
    engine = create_engine(database_url)
    try:
        await migrations.upgrade(engine)
        async with engine.begin() as connection:
            await connection.run_sync(
                lambda sync: command.downgrade(migrations.config(sync), "0001")
            )
            assert "script_id" not in await connection.run_sync(context_columns)
            await connection.execute(
                text(
                    "INSERT INTO sessions_contexts (target_type, target_id, state, revision,"
                    " updated_at) VALUES ('character', 7, :state, 1, NULL)"
                ),
                {"state": '{"mood": "angry"}'},
            )

        await migrations.upgrade(engine)

        async with engine.connect() as connection:
            indexes = await connection.run_sync(context_indexes)
            assert indexes["ix_sessions_contexts_script"] == [
                "script_id",
                "target_type",
                "target_id",
            ]
            rows = await connection.execute(
                text("SELECT target_type, target_id, script_id, revision FROM sessions_contexts")
            )
            assert rows.all() == [("character", 7, None, 1)]
    finally:
        await engine.dispose()
