"""Claim shapes of a verified access token, checked strictly, mapped to a ``Principal``."""

from __future__ import annotations

from typing import Any, Final

from fountainai.core.auth.errors import InvalidToken
from fountainai.core.auth.principal import SERVICE_SUBJECT_PREFIX, Principal, Role

REQUIRED_CLAIMS: Final = ("iss", "aud", "sub", "iat", "exp", "jti")
MAX_IDENTIFIER_LENGTH: Final = 128
MAX_SCOPE_LENGTH: Final = 1024
MAX_USERNAME_LENGTH: Final = 256
MAX_AMR_ENTRIES: Final = 16
MAX_TIMESTAMP: Final = 2**53
_ROLES: Final = {role.value: role for role in Role}


def principal_from_claims(claims: Any, *, now: float, leeway: float) -> Principal:
    """Who a token describes (a ``service:`` subject is a service); ``InvalidToken`` on any
    claim of the wrong shape."""
    if not isinstance(claims, dict):
        raise InvalidToken("payload is not a JSON object")
    issued_at = _timestamp(claims, "iat")
    expires_at = _timestamp(claims, "exp")
    _optional_timestamp(claims, "nbf")
    if issued_at > now + leeway:
        raise InvalidToken("iat is in the future")
    if expires_at <= now - leeway:
        raise InvalidToken("token has expired")
    username = claims.get("preferred_username")
    if username is not None and not _bounded_str(username, MAX_USERNAME_LENGTH):
        raise InvalidToken("preferred_username is malformed")
    subject = _identifier(claims, "sub")
    return Principal(
        subject=subject,
        kind="service" if subject.startswith(SERVICE_SUBJECT_PREFIX) else "user",
        roles=_roles(claims.get("roles")),
        scopes=_scopes(claims.get("scope")),
        amr=_amr(claims.get("amr")),
        token_id=_identifier(claims, "jti"),
        issued_at=issued_at,
        expires_at=expires_at,
        auth_time=_optional_timestamp(claims, "auth_time"),
        username=username,
    )


def _bounded_str(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def _identifier(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    if not _bounded_str(value, MAX_IDENTIFIER_LENGTH):
        raise InvalidToken(f"{name} is not a non-empty string of at most 128 characters")
    assert isinstance(value, str)
    return value


def _optional_timestamp(claims: dict[str, Any], name: str) -> int | None:
    return _timestamp(claims, name) if name in claims else None


def _timestamp(claims: dict[str, Any], name: str) -> int:
    value = claims.get(name)
    # bool is an int subclass: true must not pass as 1.
    if type(value) is not int or not 0 <= value <= MAX_TIMESTAMP:
        raise InvalidToken(f"{name} is not an integer timestamp")
    return value


def _roles(value: Any) -> frozenset[Role]:
    if not isinstance(value, list) or not all(
        isinstance(role, str) and role in _ROLES for role in value
    ):
        raise InvalidToken("roles is not a list of known roles")
    return frozenset(_ROLES[role] for role in value)


def _scopes(value: Any) -> frozenset[str]:
    if not isinstance(value, str) or len(value) > MAX_SCOPE_LENGTH:
        raise InvalidToken("scope is not a string")
    return frozenset(value.split())


def _amr(value: Any) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or len(value) > MAX_AMR_ENTRIES
        or not all(_bounded_str(method, 64) for method in value)
    ):
        raise InvalidToken("amr is not a list of strings")
    return tuple(value)
