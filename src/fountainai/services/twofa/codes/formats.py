"""What a code looks like on the wire: six ASCII digits, or a recovery code."""

from __future__ import annotations

import hashlib
import hmac
import re
from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field

RECOVERY_ALPHABET: Final = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i look-alikes
RECOVERY_GROUPS: Final = 4
RECOVERY_GROUP_LENGTH: Final = 4
_RECOVERY_CHAR: Final = "[2-9a-hjkmnp-zA-HJKMNP-Z]"
_RECOVERY: Final = f"{_RECOVERY_CHAR}{{4}}(?:-?{_RECOVERY_CHAR}{{4}}){{3}}"
# [0-9], never \d: Unicode digits ('١٢٣٤٥٦') must be rejected, not normalized into a guess.
CODE_PATTERN: Final = f"^(?:[0-9]{{6}}|{_RECOVERY})$"
_RECOVERY_RE: Final = re.compile(f"^{_RECOVERY}$")


class Method(StrEnum):
    """How a code was accepted."""

    TOTP = "totp"
    OTP = "otp"
    RECOVERY = "recovery"


Code = Annotated[
    str,
    Field(
        pattern=CODE_PATTERN,
        description=(
            "Six ASCII digits (TOTP or one-time code) or a recovery code (xxxx-xxxx-xxxx-xxxx, "
            "any case). Anything else is a 422 and counts as no attempt."
        ),
        examples=["123456"],
    ),
]
TotpCode = Annotated[
    str,
    Field(pattern="^[0-9]{6}$", description="Six ASCII digits from the authenticator app."),
]


def is_recovery_code(code: str) -> bool:
    return _RECOVERY_RE.fullmatch(code) is not None


def normalize_recovery_code(code: str) -> str:
    return code.replace("-", "").lower()


def format_recovery_code(raw: str) -> str:
    """``abcdefgh...`` as ``abcd-efgh-...``."""
    step = RECOVERY_GROUP_LENGTH
    return "-".join(raw[i : i + step] for i in range(0, len(raw), step))


def keyed_hash(pepper: bytes, subject: str, value: str) -> str:
    """HMAC-SHA256 of ``subject:value``: a stolen table cannot be brute-forced without the key."""
    return hmac.new(pepper, f"{subject}:{value}".encode(), hashlib.sha256).hexdigest()
