"""Password hashing: argon2id with the settings' cost, off the event loop, memory-bounded.

Every verification costs one argon2 computation, also for users that do not exist (they are
checked against a dummy hash with the same parameters, made once at start-up), so the time a
failed login takes says nothing about whether the account exists.
"""

from __future__ import annotations

import asyncio
import secrets
import unicodedata
from typing import Final

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from fountainai.core import UnprocessableEntity
from fountainai.services.kms.config import KmsSettings

PASSWORD_MAX_LENGTH: Final = 1024


def normalize_password(raw: str) -> str:
    """NFKC, so the same password typed on another keyboard or OS still matches."""
    return unicodedata.normalize("NFKC", raw)


def checked_password(raw: str, *, min_length: int) -> str:
    """The normalized password to store, or ``UnprocessableEntity`` if it is too short."""
    password = normalize_password(raw)
    if len(password) < min_length:
        raise UnprocessableEntity(f"The password must have at least {min_length} characters.")
    return password


def hasher_for(settings: KmsSettings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


class Passwords:
    """Hash and verify in worker threads, at most ``hash_concurrency`` at once (64 MiB each)."""

    def __init__(self, hasher: PasswordHasher, *, concurrency: int, dummy_hash: str) -> None:
        self._hasher = hasher
        self._slots = asyncio.Semaphore(concurrency)
        self._dummy_hash = dummy_hash

    @classmethod
    async def create(cls, settings: KmsSettings) -> Passwords:
        hasher = hasher_for(settings)
        dummy = await asyncio.to_thread(hasher.hash, secrets.token_urlsafe(24))
        return cls(hasher, concurrency=settings.hash_concurrency, dummy_hash=dummy)

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, _utf8(password))

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Does ``password`` match? ``None`` (no such user) costs the same and is always False."""
        async with self._slots:
            matches = await asyncio.to_thread(
                self._verify, password_hash or self._dummy_hash, password
            )
        return matches and password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        """Was this hash made with other parameters than the current settings?"""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, _utf8(password))
        except (VerificationError, InvalidHashError):
            return False


def _utf8(password: str) -> bytes:
    """JSON may carry lone surrogates; they are bytes like any other, not a server error."""
    return password.encode("utf-8", "surrogatepass")
