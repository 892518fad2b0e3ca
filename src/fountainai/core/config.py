"""Settings every service shares; each service subclasses with its own env prefix."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "dev", "password", "test"})


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class PlatformSettings(BaseSettings):
    """What every process of the platform shares (the services and the gateway).
    ``FOUNTAIN_ENV``, ``FOUNTAIN_DATA_DIR``, the ``FOUNTAIN_<SERVICE>_URL`` and the
    ``FOUNTAIN_AUTH_*`` settings are read unprefixed; every other field with the subclass's
    prefix, e.g. ``FOUNTAIN_SEQUENCE_PORT``."""

    model_config = SettingsConfigDict(
        env_prefix="FOUNTAIN_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
        validate_by_name=True,
        validate_by_alias=True,
    )

    service_name: ClassVar[str] = "service"
    default_port: ClassVar[int] = 8000

    environment: Environment = Field(
        default=Environment.DEVELOPMENT,
        validation_alias="FOUNTAIN_ENV",
        description="development (default) or production; production refuses placeholder secrets.",
    )
    data_dir: Path = Field(
        default=Path(".fountain"),
        validation_alias="FOUNTAIN_DATA_DIR",
        description="Where embedded databases and keys live.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535, description="0 means the service's default port.")
    log_level: LogLevel = "INFO"
    log_json: bool = True
    hsts: bool = Field(default=False, description="Send Strict-Transport-Security (behind TLS).")

    # Authentication, shared by every service (unprefixed): see fountainai.core.auth.
    kms_url: str = Field(
        default="http://127.0.0.1:8003",
        validation_alias="FOUNTAIN_KMS_URL",
        description="Base URL of the KMS: JWKS, revocation feed, API-key introspection.",
    )
    sequence_url: str = Field(
        default="http://127.0.0.1:8000",
        validation_alias="FOUNTAIN_SEQUENCE_URL",
        description="Base URL of Central Sequence: story services number every element there.",
    )
    scripts_url: str = Field(
        default="http://127.0.0.1:8006",
        validation_alias="FOUNTAIN_SCRIPTS_URL",
        description="Base URL of the Scripts service: other story services check placements there.",
    )
    characters_url: str = Field(
        default="http://127.0.0.1:8005",
        validation_alias="FOUNTAIN_CHARACTERS_URL",
        description="Base URL of the Characters service: a script's characters, actions and lines.",
    )
    sessions_url: str = Field(
        default="http://127.0.0.1:8007",
        validation_alias="FOUNTAIN_SESSIONS_URL",
        description="Base URL of the Sessions service: working sessions and story-element context.",
    )
    story_url: str = Field(
        default="http://127.0.0.1:8008",
        validation_alias="FOUNTAIN_STORY_URL",
        description="Base URL of the Story Factory: imports, assembled stories, exports (CLI).",
    )
    twofa_url: str = Field(
        default="http://127.0.0.1:8004",
        validation_alias="FOUNTAIN_TWOFA_URL",
        description="Base URL of the 2FA service: step-up answers point there; the KMS calls it.",
    )
    auth_issuer: str = Field(
        default="http://127.0.0.1:8003",
        min_length=1,
        validation_alias="FOUNTAIN_AUTH_ISSUER",
        description="The exact `iss` of accepted access tokens.",
    )
    auth_audience: str = Field(
        default="fountainai",
        min_length=1,
        validation_alias="FOUNTAIN_AUTH_AUDIENCE",
        description="The exact `aud` of accepted access tokens.",
    )
    auth_leeway_seconds: int = Field(
        default=30,
        ge=0,
        le=300,
        validation_alias="FOUNTAIN_AUTH_LEEWAY_SECONDS",
        description="Clock skew tolerated on exp, nbf and iat.",
    )
    auth_jwks_cache_seconds: int = Field(
        default=300,
        ge=1,
        validation_alias="FOUNTAIN_AUTH_JWKS_CACHE_SECONDS",
        description="How long fetched signing keys are used before refetching.",
    )
    auth_jwks_refetch_seconds: int = Field(
        default=10,
        ge=1,
        validation_alias="FOUNTAIN_AUTH_JWKS_REFETCH_SECONDS",
        description="Least time between two JWKS fetches (an unknown kid triggers one).",
    )
    auth_revocation_refresh_seconds: float = Field(
        default=5.0,
        gt=0,
        validation_alias="FOUNTAIN_AUTH_REVOCATION_REFRESH_SECONDS",
        description="How often the revocation feed is refetched (while requests need it).",
    )
    auth_revocation_max_stale_seconds: int = Field(
        default=300,
        ge=1,
        validation_alias="FOUNTAIN_AUTH_REVOCATION_MAX_STALE_SECONDS",
        description="Older revocation data than this: token checks answer 503 (fail closed).",
    )
    auth_api_key_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        validation_alias="FOUNTAIN_AUTH_API_KEY_CACHE_SECONDS",
        description="How long an API-key introspection answer (yes or no) is reused.",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator(
        "kms_url",
        "twofa_url",
        "sequence_url",
        "scripts_url",
        "characters_url",
        "sessions_url",
        "story_url",
    )
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _revocations_refresh_before_stale(self) -> Self:
        if self.auth_revocation_max_stale_seconds < self.auth_revocation_refresh_seconds:
            raise ValueError(
                "FOUNTAIN_AUTH_REVOCATION_MAX_STALE_SECONDS must be at least "
                "FOUNTAIN_AUTH_REVOCATION_REFRESH_SECONDS"
            )
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Self:
        if self.environment is Environment.PRODUCTION:
            weak = [
                name
                for name, value in self
                if isinstance(value, SecretStr)
                and value.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS
            ]
            if weak:
                names = ", ".join(sorted(weak))
                raise ValueError(f"production refuses placeholder secrets: {names}")
        return self

    @property
    def effective_port(self) -> int:
        return self.port or self.default_port


class ServiceSettings(PlatformSettings):
    """A service's settings: the platform's, plus its own database and request body limit."""

    database_url: str = Field(
        default="",
        description="SQLAlchemy async URL; empty means SQLite at <data_dir>/<service>.db.",
    )
    database_pool_size: int = Field(
        default=20, ge=1, le=200, description="Connections kept open; requests queue for one."
    )
    database_echo: bool = False
    auto_migrate: bool = Field(
        default=True, description="Apply this service's Alembic migrations at start-up."
    )
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description="Larger bodies get 413.")

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{self.service_name}.db').resolve()}"
