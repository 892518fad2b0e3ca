"""Access tokens: short-lived EdDSA JWTs (RFC 9068 ``at+jwt``) with the platform's claims."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.auth import (
    ACCESS_TOKEN_TYPE,
    SERVICE_SUBJECT_PREFIX,
    SIGNING_ALGORITHM,
    Role,
    scopes_for_roles,
)
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.signing.keystore import Keystore


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    jti: str
    issued_at: int
    expires_at: int
    expires_in: int


class AccessTokenIssuer:
    def __init__(self, keystore: Keystore, settings: KmsSettings) -> None:
        self._keystore = keystore
        self._issuer = settings.auth_issuer
        self._audience = settings.auth_audience
        self._lifetime = settings.access_token_seconds

    async def issue(
        self,
        session: AsyncSession,
        *,
        subject: str,
        username: str,
        roles: Iterable[str],
        amr: Iterable[str],
        auth_time: int,
        not_before: int = 0,
    ) -> AccessToken:
        """Sign a user's token; ``iat`` is never below the user's not-before, so it survives it."""
        issued_at = max(int(time.time()), not_before)
        known_roles = sorted({Role(role) for role in roles})
        claims = {
            "sub": subject,
            "preferred_username": username,
            "roles": [str(role) for role in known_roles],
            "scope": scopes_for_roles(known_roles),
            "amr": list(amr),
            "auth_time": auth_time,
        }
        return await self._sign(session, claims, issued_at=issued_at, lifetime=self._lifetime)

    async def issue_service(
        self, session: AsyncSession, *, service: str, scopes: Iterable[str], lifetime: int
    ) -> AccessToken:
        """A token the KMS gives itself to call another service: subject ``service:<service>``,
        no roles, no authentication methods, only ``scopes``."""
        claims = {
            "sub": f"{SERVICE_SUBJECT_PREFIX}{service}",
            "roles": [],
            "scope": " ".join(sorted(set(scopes))),
            "amr": [],
        }
        return await self._sign(session, claims, issued_at=int(time.time()), lifetime=lifetime)

    async def _sign(
        self, session: AsyncSession, claims: dict[str, Any], *, issued_at: int, lifetime: int
    ) -> AccessToken:
        kid, private_key = await self._keystore.signing_key(session)
        expires_at = issued_at + lifetime
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            **claims,
            "jti": uuid.uuid4().hex,
            "iat": issued_at,
            "exp": expires_at,
        }
        token = jwt.encode(
            claims,
            private_key,
            algorithm=SIGNING_ALGORITHM,
            headers={"kid": kid, "typ": ACCESS_TOKEN_TYPE},
        )
        return AccessToken(
            token=token,
            jti=str(claims["jti"]),
            issued_at=issued_at,
            expires_at=expires_at,
            expires_in=lifetime,
        )
