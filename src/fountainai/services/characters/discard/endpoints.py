"""HTTP surface of a discard (a failed screenplay import's clean-up)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from fountainai.core import Conflict, NotFound, UpstreamUnavailable, problem_responses
from fountainai.core.auth import AUTH_RESPONSES
from fountainai.core.clients import ScriptsDep
from fountainai.core.elements import Comment, IdParam
from fountainai.services.characters.dependencies import WRITER, ElementWriterDep, SettingsDep
from fountainai.services.characters.discard.schemas import DiscardCounts
from fountainai.services.characters.discard.service import DiscardService

router = APIRouter(tags=["discard"], responses=AUTH_RESPONSES)


@router.delete(
    "/characters/scripts/{scriptId}/elements",
    dependencies=[WRITER],
    operation_id="discardScriptElements",
    summary="Delete every character, action, line and paraphrase of an unfinished import at once.",
    description=(
        "For a screenplay import that failed midway: allowed only while the script is an "
        "unfinished import (`importing: true` at the Scripts service, asked with the caller's "
        "credentials), otherwise 409 — delete elements one by one. One transaction here, one "
        "atomic removal from Central Sequence's order, an outbox deletion per element for "
        "search. No versions are kept (an unfinished import is not work anyone can restore), "
        "so nothing deleted here can be restored. 404 if the Scripts service has no such "
        "script; 409 above `FOUNTAIN_CHARACTERS_MAX_DISCARD_SIZE` characters, actions and "
        "lines; 503 if the Scripts service or Central Sequence is down (nothing changed). "
        "Afterwards the script itself can be deleted without a second factor."
    ),
    responses=problem_responses(NotFound, Conflict, UpstreamUnavailable),
)
async def discard_script_elements(
    script_id: Annotated[IdParam, Path(alias="scriptId")],
    writer: ElementWriterDep,
    scripts: ScriptsDep,
    settings: SettingsDep,
    comment: Annotated[Comment, Query()] = "",
) -> DiscardCounts:
    service = DiscardService(writer, scripts, max_elements=settings.max_discard_size)
    return await service.discard(script_id, comment=comment)
