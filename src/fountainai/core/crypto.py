"""The master key: AES-256-GCM over the secrets a service keeps at rest, and HKDF sub-keys.

The KMS seals its signing keys with one; the 2FA service seals TOTP secrets with its own and derives
the peppers its code hashes use. Each service has its own key (``FOUNTAIN_<SERVICE>_MASTER_KEY``).
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import time
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fountainai.core.logging import get_logger

KEY_BYTES = 32
NONCE_BYTES = 12

log = get_logger(__name__)


class MasterKeyError(RuntimeError):
    """The master key is missing, malformed, or does not open what it should."""


class MasterKey:
    """Seals and opens small secrets; the AAD binds each ciphertext to what it belongs to."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise MasterKeyError(f"the master key must be {KEY_BYTES} bytes, got {len(key)}")
        self._key = key
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, *, associated_data: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, associated_data)

    def open(self, sealed: bytes, *, associated_data: bytes) -> bytes:
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated_data)
        except (InvalidTag, ValueError) as exc:
            raise MasterKeyError("a sealed secret did not open: wrong master key?") from exc

    def derive(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose (HKDF-SHA256): a pepper, an HMAC key, never reused."""
        hkdf = HKDF(
            algorithm=hashes.SHA256(),
            length=KEY_BYTES,
            salt=None,
            info=b"fountainai/" + purpose.encode(),
        )
        return hkdf.derive(self._key)


def encode_master_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).rstrip(b"=").decode("ascii")


def decode_master_key(text: str, *, setting: str = "the master key") -> bytes:
    text = text.strip()
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MasterKeyError(f"{setting} is not base64url") from exc
    if len(key) != KEY_BYTES:
        raise MasterKeyError(f"{setting} must decode to {KEY_BYTES} bytes")
    return key


def load_master_key(configured: str, *, data_dir: Path, file_name: str, setting: str) -> MasterKey:
    """The configured key; in development without one, from (or into) ``<data_dir>/<file_name>``.

    Production never gets here with an empty key: settings refuse placeholder secrets there.
    """
    if configured:
        return MasterKey(decode_master_key(configured, setting=setting))
    path = data_dir / file_name
    if not path.exists():
        _write_new_key(path)
        log.warning("master_key_generated", path=str(path), hint=f"set {setting}")
    return MasterKey(decode_master_key(_read_when_written(path), setting=str(path)))


def _read_when_written(path: Path) -> str:
    """Another worker may have created the file an instant ago and not yet written it."""
    for _ in range(50):
        text = path.read_text(encoding="ascii")
        if text.strip():
            return text
        time.sleep(0.02)
    raise MasterKeyError(f"{path} stayed empty")


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two workers starting together must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(encode_master_key(secrets.token_bytes(KEY_BYTES)) + "\n")
