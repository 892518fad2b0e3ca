"""An import, end to end: read the file, plan it, carry it out, keep the ledger, and undo a
partial script on failure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

import structlog
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from fountainai.core import AppError, Conflict, NotFound, UnprocessableEntity
from fountainai.core.db import utcnow
from fountainai.services.story.imports.ledger import (
    COMPLETED,
    ROLLBACK_PENDING,
    ROLLED_BACK,
    RUNNING,
    ImportLedger,
    warnings_json,
)
from fountainai.services.story.imports.plan import ImportPlan, plan_import
from fountainai.services.story.imports.runner import ImportRun, Limits, Platform
from fountainai.services.story.imports.source import SourceFormat, read_screenplay
from fountainai.services.story.models import StoryImport

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class ImportSource:
    data: bytes
    source_format: SourceFormat
    filename: str
    comment: str
    import_id: str | None = None


def _failed(failure: Exception, row: StoryImport) -> Exception:
    """The failure as the caller sees it: the same status, with what became of the import."""
    outcome = (
        "the partial script was removed"
        if row.status == ROLLED_BACK
        else f"removing the partial script failed too: retry DELETE /stories/imports/{row.id}"
    )
    extra = {"importId": row.id, "importStatus": row.status}
    if isinstance(failure, AppError):
        detail = f"import failed ({failure.detail or failure.title}); {outcome}"
        return type(failure)(detail, headers=failure.headers, extra={**failure.extra, **extra})
    if isinstance(failure, ValidationError):
        # A value a service's request model refuses (its limits are the services' own).
        reason = failure.errors()[0]["msg"] if failure.errors() else "invalid"
        return UnprocessableEntity(f"import failed ({reason}); {outcome}", extra=extra)
    return failure


class ImportService:
    def __init__(
        self,
        ledger: ImportLedger,
        platform: Platform,
        limits: Limits,
        *,
        actor: str,
        max_elements: int,
        stale_after: timedelta,
    ) -> None:
        self.ledger = ledger
        self.platform = platform
        self.limits = limits
        self.actor = actor
        self.max_elements = max_elements
        self.stale_after = stale_after

    async def plan(self, source: ImportSource) -> ImportPlan:
        """Read and map the file (422 if it is not a screenplay); nothing is written yet."""
        screenplay = await run_in_threadpool(read_screenplay, source.data, source.source_format)
        stem = PurePosixPath(source.filename).stem
        plan = plan_import(screenplay, fallback_title=stem)
        if len(plan.elements) > self.max_elements:
            raise UnprocessableEntity(
                f"the screenplay has {len(plan.elements)} elements; "
                f"an import takes at most {self.max_elements}"
            )
        return plan

    async def run(self, source: ImportSource) -> StoryImport:
        plan = await self.plan(source)
        import_id = await self.ledger.start(
            import_id=source.import_id,
            created_by=self.actor,
            source_format=source.source_format.value,
            filename=source.filename,
            source_bytes=len(source.data),
            elements_total=len(plan.elements),
        )
        comment = source.comment or f"import {import_id}"

        async def progress(done: int) -> None:
            await self.ledger.update(import_id, elements_done=done)

        run = ImportRun(plan, self.platform, self.limits, comment=comment, progress=progress)
        try:
            script_id = await run.create_script()
            await self.ledger.update(import_id, script_id=script_id)
            await run.create_elements()
        except Exception as failure:
            row = await self.roll_back(import_id, run, failure)
            raise _failed(failure, row) from failure
        return await self.ledger.update(
            import_id,
            status=COMPLETED,
            counts=plan.counts(),
            warnings=warnings_json(plan.warnings),
        )

    async def roll_back(self, import_id: str, run: ImportRun, failure: Exception) -> StoryImport:
        log.warning(
            "import failed", import_id=import_id, script_id=run.script_id, error=str(failure)
        )
        try:
            await run.discard()
        except Exception as undo_failure:
            log.error("import rollback failed", import_id=import_id, error=str(undo_failure))
            return await self.ledger.update(
                import_id, status=ROLLBACK_PENDING, error=str(failure)[:2000]
            )
        return await self.ledger.update(import_id, status=ROLLED_BACK, error=str(failure)[:2000])

    async def get(self, import_id: str, *, is_admin: bool) -> StoryImport:
        row = await self.ledger.get(import_id)
        if row is None or (row.created_by != self.actor and not is_admin):
            raise NotFound(f"import {import_id} does not exist")
        return row

    async def discard(self, import_id: str, *, is_admin: bool) -> StoryImport:
        """Retry removing an import's partial script: after a failed rollback, or when the
        import has been 'running' longer than its process can have lived."""
        row = await self.get(import_id, is_admin=is_admin)
        stale = row.status == RUNNING and utcnow() - row.updated_at > self.stale_after
        if row.status != ROLLBACK_PENDING and not stale:
            raise Conflict(f"import {import_id} is {row.status}: there is nothing to discard")
        if row.script_id is not None:
            await self.platform.discard(row.script_id, comment=f"discard import {import_id}")
        return await self.ledger.update(import_id, status=ROLLED_BACK)
