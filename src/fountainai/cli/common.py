"""What several command groups share: finding a service, loading its settings, its URLs."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from fountainai.cli import output
from fountainai.cli.registry import SERVICES, ServiceEntry
from fountainai.core import ServiceSettings
from fountainai.gateway.config import GatewaySettings

GATEWAY = "gateway"  # not a service: it has no database; `fountain serve gateway` runs it
GATEWAY_FACTORY = "fountainai.gateway.app:create_app"
GATEWAY_ENV_PREFIX = "FOUNTAIN_GATEWAY_"
USAGE_ERROR = 2  # click's exit code for bad usage; unknown service names are bad usage
_WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104


def known_services() -> str:
    return ", ".join(sorted(SERVICES))


def complete_service(incomplete: str) -> list[str]:
    return [name for name in sorted([*SERVICES, GATEWAY]) if name.startswith(incomplete)]


ServiceArg = Annotated[
    str,
    typer.Argument(
        help="Service name (see `fountain services`), or gateway.",
        autocompletion=complete_service,
    ),
]


def get_service(name: str) -> ServiceEntry:
    """The registry entry for ``name``, or a usage error that lists the known services."""
    entry = SERVICES.get(name)
    if entry is None:
        output.error(f"unknown service {name!r}. Known services: {known_services()}.")
        raise typer.Exit(USAGE_ERROR)
    return entry


def get_services(names: str | None) -> list[ServiceEntry]:
    """Every service, or the comma-separated subset ``names`` (in registry order)."""
    if names is None:
        return list(SERVICES.values())
    wanted = {name.strip() for name in names.split(",") if name.strip()}
    if not wanted:
        output.error(f"--only names no service. Known services: {known_services()}.")
        raise typer.Exit(USAGE_ERROR)
    for name in sorted(wanted):
        get_service(name)
    return [entry for name, entry in SERVICES.items() if name in wanted]


def load_settings(entry: ServiceEntry) -> ServiceSettings:
    """The service's settings from the environment; invalid ones end the command cleanly."""
    try:
        return entry.settings()
    except ValidationError as exc:
        output.error(f"invalid settings for {entry.name}:\n{exc}")
        raise typer.Exit(1) from None


def env_prefix(entry: ServiceEntry) -> str:
    prefix = entry.settings_class.model_config.get("env_prefix") or "FOUNTAIN_"
    return str(prefix)


def reachable_host(host: str) -> str:
    """Where a client on this machine reaches a server bound to ``host``."""
    return _WILDCARD_HOSTS.get(host, host)


def base_url(host: str, port: int) -> str:
    host = reachable_host(host)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def load_gateway_settings() -> GatewaySettings:
    """The gateway's settings from the environment; invalid ones end the command cleanly."""
    try:
        return GatewaySettings()
    except ValidationError as exc:
        output.error(f"invalid settings for the gateway:\n{exc}")
        raise typer.Exit(1) from None
