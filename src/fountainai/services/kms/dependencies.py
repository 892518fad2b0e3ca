"""Dependencies the KMS endpoints share: settings, keystore, token issuer, client address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.signing.keystore import Keystore
from fountainai.services.kms.signing.tokens import AccessTokenIssuer


async def get_settings(request: Request) -> KmsSettings:
    settings: KmsSettings = request.app.state.settings
    return settings


async def get_keystore(request: Request) -> Keystore:
    keystore: Keystore = request.app.state.keystore
    return keystore


async def get_token_issuer(request: Request) -> AccessTokenIssuer:
    issuer: AccessTokenIssuer = request.app.state.token_issuer
    return issuer


async def get_client_ip(request: Request) -> str:
    """The peer address; behind a proxy, uvicorn's ``--forwarded-allow-ips`` makes it the client."""
    return request.client.host if request.client else "unknown"


SettingsDep = Annotated[KmsSettings, Depends(get_settings)]
KeystoreDep = Annotated[Keystore, Depends(get_keystore)]
TokenIssuerDep = Annotated[AccessTokenIssuer, Depends(get_token_issuer)]
ClientIpDep = Annotated[str, Depends(get_client_ip)]
