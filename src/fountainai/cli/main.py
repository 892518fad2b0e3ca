"""The ``fountain`` command: one Typer app, one module per command group."""

from __future__ import annotations

import typer

from fountainai import __version__
from fountainai.cli import db, gateway, kms, openapi, output, serve, stories, up

app = typer.Typer(
    name="fountain",
    help="FountainAI: run, migrate and inspect the services.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    # Locals in a traceback would include settings, and settings hold secrets.
    pretty_exceptions_show_locals=False,
)
app.command("serve")(serve.serve)
app.command("up")(up.up)
app.command("openapi")(openapi.export_openapi)
app.command("services")(openapi.list_services)
app.command("import")(stories.import_story)
app.command("export")(stories.export_story)
app.command("story")(stories.show_story)
app.add_typer(db.app, name="db")
app.add_typer(kms.app, name="kms")
app.add_typer(gateway.app, name="gateway")


def _show_version(value: bool) -> None:
    if value:
        output.info(f"fountain {__version__}")
        raise typer.Exit


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """FountainAI: run, migrate and inspect the services."""


def run() -> None:
    """Console-script entry point (``fountain``)."""
    app()
