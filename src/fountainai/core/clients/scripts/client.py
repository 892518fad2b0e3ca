"""``ScriptsClient``: typed calls to the Scripts service, made with the caller's own credentials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from fountainai.core.app import API_PREFIX
from fountainai.core.clients.base import TypedClient
from fountainai.core.clients.scripts.models import (
    FinishImportRequest,
    Markup,
    MarkupKind,
    SceneHeading,
    Script,
    ScriptCreateRequest,
    ScriptsBatchItem,
    ScriptsBatchRequest,
    ScriptsBatchResult,
    ScriptSort,
    Section,
    SectionCreateRequest,
    SectionIds,
    SectionKind,
    TitlePageEntry,
    Transition,
)
from fountainai.core.schemas import MAX_PAGE_SIZE, Page

T = TypeVar("T")

SCRIPTS_PATH: Final = f"{API_PREFIX}/scripts"
SECTIONS_PATH: Final = f"{API_PREFIX}/sections"


def _body(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _params(**values: str | int | None) -> dict[str, str | int]:
    return {name: value for name, value in values.items() if value is not None}


class ScriptsClient(TypedClient):
    """The Scripts service over one pooled ``ServiceClient``; create in the lifespan, keep on state.

    Every call takes ``credentials``: the end caller's own auth header (see
    ``forwarded_credentials``), so the scripts service checks that caller's roles itself. Reads
    are retried on transport errors and 502/503/504; creations are not idempotent and get one
    attempt. Failures raise what ``errors.translate`` maps them to.
    """

    service_name = "Scripts"

    # --- scripts ------------------------------------------------------------------------------

    async def get_script(self, script_id: int, *, credentials: Mapping[str, str]) -> Script:
        """One script (``NotFound`` if there is no such one)."""
        return await self._call(
            "GET", f"{SCRIPTS_PATH}/{int(script_id)}", model=Script, credentials=credentials
        )

    async def list_scripts(
        self,
        *,
        author: str | None = None,
        title: str | None = None,
        section_title: str | None = None,
        importing: bool | None = None,
        sort: ScriptSort | None = None,
        limit: int = 50,
        offset: int = 0,
        credentials: Mapping[str, str],
    ) -> Page[Script]:
        """One page of scripts: ``author`` exact (any case); ``title`` and ``section_title``
        contained (any case); only unfinished imports or only the others if ``importing`` is
        given; newest first unless ``sort`` says otherwise."""
        params = _params(
            author=author,
            title=title,
            sectionTitle=section_title,
            importing=None if importing is None else str(importing).lower(),
            sort=None if sort is None else ScriptSort(sort).value,
            limit=limit,
            offset=offset,
        )
        return await self._call(
            "GET", SCRIPTS_PATH, model=Page[Script], credentials=credentials, params=params
        )

    async def create_script(
        self,
        title: str,
        *,
        author: str = "",
        description: str = "",
        title_page: Sequence[TitlePageEntry] = (),
        importing: bool = False,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Script:
        """Create a script (writers only; never retried: a repeat makes another). With
        ``importing`` it is an unfinished import until ``finish_import``: any writer may delete
        it meanwhile without a second factor."""
        body = ScriptCreateRequest(
            title=title,
            author=author,
            description=description,
            title_page=list(title_page),
            importing=importing,
            comment=comment,
        )
        return await self._call(
            "POST",
            SCRIPTS_PATH,
            model=Script,
            credentials=credentials,
            json=_body(body),
            idempotent=False,
        )

    async def finish_import(
        self, script_id: int, *, comment: str = "", credentials: Mapping[str, str]
    ) -> Script:
        """Mark an unfinished import finished (``importing`` false; from then on deleting it
        needs a second factor). Retried: a repeat changes nothing but may keep one more
        version of the script."""
        return await self._call(
            "PATCH",
            f"{SCRIPTS_PATH}/{int(script_id)}",
            model=Script,
            credentials=credentials,
            json=_body(FinishImportRequest(comment=comment)),
            idempotent=True,
        )

    async def delete_script(
        self,
        script_id: int,
        *,
        cascade: bool = False,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> None:
        """Delete a script (with ``cascade``, its sections, transitions and markup too).

        A finished script needs credentials with a recent second factor (else
        ``Unauthorized``); an unfinished import does not. ``Conflict`` while it still has
        elements (without ``cascade``) or other services' elements are in its order. Retried
        like any DELETE, so ``NotFound`` may also mean an earlier attempt deleted it.
        """
        params = _params(cascade="true" if cascade else None, comment=comment or None)
        await self._send(
            "DELETE", f"{SCRIPTS_PATH}/{int(script_id)}", credentials=credentials, params=params
        )

    async def create_elements(
        self,
        script_id: int,
        elements: Sequence[ScriptsBatchItem],
        *,
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> ScriptsBatchResult:
        """Create sections, transitions and markup in reading order in one transaction, numbered
        with one call (appended, or the block inserted at ``position``). Later items may name
        sections made earlier in the batch by their ``ref``. Writers only, never retried."""
        body = ScriptsBatchRequest(elements=list(elements), position=position, comment=comment)
        return await self._call(
            "POST",
            f"{SCRIPTS_PATH}/{int(script_id)}/elements/batch",
            model=ScriptsBatchResult,
            credentials=credentials,
            json=_body(body),
            idempotent=False,
        )

    # --- sections -----------------------------------------------------------------------------

    async def get_section(self, section_id: int, *, credentials: Mapping[str, str]) -> Section:
        """One section (``NotFound`` if there is no such one)."""
        return await self._call(
            "GET", f"{SECTIONS_PATH}/{int(section_id)}", model=Section, credentials=credentials
        )

    async def section_ids_of(self, script_id: int, *, credentials: Mapping[str, str]) -> list[int]:
        """The ids of a script's sections, oldest first, in one cheap read (no reading order):
        for checking that sections belong to it. ``NotFound`` if there is no such script."""
        found = await self._call(
            "GET",
            f"{SCRIPTS_PATH}/{int(script_id)}/section-ids",
            model=SectionIds,
            credentials=credentials,
        )
        return found.section_ids

    async def sections_of(
        self,
        script_id: int,
        *,
        kind: SectionKind | None = None,
        parent_id: int | None = None,
        page_size: int = MAX_PAGE_SIZE,
        credentials: Mapping[str, str],
    ) -> list[Section]:
        """Every section of a script in reading order (optionally of one ``kind`` or under one
        ``parent_id``), fetched ``page_size`` at a time; ``NotFound`` if there is no such script.

        Pages are separate reads: a write between two of them may skew the result.
        """
        filters = _params(
            kind=None if kind is None else SectionKind(kind).value, parentId=parent_id
        )
        return await self._every(
            f"{SCRIPTS_PATH}/{int(script_id)}/sections",
            Page[Section],
            filters=filters,
            page_size=page_size,
            credentials=credentials,
        )

    async def create_section(
        self,
        script_id: int,
        kind: SectionKind,
        *,
        title: str = "",
        parent_id: int | None = None,
        heading: SceneHeading | None = None,
        position: int | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Section:
        """Add a section (appended, or inserted at ``position`` in the reading order); writers
        only, never retried. ``heading`` is for scenes."""
        body = SectionCreateRequest(
            kind=kind,
            title=title,
            parent_id=parent_id,
            heading=heading,
            position=position,
            comment=comment,
        )
        return await self._call(
            "POST",
            f"{SCRIPTS_PATH}/{int(script_id)}/sections",
            model=Section,
            credentials=credentials,
            json=_body(body),
            idempotent=False,
        )

    # --- transitions and markup ---------------------------------------------------------------

    async def transitions_of(
        self,
        script_id: int,
        *,
        section_id: int | None = None,
        page_size: int = MAX_PAGE_SIZE,
        credentials: Mapping[str, str],
    ) -> list[Transition]:
        """Every transition of a script in reading order (optionally of one section), all
        pages; ``NotFound`` if there is no such script."""
        return await self._every(
            f"{SCRIPTS_PATH}/{int(script_id)}/transitions",
            Page[Transition],
            filters=_params(sectionId=section_id),
            page_size=page_size,
            credentials=credentials,
        )

    async def markup_of(
        self,
        script_id: int,
        *,
        kind: MarkupKind | None = None,
        section_id: int | None = None,
        page_size: int = MAX_PAGE_SIZE,
        credentials: Mapping[str, str],
    ) -> list[Markup]:
        """Every note, lyric, centered text, page break and synopsis of a script in reading
        order (optionally of one ``kind`` or section), all pages; ``NotFound`` if there is no
        such script."""
        filters = _params(
            kind=None if kind is None else MarkupKind(kind).value, sectionId=section_id
        )
        return await self._every(
            f"{SCRIPTS_PATH}/{int(script_id)}/markup",
            Page[Markup],
            filters=filters,
            page_size=page_size,
            credentials=credentials,
        )
