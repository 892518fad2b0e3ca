"""``ScriptsClient``: typed calls to the Scripts service, made with the caller's own credentials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from fountainai.core.app import API_PREFIX
from fountainai.core.clients.base import TypedClient
from fountainai.core.clients.scripts.models import (
    SceneHeading,
    Script,
    ScriptCreateRequest,
    ScriptSort,
    Section,
    SectionCreateRequest,
    SectionKind,
    TitlePageEntry,
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
        sort: ScriptSort | None = None,
        limit: int = 50,
        offset: int = 0,
        credentials: Mapping[str, str],
    ) -> Page[Script]:
        """One page of scripts: ``author`` exact (any case); ``title`` and ``section_title``
        contained (any case); newest first unless ``sort`` says otherwise."""
        params = _params(
            author=author,
            title=title,
            sectionTitle=section_title,
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
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> Script:
        """Create a script (writers only; never retried: a repeat makes another)."""
        body = ScriptCreateRequest(
            title=title,
            author=author,
            description=description,
            title_page=list(title_page),
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

    # --- sections -----------------------------------------------------------------------------

    async def get_section(self, section_id: int, *, credentials: Mapping[str, str]) -> Section:
        """One section (``NotFound`` if there is no such one)."""
        return await self._call(
            "GET", f"{SECTIONS_PATH}/{int(section_id)}", model=Section, credentials=credentials
        )

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
        path = f"{SCRIPTS_PATH}/{int(script_id)}/sections"
        filters = _params(
            kind=None if kind is None else SectionKind(kind).value, parentId=parent_id
        )
        sections: list[Section] = []
        while True:
            page = await self._call(
                "GET",
                path,
                model=Page[Section],
                credentials=credentials,
                params={**filters, "limit": page_size, "offset": len(sections)},
            )
            sections.extend(page.items)
            if not page.items or len(sections) >= page.total_count:
                return sections

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
