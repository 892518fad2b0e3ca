"""``fountain openapi`` and ``fountain services``: what each service offers, without running it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from fountainai.cli import output
from fountainai.cli.common import ServiceArg, base_url, get_service, load_settings
from fountainai.cli.registry import SERVICES


def export_openapi(
    service: ServiceArg,
    output_file: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="Write here instead of stdout."),
    ] = None,
) -> None:
    """Print a service's OpenAPI document (JSON, sorted keys, indent 2)."""
    entry = get_service(service)
    load_settings(entry)  # invalid settings end here with a message, not a traceback
    app = entry.create_app()  # builds routes only: the lifespan (database) never runs
    document = json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output_file is None:
        output.raw(document)
        return
    output_file.parent.mkdir(parents=True, exist_ok=True)
    output_file.write_text(document, encoding="utf-8")
    output.success(f"Wrote the {entry.name} OpenAPI document to {output_file}.")


def list_services() -> None:
    """List every registered service with its port and title."""
    rows = []
    for name, entry in SERVICES.items():
        settings = load_settings(entry)
        port = settings.effective_port
        rows.append((name, port, base_url(settings.host, port), entry.definition.title))
    output.services_table(rows)
