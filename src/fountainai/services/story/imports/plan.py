"""A parsed screenplay as the platform's elements: what to create in which service, in
reading order, with the references between them as names (refs) until they have ids.

Pure: no I/O. ``plan_import`` maps the flat Fountain/FDX model onto the platform's kinds:

- ``#`` sections and scene headings → sections (act for a top-level ``#``, sequence below it,
  scene for a heading; a scene sits in the innermost open ``#`` section); every other element
  belongs to the current scene, or else the innermost open section.
- a character cue and the dialogue after it → one speech: a line per ``Dialogue`` (with the
  parenthetical before it, the cue's extensions and dual flag), the character created once per
  name (any case) and numbered just before its first line.
- a lyric right after a cue (before any dialogue) → a line whose every text line starts with
  ``~`` (sung dialogue, so the cue is kept); a lyric later in a speech → a lyric element, the
  speech going on after it; a parenthetical with no dialogue after it → a line ``(text)``
  (all of them print back as written).
- ``forced`` (actions, transitions): as written, or wherever Fountain needs the mark;
- action → action; transition, note, lyric, centered text, page break, synopsis → the Scripts
  service's kinds of the same names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from fountainai.fountain import (
    Action,
    Centered,
    Character,
    Dialogue,
    Lyric,
    Note,
    PageBreak,
    Parenthetical,
    SceneHeading,
    Screenplay,
    ScreenplayElement,
    Section,
    Synopsis,
    Transition,
)
from fountainai.fountain.inline import plain_text
from fountainai.services.story.imports.forcing import needs_force
from fountainai.services.story.imports.headings import heading_parts

Service = Literal["scripts", "characters"]

MAX_TEXT = 10_000
MAX_TITLE = 300
MAX_AUTHOR = 200
MAX_SCENE_NUMBER = 20
MAX_PARENTHETICAL = 200
MAX_EXTENSION = 40
MAX_EXTENSIONS = 4
MAX_NAME = 200
MAX_TRANSITION = 200
MAX_TITLE_ENTRIES = 100
MAX_TITLE_KEY = 100
_MARKUP = {Note: "note", Lyric: "lyric", Centered: "centered", Synopsis: "synopsis"}


@dataclass(slots=True)
class Planned:
    """One element to create; ``fields`` are its API body fields (camelCase) without ids."""

    service: Service
    element_type: str
    ref: str
    line: int
    fields: dict[str, Any] = field(default_factory=dict)
    section_ref: str | None = None
    parent_ref: str | None = None
    character_ref: str | None = None
    speech_key: str | None = None


@dataclass(frozen=True, slots=True)
class PlanWarning:
    line: int
    message: str


@dataclass(slots=True)
class ImportPlan:
    title: str
    author: str
    title_page: list[dict[str, str]]
    elements: list[Planned] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)

    def of(self, service: Service, *element_types: str) -> list[Planned]:
        return [
            planned
            for planned in self.elements
            if planned.service == service and planned.element_type in element_types
        ]

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for planned in self.elements:
            counted[planned.element_type] = counted.get(planned.element_type, 0) + 1
        return counted


def _first_line(text: str) -> str:
    return next((line.strip() for line in plain_text(text).splitlines() if line.strip()), "")


def _entry(screenplay: Screenplay, *keys: str) -> str:
    wanted = {key.casefold() for key in keys}
    return next(
        (_first_line(e.value) for e in screenplay.title_page if e.key.casefold() in wanted), ""
    )


class _Planner:
    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.sections: list[tuple[int, str]] = []  # open "#" sections: (depth, ref)
        self.scene: str | None = None
        self.characters: dict[str, str] = {}  # casefolded name -> ref
        self.speech: tuple[str, Character, str] | None = None  # (character ref, cue, key)
        self.pending: Parenthetical | None = None
        self.spoken = 0  # lines of the current speech so far
        self.counter = 0

    def warn(self, line: int, message: str) -> None:
        self.plan.warnings.append(PlanWarning(line, message))

    def add(self, service: Service, element_type: str, line: int, **fields: Any) -> Planned:
        self.counter += 1
        planned = Planned(service, element_type, f"e{self.counter}", line, dict(fields))
        self.plan.elements.append(planned)
        return planned

    def place(self, planned: Planned) -> Planned:
        planned.section_ref = self.scene or (self.sections[-1][1] if self.sections else None)
        return planned

    def text(self, text: str, line: int, what: str) -> Iterator[str]:
        """``text`` in pieces the services accept (a longer one is split at line breaks)."""
        if len(text) <= MAX_TEXT:
            yield text
            return
        self.warn(line, f"{what} longer than {MAX_TEXT} characters split into several")
        piece = ""
        for text_line in text.split("\n"):
            rest = text_line
            while len(rest) > MAX_TEXT:
                if piece:
                    yield piece
                    piece = ""
                yield rest[:MAX_TEXT]
                rest = rest[MAX_TEXT:]
            if piece and len(piece) + 1 + len(rest) > MAX_TEXT:
                yield piece
                piece = ""
            piece = f"{piece}\n{rest}" if piece else rest
        if piece:
            yield piece

    # --- structure ------------------------------------------------------------------------

    def section(self, element: Section) -> None:
        self.end_speech()
        while self.sections and self.sections[-1][0] >= element.depth:
            self.sections.pop()
        parent = self.sections[-1][1] if self.sections else None
        if element.depth > len(self.sections) + 1 and (parent or element.depth > 2):
            self.warn(element.line, f"section at depth {element.depth} skips a level")
        kind = "act" if element.depth == 1 else "sequence"
        planned = self.add("scripts", "section", element.line, kind=kind)
        planned.fields["title"] = self.limited(element.text, MAX_TITLE, element.line, "title")
        planned.parent_ref = parent
        self.sections.append((element.depth, planned.ref))
        self.scene = None

    def heading(self, element: SceneHeading) -> None:
        self.end_speech()
        parts = heading_parts(element.text)
        heading: dict[str, Any] = {
            "prefix": None if parts.prefix is None else parts.prefix.value,
            "location": parts.location,
            "timeOfDay": parts.time_of_day,
        }
        number = element.scene_number
        if number is not None and len(number) > MAX_SCENE_NUMBER:
            self.warn(element.line, f"scene number longer than {MAX_SCENE_NUMBER} dropped")
            number = None
        heading["sceneNumber"] = number
        title = self.limited(element.text, MAX_TITLE, element.line, "scene heading")
        planned = self.add("scripts", "section", element.line, kind="scene", title=title)
        planned.fields["heading"] = heading
        planned.parent_ref = self.sections[-1][1] if self.sections else None
        self.scene = planned.ref

    def limited(self, text: str, limit: int, line: int, what: str) -> str:
        if len(text) > limit:
            self.warn(line, f"{what} longer than {limit} characters cut")
        return text[:limit]

    # --- dialogue -------------------------------------------------------------------------

    def cue(self, element: Character) -> None:
        self.end_speech()
        name = self.limited(element.name.strip(), MAX_NAME, element.line, "character name")
        key = name.casefold()
        ref = self.characters.get(key)
        if ref is None:
            ref = self.add("characters", "character", element.line, name=name).ref
            self.characters[key] = ref
        self.counter += 1
        self.speech = (ref, element, f"s{self.counter}")
        self.spoken = 0

    def speech_line(self, line: int, text: str, parenthetical: str = "") -> None:
        if self.speech is None:
            self.warn(line, "dialogue without a character cue kept as action")
            self.action(Action(text, line=line))
            return
        character_ref, cue, key = self.speech
        extensions = self.extensions(cue)
        for piece in self.text(text, line, "dialogue"):
            planned = self.place(self.add("characters", "spokenWord", line, text=piece))
            planned.fields.update(parenthetical=parenthetical, extensions=extensions, dual=cue.dual)
            planned.character_ref, planned.speech_key = character_ref, key
            parenthetical = ""
            self.spoken += 1

    def extensions(self, cue: Character) -> list[str]:
        kept = [
            extension
            for extension in cue.extensions
            if 0 < len(extension) <= MAX_EXTENSION and not set(extension) & set("()\r\n")
        ]
        if len(kept) != len(cue.extensions) or len(kept) > MAX_EXTENSIONS:
            self.warn(cue.line, "character extensions the platform cannot keep were dropped")
        return kept[:MAX_EXTENSIONS]

    def parenthetical(self, element: Parenthetical) -> None:
        self.flush_parenthetical()
        text = element.text
        if len(text) > MAX_PARENTHETICAL or set(text) & set("()\r\n"):
            self.speech_line(element.line, f"({text})")
        else:
            self.pending = element

    def flush_parenthetical(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.speech_line(pending.line, f"({pending.text})")

    def dialogue(self, element: Dialogue) -> None:
        pending, self.pending = self.pending, None
        self.speech_line(element.line, element.text, "" if pending is None else pending.text)

    def end_speech(self) -> None:
        self.flush_parenthetical()
        self.speech = None

    # --- the rest -------------------------------------------------------------------------

    def action(self, element: Action) -> None:
        for piece in self.text(element.text, element.line, "action"):
            forced = element.forced or needs_force(Action(piece))
            self.place(self.add("characters", "action", element.line, text=piece, forced=forced))

    def scripts_kind(self, element_type: str, text: str, line: int, **fields: Any) -> None:
        if not text.strip() and element_type != "pageBreak":
            self.warn(line, f"empty {element_type} skipped")
            return
        for piece in self.text(text, line, element_type) if text else iter([""]):
            self.place(self.add("scripts", element_type, line, text=piece, **fields))

    def transition(self, element: Transition) -> None:
        text = self.limited(element.text, MAX_TRANSITION, element.line, "transition")
        forced = element.forced or needs_force(Transition(text))
        self.scripts_kind("transition", text, element.line, forced=forced)

    def element(self, element: ScreenplayElement) -> None:
        in_speech = self.speech is not None
        if isinstance(element, Dialogue):
            self.dialogue(element)
        elif isinstance(element, Parenthetical):
            self.parenthetical(element)
        elif isinstance(element, Lyric) and in_speech and not self.spoken:
            pending, self.pending = self.pending, None
            sung = "\n".join(f"~{line}" for line in element.text.split("\n"))
            self.speech_line(element.line, sung, "" if pending is None else pending.text)
        elif isinstance(element, Lyric) and in_speech:
            self.flush_parenthetical()
            self.scripts_kind("lyric", element.text, element.line)
        elif isinstance(element, Character):
            self.cue(element)
        elif isinstance(element, Section):
            self.section(element)
        elif isinstance(element, SceneHeading):
            self.heading(element)
        else:
            self.end_speech()
            self.other(element)

    def other(self, element: ScreenplayElement) -> None:
        if isinstance(element, Action):
            self.action(element)
        elif isinstance(element, Transition):
            self.transition(element)
        elif isinstance(element, PageBreak):
            self.scripts_kind("pageBreak", "", element.line)
        else:
            kind = _MARKUP[type(element)]
            self.scripts_kind(kind, getattr(element, "text", ""), element.line)


def plan_import(screenplay: Screenplay, *, fallback_title: str = "") -> ImportPlan:
    """Everything to create for ``screenplay``, in reading order, with warnings for what the
    platform had to change (text split or cut, extensions dropped, ...)."""
    title = _entry(screenplay, "title") or fallback_title.strip() or "Untitled"
    plan = ImportPlan(
        title=title[:MAX_TITLE],
        author=_entry(screenplay, "author", "authors")[:MAX_AUTHOR],
        title_page=[
            {"key": e.key[:MAX_TITLE_KEY], "value": e.value[:MAX_TEXT]}
            for e in screenplay.title_page[:MAX_TITLE_ENTRIES]
            if e.key.strip()
        ],
    )
    planner = _Planner(plan)
    if len(screenplay.title_page) > MAX_TITLE_ENTRIES or any(
        len(e.key) > MAX_TITLE_KEY or len(e.value) > MAX_TEXT for e in screenplay.title_page
    ):
        planner.warn(0, "title page entries beyond the platform's limits were cut")
    for element in screenplay.elements:
        planner.element(element)
    planner.end_speech()
    if screenplay.hidden:
        plan.warnings.append(
            PlanWarning(0, f"{screenplay.hidden} boneyard passage(s) (/* */) not imported")
        )
    return plan
