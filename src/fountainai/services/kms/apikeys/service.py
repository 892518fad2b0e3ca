"""The rules of API keys: one current key per service, rotation with overlap, immediate revoke."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import Conflict, NotFound, Page, PageParams
from fountainai.core.auth import KNOWN_KEY_SCOPES, Principal
from fountainai.core.db import utcnow
from fountainai.services.kms.apikeys.keyformat import MintedKey, mint_key
from fountainai.services.kms.apikeys.repository import ApiKeyRepository
from fountainai.services.kms.apikeys.schemas import (
    SERVICE_NAME_PATTERN,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    ApiKeyRotate,
    ApiKeyRotated,
    ApiKeyStatus,
)
from fountainai.services.kms.audit.events import SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository
from fountainai.services.kms.config import KmsSettings
from fountainai.services.kms.models import ApiKey


def checked_service_key(service_name: str, scopes: Iterable[str]) -> tuple[str, list[str]]:
    """The name and scopes of a key the operator issues; ``ValueError`` if either is invalid."""
    if not re.fullmatch(SERVICE_NAME_PATTERN, service_name):
        raise ValueError(
            f"{service_name!r} is not a service name: lowercase letters, digits and '-', "
            "starting with a letter (2-63 chars)"
        )
    granted = sorted(set(scopes))
    unknown = [scope for scope in granted if scope not in KNOWN_KEY_SCOPES]
    if not granted or unknown:
        known = ", ".join(KNOWN_KEY_SCOPES)
        raise ValueError(f"scopes must be one or more of {known}; got {unknown or 'none'}")
    return service_name, granted


def key_status(key: ApiKey, now: datetime) -> ApiKeyStatus:
    if key.revoked_at is not None:
        return ApiKeyStatus.REVOKED
    if key.expires_at <= now:
        return ApiKeyStatus.EXPIRED
    if key.rotated_at is not None:
        return ApiKeyStatus.GRACE
    return ApiKeyStatus.ACTIVE


def read_key(key: ApiKey, now: datetime) -> ApiKeyRead:
    return ApiKeyRead(
        id=key.id,
        service_name=key.service_name,
        prefix=key.prefix,
        scopes=list(key.scopes),
        status=key_status(key, now),
        created_at=key.created_at,
        created_by=key.created_by,
        expires_at=key.expires_at,
        last_used_at=key.last_used_at,
        rotated_at=key.rotated_at,
        revoked_at=key.revoked_at,
    )


def created_answer(key: ApiKey, minted: MintedKey) -> ApiKeyCreated:
    return ApiKeyCreated(
        id=key.id,
        service_name=key.service_name,
        api_key=minted.value,
        prefix=key.prefix,
        scopes=list(key.scopes),
        created_at=key.created_at,
        expires_at=key.expires_at,
    )


@dataclass(frozen=True, slots=True)
class Actor:
    """Who manages keys, as the audit log records them (an admin user, or ``cli``)."""

    name: str
    ip: str | None

    @classmethod
    def of(cls, principal: Principal, ip: str) -> Actor:
        return cls(name=principal.actor, ip=ip)


class ApiKeyService:
    def __init__(self, session: AsyncSession, settings: KmsSettings) -> None:
        self._keys = ApiKeyRepository(session)
        self._audit = AuditRepository(session)
        self._default_days = settings.api_key_default_days
        self._grace = timedelta(seconds=settings.api_key_rotation_grace_seconds)

    async def create(self, body: ApiKeyCreate, actor: Actor) -> ApiKeyCreated:
        now = utcnow()
        current = await self._keys.current(body.service_name)
        if current is not None:
            if current.expires_at > now:
                raise Conflict(
                    f"Service '{body.service_name}' already has an active key "
                    f"(prefix {current.prefix}): rotate it (POST /keys/{body.service_name}/rotate) "
                    "or revoke it first."
                )
            # Expired: it steps aside as history, so the new key becomes the current one.
            await self._keys.supersede(current.id, at=now, expires_at=current.expires_at)
        key, minted = await self._issue(body.service_name, body.scopes, body.expires_in_days, actor)
        await self._record(
            SecurityEvent.API_KEY_CREATE, key, actor, expiresAt=key.expires_at.isoformat()
        )
        return created_answer(key, minted)

    async def rotate(self, service_name: str, body: ApiKeyRotate, actor: Actor) -> ApiKeyRotated:
        now = utcnow()
        old = await self._keys.current(service_name)
        if old is None or old.expires_at <= now:
            raise NotFound(f"Service '{service_name}' has no active key to rotate; create one.")
        grace_ends = min(old.expires_at, now + self._grace)
        if not await self._keys.supersede(old.id, at=now, expires_at=grace_ends):
            raise Conflict(f"The key of '{service_name}' changed meanwhile; retry.")
        scopes: Iterable[str] = body.scopes or old.scopes
        key, minted = await self._issue(service_name, scopes, body.expires_in_days, actor)
        await self._record(
            SecurityEvent.API_KEY_ROTATE,
            key,
            actor,
            previousPrefix=old.prefix,
            previousExpiresAt=grace_ends.isoformat(),
        )
        return ApiKeyRotated(
            **created_answer(key, minted).model_dump(),
            previous_prefix=old.prefix,
            previous_expires_at=grace_ends,
        )

    async def revoke(self, service_name: str, actor: Actor) -> None:
        now = utcnow()
        usable = await self._keys.usable(service_name, now)
        if not usable:
            raise NotFound(f"Service '{service_name}' has no active key to revoke.")
        await self._keys.revoke_service(service_name, now)
        await self._audit.record(
            SecurityEvent.API_KEY_REVOKE,
            actor=actor.name,
            target=service_name,
            ip=actor.ip,
            details={"prefixes": sorted(key.prefix for key in usable)},
        )

    async def provision(
        self, service_name: str, scopes: Iterable[str], days: int | None, actor: Actor
    ) -> ApiKeyCreated:
        """The operator's way (CLI): any known scope, ``mfa:assert`` included, which ``POST
        /keys`` never grants. A key the service already has is revoked at once (no grace)."""
        now = utcnow()
        retired = await self._keys.usable(service_name, now)
        await self._keys.revoke_service(service_name, now)  # expired ones too: all history
        key, minted = await self._issue(service_name, scopes, days, actor)
        await self._record(
            SecurityEvent.API_KEY_CREATE,
            key,
            actor,
            expiresAt=key.expires_at.isoformat(),
            revokedPrefixes=sorted(old.prefix for old in retired),
        )
        return created_answer(key, minted)

    async def page(
        self, page: PageParams, *, service_name: str | None, include_revoked: bool
    ) -> Page[ApiKeyRead]:
        rows, total = await self._keys.page(
            service_name=service_name,
            include_revoked=include_revoked,
            limit=page.limit,
            offset=page.offset,
        )
        now = utcnow()
        return page.page([read_key(row, now) for row in rows], total)

    async def _issue(
        self, service_name: str, scopes: Iterable[str], days: int | None, actor: Actor
    ) -> tuple[ApiKey, MintedKey]:
        minted = mint_key()
        now = utcnow()
        key = ApiKey(
            id=str(uuid.uuid4()),
            service_name=service_name,
            prefix=minted.prefix,
            secret_hash=minted.secret_hash,
            scopes=sorted(set(scopes)),
            created_by=actor.name,
            created_at=now,
            expires_at=now + timedelta(days=days or self._default_days),
        )
        if not await self._keys.insert(key):
            raise Conflict(f"Service '{service_name}' got a key from another request; retry.")
        return key, minted

    async def _record(
        self, event: SecurityEvent, key: ApiKey, actor: Actor, **extra: object
    ) -> None:
        """Audit a new key by its prefix and scopes: never the key, nor its hash."""
        await self._audit.record(
            event,
            actor=actor.name,
            target=key.service_name,
            ip=actor.ip,
            details={"prefix": key.prefix, "scopes": list(key.scopes), **extra},
        )
