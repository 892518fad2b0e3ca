"""``fountain up``: every service on this machine, each its own process, until Ctrl-C."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Annotated

import typer

from fountainai.cli import output
from fountainai.cli.common import (
    GATEWAY,
    GATEWAY_ENV_PREFIX,
    base_url,
    env_prefix,
    get_services,
    load_gateway_settings,
    load_settings,
)
from fountainai.cli.kms_database import provision_service_key
from fountainai.cli.signals import StopSignals
from fountainai.cli.supervisor import (
    Child,
    child_environment,
    port_in_use,
    serve_command,
    stop_all,
)
from fountainai.core import PlatformSettings
from fountainai.core.auth import MFA_ASSERT_SCOPE
from fountainai.services.kms.config import KmsSettings
from fountainai.services.twofa.config import TwofaSettings

POLL_INTERVAL_SECONDS = 0.2
STOP_GRACE_SECONDS = 10.0
KMS = "kms"
TWOFA = "twofa"


def up(
    only: Annotated[
        str | None,
        typer.Option(help="Comma-separated services to start, e.g. sequence,search. Default: all."),
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=0, help="Seconds to wait for every service to be ready.")
    ] = 60.0,
    gateway: Annotated[
        bool,
        typer.Option(help="Also run the gateway (port 8002), the one entry point to them all."),
    ] = True,
) -> None:
    """Start every service and the gateway locally, wait until each is ready, and stop them
    all on Ctrl-C."""
    entries = get_services(only)
    settings: dict[str, PlatformSettings] = {entry.name: load_settings(entry) for entry in entries}
    prefixes = {entry.name: env_prefix(entry) for entry in entries}
    if gateway:
        settings[GATEWAY] = load_gateway_settings()
        prefixes[GATEWAY] = GATEWAY_ENV_PREFIX
    first = settings[entries[0].name]  # FOUNTAIN_ENV and FOUNTAIN_DATA_DIR are shared by all
    data_dir = first.data_dir.resolve()
    children = [_plan(name, each, data_dir=data_dir) for name, each in settings.items()]
    _check_ports(children, prefixes=prefixes)

    output.labelled("Data directory", data_dir)
    for child in children:
        output.labelled(f"Log ({child.name})", child.log_path)

    env = child_environment(data_dir)
    _point_services_at_each_other(env, children, configured=first)
    kms = next((child for child in children if child.name == KMS), None)
    if kms is not None:
        output.note(
            f"Auth: every API call needs a token from the KMS ({kms.url}). First time? "
            f"Create the admin: fountain kms create-admin --username admin "
            f"(or POST {kms.url}/register while no account exists)."
        )
    environments = {child.name: env for child in children}
    twofa = next((child for child in children if child.name == TWOFA), None)
    if twofa is not None and kms is not None:
        environments[TWOFA] = _connect_twofa_to_kms(env, settings[KMS], settings[TWOFA])
    with StopSignals().installed() as stop:
        try:
            for child in children:
                command = serve_command(child.name, host=child.host, port=child.port)
                child.start(command, environments[child.name])
            code = _supervise(children, stop=stop, timeout=timeout)
        finally:
            try:
                output.note("Stopping...")
            finally:  # even when stdout is gone (a closed pipe), the children must stop
                killed = stop_all(
                    children, grace_seconds=STOP_GRACE_SECONDS, hurry=lambda: stop.count >= 2
                )
    for child in killed:
        output.warning(f"{child.name} did not stop in time and was killed.")
    output.info(f"Stopped {len(children)} service(s).")
    raise typer.Exit(code)


def _plan(name: str, settings: PlatformSettings, *, data_dir: Path) -> Child:
    host, port = settings.host, settings.effective_port
    return Child(
        name=name,
        host=host,
        port=port,
        url=base_url(host, port),
        log_path=data_dir / "logs" / f"{name}.log",
    )


# Where services find each other: (setting, environment variable) per service that others call.
# The KMS's URL is also the issuer its tokens carry.
_CALLED_SERVICES: dict[str, tuple[tuple[str, str], ...]] = {
    KMS: (("kms_url", "FOUNTAIN_KMS_URL"), ("auth_issuer", "FOUNTAIN_AUTH_ISSUER")),
    TWOFA: (("twofa_url", "FOUNTAIN_TWOFA_URL"),),
    "sequence": (("sequence_url", "FOUNTAIN_SEQUENCE_URL"),),
    "scripts": (("scripts_url", "FOUNTAIN_SCRIPTS_URL"),),
    "characters": (("characters_url", "FOUNTAIN_CHARACTERS_URL"),),
    "sessions": (("sessions_url", "FOUNTAIN_SESSIONS_URL"),),
    "story": (("story_url", "FOUNTAIN_STORY_URL"),),
}


def _point_services_at_each_other(
    env: dict[str, str], children: list[Child], *, configured: PlatformSettings
) -> None:
    """A service may not be on its default port: tell every child where the others really
    are, unless the operator set the URL (env or .env)."""
    for child in children:
        for setting, variable in _CALLED_SERVICES.get(child.name, ()):
            if setting not in configured.model_fields_set:
                env[variable] = child.url


def _connect_twofa_to_kms(
    env: dict[str, str], kms: PlatformSettings, twofa: PlatformSettings
) -> dict[str, str]:
    """The 2FA service's environment: with a fresh ``mfa:assert`` API key from the KMS unless
    one is configured (the previous run's key is retired: a key is shown only once)."""
    assert isinstance(kms, KmsSettings)
    assert isinstance(twofa, TwofaSettings)
    if twofa.kms_api_key.get_secret_value():
        return env
    key = provision_service_key(kms, TWOFA, [MFA_ASSERT_SCOPE])
    output.note("2FA: issued the twofa service a fresh KMS API key (scope mfa:assert).")
    return {**env, "FOUNTAIN_TWOFA_KMS_API_KEY": key}


def _check_ports(children: list[Child], *, prefixes: dict[str, str]) -> None:
    seen: dict[int, str] = {}
    for child in children:
        hint = f"set {prefixes[child.name]}PORT to choose another"
        if child.port in seen:
            output.error(
                f"{child.name} and {seen[child.port]} both want port {child.port}; {hint}."
            )
            raise typer.Exit(1)
        seen[child.port] = child.name
        if port_in_use(child.host, child.port):
            output.error(f"port {child.port} ({child.name}) is already in use; {hint}.")
            raise typer.Exit(1)


def _supervise(children: list[Child], *, stop: StopSignals, timeout: float) -> int:
    """Wait for readiness, show the table, then wait for Ctrl-C or a child's death."""
    failed = _wait_until_ready(children, stop=stop, timeout=timeout)
    if stop.requested:
        output.note("Interrupted before every service was ready.")
        return 0
    if failed:
        for child in failed:
            if child.exit_code is None:
                _report_failure(child, f"was not ready within {timeout:g} s")
            else:
                _report_failure(child, "exited before it was ready")
        _show_table(children)
        return 1
    _show_table(children)
    gateway = next((child for child in children if child.name == GATEWAY), None)
    if gateway is not None:
        output.labelled("Gateway", gateway.url)
        output.note(
            f"Every API is behind the gateway: {gateway.url}/<service>/api/v1/... (docs at "
            f"{gateway.url}/docs). Check a token: curl {gateway.url}/secure-endpoint "
            '-H "Authorization: Bearer $JWT"'
        )
    output.success(f"{len(children)} service(s) ready. Press Ctrl-C to stop.")
    while not stop.wait(0.5):
        for child in children:
            if child.exit_code is not None:
                _report_failure(child, "stopped unexpectedly")
                return 1
    return 0


def _wait_until_ready(children: list[Child], *, stop: StopSignals, timeout: float) -> list[Child]:
    """Poll until every child answers ready; returns those that died or ran out of time."""
    deadline = time.monotonic() + timeout
    pending = list(children)
    while pending and not stop.requested:
        for child in list(pending):
            if child.exit_code is not None:
                return [child]
            if child.probe():
                child.state = "ready"
                pending.remove(child)
        if pending and time.monotonic() >= deadline:
            return pending
        if pending:
            stop.wait(POLL_INTERVAL_SECONDS)
    return []


def _report_failure(child: Child, reason: str) -> None:
    child.state = "failed"
    code = child.exit_code
    if code is not None:
        reason = f"{reason} ({_describe_exit(code)})"
    output.error(f"{child.name} {reason}.")
    output.log_tail(f"Last lines of {child.log_path}:", child.tail())


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _show_table(children: list[Child]) -> None:
    output.status_table(
        output.StatusRow(
            service=child.name,
            url=child.url,
            state=child.state,
            pid=child.pid,
            docs_url=f"{child.url}/docs",
        )
        for child in children
    )
