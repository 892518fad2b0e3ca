from __future__ import annotations

import jsonpatch
from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import Conflict, NotFound
from fountainai.core.elements import ElementType
from fountainai.services.sequence.audit.repository import AuditRepository
from fountainai.services.sequence.audit.schemas import AuditAction
from fountainai.services.sequence.models import ElementVersion
from fountainai.services.sequence.ordering.repository import OrderingRepository
from fountainai.services.sequence.versioning.repository import VersionRepository
from fountainai.services.sequence.versioning.schemas import (
    PurgeResult,
    VersionDiff,
    VersionRequest,
)


class VersionService:
    def __init__(self, session: AsyncSession, *, actor: str | None = None) -> None:
        self.repo = VersionRepository(session)
        self.ordering = OrderingRepository(session)
        self.audit = AuditRepository(session, actor=actor)

    async def create(self, request: VersionRequest) -> ElementVersion:
        script_id = request.script_id
        placed = await self.ordering.find(request.element_type, request.element_id)
        if placed is not None:
            if script_id is not None and script_id != placed.script_id:
                raise Conflict(
                    f"{request.element_type.value} {request.element_id} belongs to script "
                    f"{placed.script_id}, not {script_id}"
                )
            script_id = placed.script_id
        number = await self.repo.next_number(request.element_type, request.element_id)
        version = await self.repo.add(
            element_type=request.element_type,
            element_id=request.element_id,
            script_id=script_id,
            version_number=number,
            data=request.new_version_data,
            comment=request.comment,
        )
        await self.audit.record(
            AuditAction.CREATE_VERSION,
            comment=request.comment,
            script_id=script_id,
            element_type=request.element_type,
            element_id=request.element_id,
            details={"versionNumber": number},
        )
        return version

    async def purge(
        self, element_type: ElementType, element_id: int, *, keep_latest: int, comment: str
    ) -> PurgeResult:
        """Delete an element's history (all, or all but the newest ``keep_latest``); audited."""
        placed = await self.ordering.find(element_type, element_id)
        purged, remaining = await self.repo.purge(element_type, element_id, keep_latest=keep_latest)
        await self.audit.record(
            AuditAction.PURGE_VERSIONS,
            comment=comment,
            script_id=placed.script_id if placed is not None else None,
            element_type=element_type,
            element_id=element_id,
            details={"purged": purged, "remaining": remaining, "keepLatest": keep_latest},
        )
        return PurgeResult(
            element_type=element_type,
            element_id=element_id,
            purged=purged,
            remaining=remaining,
            comment=comment,
        )

    async def get(self, element_type: ElementType, element_id: int, number: int) -> ElementVersion:
        version = await self.repo.get(element_type, element_id, number)
        if version is None:
            raise NotFound(f"{element_type.value} {element_id} has no version {number}")
        return version

    async def diff(
        self, element_type: ElementType, element_id: int, number: int, against: int | None
    ) -> VersionDiff:
        """JSON Patch from ``against`` (default: the version before) to ``number``.

        Version 1 compared with the one before it is compared with nothing (version 0, ``{}``).
        """
        base_number = number - 1 if against is None else against
        target = await self.get(element_type, element_id, number)
        base_data = (
            {} if base_number == 0 else (await self.get(element_type, element_id, base_number)).data
        )
        patch = jsonpatch.make_patch(base_data, target.data)
        return VersionDiff(
            element_type=element_type,
            element_id=element_id,
            from_version=base_number,
            to_version=number,
            patch=list(patch),
        )
