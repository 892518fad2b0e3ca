"""Access tokens: short-lived EdDSA JWTs (RFC 9068 ``at+jwt``) with the platform's claims."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.auth import ACCESS_TOKEN_TYPE, SIGNING_ALGORITHM, Role, scopes_for_roles
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
        """Sign a token; ``iat`` is never below the user's not-before, so it survives it."""
        kid, private_key = await self._keystore.signing_key(session)
        issued_at = max(int(time.time()), not_before)
        expires_at = issued_at + self._lifetime
        known_roles = sorted({Role(role) for role in roles})
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": subject,
            "preferred_username": username,
            "roles": [str(role) for role in known_roles],
            "scope": scopes_for_roles(known_roles),
            "amr": list(amr),
            "auth_time": auth_time,
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
            expires_in=self._lifetime,
        )
