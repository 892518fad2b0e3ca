"""A real Ed25519 key standing in for the KMS, for services tested on their own.

Services verify its tokens with the same ``TokenVerifier`` they use against the KMS's JWKS; only
where the public key comes from differs (a static JWKS instead of an HTTP fetch).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fountainai.core import ServiceSettings
from fountainai.core.auth import (
    ACCESS_TOKEN_TYPE,
    SIGNING_ALGORITHM,
    Authenticator,
    Role,
    StaticKeySource,
    StaticRevocations,
    TokenVerifier,
    public_jwk,
    scopes_for_roles,
)


class LocalIssuer:
    def __init__(self, settings: ServiceSettings, kid: str = "test-key") -> None:
        self.settings = settings
        self.kid = kid
        self.key = Ed25519PrivateKey.generate()
        self.revocations = StaticRevocations()

    def authenticator(self) -> Authenticator:
        jwks = {"keys": [public_jwk(self.key.public_key(), self.kid)]}
        verifier = TokenVerifier(
            StaticKeySource(jwks),
            self.revocations,
            issuer=self.settings.auth_issuer,
            audience=self.settings.auth_audience,
            leeway_seconds=self.settings.auth_leeway_seconds,
        )
        return Authenticator(verifier, None)

    def token(
        self,
        *roles: str,
        username: str = "tester",
        amr: Iterable[str] = ("pwd",),
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.settings.auth_issuer,
            "aud": self.settings.auth_audience,
            "sub": str(uuid.uuid4()),
            "preferred_username": username,
            "roles": list(roles),
            "scope": scopes_for_roles([Role(role) for role in roles]),
            "amr": list(amr),
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + 600,
            **claims,
        }
        return jwt.encode(
            payload,
            self.key,
            algorithm=SIGNING_ALGORITHM,
            headers={"kid": self.kid, "typ": ACCESS_TOKEN_TYPE},
        )

    def headers(self, *roles: str, username: str = "tester") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*roles, username=username)}"}
