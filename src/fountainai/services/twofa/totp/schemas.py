"""TOTP request and response bodies (camelCase JSON)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from fountainai.core import ApiInput, ApiModel
from fountainai.services.twofa.codes.formats import Code, TotpCode


class TotpStatus(ApiModel):
    enabled: bool = Field(description="A confirmed authenticator guards the account.")
    pending: bool = Field(description="An enrolment waits for its first code (POST /totp/confirm).")
    confirmed_at: datetime | None
    recovery_codes_remaining: int


class TotpEnrolmentRead(ApiModel):
    """Shown once: the secret, as text, as an otpauth:// URI and as QR codes of that URI."""

    secret: str = Field(description="Base32, for typing into an authenticator app.")
    otpauth_uri: str
    qr_svg: str = Field(description="An SVG image of the QR code.")
    qr_png_data_uri: str = Field(description="A data: URI of the QR code as PNG.")


class TotpCodeInput(ApiInput):
    code: TotpCode


class AnyCodeInput(ApiInput):
    code: Code


class TotpConfirmed(ApiModel):
    enabled: bool
    recovery_codes: list[str] = Field(description="Ten single-use codes, shown only now.")


class RecoveryCodesRead(ApiModel):
    recovery_codes: list[str] = Field(description="Ten single-use codes; the old ones are dead.")
