"""The rules of lines: spoken by a character of the script; the lines of one speech (dialogue
block) share its ``speechId`` (the id of the line that started it) and its speaker."""

from __future__ import annotations

from sqlalchemy import select

from fountainai.core import ApiModel
from fountainai.core.elements import ElementType
from fountainai.core.story import ElementWriter
from fountainai.services.characters.lines.schemas import LineRead, LineState
from fountainai.services.characters.listing import Filters
from fountainai.services.characters.models import SpokenWord
from fountainai.services.characters.placement import ElementService, ScriptRefs


class LineService(ElementService[SpokenWord, LineState, LineRead]):
    noun = "line"
    model = SpokenWord
    state_type = LineState
    read_type = LineRead
    element_types = (ElementType.SPOKEN_WORD,)

    def __init__(self, writer: ElementWriter, refs: ScriptRefs, *, actor: str) -> None:
        super().__init__(writer, refs, actor=actor)
        # Speaker by speech, of the lines prepared in this request but maybe not inserted yet (a
        # batch inserts them all at the end), so later lines of the batch are checked here.
        self._prepared_speakers: dict[int, int] = {}

    async def add(self, script_id: int, body: ApiModel) -> SpokenWord:
        line = await super().add(script_id, body)
        if line.speech_id is None:  # it starts a speech
            line.speech_id = line.id
            await self.writer.session.flush()
        return line

    async def prepare(
        self, script_id: int, body: ApiModel, *, element_id: int | None = None
    ) -> SpokenWord:
        """With its id given, a line starting a speech gets its speech id at once."""
        line = await super().prepare(script_id, body, element_id=element_id)
        if line.speech_id is None and element_id is not None:
            line.speech_id = element_id
        if line.speech_id is not None:
            self._prepared_speakers.setdefault(line.speech_id, line.character_id)
        return line

    async def check(self, state: LineState, *, script_id: int, current: SpokenWord | None) -> None:
        await super().check(state, script_id=script_id, current=current)
        if state.speech_id is None:
            return
        unchanged = current is not None and (state.speech_id, state.character_id) == (
            current.speech_id,
            current.character_id,
        )
        if unchanged:
            return
        prepared = self._prepared_speakers.get(state.speech_id) if current is None else None
        speakers = (
            {prepared}
            if prepared is not None
            else await self._speakers(script_id, state.speech_id, besides=current)
        )
        # The speech the line starts, or the one it is in (even as its last line left).
        own = {self.restoring} if current is None else {current.id, current.speech_id}
        if not speakers and state.speech_id not in own:
            raise self.refusal(
                f"speechId {state.speech_id} is not a speech of script {script_id}",
                field="speechId",
            )
        others = speakers - {state.character_id}
        if others:
            raise self.refusal(
                f"speech {state.speech_id} is spoken by character {min(others)}, "
                f"not {state.character_id}",
                field="speechId",
            )

    async def matching(self, filters: Filters) -> list[LineRead]:
        """The lines ``filters`` select, in reading order."""
        script_id = await filters.resolve_script(self)
        rows = await self.repo.in_script(
            script_id, section_id=filters.section_id, where=filters.where(SpokenWord)
        )
        return await self.in_reading_order(script_id, rows)

    async def _speakers(
        self, script_id: int, speech_id: int, *, besides: SpokenWord | None
    ) -> set[int]:
        """Who speaks the speech's other lines."""
        query = select(SpokenWord.character_id).where(
            SpokenWord.script_id == script_id, SpokenWord.speech_id == speech_id
        )
        if besides is not None:
            query = query.where(SpokenWord.id != besides.id)
        return set((await self.writer.session.execute(query)).scalars().all())
