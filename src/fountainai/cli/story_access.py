"""What the story commands share: where the Story Factory is, who is calling (a token, or a
password login at the KMS), one ``StoryClient`` call run to its end, and its failure told."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Final, NoReturn, TypeVar

import aiohttp
import structlog
import typer
from pydantic import BaseModel, ValidationError

from fountainai.cli import output
from fountainai.core import AppError, PermissionDenied, ServiceSettings, Unauthorized
from fountainai.core.clients import AUTHORIZATION, StoryClient
from fountainai.core.errors import UpstreamUnavailable
from fountainai.core.http import ServiceClient, UpstreamError
from fountainai.core.logging import configure_logging

T = TypeVar("T")
USAGE_ERROR: Final = 2
_MAX_CHAIN: Final = 20  # exceptions looked through for the cause of a failure
# An import of a long screenplay takes a while; only connecting has to be quick.
CLI_TIMEOUT: Final = aiohttp.ClientTimeout(total=None, connect=5.0, sock_read=600.0)
_SIGN_IN_HINT: Final = (
    "Pass an access token with --token (or FOUNTAIN_TOKEN), or log in with --username."
)

UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The Story Factory's base URL (default: FOUNTAIN_STORY_URL, else "
        "http://127.0.0.1:8008).",
        show_default=False,
    ),
]
TokenOption = Annotated[
    str | None,
    typer.Option("--token", envvar="FOUNTAIN_TOKEN", help="An access token from the KMS (Bearer)."),
]
UsernameOption = Annotated[
    str | None,
    typer.Option(
        "--username",
        "-u",
        envvar="FOUNTAIN_USERNAME",
        help="Log in at the KMS (FOUNTAIN_KMS_URL) as this user instead of passing --token.",
    ),
]
PasswordOption = Annotated[
    str | None,
    typer.Option(
        "--password",
        envvar="FOUNTAIN_PASSWORD",
        help="The --username's password; asked for (hidden) when not given.",
        show_default=False,
    ),
]


class CommandFailed(Exception):
    """The command cannot go on: its message says why and what to do."""


class _LoginAnswer(BaseModel):
    access_token: str | None = None
    mfa_required: bool = False


@dataclass(frozen=True, slots=True)
class StoryAccess:
    """The Story Factory's URL and how to get the caller's credential."""

    url: str
    kms_url: str
    token: str | None = None
    username: str | None = None
    password: str | None = None

    @classmethod
    def resolve(
        cls,
        *,
        url: str | None,
        token: str | None,
        username: str | None,
        password: str | None,
    ) -> StoryAccess:
        """From the options and the settings (env, .env); asks for a missing password."""
        try:
            settings = ServiceSettings()
        except ValidationError as exc:
            output.error(f"invalid settings:\n{exc}")
            raise typer.Exit(1) from None
        story_url = (url or settings.story_url).rstrip("/")
        if not story_url.startswith(("http://", "https://")):
            output.error(f"--url must be an http:// or https:// URL, not {story_url!r}.")
            raise typer.Exit(USAGE_ERROR)
        if token and username:
            output.warning("both a token and a username were given; using the token.")
            username = None
        if username and not password:  # on stderr: stdout may be carrying an exported file
            password = typer.prompt(f"Password for {username}", hide_input=True, err=True)
        return cls(story_url, settings.kms_url.rstrip("/"), token or None, username, password)

    async def credentials(self) -> dict[str, str]:
        """The auth header to send: the token, one from a login, or none at all."""
        if self.token:
            return {AUTHORIZATION: f"Bearer {self.token}"}
        if self.username:
            return {AUTHORIZATION: f"Bearer {await self._log_in()}"}
        return {}

    async def _log_in(self) -> str:
        body = {"username": self.username, "password": self.password or ""}
        async with ServiceClient(self.kms_url, timeout=CLI_TIMEOUT, name="KMS") as kms:
            try:
                answer = await kms.request_json(
                    "POST", "/login", model=_LoginAnswer, json=body, idempotent=False
                )
            except UpstreamUnavailable as exc:
                raise CommandFailed(_unreachable("the KMS", self.kms_url, exc)) from None
            except UpstreamError as exc:
                detail = _problem(exc).get("detail") or exc.detail
                raise CommandFailed(f"logging in as {self.username} failed: {detail}") from None
        if answer.mfa_required:
            raise CommandFailed(
                f"{self.username} has a second factor, which this command cannot ask for: log "
                f"in at {self.kms_url} (POST /login, then /login/mfa) and pass the access "
                "token with --token."
            )
        if not answer.access_token:
            raise CommandFailed(f"the KMS at {self.kms_url} answered the login without a token.")
        return answer.access_token


def run_story_call(
    access: StoryAccess, call: Callable[[StoryClient, dict[str, str]], Awaitable[T]]
) -> T:
    """``call`` with a started client and the caller's credential; any failure is printed to
    stderr and ends the command with exit code 1."""
    if not structlog.is_configured():  # unconfigured, structlog would print retries to stdout
        configure_logging(service="cli", level="ERROR", json=False)

    async def main() -> T:
        async with StoryClient(access.url, timeout=CLI_TIMEOUT) as client:
            return await call(client, await access.credentials())

    try:
        return asyncio.run(main())
    except CommandFailed as exc:
        fail(str(exc))
    except AppError as exc:
        fail(failure_message(exc, url=access.url))


def fail(message: str) -> NoReturn:
    output.error(message)
    raise typer.Exit(1)


def failure_message(exc: AppError, *, url: str) -> str:
    """What went wrong, in the service's words, with the import's id and status when the
    answer names them; an unreachable service gets the hint to start it."""
    if isinstance(exc, UpstreamUnavailable) and _connection_failures(exc):
        return _unreachable("the Story Factory", url, exc)
    problem = _problem(exc)
    message = str(exc.detail or exc.title)
    if isinstance(exc, UpstreamError):  # a status no typed client passes on (413, ...)
        message = f"{problem.get('detail') or exc.title} (HTTP {exc.upstream_status})"
    named = [f"{key} {problem[key]}" for key in ("importId", "importStatus") if key in problem]
    if named:
        message = f"{message} ({', '.join(named)})"
    if isinstance(exc, Unauthorized):
        message = f"{message.rstrip('.')}. {_SIGN_IN_HINT}"
    return message


def outcome_known(exc: AppError) -> bool:
    """Whether a failed import's answer says what became of it, or the service was never
    reached (so there is no import to ask about)."""
    return "importId" in _problem(exc) or bool(_connection_failures(exc))


def fails_every_call(exc: AppError) -> bool:
    """Whether any other call would meet the same failure: the service cannot be reached, or
    the credential is refused (not a writer's, or expired)."""
    return isinstance(exc, Unauthorized | PermissionDenied) or bool(_connection_failures(exc))


def _unreachable(what: str, url: str, exc: BaseException) -> str:
    failures = _connection_failures(exc)
    if any(isinstance(failure, ConnectionRefusedError) for failure in failures):
        reason = "connection refused"
    elif any(isinstance(failure, TimeoutError) for failure in failures):
        reason = "timed out"
    elif failures:
        reason = f"connection failed: {failures[0]}"
    else:
        reason = str(exc)
    return f"cannot reach {what} at {url} ({reason}). Is `fountain up` running?"


def _connection_failures(exc: BaseException) -> list[OSError]:
    """The transport errors under a failed call (refused, reset, timed out), outermost first."""
    found: list[OSError] = []
    seen: BaseException | None = exc
    for _ in range(_MAX_CHAIN):
        if seen is None:
            break
        if isinstance(seen, OSError):
            found.append(seen)
            os_error = getattr(seen, "os_error", None)  # aiohttp's ClientConnectorError
            if isinstance(os_error, OSError):
                found.append(os_error)
        seen = seen.__cause__ or seen.__context__
    return found


def _problem(exc: BaseException) -> dict[str, Any]:
    """The answered problem+json under a mapped failure (``translate`` keeps only its detail)."""
    seen: BaseException | None = exc
    for _ in range(_MAX_CHAIN):
        if seen is None:
            break
        if isinstance(seen, UpstreamError) and isinstance(seen.problem, dict):
            return seen.problem
        seen = seen.__cause__
    return {}
