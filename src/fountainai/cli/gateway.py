"""``fountain gateway``: operator commands for the API gateway (``export-kong``)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Annotated, Any, Final
from urllib.parse import urlsplit

import typer
import yaml

from fountainai.cli import output
from fountainai.cli.common import load_gateway_settings
from fountainai.gateway.defaults import load_routes
from fountainai.gateway.kong import KongExportError, kong_config

JWKS_TIMEOUT_SECONDS: Final = 5.0
JWKS_MAX_BYTES: Final = 1024 * 1024
# A KMS on this machine is never reached through an HTTP(S)_PROXY from the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_LOOPBACK: Final = frozenset({"127.0.0.1", "::1", "localhost"})

app = typer.Typer(help="The API gateway: operator commands.", no_args_is_help=True)


@app.command("export-kong")
def export_kong(
    output_file: Annotated[
        str, typer.Option("--output", "-o", help="Where to write kong.yml; '-' for stdout.")
    ] = "kong.yml",
    routes_file: Annotated[
        Path | None,
        typer.Option(
            "--routes",
            dir_okay=False,
            help="Routing table YAML (default: FOUNTAIN_GATEWAY_ROUTES_FILE, else the defaults).",
        ),
    ] = None,
    jwks: Annotated[
        str | None,
        typer.Option(
            "--jwks",
            help=(
                "The KMS's signing keys (JWKS): a file, or an http(s) URL such as "
                "http://127.0.0.1:8003/.well-known/jwks.json. Without it Kong accepts no token."
            ),
        ),
    ] = None,
) -> None:
    """Write a declarative Kong (3.x, DB-less) config equivalent to the gateway's routing.

    What Kong cannot enforce is printed as warnings and kept in the file's ``_comment``.
    """
    settings = load_gateway_settings()
    if routes_file is not None:
        settings = settings.model_copy(update={"routes_file": routes_file})
    try:
        table = load_routes(settings)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        output.error(f"cannot read the routing table: {exc}")
        raise typer.Exit(1) from None
    document = _load_jwks(jwks) if jwks is not None else None
    try:
        export = kong_config(table, settings, jwks=document)
    except KongExportError as exc:
        output.error(f"cannot export to Kong: {exc}")
        raise typer.Exit(1) from None
    text = yaml.safe_dump(export.config, sort_keys=False, allow_unicode=True)
    for warning in export.warnings:
        output.warning(warning)
    if output_file == "-":
        output.raw(text)
        return
    target = Path(output_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    services = len(export.config["services"])
    output.success(
        f"Wrote {target}: {services} services, {len(export.warnings)} warnings "
        "(also in its _comment)."
    )


def _load_jwks(source: str) -> dict[str, Any]:
    """The JWKS document from a file or an http(s) URL (one GET, short timeout)."""
    try:
        if source.startswith(("http://", "https://")):
            direct = urlsplit(source).hostname in _LOOPBACK
            opener = _DIRECT if direct else urllib.request.build_opener()
            with opener.open(source, timeout=JWKS_TIMEOUT_SECONDS) as response:
                raw = response.read(JWKS_MAX_BYTES + 1)
        else:
            raw = Path(source).read_bytes()
        if len(raw) > JWKS_MAX_BYTES:
            raise ValueError(f"larger than {JWKS_MAX_BYTES} bytes")
        document = json.loads(raw)
    except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
        output.error(f"cannot read the JWKS from {source}: {exc}")
        raise typer.Exit(1) from None
    if not isinstance(document, dict):
        output.error(f"{source} is not a JWKS document (a JSON object with 'keys')")
        raise typer.Exit(1)
    return document
