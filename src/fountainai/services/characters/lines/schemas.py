"""Wire shapes of lines (spoken words; camelCase JSON)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StrictBool

from fountainai.core import ApiInput
from fountainai.core.elements import Comment, EntityId
from fountainai.core.story import ElementRead, PatchInput, PlacedState, Position

LineText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=10_000,
        description="What is said (line breaks kept).",
        examples=["We're not going back."],
    ),
]
Parenthetical = Annotated[
    str,
    Field(
        max_length=200,
        pattern=r"^[^\r\n\x0b\x0c\x85\u2028\u2029()]*$",
        description="Direction before the line, without its parentheses: 'beat', 'quietly'.",
        examples=["quietly"],
    ),
]
Extension = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        pattern=r"^[^\r\n\x0b\x0c\x85\u2028\u2029()]+$",
        examples=["V.O."],
    ),
]
Extensions = Annotated[
    list[Extension],
    Field(
        max_length=4,
        description="The cue's extensions in order, without parentheses: V.O., O.S., CONT'D.",
    ),
]
SectionRef = Annotated[
    EntityId | None, Field(description="The section it belongs to, in the same script.")
]
SpeechRef = Annotated[
    EntityId | None,
    Field(
        description="Continue this speech (dialogue block) of the same character; "
        "default: the line starts a new one (its speechId is its own id)."
    ),
]
Dual = Annotated[
    StrictBool,
    Field(description="The speech is the second of a dual-dialogue pair (Fountain's '^')."),
]


class LineFields(ApiInput):
    character_id: EntityId = Field(description="The speaker, a character of the same script.")
    text: LineText
    section_id: SectionRef = None
    speech_id: SpeechRef = None
    parenthetical: Parenthetical = ""
    extensions: Extensions = Field(default_factory=list)
    dual: Dual = False


class LineCreate(LineFields):
    script_id: EntityId
    position: Position | None = None
    comment: Comment = ""


class LineUpdate(PatchInput):
    not_nullable: ClassVar[tuple[str, ...]] = (
        "character_id",
        "text",
        "speech_id",
        "parenthetical",
        "extensions",
        "dual",
    )

    character_id: EntityId | None = None
    text: LineText | None = None
    section_id: SectionRef = None
    speech_id: SpeechRef = None
    parenthetical: Parenthetical | None = None
    extensions: Extensions | None = None
    dual: Dual | None = None
    comment: Comment = ""


class LineState(PlacedState):
    """What a version of a line keeps, and what restoring one puts back."""

    character_id: int
    speech_id: int | None  # None only before a new line has its id
    text: str
    parenthetical: str
    extensions: list[str]
    dual: bool


class LineRead(LineState, ElementRead):
    """A line as the API shows it."""

    speech_id: int
