"""The ordering rules: dense 1..n per script, idempotent allocation, atomic reorders."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from fountainai.core import Conflict, NotFound, UnprocessableEntity
from fountainai.core.elements import ElementType
from fountainai.services.sequence.audit.repository import AuditRepository
from fountainai.services.sequence.audit.schemas import AuditAction
from fountainai.services.sequence.ordering.append import append_in_one_statement
from fountainai.services.sequence.ordering.repository import OrderingRepository, Placed
from fountainai.services.sequence.ordering.schemas import (
    BatchEntry,
    BatchRemoveRequest,
    BatchRemoveResponse,
    BatchRequest,
    BlockMove,
    DeleteResponse,
    ElementRef,
    RemovedElement,
    ReorderedElement,
    ReorderRequest,
    ReorderResponse,
    SequenceRequest,
    SequenceResponse,
    SkippedElement,
)

_COLLISION_ATTEMPTS = 3


class OrderingService:
    def __init__(
        self, session: AsyncSession, *, max_batch_size: int, actor: str | None = None
    ) -> None:
        self.session = session
        self.repo = OrderingRepository(session)
        self.audit = AuditRepository(session, actor=actor)
        self.actor = actor
        self.max_batch_size = max_batch_size

    async def allocate(self, request: SequenceRequest) -> tuple[SequenceResponse, bool]:
        """Returns the element's number and whether it was new. A retry returns the same number."""
        try:
            if request.position is None and self.repo.dialect == "postgresql":
                return await self._append_fast(request)
            return await self._allocate_once(request)
        except IntegrityError:
            # A concurrent request sequenced the same element first: answer with its number.
            await self.session.rollback()
            existing = await self.repo.find(request.element_type, request.element_id)
            if existing is None:
                raise Conflict("a concurrent change collided with this one; retry") from None
            return self._response(_same_script(existing, request.scope), request.comment), False

    async def allocate_batch(self, request: BatchRequest) -> list[BatchEntry]:
        """Each collision means another request sequenced one of these elements meanwhile; the
        next attempt finds it numbered and answers its number (idempotent)."""
        for _ in range(_COLLISION_ATTEMPTS - 1):
            try:
                return await self._allocate_batch_once(request)
            except IntegrityError:
                await self.session.rollback()
        try:
            return await self._allocate_batch_once(request)
        except IntegrityError:
            await self.session.rollback()
            raise Conflict("concurrent changes kept colliding with this batch; retry") from None

    async def _append_fast(self, request: SequenceRequest) -> tuple[SequenceResponse, bool]:
        engine = self.session.bind
        assert isinstance(engine, AsyncEngine)
        appended = await append_in_one_statement(
            engine,
            script_id=request.scope,
            element_type=request.element_type,
            element_id=request.element_id,
            comment=request.comment,
            actor=self.actor,
        )
        placed = Placed(
            0,
            appended.script_id,
            request.element_type,
            request.element_id,
            appended.sequence_number,
        )
        return self._response(_same_script(placed, request.scope), request.comment), (
            appended.created
        )

    async def _allocate_once(self, request: SequenceRequest) -> tuple[SequenceResponse, bool]:
        script_id = request.scope
        existing = await self.repo.find(request.element_type, request.element_id)
        if existing is not None:
            return self._response(_same_script(existing, script_id), request.comment), False
        length = await self.repo.lock_and_grow(script_id, 1)
        number = length
        if request.position is not None and request.position < length:
            number = request.position
            await self.repo.shift(script_id, at_or_after=number, by=1)
        elif request.position is not None and request.position > length:
            raise UnprocessableEntity(
                f"position {request.position} is past the end; this script has {length - 1} "
                "elements, so the largest position is one more than that"
            )
        await self.repo.insert(script_id, [(request.element_type, request.element_id, number)])
        await self.audit.record(
            AuditAction.ALLOCATE,
            comment=request.comment,
            script_id=script_id,
            element_type=request.element_type,
            element_id=request.element_id,
            details={"sequenceNumber": number},
        )
        placed = Placed(0, script_id, request.element_type, request.element_id, number)
        return self._response(placed, request.comment), True

    async def _allocate_batch_once(self, request: BatchRequest) -> list[BatchEntry]:
        refs = [(ref.element_type.value, ref.element_id) for ref in request.elements]
        self._check_batch_size(len(refs))
        _refuse_duplicates(refs)
        existing = await self.repo.find_many(refs)
        for placed in existing.values():
            _same_script(placed, request.script_id)
        new = [ref for ref in refs if ref not in existing]
        numbers: dict[tuple[str, int], int] = {}
        if new:
            length = await self.repo.lock_and_grow(request.script_id, len(new))
            first = length - len(new) + 1
            if request.position is not None and request.position < first:
                first = request.position
                await self.repo.shift(request.script_id, at_or_after=first, by=len(new))
            elif request.position is not None and request.position > first:
                raise UnprocessableEntity(
                    f"position {request.position} is past the end (at most {first})"
                )
            numbers = {ref: first + offset for offset, ref in enumerate(new)}
            await self.repo.insert(request.script_id, [(*ref, numbers[ref]) for ref in new])
            await self.audit.record(
                AuditAction.ALLOCATE_BATCH,
                comment=request.comment,
                script_id=request.script_id,
                details={"count": len(new), "first": first, "last": first + len(new) - 1},
            )
        # Existing numbers are read after any shift, so every number answered is current.
        if existing and numbers:
            existing = await self.repo.find_many(list(existing))
        return [
            BatchEntry(
                element_type=ElementType(ref[0]),
                element_id=ref[1],
                sequence_number=numbers[ref] if ref in numbers else existing[ref].sequence_number,
                created=ref in numbers,
            )
            for ref in refs
        ]

    async def reorder(self, request: ReorderRequest) -> ReorderResponse:
        script_id = request.script_id
        await self.repo.lock_and_grow(script_id, 0)
        current = await self.repo.list_script(script_id)
        if not current:
            raise NotFound(f"script {script_id} has no sequenced elements")
        if request.order is not None:
            new_order = self._validate_permutation(current, request.order)
        else:
            assert request.move is not None
            new_order = _apply_block_move(current, request.move)
        moves = [
            (placed, position)
            for position, placed in enumerate(new_order, start=1)
            if placed.sequence_number != position
        ]
        await self.repo.renumber(script_id, [(placed.row_id, number) for placed, number in moves])
        await self.audit.record(
            AuditAction.REORDER,
            comment=request.comment,
            script_id=script_id,
            details={"moved": len(moves), "form": "order" if request.order else "move"},
        )
        return ReorderResponse(
            script_id=script_id,
            updated_elements=[
                ReorderedElement(
                    element_type=ElementType(placed.element_type),
                    element_id=placed.element_id,
                    old_sequence=placed.sequence_number,
                    new_sequence=number,
                )
                for placed, number in moves
            ],
            comment=request.comment,
        )

    async def remove(
        self, element_type: ElementType, element_id: int, *, comment: str
    ) -> DeleteResponse:
        placed = await self.repo.find(element_type, element_id)
        if placed is None:
            raise NotFound(f"{element_type.value} {element_id} has no sequence number")
        await self.repo.lock_and_grow(placed.script_id, -1)
        # Re-read under the lock: a concurrent reorder may have moved it.
        placed = await self.repo.find(element_type, element_id)
        if placed is None:
            raise NotFound(f"{element_type.value} {element_id} has no sequence number")
        await self.repo.remove(placed.row_id)
        await self.repo.shift(placed.script_id, at_or_after=placed.sequence_number + 1, by=-1)
        await self.audit.record(
            AuditAction.REMOVE,
            comment=comment,
            script_id=placed.script_id,
            element_type=element_type,
            element_id=element_id,
            details={"sequenceNumber": placed.sequence_number},
        )
        return DeleteResponse(
            script_id=placed.script_id,
            element_type=element_type,
            element_id=element_id,
            removed_sequence=placed.sequence_number,
            comment=comment,
        )

    async def remove_batch(self, request: BatchRemoveRequest) -> BatchRemoveResponse:
        """Take the named elements out of one script's order in one transaction; the rest close
        up, keeping their relative order. Elements without a number are skipped, so a retry
        after success removes nothing; one numbered in another script changes nothing (422)."""
        refs = [(ref.element_type.value, ref.element_id) for ref in request.elements]
        self._check_batch_size(len(refs))
        _refuse_duplicates(refs)
        script_id = request.script_id
        found = await self._placed_in(script_id, refs)
        if found:
            await self.repo.lock_and_grow(script_id, 0)
            # Re-read under the lock: a concurrent change may have moved or removed some.
            found = await self._placed_in(script_id, refs)
        if found:
            await self.repo.remove_many([placed.row_id for placed in found.values()])
            await self.repo.lock_and_grow(script_id, -len(found))
            first = min(placed.sequence_number for placed in found.values())
            await self.repo.close_gaps(script_id, from_number=first)
            for ref in refs:
                if ref in found:
                    await self.audit.record(
                        AuditAction.REMOVE,
                        comment=request.comment,
                        script_id=script_id,
                        element_type=ref[0],
                        element_id=ref[1],
                        details={"sequenceNumber": found[ref].sequence_number},
                    )
        return BatchRemoveResponse(
            script_id=script_id,
            removed=[
                RemovedElement(
                    element_type=ElementType(ref[0]),
                    element_id=ref[1],
                    removed_sequence=found[ref].sequence_number,
                )
                for ref in refs
                if ref in found
            ],
            skipped=[
                SkippedElement(element_type=ElementType(ref[0]), element_id=ref[1])
                for ref in refs
                if ref not in found
            ],
            comment=request.comment,
        )

    async def _placed_in(
        self, script_id: int, refs: list[tuple[str, int]]
    ) -> dict[tuple[str, int], Placed]:
        """The numbered ones of ``refs``; 422 if any is numbered in another script."""
        found = await self.repo.find_many(refs)
        elsewhere = [placed for placed in found.values() if placed.script_id != script_id]
        if elsewhere:
            raise UnprocessableEntity(
                f"{len(elsewhere)} of these elements belong to another script, not {script_id}",
                extra={
                    "elsewhere": [
                        {**_ref_json((p.element_type, p.element_id)), "scriptId": p.script_id}
                        for p in elsewhere[:50]
                    ]
                },
            )
        return found

    def _check_batch_size(self, size: int) -> None:
        if size > self.max_batch_size:
            raise UnprocessableEntity(f"at most {self.max_batch_size} elements per request")

    def _validate_permutation(self, current: list[Placed], order: list[ElementRef]) -> list[Placed]:
        self._check_batch_size(len(order))
        by_ref = {(placed.element_type, placed.element_id): placed for placed in current}
        wanted = [(ref.element_type.value, ref.element_id) for ref in order]
        duplicates = sorted({ref for ref, seen in Counter(wanted).items() if seen > 1})
        unknown = [ref for ref in wanted if ref not in by_ref]
        missing = sorted(set(by_ref) - set(wanted))
        if duplicates or unknown or missing:
            raise UnprocessableEntity(
                "the new order must name every element of the script exactly once",
                extra={
                    "duplicates": [_ref_json(ref) for ref in duplicates[:50]],
                    "unknown": [_ref_json(ref) for ref in unknown[:50]],
                    "missing": [_ref_json(ref) for ref in missing[:50]],
                },
            )
        return [by_ref[ref] for ref in wanted]

    @staticmethod
    def _response(placed: Placed, comment: str) -> SequenceResponse:
        return SequenceResponse(
            sequence_number=placed.sequence_number,
            element_type=ElementType(placed.element_type),
            element_id=placed.element_id,
            script_id=placed.script_id,
            comment=comment,
        )


def _same_script(placed: Placed, script_id: int) -> Placed:
    if placed.script_id != script_id:
        raise Conflict(
            f"{placed.element_type} {placed.element_id} already belongs to script "
            f"{placed.script_id}; an element lives in exactly one script"
        )
    return placed


def _refuse_duplicates(refs: list[tuple[str, int]]) -> None:
    duplicates = [ref for ref, seen in Counter(refs).items() if seen > 1]
    if duplicates:
        raise UnprocessableEntity(f"elements named twice in one batch: {duplicates[:10]}")


def _apply_block_move(current: list[Placed], move: BlockMove) -> list[Placed]:
    size = len(current)
    last = move.from_sequence + move.count - 1
    if last > size or move.to_sequence + move.count - 1 > size:
        raise UnprocessableEntity(
            f"the block {move.from_sequence}..{last} moved to {move.to_sequence} does not fit "
            f"in a script of {size} elements"
        )
    block = current[move.from_sequence - 1 : last]
    rest = current[: move.from_sequence - 1] + current[last:]
    return rest[: move.to_sequence - 1] + block + rest[move.to_sequence - 1 :]


def _ref_json(ref: tuple[str, int]) -> dict[str, object]:
    return {"elementType": ref[0], "elementId": ref[1]}
