"""Story Factory settings (env prefix ``FOUNTAIN_STORY_``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from fountainai.core.config import ServiceSettings


class StorySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FOUNTAIN_STORY_")

    service_name: ClassVar[str] = "story"
    default_port: ClassVar[int] = 8008

    max_body_bytes: int = Field(
        default=10_485_760,
        ge=1024,
        description="Largest import upload (Fountain, FDX or JSON), in bytes; larger gets 413.",
    )
    import_batch_size: int = Field(
        default=1000,
        ge=1,
        le=5000,
        description=(
            "Most elements sent in one batch request to Scripts or Characters during an import "
            "(at most those services' own max_batch_size)."
        ),
    )
    import_batch_bytes: int = Field(
        default=524_288,
        ge=4096,
        description=(
            "Most element text (bytes) per batch request, so one stays under the receiving "
            "service's max_body_bytes."
        ),
    )
    max_import_elements: int = Field(
        default=20_000,
        ge=1,
        le=100_000,
        description=(
            "Most elements one import may create; larger screenplays get 422. The import's one "
            "complete reorder must fit Central Sequence's max_body_bytes (~47 bytes an element)."
        ),
    )
    stale_import_seconds: int = Field(
        default=600,
        ge=10,
        description=(
            "An import still 'running' after this long (its process died) may be discarded "
            "with DELETE /stories/imports/{importId}."
        ),
    )
