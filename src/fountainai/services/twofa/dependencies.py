"""Dependencies the 2FA endpoints share: settings, clock, ports, the caller's own account."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from fastapi import Depends, Request

from fountainai.core import PermissionDenied
from fountainai.core.auth import CurrentPrincipal, Principal
from fountainai.core.db import SessionDep
from fountainai.services.twofa.clock import Clock
from fountainai.services.twofa.codes.factors import AccountRef, Factors
from fountainai.services.twofa.config import TwofaSettings
from fountainai.services.twofa.delivery import Delivery
from fountainai.services.twofa.kms_client import KmsClient

USERS_ONLY = "Only users have second factors; services cannot use this operation."


def normalize_username(raw: str) -> str:
    """As the KMS compares names: NFKC, case-folded, trimmed."""
    folded = unicodedata.normalize("NFKC", raw).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def own_account(principal: Principal) -> AccountRef:
    return AccountRef(
        subject=principal.subject,
        username=normalize_username(principal.username or principal.subject),
    )


async def get_settings(request: Request) -> TwofaSettings:
    settings: TwofaSettings = request.app.state.settings
    return settings


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_kms(request: Request) -> KmsClient:
    kms: KmsClient = request.app.state.kms
    return kms


async def get_delivery(request: Request) -> Delivery:
    delivery: Delivery = request.app.state.delivery
    return delivery


async def get_factors(request: Request, session: SessionDep) -> Factors:
    state = request.app.state
    return Factors(session, state.settings, master_key=state.master_key, clock=state.clock)


async def get_user(principal: CurrentPrincipal) -> Principal:
    """The caller, who must be a user (a token's ``sub`` that is not ``service:...``)."""
    if principal.kind != "user":
        raise PermissionDenied(USERS_ONLY)
    return principal


SettingsDep = Annotated[TwofaSettings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
KmsDep = Annotated[KmsClient, Depends(get_kms)]
DeliveryDep = Annotated[Delivery, Depends(get_delivery)]
FactorsDep = Annotated[Factors, Depends(get_factors)]
UserDep = Annotated[Principal, Depends(get_user)]
