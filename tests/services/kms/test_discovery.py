"""``/.well-known``: the JWKS and server metadata, usable by any standard JWT library."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import jwt
import pytest
from fastapi import FastAPI

from fountainai.core.auth import API_KEY_SCOPES, public_key_from_jwk
from fountainai.services.kms.config import KmsSettings
from tests.services.kms.conftest import mint_token

JWKS = "/.well-known/jwks.json"
PUBLIC_JWK_MEMBERS = {"kty", "crv", "x", "kid", "alg", "use"}


async def test_the_jwks_publishes_public_ed25519_keys_only(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with app.state.sessionmaker() as session:
        await app.state.keystore.rotate(session, lead=timedelta(minutes=10))
        await session.commit()
    response = await client.get(JWKS)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"
    keys = response.json()["keys"]
    assert len(keys) == 2
    for key in keys:
        assert set(key) == PUBLIC_JWK_MEMBERS  # no "d", nor any other private member
        assert (key["kty"], key["crv"], key["alg"], key["use"]) == (
            "OKP",
            "Ed25519",
            "EdDSA",
            "sig",
        )
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", key["kid"])
        public_key_from_jwk(key)  # a well-formed 32-byte public key
    assert len({key["kid"] for key in keys}) == 2


async def test_the_server_metadata_points_at_the_jwks_and_endpoints(
    client: httpx.AsyncClient, settings: KmsSettings
) -> None:
    issuer = settings.auth_issuer
    response = await client.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    metadata = response.json()
    assert metadata["issuer"] == issuer
    assert metadata["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert metadata["introspection_endpoint"] == f"{issuer}/api/v1/keys/introspect"
    assert metadata["token_endpoint"] == f"{issuer}/api/v1/token/refresh"
    assert metadata["access_token_signing_alg_values_supported"] == ["EdDSA"]
    assert metadata["scopes_supported"] == list(API_KEY_SCOPES)
    assert {"iss", "aud", "sub", "roles", "scope", "amr", "jti", "iat", "exp"} <= set(
        metadata["claims_supported"]
    )
    oauth = await client.get("/.well-known/oauth-authorization-server")
    assert oauth.json() == metadata


async def test_a_minted_token_verifies_with_plain_pyjwt_against_the_jwks(
    app: FastAPI, client: httpx.AsyncClient, settings: KmsSettings
) -> None:
    token = await mint_token(app, roles=["writer"], username="ann", subject="user-1")
    header = jwt.get_unverified_header(token)
    assert set(header) == {"alg", "kid", "typ"}
    assert (header["alg"], header["typ"]) == ("EdDSA", "at+jwt")

    jwks = jwt.PyJWKSet.from_dict((await client.get(JWKS)).json())
    claims = jwt.decode(
        token,
        jwks[header["kid"]].key,
        algorithms=["EdDSA"],
        audience=settings.auth_audience,
        issuer=settings.auth_issuer,
        options={"require": ["iss", "aud", "sub", "exp", "iat", "jti"]},
    )
    assert claims["sub"] == "user-1"
    assert claims["preferred_username"] == "ann"
    assert claims["roles"] == ["writer"]
    assert claims["scope"] == "story:read story:write"
    assert claims["amr"] == ["pwd"]
    assert re.fullmatch(r"[0-9a-f]{32}", claims["jti"])
    assert claims["exp"] - claims["iat"] == settings.access_token_seconds

    head, payload, signature = token.split(".")
    flipped = "A" if signature[10] != "A" else "B"
    forged = f"{head}.{payload}.{signature[:10]}{flipped}{signature[11:]}"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, jwks[header["kid"]].key, algorithms=["EdDSA"], audience="fountainai")
