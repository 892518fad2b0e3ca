"""Signing keys: rotation publishes before signing, revocation is immediate, keys sealed at rest."""

from __future__ import annotations

import secrets
import stat
from datetime import timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi import FastAPI
from pydantic import SecretStr, ValidationError

from fountainai.core import Environment
from fountainai.core.db import utcnow
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import SigningKey
from fountainai.services.kms.signing.keystore import Keystore
from fountainai.services.kms.signing.master_key import (
    DEV_KEY_FILE,
    MasterKey,
    MasterKeyError,
    encode_master_key,
    load_master_key,
)
from tests.services.kms.conftest import bearer, mint_token

JWKS = "/.well-known/jwks.json"
PRODUCTION = Environment.PRODUCTION
PROTECTED = "/api/v1/keys"  # any admin endpoint of the KMS will do


async def published_kids(client: httpx.AsyncClient) -> set[str]:
    return {key["kid"] for key in (await client.get(JWKS)).json()["keys"]}


def kid_of(token: str) -> str:
    kid: str = jwt.get_unverified_header(token)["kid"]
    return kid


async def test_a_rotated_key_is_published_at_once_but_signs_only_after_the_lead(
    app: FastAPI, client: httpx.AsyncClient, settings: KmsSettings
) -> None:
    keystore: Keystore = app.state.keystore
    lead = timedelta(seconds=settings.signing_key_publish_lead_seconds)
    lifetime = timedelta(seconds=settings.access_token_seconds + settings.auth_leeway_seconds)
    async with app.state.sessionmaker() as session:
        first, _ = await keystore.signing_key(session)
        rotated = await keystore.rotate(session, lead=lead)
        await session.commit()
        now = utcnow()

        assert await published_kids(client) == {first, rotated.kid}
        assert kid_of(await mint_token(app, roles=["reader"])) == first

        async def state(later: timedelta) -> dict[str, tuple[bool, bool]]:
            """kid -> (signs, published), ``later`` from now."""
            return {
                s.key.kid: (s.signs, s.published)
                for s in await keystore.states(session, now + later)
            }

        second = timedelta(seconds=1)
        assert await state(lead - second) == {first: (True, True), rotated.kid: (False, True)}
        assert await state(lead + second) == {first: (False, True), rotated.kid: (True, True)}
        assert await state(lead + lifetime - second) == {
            first: (False, True),
            rotated.kid: (True, True),
        }
        assert await state(lead + lifetime + second) == {
            first: (False, False),
            rotated.kid: (True, True),
        }


async def test_with_no_lead_the_new_key_signs_and_old_tokens_still_verify(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    old_token = await mint_token(app, roles=["admin"])
    async with app.state.sessionmaker() as session:
        rotated = await app.state.keystore.rotate(session, lead=timedelta(0))
        await session.commit()
    new_token = await mint_token(app, roles=["admin"])
    assert kid_of(new_token) == rotated.kid != kid_of(old_token)
    assert await published_kids(client) == {kid_of(old_token), rotated.kid}
    for token in (old_token, new_token):
        assert (await client.get(PROTECTED, headers=bearer(token))).status_code == 200


async def test_a_revoked_kid_is_refused_at_once_and_leaves_the_jwks(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    token = await mint_token(app, roles=["admin"])
    kid = kid_of(token)
    assert (await client.get(PROTECTED, headers=bearer(token))).status_code == 200
    async with app.state.sessionmaker() as session:
        assert await app.state.keystore.revoke(session, kid) is True
        await session.commit()
        assert kid in await app.state.keystore.revoked_kids(session)

    refused = await client.get(PROTECTED, headers=bearer(token))
    assert refused.status_code == 401
    assert kid not in await published_kids(client)
    fresh = await mint_token(app, roles=["admin"])
    assert kid_of(fresh) != kid
    assert kid_of(fresh) in await published_kids(client)
    assert (await client.get(PROTECTED, headers=bearer(fresh))).status_code == 200


async def test_private_keys_are_sealed_with_the_master_key(
    app: FastAPI, settings: KmsSettings
) -> None:
    keystore: Keystore = app.state.keystore
    async with app.state.sessionmaker() as session:
        kid, private = await keystore.signing_key(session)
        row = await session.get(SigningKey, kid)
        assert row is not None
        raw = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        sealed = row.private_key_encrypted
        assert raw not in sealed
        assert raw.hex() not in sealed.hex()
        assert "d" not in row.public_jwk

        master = load_master_key(settings)
        assert master.open(sealed, associated_data=kid.encode()) == raw
        with pytest.raises(MasterKeyError):
            MasterKey(secrets.token_bytes(32)).open(sealed, associated_data=kid.encode())
        with pytest.raises(MasterKeyError):  # bound to its kid: no swapping blobs between rows
            master.open(sealed, associated_data=b"another-kid")
        stranger = Keystore(MasterKey(secrets.token_bytes(32)), token_lifetime=timedelta(0))
        with pytest.raises(MasterKeyError):
            await stranger.signing_key(session)


def test_production_refuses_an_empty_master_key(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="master_key"):
        KmsSettings(environment=PRODUCTION, data_dir=tmp_path, master_key=SecretStr(""))
    key = encode_master_key(secrets.token_bytes(32))
    configured = KmsSettings(environment=PRODUCTION, data_dir=tmp_path, master_key=SecretStr(key))
    sealed = load_master_key(configured).seal(b"payload", associated_data=b"aad")
    assert load_master_key(configured).open(sealed, associated_data=b"aad") == b"payload"
    assert not (tmp_path / DEV_KEY_FILE).exists()


@pytest.mark.parametrize("bad", ["not base64 !", encode_master_key(b"short")])
def test_a_malformed_master_key_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(MasterKeyError):
        load_master_key(KmsSettings(data_dir=tmp_path, master_key=SecretStr(bad)))


def test_the_development_master_key_file_is_private_and_stable(tmp_path: Path) -> None:
    settings = KmsSettings(data_dir=tmp_path / "fresh", master_key=SecretStr(""))
    first = load_master_key(settings)
    path = tmp_path / "fresh" / DEV_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sealed = first.seal(b"signing key", associated_data=b"kid")
    assert load_master_key(settings).open(sealed, associated_data=b"kid") == b"signing key"
