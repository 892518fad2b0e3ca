"""``StoryClient``: typed calls to the Story Factory (imports, assembled stories, exports)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from fountainai.core.app import API_PREFIX
from fountainai.core.clients.base import TypedClient
from fountainai.core.clients.story.models import FullStory, ImportReport, StoryFormat

STORIES_PATH: Final = f"{API_PREFIX}/stories"
_MEDIA_TYPES: Final = {
    StoryFormat.FOUNTAIN: "text/plain; charset=utf-8",
    StoryFormat.FDX: "application/xml",
    StoryFormat.JSON: "application/json",
}


def _params(**values: str | int | None) -> dict[str, str | int]:
    return {name: value for name, value in values.items() if value not in (None, "")}


class StoryClient(TypedClient):
    """The Story Factory over one pooled ``ServiceClient``.

    Every call takes ``credentials``: the caller's own auth header, so the Story Factory (and
    every service it calls on the caller's behalf) checks that caller's roles. Reads are retried
    on transport errors and 502/503/504; an import is never retried (a repeat would import
    again). Failures raise what ``errors.translate`` maps them to.
    """

    service_name = "Story Factory"

    async def import_story(
        self,
        data: bytes,
        *,
        filename: str = "",
        format: StoryFormat | str | None = None,
        import_id: str | None = None,
        comment: str = "",
        credentials: Mapping[str, str],
    ) -> ImportReport:
        """Import ``data`` (the file itself) as a new script, all or nothing (writers only).

        The format is ``format``, else what the service reads from ``filename``'s suffix and the
        content. Choose ``import_id`` (32 lowercase hex digits) to follow the import with
        ``get_import`` while it runs."""
        chosen = None if format is None else StoryFormat(format)
        params = _params(
            format=None if chosen is None else chosen.value,
            filename=filename,
            importId=import_id,
            comment=comment,
        )
        content_type = "application/octet-stream" if chosen is None else _MEDIA_TYPES[chosen]
        return await self._call(
            "POST",
            f"{STORIES_PATH}/import",
            model=ImportReport,
            params=params,
            credentials=credentials,
            content=data,
            content_type=content_type,
            idempotent=False,
        )

    async def get_import(self, import_id: str, *, credentials: Mapping[str, str]) -> ImportReport:
        """An import's report, also while it runs (``NotFound`` until it has started)."""
        return await self._call(
            "GET",
            f"{STORIES_PATH}/imports/{import_id}",
            model=ImportReport,
            credentials=credentials,
        )

    async def export(
        self,
        script_id: int,
        *,
        format: StoryFormat | str = StoryFormat.FOUNTAIN,
        credentials: Mapping[str, str],
    ) -> bytes:
        """The script as a file, byte for byte as the service wrote it."""
        response = await self._mapped(
            self.http.request(
                "GET",
                f"{STORIES_PATH}/{int(script_id)}/export",
                params={"format": StoryFormat(format).value},
                headers=credentials,
            )
        )
        return response.body

    async def full_story(
        self,
        script_id: int,
        *,
        limit: int = 100,
        offset: int = 0,
        filter_by_character: int | None = None,
        filter_by_context: str | None = None,
        credentials: Mapping[str, str],
    ) -> FullStory:
        """One page of the script in reading order, sections nesting their elements;
        ``filter_by_context`` is ``key`` or ``key=value``."""
        params = _params(
            scriptId=int(script_id),
            limit=limit,
            offset=offset,
            filterByCharacter=filter_by_character,
            filterByContext=filter_by_context,
        )
        return await self._call(
            "GET", STORIES_PATH, model=FullStory, params=params, credentials=credentials
        )
