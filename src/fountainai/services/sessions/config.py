"""Sessions service settings (env prefix ``FOUNTAIN_SESSIONS_``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from fountainai.core.config import ServiceSettings


class SessionsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FOUNTAIN_SESSIONS_")

    service_name: ClassVar[str] = "sessions"
    default_port: ClassVar[int] = 8007

    max_context_bytes: int = Field(
        default=10_240,
        ge=256,
        le=1_000_000,
        description=(
            "Largest a target's whole context may grow: its values as compact UTF-8 JSON, in bytes."
        ),
    )
