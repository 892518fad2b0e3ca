"""Authentication and authorisation at the edge: the credential (KMS access token or API key,
verified as every service verifies it), the Redis revocation list, and the route's rule."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from starlette.datastructures import Headers

from fountainai.core.auth import (
    STEP_UP_MAX_AGE,
    Authenticator,
    Principal,
    step_up_error,
)
from fountainai.core.auth.authenticator import INVALID_DETAIL, INVALID_TOKEN_CHALLENGE
from fountainai.core.errors import NotFound, PermissionDenied, Unauthorized
from fountainai.core.logging import get_logger
from fountainai.gateway.forwarding import Header
from fountainai.gateway.routes import AccessRule

log = get_logger(__name__)
_CREDENTIAL_HEADERS = (b"authorization", b"x-api-key")
WARN_INTERVAL_SECONDS = 10.0


class RevocationChecker(Protocol):
    """Is this token revoked, by its id or its subject's not-before time? Errors propagate."""

    async def revokes(self, *, jti: str, subject: str, issued_at: int) -> bool: ...


class EdgeAuth:
    """``authorize(rule, headers)``: the caller's ``Principal`` (``None`` for an anonymous call
    to a public rule), or an ``AppError``: 401 (no or bad credential, or no recent step-up),
    403 (role or scope missing), 404 (a denied path), 503 (the KMS's keys or revocation feed
    cannot be read)."""

    def __init__(
        self,
        authenticator: Authenticator,
        *,
        revocations: RevocationChecker | None,
        twofa_url: str,
    ) -> None:
        self.authenticator = authenticator
        self.revocations = revocations
        self.twofa_url = twofa_url
        self._warned_at = -WARN_INTERVAL_SECONDS

    def _report_down(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_INTERVAL_SECONDS:  # once per interval, not per request
            self._warned_at = now
            log.warning("revocation_list_unavailable", error=type(exc).__name__)

    async def authorize(self, rule: AccessRule, headers: Sequence[Header]) -> Principal | None:
        if rule.deny:
            raise NotFound("No such route.")
        if rule.public and not any(name in _CREDENTIAL_HEADERS for name, _ in headers):
            return None
        principal = await self.authenticator.authenticate(Headers(raw=list(headers)))
        await self._not_revoked(principal)
        _check_rule(rule, principal, self.twofa_url)
        return principal

    async def _not_revoked(self, principal: Principal) -> None:
        if self.revocations is None or principal.token_id is None or principal.issued_at is None:
            return  # an API key (no iat) is revoked at the KMS and re-introspected within seconds
        try:
            revoked = await self.revocations.revokes(
                jti=principal.token_id,
                subject=principal.subject,
                issued_at=principal.issued_at,
            )
        except Exception as exc:
            # Redis is down: the KMS's feed, which the verifier has just consulted (refetched
            # every second), still covers every revocation; only its 1 s lag is back.
            self._report_down(exc)
            return
        if revoked:
            log.info("authentication_rejected", reason="token is revoked (gateway list)")
            raise Unauthorized(
                INVALID_DETAIL, headers={"WWW-Authenticate": INVALID_TOKEN_CHALLENGE}
            )


def _check_rule(rule: AccessRule, principal: Principal, twofa_url: str) -> None:
    if rule.role is not None and not principal.has_role(rule.role):
        raise PermissionDenied(f"This needs the {rule.role.value} role.")
    missing = [scope for scope in rule.scopes if not principal.has_scope(scope)]
    if missing:
        raise PermissionDenied(f"This needs the scope(s): {' '.join(missing)}.")
    if rule.step_up and not principal.has_recent_otp(STEP_UP_MAX_AGE, now=time.time()):
        raise step_up_error(STEP_UP_MAX_AGE, twofa_url)
