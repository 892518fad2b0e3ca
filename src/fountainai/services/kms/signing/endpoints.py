"""``/.well-known``: the JWKS verifiers fetch, and the server metadata that points at it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from fountainai.core import API_PREFIX
from fountainai.core.auth import API_KEY_SCOPES, SIGNING_ALGORITHM
from fountainai.core.db import SessionDep
from fountainai.services.kms.dependencies import KeystoreDep, SettingsDep

router = APIRouter(tags=["discovery"])

# Verifiers cache longer themselves; a short HTTP max-age keeps proxies from outliving a revocation.
JWKS_CACHE_CONTROL = "public, max-age=60"


@router.get(
    "/.well-known/jwks.json",
    operation_id="getJwks",
    summary="The public keys that verify access tokens: current, next and still-valid previous.",
)
async def get_jwks(session: SessionDep, keystore: KeystoreDep, response: Response) -> Any:
    response.headers["Cache-Control"] = JWKS_CACHE_CONTROL
    return {"keys": await keystore.published_jwks(session)}


def server_metadata(issuer: str) -> dict[str, Any]:
    api = f"{issuer.rstrip('/')}{API_PREFIX}"
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer.rstrip('/')}/.well-known/jwks.json",
        "registration_endpoint": f"{api}/register",
        "login_endpoint": f"{api}/login",
        "token_endpoint": f"{api}/token/refresh",
        "revocation_endpoint": f"{api}/logout",
        "introspection_endpoint": f"{api}/keys/introspect",
        "revocation_feed_endpoint": f"{api}/revocations",
        "grant_types_supported": ["password", "refresh_token"],
        "token_endpoint_auth_methods_supported": ["none"],
        "response_types_supported": ["token"],
        "access_token_signing_alg_values_supported": [SIGNING_ALGORITHM],
        "scopes_supported": list(API_KEY_SCOPES),
        "claims_supported": [
            "iss",
            "aud",
            "sub",
            "roles",
            "scope",
            "amr",
            "jti",
            "iat",
            "exp",
            "auth_time",
            "preferred_username",
        ],
    }


@router.get(
    "/.well-known/openid-configuration",
    operation_id="getServerMetadata",
    summary="Server metadata (OIDC discovery style): issuer, JWKS and endpoint URLs.",
)
async def get_server_metadata(settings: SettingsDep) -> dict[str, Any]:
    return server_metadata(settings.auth_issuer)


@router.get("/.well-known/oauth-authorization-server", include_in_schema=False)
async def get_oauth_metadata(settings: SettingsDep) -> dict[str, Any]:
    return server_metadata(settings.auth_issuer)
