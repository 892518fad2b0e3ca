"""Who made a request: roles (ranked), scopes, and the ``Principal`` every endpoint sees."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal


class Role(StrEnum):
    """A user's role; each includes the ones ranked below it (admin > writer > reader)."""

    ADMIN = "admin"
    WRITER = "writer"
    READER = "reader"


ROLE_RANK: Final = {Role.READER: 1, Role.WRITER: 2, Role.ADMIN: 3}
API_KEY_SCOPES: Final[tuple[str, ...]] = ("story:read", "story:write", "admin")
# Service-to-service scopes of the two-factor flows (never granted by roles):
MFA_VERIFY_SCOPE: Final = "mfa:verify"  # the KMS asks 2FA to check a login code
MFA_ASSERT_SCOPE: Final = "mfa:assert"  # 2FA asks the KMS for a stepped-up token
# Every scope an API key may carry: the ones admins grant over HTTP, plus mfa:assert, which only
# the CLI grants (to the 2FA service's key).
KNOWN_KEY_SCOPES: Final[tuple[str, ...]] = (*API_KEY_SCOPES, MFA_ASSERT_SCOPE)
# Subjects of service principals (API keys, the KMS's own service tokens); users' are UUIDs.
SERVICE_SUBJECT_PREFIX: Final = "service:"

_SCOPES_OF_ROLE: Final = {
    Role.READER: frozenset({"story:read"}),
    Role.WRITER: frozenset({"story:read", "story:write"}),
    Role.ADMIN: frozenset({"admin", "story:read", "story:write"}),
}
_ROLE_OF_SCOPE: Final = {"admin": Role.ADMIN, "story:write": Role.WRITER, "story:read": Role.READER}


def scopes_for_roles(roles: Iterable[Role]) -> str:
    """The ``scope`` claim for these roles: space-separated and sorted."""
    scopes: set[str] = set()
    for role in roles:
        scopes |= _SCOPES_OF_ROLE[Role(role)]
    return " ".join(sorted(scopes))


def roles_for_scopes(scopes: Iterable[str]) -> frozenset[Role]:
    """The roles an API key's scopes grant (unknown scopes grant nothing)."""
    return frozenset(_ROLE_OF_SCOPE[scope] for scope in scopes if scope in _ROLE_OF_SCOPE)


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated user (from an access token) or service (from an API key)."""

    subject: str
    kind: Literal["user", "service"]
    roles: frozenset[Role]
    scopes: frozenset[str]
    amr: tuple[str, ...] = ()
    token_id: str | None = None
    issued_at: int | None = None
    expires_at: int | None = None
    auth_time: int | None = None
    username: str | None = None

    def has_role(self, role: Role) -> bool:
        """True if any of the principal's roles ranks at or above ``role``."""
        needed = ROLE_RANK[role]
        return any(ROLE_RANK[held] >= needed for held in self.roles)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def has_recent_otp(self, max_age: int, *, now: float) -> bool:
        """True if a second factor (``amr`` has ``otp``) was used at most ``max_age`` s ago."""
        if "otp" not in self.amr or self.auth_time is None:
            return False
        # auth_time is never later than iat, which the verifier already bounds by the leeway.
        return now - self.auth_time <= max_age

    @property
    def actor(self) -> str:
        """The name audit trails record: the username, else the subject."""
        return self.username or self.subject
