"""Recovery codes: ten single-use codes, shown once, stored as keyed hashes (HMAC-SHA256)."""

from __future__ import annotations

import secrets
from typing import Final

from fountainai.core.crypto import MasterKey
from fountainai.services.twofa.clock import Clock
from fountainai.services.twofa.codes.formats import (
    RECOVERY_ALPHABET,
    RECOVERY_GROUP_LENGTH,
    RECOVERY_GROUPS,
    format_recovery_code,
    keyed_hash,
    normalize_recovery_code,
)
from fountainai.services.twofa.codes.repository import CodeRepository

RECOVERY_CODE_COUNT: Final = 10
PEPPER_PURPOSE: Final = "twofa-recovery-codes"


def new_recovery_code() -> str:
    """16 characters of a 31-letter alphabet: about 79 bits."""
    length = RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH
    return format_recovery_code("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(length)))


class RecoveryCodes:
    def __init__(self, repository: CodeRepository, master_key: MasterKey, clock: Clock) -> None:
        self._repository = repository
        self._pepper = master_key.derive(PEPPER_PURPOSE)
        self._clock = clock

    def _hash(self, subject: str, code: str) -> str:
        return keyed_hash(self._pepper, subject, normalize_recovery_code(code))

    async def replace(self, subject: str) -> list[str]:
        """New codes for the account; the old ones stop working."""
        codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
        hashes = [self._hash(subject, code) for code in codes]
        await self._repository.replace_recovery_codes(subject, hashes, now=self._clock.now())
        return codes

    async def use(self, subject: str, code: str) -> bool:
        """Spend one code: True once, then never again."""
        code_hash = self._hash(subject, code)
        return await self._repository.use_recovery_code(subject, code_hash, now=self._clock.now())

    async def remaining(self, subject: str) -> int:
        return await self._repository.recovery_codes_left(subject)

    async def delete_all(self, subject: str) -> None:
        await self._repository.delete_recovery_codes(subject)
