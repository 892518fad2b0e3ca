"""The two ways authentication fails: the credential is bad, or we cannot check it right now."""

from __future__ import annotations

from fountainai.core.errors import ServiceUnavailable

RETRY_AFTER_SECONDS = "5"
UNAVAILABLE_DETAIL = "Credentials cannot be checked right now; retry shortly."


class InvalidToken(Exception):
    """Any verification failure. The message is for logs only, never sent to a client."""


class AuthUnavailable(ServiceUnavailable):
    """The KMS state needed to decide (keys, revocations, key introspection) is unreachable.

    Fail closed, but as a retryable 503: a 401 would tell clients to drop valid credentials.
    """

    slug = "auth-unavailable"
    title = "Authentication is temporarily unavailable"

    def __init__(self, detail: str = UNAVAILABLE_DETAIL) -> None:
        super().__init__(detail, headers={"Retry-After": RETRY_AFTER_SECONDS})
