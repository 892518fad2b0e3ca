"""What the upstream serves and the gateway reads: the 96-byte answer, a fresh Ed25519 key's JWKS,
an empty revocation feed, the gateway's one-route table, and a reader's access token signed the
way the KMS signs them (claims as in the test suite's ``LocalIssuer``)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fountainai.core.auth import (
    ACCESS_TOKEN_TYPE,
    SIGNING_ALGORITHM,
    Role,
    public_jwk,
    scopes_for_roles,
)

ECHO_BODY = (
    b'{"id":"bench-echo","ok":true,"message":"the same small JSON answer for every request",'
    b'"n":12345}'
)
ECHO_PATH = "/api/v1/echo"
GATEWAY_SERVICE = "bench"  # the gateway (and the nginx proxy) serve the upstream at /bench/...
AUDIENCE = "fountainai"
KEY_ID = "bench-key"
TOKEN_LIFETIME_S = 6 * 3600  # longer than any run: no refresh, no expiry mid-run
assert len(ECHO_BODY) == 96, len(ECHO_BODY)


@dataclass(frozen=True)
class AuthFixtures:
    """The issuer the token names (the upstream plays the KMS), and the token itself."""

    issuer: str
    audience: str
    token: str

    @property
    def header(self) -> str:
        return f"Bearer {self.token}"


def write_fixtures(workdir: Path, *, upstream_url: str) -> AuthFixtures:
    """Write ``jwks.json``, ``revocations.json`` and ``routes.yaml`` into ``workdir``; sign a
    token with the new key for a ``reader``."""
    key = Ed25519PrivateKey.generate()
    jwks = {"keys": [public_jwk(key.public_key(), KEY_ID)]}
    (workdir / "jwks.json").write_text(json.dumps(jwks), encoding="utf-8")
    feed = {"tokenIds": [], "keyIds": [], "subjectsNotBefore": {}, "generatedAt": int(time.time())}
    (workdir / "revocations.json").write_text(json.dumps(feed), encoding="utf-8")
    (workdir / "routes.yaml").write_text(routes_yaml(upstream_url), encoding="utf-8")
    token = sign_token(key, issuer=upstream_url, audience=AUDIENCE, roles=(Role.READER,))
    return AuthFixtures(issuer=upstream_url, audience=AUDIENCE, token=token)


def routes_yaml(upstream_url: str) -> str:
    """One route: ``/bench/...`` to the upstream, a reader's token needed for ``/api/v1/*``.
    No ``rate_limits``: the gateway's defaults (per user and per IP, from the environment)."""
    return (
        "routes:\n"
        f"  - service: {GATEWAY_SERVICE}\n"
        f'    targets: ["{upstream_url}"]\n'
        "    health_path: /health/ready\n"
        "    access:\n"
        '      - path: "/api/v1/*"\n'
        "        role: reader\n"
    )


def sign_token(
    key: Ed25519PrivateKey, *, issuer: str, audience: str, roles: tuple[Role, ...]
) -> str:
    """An access token as the KMS issues it: EdDSA, ``kid`` and ``typ`` in the header."""
    now = int(time.time())
    payload = {
        "iss": issuer,
        "aud": audience,
        "sub": str(uuid.uuid4()),
        "preferred_username": "bench",
        "roles": [str(role) for role in roles],
        "scope": scopes_for_roles(list(roles)),
        "amr": ["pwd"],
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + TOKEN_LIFETIME_S,
    }
    return jwt.encode(
        payload, key, algorithm=SIGNING_ALGORITHM, headers={"kid": KEY_ID, "typ": ACCESS_TOKEN_TYPE}
    )
