"""Real keys, real tokens (minted by PyJWT or forged by hand) and a real local KMS stand-in."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fountainai.core.auth import public_jwk
from tests.support.fake_server import FakeServer

ISSUER = "https://kms.fountain.test"
AUDIENCE = "fountainai"
LEEWAY = 30
DROP: Any = object()  # a claim or header member to leave out


@dataclass
class SigningKey:
    kid: str
    private: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def jwk(self) -> dict[str, str]:
        return public_jwk(self.public, self.kid)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def jwks(*keys: SigningKey) -> dict[str, Any]:
    return {"keys": [key.jwk for key in keys]}


def claims(**changes: Any) -> dict[str, Any]:
    """Valid access-token claims, with ``changes`` applied (``DROP`` removes a claim)."""
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(uuid.uuid4()),
        "roles": ["reader"],
        "scope": "story:read",
        "amr": ["pwd"],
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 300,
    }
    for name, value in changes.items():
        if value is DROP:
            base.pop(name, None)
        else:
            base[name] = value
    return base


def mint(key: SigningKey, payload: dict[str, Any] | None = None, **changes: Any) -> str:
    """A genuine access token, signed by PyJWT exactly as the KMS does."""
    body = payload if payload is not None else claims(**changes)
    return jwt.encode(
        body, key.private, algorithm="EdDSA", headers={"kid": key.kid, "typ": "at+jwt"}
    )


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def part(value: Any) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value, separators=(",", ":")).encode()
    return b64(raw)


def header(key: SigningKey, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"alg": "EdDSA", "kid": key.kid, "typ": "at+jwt"}
    for name, value in changes.items():
        if value is DROP:
            base.pop(name, None)
        else:
            base[name] = value
    return base


def forge(
    head: Any,
    payload: Any,
    *,
    signer: Callable[[bytes], bytes] | None = None,
    signature: bytes = b"",
) -> str:
    """A compact JWS built by hand: any header, any payload bytes, any signer (or none)."""
    signing_input = f"{part(head)}.{part(payload)}"
    raw_signature = signer(signing_input.encode("ascii")) if signer else signature
    return f"{signing_input}.{b64(raw_signature)}"


class ManualClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeKms(FakeServer):
    """A real HTTP server on 127.0.0.1 serving JWKS, revocation feed and introspection.

    Every request is counted by path, including paths it does not serve (``hits``).
    """

    def __init__(self) -> None:
        self.jwks: dict[str, Any] = {"keys": []}
        self.feed: dict[str, Any] = {
            "tokenIds": [],
            "keyIds": [],
            "subjectsNotBefore": {},
            "generatedAt": 0,
        }
        self.api_keys: dict[str, dict[str, Any]] = {}
        self.introspected: list[dict[str, Any]] = []
        self.hits: Counter[str] = Counter()
        self.delay = 0.0
        self.failing = False

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.hits[request.path] += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failing:
            return web.json_response({"title": "down"}, status=500)
        if request.method == "GET" and request.path == "/.well-known/jwks.json":
            return web.json_response(self.jwks)
        if request.method == "GET" and request.path == "/api/v1/revocations":
            return web.json_response(self.feed)
        if request.method == "POST" and request.path == "/api/v1/keys/introspect":
            body = await request.json()
            self.introspected.append(body)
            answer = self.api_keys.get(body.get("apiKey", ""), {"active": False})
            return web.json_response(answer)
        return web.json_response({"title": "not found"}, status=404)


def active_key(service: str = "indexer", scopes: list[str] | None = None) -> dict[str, Any]:
    return {
        "active": True,
        "serviceName": service,
        "scopes": scopes if scopes is not None else ["story:read"],
        "expiresAt": None,
        "keyPrefix": "abcdefgh2345",
    }


def api_key(prefix: str = "abcdefgh2345") -> str:
    return f"fai_{prefix}_{b64(uuid.uuid4().bytes + uuid.uuid4().bytes)}"
