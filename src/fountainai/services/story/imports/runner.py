"""Carrying out an import plan through the owning services, as one logical operation.

The script is created marked ``importing``; its elements go in through the batch endpoints
(Scripts: sections, transitions, markup; Characters: characters, actions, lines), a few
requests each; one complete reorder at Central Sequence then puts every element in reading
order; the mark is cleared last. If any step fails, the partial script is discarded (the
Characters service's elements at once, then the script with its own, which needs no second
factor while it is still an unfinished import) and the failure is raised as it came.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import structlog

from fountainai.services.story.imports.plan import ImportPlan, Planned

log = structlog.get_logger(__name__)

SCRIPTS_KINDS = ("section", "transition", "note", "lyric", "centered", "pageBreak", "synopsis")


class Platform(Protocol):
    """The calls an import makes, each with the importing user's credentials."""

    async def create_script(
        self, *, title: str, author: str, title_page: list[dict[str, str]], comment: str
    ) -> tuple[str, int]: ...

    async def create_scripts_elements(
        self, script_id: int, items: list[dict[str, Any]], *, comment: str
    ) -> list[int]: ...

    async def create_characters(
        self, script_id: int, items: list[dict[str, Any]], *, comment: str
    ) -> list[int]: ...

    async def create_actions(
        self, script_id: int, items: list[dict[str, Any]], *, comment: str
    ) -> list[int]: ...

    async def create_lines(
        self, script_id: int, items: list[dict[str, Any]], *, comment: str
    ) -> list[int]: ...

    async def reorder(
        self, script_id: int, order: list[tuple[str, int]], *, comment: str
    ) -> None: ...

    async def finish(self, script_id: int, *, comment: str) -> None: ...

    async def discard(self, script_id: int, *, comment: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Limits:
    batch_size: int
    batch_bytes: int


ProgressCallback = Callable[[int], Awaitable[None]]


def chunks(items: Sequence[Planned], limits: Limits) -> Iterator[list[Planned]]:
    """``items`` in order, at most ``batch_size`` and about ``batch_bytes`` of text each."""
    chunk: list[Planned] = []
    size = 0
    for planned in items:
        cost = len(str(planned.fields.get("text", "")).encode()) + 200
        if chunk and (len(chunk) >= limits.batch_size or size + cost > limits.batch_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append(planned)
        size += cost
    if chunk:
        yield chunk


class ImportRun:
    """One plan, carried out once. ``ids`` maps each planned ref to the id it got."""

    def __init__(
        self,
        plan: ImportPlan,
        platform: Platform,
        limits: Limits,
        *,
        comment: str,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.plan = plan
        self.platform = platform
        self.limits = limits
        self.comment = comment
        self.ids: dict[str, int] = {}
        self.speeches: dict[str, int] = {}  # speech key -> the id of its first line
        self.script_id: int | None = None
        self.script_type = "script"
        self.done = 0
        self.progress = progress

    async def create_script(self) -> int:
        self.script_type, self.script_id = await self.platform.create_script(
            title=self.plan.title,
            author=self.plan.author,
            title_page=self.plan.title_page,
            comment=self.comment,
        )
        return self.script_id

    async def create_elements(self) -> None:
        """Everything but the script, then the reading order, then the script is finished."""
        script_id = self.require_script()
        await self.send(self.plan.of("scripts", *SCRIPTS_KINDS), self.scripts_item)
        await self.send(self.plan.of("characters", "character"), self.character_item)
        # Actions and lines go side by side (each needs only sections and characters). Both
        # are awaited to the end before a failure is raised, so a rollback never races a batch.
        outcomes = await asyncio.gather(
            self.send(self.plan.of("characters", "action"), self.action_item),
            self.send(self.plan.of("characters", "spokenWord"), self.line_item),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        order = [(self.script_type, script_id)] + [
            (planned.element_type, self.ids[planned.ref]) for planned in self.plan.elements
        ]
        await self.platform.reorder(script_id, order, comment=self.comment)
        await self.platform.finish(script_id, comment=self.comment)

    async def discard(self) -> None:
        if self.script_id is not None:
            await self.platform.discard(self.script_id, comment=self.comment)

    def require_script(self) -> int:
        if self.script_id is None:
            raise RuntimeError("create_script first")
        return self.script_id

    async def send(self, items: list[Planned], build: Any) -> None:
        if not items:
            return
        script_id = self.require_script()
        create = {
            "character": self.platform.create_characters,
            "action": self.platform.create_actions,
            "spokenWord": self.platform.create_lines,
        }.get(items[0].element_type, self.platform.create_scripts_elements)
        for chunk in chunks(items, self.limits):
            bodies = [build(planned, chunk) for planned in chunk]
            created = await create(script_id, bodies, comment=self.comment)
            if len(created) != len(chunk):
                raise RuntimeError(f"asked for {len(chunk)} elements, {len(created)} created")
            for planned, element_id in zip(chunk, created, strict=True):
                self.ids[planned.ref] = element_id
                if planned.speech_key is not None:
                    self.speeches.setdefault(planned.speech_key, element_id)
            self.done += len(chunk)
            if self.progress is not None:
                await self.progress(self.done)

    # --- request bodies: refs within this chunk stay refs, earlier ones become ids ----------

    def reference(self, ref: str | None, chunk: list[Planned], name: str) -> dict[str, Any]:
        if ref is None:
            return {}
        if ref in self.ids:
            return {f"{name}Id": self.ids[ref]}
        if any(planned.ref == ref for planned in chunk):
            return {f"{name}Ref": ref}
        raise RuntimeError(f"{ref} is neither created nor in this batch")

    def scripts_item(self, planned: Planned, chunk: list[Planned]) -> dict[str, Any]:
        body: dict[str, Any] = {"elementType": planned.element_type, "ref": planned.ref}
        body.update(planned.fields)
        if planned.element_type == "section":
            body.update(self.reference(planned.parent_ref, chunk, "parent"))
        else:
            body.update(self.reference(planned.section_ref, chunk, "section"))
        return body

    def section_id(self, planned: Planned) -> dict[str, Any]:
        return {} if planned.section_ref is None else {"sectionId": self.ids[planned.section_ref]}

    def character_item(self, planned: Planned, chunk: list[Planned]) -> dict[str, Any]:
        return dict(planned.fields)

    def action_item(self, planned: Planned, chunk: list[Planned]) -> dict[str, Any]:
        return {**planned.fields, **self.section_id(planned)}

    def line_item(self, planned: Planned, chunk: list[Planned]) -> dict[str, Any]:
        body = {**planned.fields, **self.section_id(planned)}
        body["characterId"] = self.ids[planned.character_ref or ""]
        key = planned.speech_key
        if key is not None and key in self.speeches:
            body["speechId"] = self.speeches[key]
        elif key is not None:
            body["speechKey"] = key
        return body
