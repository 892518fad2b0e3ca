"""The KMS's master key (``FOUNTAIN_KMS_MASTER_KEY``): it seals the signing keys at rest."""

from __future__ import annotations

from fountainai.core.crypto import (
    MasterKey,
    MasterKeyError,
    decode_master_key,
    encode_master_key,
)
from fountainai.core.crypto import load_master_key as load_key
from fountainai.services.kms.config import KmsSettings

DEV_KEY_FILE = "kms-master.key"
SETTING = "FOUNTAIN_KMS_MASTER_KEY"

__all__ = [
    "DEV_KEY_FILE",
    "MasterKey",
    "MasterKeyError",
    "decode_master_key",
    "encode_master_key",
    "load_master_key",
]


def load_master_key(settings: KmsSettings) -> MasterKey:
    """From settings; in development without one, from (or into) ``<data_dir>/kms-master.key``."""
    return load_key(
        settings.master_key.get_secret_value(),
        data_dir=settings.data_dir,
        file_name=DEV_KEY_FILE,
        setting=SETTING,
    )
