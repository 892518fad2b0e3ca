"""TOTP and recovery-code operations on the caller's own account."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from fountainai.core import (
    Conflict,
    NotFound,
    RateLimited,
    UpstreamUnavailable,
    problem_responses,
)
from fountainai.core.auth import AUTH_RESPONSES
from fountainai.services.twofa.dependencies import (
    FactorsDep,
    KmsDep,
    SettingsDep,
    UserDep,
    own_account,
)
from fountainai.services.twofa.errors import CodeRejected
from fountainai.services.twofa.qr import MEDIA_TYPES, ImageFormat, qr_image, qr_png_data_uri, qr_svg
from fountainai.services.twofa.totp.schemas import (
    AnyCodeInput,
    RecoveryCodesRead,
    TotpCodeInput,
    TotpConfirmed,
    TotpEnrolmentRead,
    TotpStatus,
)
from fountainai.services.twofa.totp.service import TotpService

router = APIRouter(tags=["totp"], responses=AUTH_RESPONSES)

CODE_CHECKED: dict[int | str, dict[str, Any]] = problem_responses(
    NotFound, CodeRejected, RateLimited
)


async def get_totp_service(factors: FactorsDep, kms: KmsDep, settings: SettingsDep) -> TotpService:
    return TotpService(factors, kms, settings)


TotpServiceDep = Annotated[TotpService, Depends(get_totp_service)]


@router.get("/totp", operation_id="getTotpStatus", summary="Is TOTP enabled or pending?")
async def get_totp_status(user: UserDep, service: TotpServiceDep) -> TotpStatus:
    return await service.status(own_account(user))


@router.post(
    "/totp/enroll",
    operation_id="enrollTotp",
    summary="Start (or restart) TOTP enrolment: the secret, its URI and QR codes, shown once.",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Conflict),
)
async def enroll_totp(user: UserDep, service: TotpServiceDep) -> TotpEnrolmentRead:
    secret, uri = await service.enroll(own_account(user))
    return TotpEnrolmentRead(
        secret=secret, otpauth_uri=uri, qr_svg=qr_svg(uri), qr_png_data_uri=qr_png_data_uri(uri)
    )


@router.get(
    "/totp/qr",
    operation_id="getTotpQrCode",
    summary="The pending enrolment's QR code as PNG or SVG.",
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in MEDIA_TYPES.values()}},
        **problem_responses(NotFound),
    },
)
async def get_totp_qr_code(
    user: UserDep,
    service: TotpServiceDep,
    image_format: Annotated[ImageFormat, Query(alias="format")] = "png",
) -> Response:
    uri = await service.pending_uri(own_account(user))
    return Response(qr_image(uri, image_format), media_type=MEDIA_TYPES[image_format])


@router.post(
    "/totp/confirm",
    operation_id="confirmTotp",
    summary="Turn TOTP on with a first code; answers the recovery codes, shown once.",
    responses={**CODE_CHECKED, **problem_responses(Conflict, UpstreamUnavailable)},
)
async def confirm_totp(
    body: TotpCodeInput, user: UserDep, service: TotpServiceDep
) -> TotpConfirmed:
    codes = await service.confirm(own_account(user), body.code)
    return TotpConfirmed(enabled=True, recovery_codes=codes)


@router.delete(
    "/totp",
    operation_id="disableTotp",
    summary="Turn TOTP off with a TOTP or recovery code; the recovery codes go too.",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**CODE_CHECKED, **problem_responses(UpstreamUnavailable)},
)
async def disable_totp(body: AnyCodeInput, user: UserDep, service: TotpServiceDep) -> None:
    await service.disable(own_account(user), body.code)


@router.post(
    "/recovery-codes",
    operation_id="regenerateRecoveryCodes",
    summary="New recovery codes for a TOTP code; the old ones stop working.",
    status_code=status.HTTP_201_CREATED,
    responses=CODE_CHECKED,
)
async def regenerate_recovery_codes(
    body: TotpCodeInput, user: UserDep, service: TotpServiceDep
) -> RecoveryCodesRead:
    codes = await service.new_recovery_codes(own_account(user), body.code)
    return RecoveryCodesRead(recovery_codes=codes)
