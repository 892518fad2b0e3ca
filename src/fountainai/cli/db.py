"""``fountain db``: a service's Alembic migrations against its configured database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from fountainai.cli import output
from fountainai.cli.common import ServiceArg, get_service, load_settings
from fountainai.cli.registry import ServiceEntry
from fountainai.core.db import Migrations, create_engine

T = TypeVar("T")

app = typer.Typer(help="Database migrations, per service.", no_args_is_help=True)


def _migrations(entry: ServiceEntry) -> Migrations:
    migrations = entry.definition.migrations
    if migrations is None:
        output.error(f"{entry.name} has no database migrations.")
        raise typer.Exit(1)
    return migrations


def _run(entry: ServiceEntry, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """Run ``work`` with an engine on the service's database, disposed of afterwards."""
    settings = load_settings(entry)
    url = settings.effective_database_url
    output.labelled("Database", make_url(url).render_as_string(hide_password=True))

    async def main() -> T:
        engine = create_engine(url, pool_size=1)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except CommandError as exc:  # unknown revision, branch conflicts: Alembic explains
        output.error(str(exc))
        raise typer.Exit(1) from None


@app.command("upgrade")
def upgrade_database(
    service: ServiceArg,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Apply the service's migrations up to a revision (default: head)."""
    entry = get_service(service)
    migrations = _migrations(entry)

    async def work(engine: AsyncEngine) -> str | None:
        await migrations.upgrade(engine, revision)
        return await migrations.current(engine)

    current = _run(entry, work)
    output.success(f"{entry.name}: database at revision {current or '(none)'}.")


@app.command("current")
def show_current_revision(service: ServiceArg) -> None:
    """Show the database's revision and the newest one the code ships."""
    entry = get_service(service)
    migrations = _migrations(entry)
    current = _run(entry, migrations.current)
    head = migrations.head()
    output.labelled("Current", current or "(none: not migrated yet)")
    output.labelled("Head", head or "(no migrations)")
    if current == head:
        output.success(f"{entry.name}: up to date.")
    else:
        output.info(f"{entry.name}: behind; run `fountain db upgrade {entry.name}`.")


@app.command("revision")
def create_revision(
    service: ServiceArg,
    message: Annotated[str, typer.Option("--message", "-m", help="What the migration does.")],
    autogenerate: Annotated[
        bool,
        typer.Option(
            "--autogenerate/--empty",
            help="Diff the models against the database (upgraded to head first), or start empty.",
        ),
    ] = True,
) -> None:
    """Write a new migration script into the service's migrations package."""
    entry = get_service(service)
    migrations = _migrations(entry)
    before = migrations.head()

    async def work(engine: AsyncEngine) -> None:
        await migrations.revision(engine, message=message, autogenerate=autogenerate)

    _run(entry, work)
    head = migrations.head()
    if head == before:
        output.error("no new revision was written.")
        raise typer.Exit(1)
    output.success(f"{entry.name}: new head {head} in {migrations.directory / 'versions'}.")
