"""2FA settings (env prefix ``FOUNTAIN_TWOFA_``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from fountainai.core.config import ServiceSettings


class TwofaSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FOUNTAIN_TWOFA_")

    service_name: ClassVar[str] = "twofa"
    default_port: ClassVar[int] = 8004

    master_key: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "Encrypts TOTP secrets and keys the code hashes: 32 random bytes, base64url. Empty in "
            "development: one is generated into <data_dir>/twofa-master.key; production refuses "
            "an empty key."
        ),
    )
    kms_api_key: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "This service's KMS API key with scope mfa:assert (`fountain kms create-service-key "
            "twofa --scope mfa:assert`), for step-up tokens and the accounts' MFA flag. Empty: "
            "those calls answer 503."
        ),
    )
    totp_issuer: str = Field(
        default="FountainAI",
        min_length=1,
        max_length=64,
        description="The issuer name authenticator apps show next to the account.",
    )
    totp_valid_window: int = Field(
        default=1,
        ge=0,
        le=2,
        description="TOTP steps (30 s) accepted before and after the current one.",
    )
    otp_ttl_seconds: int = Field(
        default=300, ge=30, le=3600, description="How long a one-time code stays valid."
    )
    otp_max_attempts: int = Field(
        default=5, ge=1, le=20, description="Wrong guesses one one-time code survives."
    )
    max_attempts: int = Field(
        default=5,
        ge=1,
        le=100,
        description="Failed codes per account (TOTP, one-time and recovery together) per window.",
    )
    attempt_window_seconds: int = Field(
        default=900, ge=1, description="Failed codes older than this are forgotten."
    )
    lockout_seconds: int = Field(
        default=900, ge=1, description="How long an account answers 429 after too many failures."
    )
    resend_max: int = Field(
        default=5, ge=1, le=100, description="One-time codes sent per account per resend window."
    )
    resend_window_seconds: int = Field(
        default=900, ge=1, description="The window the one-time code resend limit counts in."
    )
    delivery: Literal["outbox", "smtp"] = Field(
        default="outbox",
        description=(
            "How one-time codes reach the user: 'outbox' (development: a JSON-lines file) or "
            "'smtp' (mail through FOUNTAIN_TWOFA_SMTP_*)."
        ),
    )
    outbox_path: Path | None = Field(
        default=None,
        description="The outbox file (mode 0600); empty means <data_dir>/twofa-outbox.jsonl.",
    )
    smtp_host: str = Field(default="localhost", description="SMTP server host name.")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP server port.")
    smtp_username: str = Field(default="", description="SMTP login name; empty: no login.")
    smtp_password: SecretStr | None = Field(
        default=None, description="SMTP password (with smtp_username); unset: no login."
    )
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS before sending."
    )
    smtp_sender: str = Field(
        default="fountainai@localhost", description="The From address of code mails."
    )
    smtp_recipient_template: str = Field(
        default="{username}@localhost",
        description="Where codes are mailed; {username} is filled in: {username}@studio.example.",
    )

    @field_validator("smtp_recipient_template")
    @classmethod
    def _names_the_user(cls, value: str) -> str:
        if "{username}" not in value:
            raise ValueError("must contain {username}")
        return value

    @property
    def effective_outbox_path(self) -> Path:
        return self.outbox_path or self.data_dir / "twofa-outbox.jsonl"
