"""``SequenceClient``: typed calls to Central Sequence, made with the caller's own credentials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from fountainai.core.app import API_PREFIX
from fountainai.core.clients.base import TypedClient
from fountainai.core.clients.sequence.models import (
    AllocateRequest,
    BatchAllocation,
    BatchRemoval,
    BatchRemoveRequest,
    BatchRequest,
    BlockMove,
    ElementRef,
    Removal,
    Reordering,
    ReorderRequest,
    SequenceEntry,
    SequenceNumber,
    Version,
    VersionRequest,
    VersionSummary,
)
from fountainai.core.elements import ElementType
from fountainai.core.schemas import MAX_PAGE_SIZE, Page

T = TypeVar("T")

SEQUENCE_PATH: Final = f"{API_PREFIX}/sequence"
VERSIONS_PATH: Final = f"{API_PREFIX}/versions"


def _body(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _element_path(base: str, element_type: ElementType, element_id: int) -> str:
    return f"{base}/{ElementType(element_type).value}/{int(element_id)}"


class SequenceClient(TypedClient):
    """Central Sequence over one pooled ``ServiceClient``; create in the lifespan, keep on state.

    Every call takes ``credentials``: the end caller's own auth header (see
    ``forwarded_credentials``), so the sequence service checks that caller's roles itself.
    Allocations are idempotent there, so they are retried on transport errors and 502/503/504;
    so are reads, removals (one or a batch) and complete reorders. Version creation and block
    moves are not idempotent and get one attempt. Failures raise what ``errors.translate`` maps
    them to.
    """

    service_name = "Central Sequence"

    # --- ordering -----------------------------------------------------------------------------

    async def allocate(
        self,
        element_type: ElementType,
        element_id: int,
        *,
        script_id: int | None,
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> SequenceNumber:
        """Give an element its number (appended, or inserted at ``position``); a repeat answers
        the number it already has. ``script_id`` may be None only for a script itself."""
        body = AllocateRequest(
            element_type=element_type,
            element_id=element_id,
            script_id=script_id,
            position=position,
            comment=comment,
        )
        return await self._call(
            "POST",
            SEQUENCE_PATH,
            model=SequenceNumber,
            credentials=credentials,
            json=_body(body),
            idempotent=True,
        )

    async def allocate_batch(
        self,
        script_id: int,
        elements: Sequence[ElementRef],
        *,
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> BatchAllocation:
        """Number many elements of one script in order, in one transaction (idempotent)."""
        body = BatchRequest(
            script_id=script_id, elements=list(elements), position=position, comment=comment
        )
        return await self._call(
            "POST",
            f"{SEQUENCE_PATH}/batch",
            model=BatchAllocation,
            credentials=credentials,
            json=_body(body),
            idempotent=True,
        )

    async def get_number(
        self, element_type: ElementType, element_id: int, *, credentials: Mapping[str, str]
    ) -> SequenceNumber:
        """An element's script and current number (``NotFound`` if it has none)."""
        return await self._call(
            "GET",
            _element_path(SEQUENCE_PATH, element_type, element_id),
            model=SequenceNumber,
            credentials=credentials,
        )

    async def remove(
        self,
        element_type: ElementType,
        element_id: int,
        *,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Removal:
        """Take an element out of its script's order; the numbers after it close the gap.

        Retried like any DELETE, so ``NotFound`` may also mean an earlier attempt removed it.
        """
        return await self._call(
            "DELETE",
            _element_path(SEQUENCE_PATH, element_type, element_id),
            model=Removal,
            credentials=credentials,
            params={"comment": comment} if comment else None,
        )

    async def remove_batch(
        self,
        script_id: int,
        refs: Sequence[ElementRef],
        *,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> BatchRemoval:
        """Take many elements of one script out of its order in one transaction; the rest close
        every gap. Those without a number are ``skipped``, so a retry after success removes
        nothing (idempotent, retried); one numbered in another script is a 422, nothing changed.
        """
        body = BatchRemoveRequest(script_id=script_id, elements=list(refs), comment=comment)
        return await self._call(
            "POST",
            f"{SEQUENCE_PATH}/batch/remove",
            model=BatchRemoval,
            credentials=credentials,
            json=_body(body),
            idempotent=True,
        )

    async def reorder(
        self,
        script_id: int,
        *,
        order: Sequence[ElementRef] | None = None,
        move: BlockMove | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Reordering:
        """Apply a complete new ``order`` (retried) or one block ``move`` (one attempt: a move
        applied twice moves twice). Give exactly one of them."""
        if (order is None) == (move is None):
            raise ValueError("give exactly one of order (complete new order) or move")
        body = ReorderRequest(
            script_id=script_id,
            order=None if order is None else list(order),
            move=move,
            comment=comment,
        )
        return await self._call(
            "PUT",
            f"{SEQUENCE_PATH}/reorder",
            model=Reordering,
            credentials=credentials,
            json=_body(body),
            idempotent=move is None,
        )

    async def reading_order(
        self, script_id: int, *, credentials: Mapping[str, str]
    ) -> list[SequenceEntry]:
        """A script's whole reading order, fetched page by page (empty if it has none).

        Pages are separate reads: a write between two of them may skew the result.
        """
        entries: list[SequenceEntry] = []
        while True:
            page = await self._call(
                "GET",
                SEQUENCE_PATH,
                model=Page[SequenceEntry],
                credentials=credentials,
                params={"scriptId": script_id, "limit": MAX_PAGE_SIZE, "offset": len(entries)},
            )
            entries.extend(page.items)
            if not page.items or len(entries) >= page.total_count:
                return entries

    # --- versions -----------------------------------------------------------------------------

    async def create_version(
        self,
        element_type: ElementType,
        element_id: int,
        data: Mapping[str, Any],
        *,
        script_id: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Version:
        """Keep ``data`` as the element's next version (never retried: a repeat adds another)."""
        body = VersionRequest(
            element_type=element_type,
            element_id=element_id,
            script_id=script_id,
            new_version_data=dict(data),
            comment=comment,
        )
        return await self._call(
            "POST",
            f"{SEQUENCE_PATH}/version",
            model=Version,
            credentials=credentials,
            json=_body(body),
            idempotent=False,
        )

    async def get_version(
        self,
        element_type: ElementType,
        element_id: int,
        number: int,
        *,
        credentials: Mapping[str, str],
    ) -> Version:
        """One version of an element, with its data (``NotFound`` if there is no such one)."""
        path = f"{_element_path(VERSIONS_PATH, element_type, element_id)}/{int(number)}"
        return await self._call("GET", path, model=Version, credentials=credentials)

    async def list_versions(
        self,
        element_type: ElementType,
        element_id: int,
        *,
        limit: int = 50,
        offset: int = 0,
        credentials: Mapping[str, str],
    ) -> Page[VersionSummary]:
        """One page of an element's versions, newest first, without their data."""
        return await self._call(
            "GET",
            _element_path(VERSIONS_PATH, element_type, element_id),
            model=Page[VersionSummary],
            credentials=credentials,
            params={"limit": limit, "offset": offset},
        )
