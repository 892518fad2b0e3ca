"""The KMS's client of the 2FA service: have a one-time code delivered, check a login code.

Calls carry the KMS's own service token. 2FA's 403 (code rejected), 422 (malformed code) and
429 (too many attempts) are passed on as the same problem; an unreachable 2FA is a 503.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, TypeVar, cast

import aiohttp
from pydantic import ConfigDict

from fountainai.core import ApiModel, AppError, PermissionDenied, UpstreamUnavailable
from fountainai.core.errors import PROBLEM_TYPE_BASE
from fountainai.core.http import RetryPolicy, ServiceClient, UpstreamBadResponse, UpstreamError
from fountainai.services.kms.mfa.service_tokens import ServiceTokens

GENERATE_PATH: Final = "/api/v1/auth/generate"
VERIFY_PATH: Final = "/api/v1/auth/verify"
PASSED_ON_STATUSES: Final = frozenset({403, 422, 429})
# A login waits on these calls; neither is retried (a code is spent when it is checked).
TWOFA_TIMEOUT: Final = aiohttp.ClientTimeout(total=5.0, connect=1.0)
RETRY_AFTER_SECONDS: Final = "5"
TWOFA_UNAVAILABLE: Final = "The two-factor service cannot be reached; retry shortly."
CODE_NOT_ACCEPTED: Final = "The code was not accepted."
T = TypeVar("T")


class TwoFactorAnswer(ApiModel):
    model_config = ConfigDict(extra="ignore")


class CodeSent(TwoFactorAnswer):
    delivered: bool
    channel: str | None = None
    expires_at: datetime | None = None


class CodeVerified(TwoFactorAnswer):
    success: bool
    method: str | None = None


class TwoFactorProblem(AppError):
    """2FA's own problem, passed on: same status, type, title, detail (and Retry-After)."""

    upstream_type: str = PROBLEM_TYPE_BASE + "upstream-error"

    @classmethod
    def type_uri(cls) -> str:
        return cls.upstream_type


def passed_on(error: UpstreamError) -> TwoFactorProblem:
    problem: dict[str, Any] = error.problem if isinstance(error.problem, dict) else {}
    status = error.upstream_status
    kind = cast(
        "type[TwoFactorProblem]",
        type(
            "TwoFactorProblem",
            (TwoFactorProblem,),
            {
                "status": status,
                "title": str(problem.get("title") or "The second factor was not accepted"),
                "upstream_type": str(problem.get("type") or PROBLEM_TYPE_BASE + "upstream-error"),
            },
        ),
    )
    detail = problem.get("detail")
    extra = {"errors": problem["errors"]} if isinstance(problem.get("errors"), list) else None
    retry_after = error.upstream_headers.get("Retry-After")
    headers = {"Retry-After": retry_after} if retry_after else None
    return kind(str(detail) if detail else None, headers=headers, extra=extra)


class TwoFactorClient:
    def __init__(self, http: ServiceClient, tokens: ServiceTokens) -> None:
        self._http = http
        self._tokens = tokens

    @classmethod
    def create(cls, base_url: str, tokens: ServiceTokens) -> TwoFactorClient:
        http = ServiceClient(
            base_url, timeout=TWOFA_TIMEOUT, retry=RetryPolicy(max_attempts=1), name="twofa"
        )
        return cls(http, tokens)

    async def send_code(self, *, user_id: str, username: str) -> CodeSent:
        return await self._post(
            GENERATE_PATH, {"userId": user_id, "username": username}, model=CodeSent
        )

    async def verify(self, *, user_id: str, username: str, code: str) -> CodeVerified:
        body = {"userId": user_id, "username": username, "code": code}
        answer = await self._post(VERIFY_PATH, body, model=CodeVerified)
        if not answer.success:  # fail closed on anything but a plain yes
            raise PermissionDenied(CODE_NOT_ACCEPTED)
        return answer

    async def close(self) -> None:
        await self._http.close()

    async def _post(self, path: str, body: dict[str, str], *, model: type[T]) -> T:
        headers = {"Authorization": f"Bearer {await self._tokens.token()}"}
        try:
            return await self._http.request_json(
                "POST", path, json=body, model=model, headers=headers
            )
        except UpstreamUnavailable as exc:
            raise UpstreamUnavailable(
                TWOFA_UNAVAILABLE, headers={"Retry-After": RETRY_AFTER_SECONDS}
            ) from exc
        except UpstreamBadResponse:
            raise
        except UpstreamError as exc:
            if exc.upstream_status in PASSED_ON_STATUSES:
                raise passed_on(exc) from None
            raise
