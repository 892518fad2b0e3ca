"""2FA → KMS: stepped-up tokens, the accounts' MFA flag, and finding a user by name.

The first two calls carry this service's API key (scope ``mfa:assert``); finding a user carries
the calling admin's own access token, so 2FA never reads accounts on its own authority.
"""

from __future__ import annotations

from typing import Final, Protocol

from pydantic import BaseModel, ConfigDict

from fountainai.core import Unauthorized, UpstreamUnavailable
from fountainai.core.auth.authenticator import INVALID_TOKEN_CHALLENGE
from fountainai.core.http import ServiceClient, UpstreamError
from fountainai.services.twofa.codes.formats import Method

MFA_FLAG_PATH: Final = "/api/v1/internal/mfa/users/{user_id}"
STEP_UP_PATH: Final = "/api/v1/internal/mfa/step-up"
USERS_PATH: Final = "/api/v1/users"
SUBJECT_REFUSED: Final = (
    "Your access token can no longer be exchanged (revoked, expired, or the account is "
    "disabled); log in again."
)
NO_KEY_DETAIL: Final = (
    "The 2FA service has no KMS API key (FOUNTAIN_TWOFA_KMS_API_KEY), so it cannot reach the KMS."
)


class SteppedUpToken(BaseModel):
    """The KMS's answer to a step-up (OAuth's snake_case shape): an access token, no refresh."""

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int
    amr: list[str]
    auth_time: int


class KmsUser(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    username: str


class _UserPage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    items: list[KmsUser]


class KmsClient(Protocol):
    async def set_mfa_enabled(self, user_id: str, *, enabled: bool) -> None:
        """Tell the KMS the account now does (or no longer does) log in with a second factor."""

    async def step_up(self, subject_token: str, *, method: Method) -> SteppedUpToken:
        """A fresh access token for the subject token's user, with ``otp`` in its ``amr``."""

    async def find_user(self, username: str, *, bearer_token: str) -> KmsUser | None:
        """The account named exactly ``username`` (normalized), asked with the caller's token."""


class HttpKmsClient:
    def __init__(self, client: ServiceClient, *, api_key: str) -> None:
        self._client = client
        self._api_key = api_key

    def _key_header(self) -> dict[str, str]:
        if not self._api_key:
            raise UpstreamUnavailable(NO_KEY_DETAIL)
        return {"X-API-Key": self._api_key}

    async def set_mfa_enabled(self, user_id: str, *, enabled: bool) -> None:
        try:
            await self._client.request(
                "PUT",
                MFA_FLAG_PATH.format(user_id=user_id),
                json={"enabled": enabled},
                headers=self._key_header(),
            )
        except UpstreamError as exc:
            raise _refused(exc) from exc

    async def step_up(self, subject_token: str, *, method: Method) -> SteppedUpToken:
        try:
            return await self._client.request_json(
                "POST",
                STEP_UP_PATH,
                model=SteppedUpToken,
                json={"subjectToken": subject_token, "method": method},
                headers=self._key_header(),
            )
        except UpstreamError as exc:
            if exc.upstream_status == 400:  # RFC 8693 invalid subject token: the caller's fault
                raise Unauthorized(
                    SUBJECT_REFUSED, headers={"WWW-Authenticate": INVALID_TOKEN_CHALLENGE}
                ) from exc
            raise _refused(exc) from exc

    async def find_user(self, username: str, *, bearer_token: str) -> KmsUser | None:
        page = await self._client.request_json(
            "GET",
            USERS_PATH,
            model=_UserPage,
            params={"username": username},
            headers={"Authorization": f"Bearer {bearer_token}"},
        )
        return next((user for user in page.items if user.username == username), None)


def _refused(error: UpstreamError) -> UpstreamUnavailable:
    """A refusal of our own API key (or a broken answer) is the KMS being unusable: 503."""
    return UpstreamUnavailable(f"The KMS refused the 2FA service (HTTP {error.upstream_status}).")
