"""A real HTTP server on 127.0.0.1 standing in for the 2FA service, recording every call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from tests.support.fake_server import FakeServer

GOOD_CODE = "246810"


@dataclass
class Call:
    path: str
    authorization: str | None
    body: dict[str, Any]


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": f"https://fountain.coach/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }


REJECTED = Answer(403, problem(403, "code-rejected", "Code rejected", "The code is not valid."))
LOCKED = Answer(
    429,
    problem(429, "too-many-attempts", "Too many attempts", "Locked for a while."),
    {"Retry-After": "321"},
)
MALFORMED = Answer(
    422,
    problem(
        422,
        "validation-error",
        "Invalid input",
        "Not a code.",
        errors=[{"loc": ["body", "code"], "msg": "bad", "type": "string_pattern_mismatch"}],
    ),
)


class FakeTwoFactor(FakeServer):
    """``/api/v1/auth/verify`` accepts ``GOOD_CODE`` (unless ``verify_answer`` is set);
    ``/api/v1/auth/generate`` answers 202 (unless ``generate_answer`` is set)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.verify_answer: Answer | None = None
        self.generate_answer: Answer | None = None

    def paths(self) -> list[str]:
        return [call.path for call in self.calls]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else {}
        self.calls.append(Call(request.path, request.headers.get("Authorization"), body))
        if request.method == "POST" and request.path == "/api/v1/auth/verify":
            if self.verify_answer is not None:
                return _respond(self.verify_answer)
            if body.get("code") == GOOD_CODE:
                return web.json_response({"success": True, "method": "totp"})
            return _respond(REJECTED)
        if request.method == "POST" and request.path == "/api/v1/auth/generate":
            if self.generate_answer is not None:
                return _respond(self.generate_answer)
            expires = datetime.now(UTC) + timedelta(seconds=120)
            answer = {"delivered": True, "channel": "outbox", "expiresAt": expires.isoformat()}
            return web.json_response(answer, status=202)
        return web.json_response({"title": "not found"}, status=404)


def _respond(answer: Answer) -> web.Response:
    return web.json_response(
        answer.body,
        status=answer.status,
        headers=answer.headers,
        content_type="application/problem+json" if answer.status >= 400 else "application/json",
    )
