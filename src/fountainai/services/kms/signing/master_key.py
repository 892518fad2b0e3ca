"""The master key: AES-256-GCM over every secret the KMS keeps at rest (signing keys)."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import time
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fountainai.core.logging import get_logger
from fountainai.services.kms.config import KmsSettings

KEY_BYTES = 32
NONCE_BYTES = 12
DEV_KEY_FILE = "kms-master.key"

log = get_logger(__name__)


class MasterKeyError(RuntimeError):
    """The master key is missing, malformed, or does not open what it should."""


class MasterKey:
    """Seals and opens small secrets; the AAD binds each ciphertext to what it belongs to."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise MasterKeyError(f"the master key must be {KEY_BYTES} bytes, got {len(key)}")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, *, associated_data: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, associated_data)

    def open(self, sealed: bytes, *, associated_data: bytes) -> bytes:
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated_data)
        except (InvalidTag, ValueError) as exc:
            raise MasterKeyError("a sealed secret did not open: wrong master key?") from exc


def encode_master_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).rstrip(b"=").decode("ascii")


def decode_master_key(text: str) -> bytes:
    text = text.strip()
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MasterKeyError("FOUNTAIN_KMS_MASTER_KEY is not base64url") from exc
    if len(key) != KEY_BYTES:
        raise MasterKeyError(f"FOUNTAIN_KMS_MASTER_KEY must decode to {KEY_BYTES} bytes")
    return key


def load_master_key(settings: KmsSettings) -> MasterKey:
    """From settings; in development without one, from (or into) ``<data_dir>/kms-master.key``."""
    configured = settings.master_key.get_secret_value()
    if configured:
        return MasterKey(decode_master_key(configured))
    path = settings.data_dir / DEV_KEY_FILE
    if not path.exists():
        _write_new_key(path)
        log.warning("kms_master_key_generated", path=str(path), hint="set FOUNTAIN_KMS_MASTER_KEY")
    return MasterKey(decode_master_key(_read_when_written(path)))


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
