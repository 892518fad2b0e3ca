"""Central Sequence settings (env prefix ``FOUNTAIN_SEQUENCE_``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from fountainai.core.config import ServiceSettings


class SequenceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FOUNTAIN_SEQUENCE_")

    service_name: ClassVar[str] = "sequence"
    default_port: ClassVar[int] = 8000

    max_batch_size: int = Field(
        default=5000, ge=1, le=100_000, description="Most elements one batch or reorder may name."
    )
