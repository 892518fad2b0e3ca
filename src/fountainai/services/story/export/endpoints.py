"""HTTP surface of exports: a stored story as a Fountain, FDX or JSON file."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from fountainai.core import NotFound, UnprocessableEntity, problem_responses
from fountainai.core.auth import AUTH_RESPONSES
from fountainai.core.clients import ForwardedCredentials
from fountainai.core.elements import IdParam
from fountainai.core.errors import UpstreamUnavailable
from fountainai.fountain import Screenplay, ScreenplayError
from fountainai.fountain.fdx import write_fdx
from fountainai.fountain.jsonformat import to_data
from fountainai.fountain.writer import write
from fountainai.services.story.assembly.fetch import fetch_story
from fountainai.services.story.clients import StoryClientsDep
from fountainai.services.story.dependencies import READER
from fountainai.services.story.export.cleaning import writable
from fountainai.services.story.export.screenplay import story_screenplay

router = APIRouter(tags=["stories"], responses=AUTH_RESPONSES)


class ExportFormat(StrEnum):
    FOUNTAIN = "fountain"
    FDX = "fdx"
    JSON = "json"


_MEDIA = {
    ExportFormat.FOUNTAIN: "text/plain; charset=utf-8",
    ExportFormat.FDX: "application/xml",
    ExportFormat.JSON: "application/json",
}


def render(screenplay: Screenplay, export_format: ExportFormat) -> bytes:
    if export_format is ExportFormat.FDX:
        return write_fdx(screenplay)
    if export_format is ExportFormat.JSON:
        return orjson.dumps(to_data(screenplay))
    return write(writable(screenplay)).encode()


def file_name(title: str, export_format: ExportFormat) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-.")[:80] or "script"
    return f"{stem}.{export_format.value}"


@router.get(
    "/stories/{scriptId}/export",
    dependencies=[READER],
    operation_id="exportStory",
    summary="The script as a file (Fountain, FDX or JSON) that imports back to the same story.",
    responses={
        200: {
            "description": "The file, as an attachment.",
            "content": {media.split(";")[0]: {} for media in _MEDIA.values()},
        },
        **problem_responses(NotFound, UnprocessableEntity, UpstreamUnavailable),
    },
    response_class=Response,
)
async def export_story(
    script_id: Annotated[IdParam, Path(alias="scriptId")],
    clients: StoryClientsDep,
    credentials: ForwardedCredentials,
    format: Annotated[ExportFormat, Query()] = ExportFormat.FOUNTAIN,
) -> Response:
    data = await fetch_story(clients, script_id, credentials=credentials, contexts=False)
    screenplay = story_screenplay(data)
    try:
        body = await run_in_threadpool(render, screenplay, format)
    except ScreenplayError as error:
        raise UnprocessableEntity(
            f"the story cannot be written as {format.value}: {error}"
        ) from None
    disposition = f'attachment; filename="{file_name(data.script.title, format)}"'
    return Response(body, media_type=_MEDIA[format], headers={"Content-Disposition": disposition})
