"""Signing-key lifecycle: next (published, not yet signing) → current → previous → gone.

A rotated-in key is published ``signing_key_publish_lead_seconds`` before it signs, so every
verifier's cached JWKS already holds it; a superseded key stays published until the last token it
signed has expired. A revoked key leaves the JWKS, and the revocation feed, at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core.auth import SIGNING_ALGORITHM, public_jwk
from fountainai.core.db import Repository, utcnow
from fountainai.services.kms.models import SigningKey
from fountainai.services.kms.signing.master_key import MasterKey


@dataclass(frozen=True, slots=True)
class KeyState:
    key: SigningKey
    signs: bool
    published: bool


class SigningKeyRepository(Repository):
    async def all_keys(self) -> list[SigningKey]:
        rows = await self.session.scalars(
            select(SigningKey).order_by(SigningKey.activates_at, SigningKey.created_at)
        )
        return list(rows)

    async def add(self, key: SigningKey) -> None:
        self.session.add(key)
        await self.session.flush()

    async def revoke(self, kid: str, at: datetime) -> bool:
        result = await self.session.execute(
            update(SigningKey)
            .where(SigningKey.kid == kid, SigningKey.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return bool(getattr(result, "rowcount", 0))


class Keystore:
    """Decides which key signs and which are published; opens private keys with the master key."""

    def __init__(self, master_key: MasterKey, *, token_lifetime: timedelta) -> None:
        self._master_key = master_key
        self._token_lifetime = token_lifetime
        self._private_keys: dict[str, Ed25519PrivateKey] = {}
        # One object per kid: the verifier's remembered tokens are tied to the key object.
        self._public_keys: dict[str, Ed25519PublicKey] = {}

    async def states(self, session: AsyncSession, now: datetime | None = None) -> list[KeyState]:
        now = now or utcnow()
        live = [key for key in await SigningKeyRepository(session).all_keys() if not key.revoked_at]
        states: list[KeyState] = []
        for index, key in enumerate(live):
            successor = next((k for k in live[index + 1 :] if k.activates_at <= now), None)
            signs = key.activates_at <= now and successor is None
            published = successor is None or successor.activates_at + self._token_lifetime > now
            states.append(KeyState(key=key, signs=signs, published=published))
        return states

    async def signing_key(self, session: AsyncSession) -> tuple[str, Ed25519PrivateKey]:
        """The key that signs now, creating the first one if there is none."""
        current = next((s.key for s in await self.states(session) if s.signs), None)
        if current is None:
            current = await self.create(session, activates_at=utcnow())
        return current.kid, self._open(current)

    async def public_key(self, session: AsyncSession, kid: str) -> Ed25519PublicKey | None:
        for state in await self.states(session):
            if state.key.kid == kid and state.published:
                return self._public(state.key)
        return None

    async def published_jwks(self, session: AsyncSession) -> list[dict[str, str]]:
        return [dict(s.key.public_jwk) for s in await self.states(session) if s.published]

    async def revoked_kids(self, session: AsyncSession) -> list[str]:
        rows = await session.scalars(
            select(SigningKey.kid).where(SigningKey.revoked_at.is_not(None))
        )
        return list(rows)

    async def create(self, session: AsyncSession, *, activates_at: datetime) -> SigningKey:
        private = Ed25519PrivateKey.generate()
        # Never a leading "-": operators pass kids as command-line arguments.
        kid = "k" + secrets.token_urlsafe(12)
        raw = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        key = SigningKey(
            kid=kid,
            algorithm=SIGNING_ALGORITHM,
            public_jwk=public_jwk(private.public_key(), kid),
            private_key_encrypted=self._master_key.seal(raw, associated_data=kid.encode()),
            created_at=utcnow(),
            activates_at=activates_at,
        )
        await SigningKeyRepository(session).add(key)
        self._private_keys[kid] = private
        return key

    async def rotate(self, session: AsyncSession, *, lead: timedelta) -> SigningKey:
        """Publish a new key now; it starts signing after ``lead``."""
        return await self.create(session, activates_at=utcnow() + lead)

    async def revoke(self, session: AsyncSession, kid: str) -> bool:
        """Withdraw a key at once; if it was signing, a new key signs immediately."""
        was_signing = any(s.signs and s.key.kid == kid for s in await self.states(session))
        revoked = await SigningKeyRepository(session).revoke(kid, utcnow())
        self._private_keys.pop(kid, None)
        self._public_keys.pop(kid, None)
        if revoked and was_signing:
            await self.create(session, activates_at=utcnow())
        return revoked

    def _public(self, key: SigningKey) -> Ed25519PublicKey:
        public = self._public_keys.get(key.kid)
        if public is None:
            public = self._public_keys[key.kid] = self._open(key).public_key()
        return public

    def _open(self, key: SigningKey) -> Ed25519PrivateKey:
        private = self._private_keys.get(key.kid)
        if private is None:
            raw = self._master_key.open(key.private_key_encrypted, associated_data=key.kid.encode())
            private = self._private_keys[key.kid] = Ed25519PrivateKey.from_private_bytes(raw)
        return private
