"""Characters service settings (env prefix ``FOUNTAIN_CHARACTERS_``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from fountainai.core.config import ServiceSettings


class CharactersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FOUNTAIN_CHARACTERS_")

    service_name: ClassVar[str] = "characters"
    default_port: ClassVar[int] = 8005

    max_batch_size: int = Field(
        default=1000,
        ge=1,
        le=5000,
        description="Most characters, actions or lines one batch request may create.",
    )
    max_discard_size: int = Field(
        default=5000,
        ge=1,
        le=5000,
        description="Most characters, actions and lines one discard of an unfinished import "
        "may delete; they leave Central Sequence in one atomic call, so keep it within its "
        "FOUNTAIN_SEQUENCE_MAX_BATCH_SIZE.",
    )
