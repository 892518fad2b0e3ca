"""Step-up: high-privilege actions need a second factor used within the last few minutes.

``require_recent_otp(max_age)`` passes a caller whose token says ``otp`` in ``amr`` and whose
``auth_time`` is at most ``max_age`` seconds old; others get 401
``insufficient_user_authentication`` (RFC 9470), the problem naming the 2FA step-up endpoint.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Annotated, Final

from fastapi import Depends, Request

from fountainai.core.auth.authenticator import CHALLENGE
from fountainai.core.auth.dependencies import CurrentPrincipal
from fountainai.core.auth.principal import Principal
from fountainai.core.config import PlatformSettings
from fountainai.core.errors import Unauthorized

STEP_UP_MAX_AGE: Final = 300
STEP_UP_PATH: Final = "/api/v1/auth/step-up"


class InsufficientUserAuthentication(Unauthorized):
    slug = "insufficient-user-authentication"
    title = "A recent second factor is required"


def step_up_error(max_age: int, twofa_url: str) -> InsufficientUserAuthentication:
    """The 401 a guarded action answers: what is missing, and where to get it."""
    step_up_url = twofa_url.rstrip("/") + STEP_UP_PATH
    detail = (
        f"This action needs a second factor used within the last {max_age} seconds. "
        f"POST a current code to {step_up_url} with your access token and retry with the "
        "token it returns."
    )
    challenge = (
        f'{CHALLENGE}, error="insufficient_user_authentication", '
        f'error_description="A second factor within the last {max_age} seconds is required", '
        f"max_age={max_age}"
    )
    return InsufficientUserAuthentication(
        detail,
        headers={"WWW-Authenticate": challenge},
        extra={"maxAge": max_age, "stepUp": {"method": "POST", "url": step_up_url}},
    )


@cache
def require_recent_otp(
    max_age: int = STEP_UP_MAX_AGE,
) -> Callable[[Request, Principal], Awaitable[Principal]]:
    """A dependency answering 401 unless the caller stepped up within ``max_age`` seconds.

    It checks only the second factor: combine it with the role guard the action needs. API keys
    never pass (a key has no second factor), and neither do refreshed tokens once
    ``auth_time`` is older than ``max_age``.
    """

    async def has_recent_otp(request: Request, principal: CurrentPrincipal) -> Principal:
        if not principal.has_recent_otp(max_age, now=time.time()):
            settings: PlatformSettings = request.app.state.settings
            raise step_up_error(max_age, settings.twofa_url)
        return principal

    return has_recent_otp


RecentOtpDep = Annotated[Principal, Depends(require_recent_otp(STEP_UP_MAX_AGE))]
