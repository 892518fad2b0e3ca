"""Scripts service settings (env prefix ``FOUNTAIN_SCRIPTS_``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from fountainai.core.config import ServiceSettings


class ScriptsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FOUNTAIN_SCRIPTS_")

    service_name: ClassVar[str] = "scripts"
    default_port: ClassVar[int] = 8006

    max_batch_size: int = Field(
        default=1000,
        ge=1,
        le=5000,
        description="Most elements one POST /scripts/{scriptId}/elements/batch may create.",
    )
    max_cascade_size: int = Field(
        default=2000,
        ge=1,
        le=5000,
        description="Most elements one cascading delete (a section or script) may remove; "
        "they leave Central Sequence in one atomic call, so keep it within its "
        "FOUNTAIN_SEQUENCE_MAX_BATCH_SIZE.",
    )
