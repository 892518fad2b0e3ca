"""Hypothesis strategies for screenplays: writable ones (for the writer's round trip), any model
value (for the JSON form and the writer's refusals), JSON-like garbage (for validation
fuzzing); and helpers to compare screenplays up to the forcing the writer adds."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

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
    TitleEntry,
    Transition,
)

_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
_LINE_NUMBERS = st.integers(0, 10_000)


def any_elements() -> st.SearchStrategy[ScreenplayElement]:
    """Any element the model allows, texts unchecked (they need not be writable)."""
    line = {"line": _LINE_NUMBERS}
    return st.one_of(
        st.builds(SceneHeading, _ANY_TEXT, st.none() | _ANY_TEXT, st.booleans(), **line),
        st.builds(Action, _ANY_TEXT, st.booleans(), **line),
        st.builds(Centered, _ANY_TEXT, **line),
        st.builds(
            Character,
            _ANY_TEXT,
            st.lists(_ANY_TEXT, max_size=3).map(tuple),
            st.booleans(),
            st.booleans(),
            **line,
        ),
        st.builds(Parenthetical, _ANY_TEXT, **line),
        st.builds(Dialogue, _ANY_TEXT, **line),
        st.builds(Lyric, _ANY_TEXT, **line),
        st.builds(Transition, _ANY_TEXT, st.booleans(), **line),
        st.builds(PageBreak, **line),
        st.builds(Section, _ANY_TEXT, st.integers(1, 64), **line),
        st.builds(Synopsis, _ANY_TEXT, **line),
        st.builds(Note, _ANY_TEXT, **line),
    )


def any_screenplays() -> st.SearchStrategy[Screenplay]:
    """Any screenplay the model allows (JSON must carry them all, writable or not)."""
    entries = st.builds(TitleEntry, _ANY_TEXT, _ANY_TEXT, line=_LINE_NUMBERS)
    return st.builds(
        Screenplay,
        st.lists(entries, max_size=4).map(tuple),
        st.lists(any_elements(), max_size=12).map(tuple),
        st.integers(0, 5),
    )


def json_values() -> st.SearchStrategy[object]:
    """Values ``json.loads`` can return, nested a little, biased to this format's names."""
    names = st.sampled_from(
        [
            *("format", "version", "titlePage", "elements", "type", "text", "key", "value"),
            *("line", "sceneNumber", "extensions", "dual", "forced", "depth", "hidden"),
            *("action", "note", "fountainai.screenplay"),
        ]
    )
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | names | _ANY_TEXT
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(names | _ANY_TEXT, children, max_size=5)
        ),
        max_leaves=8,
    )


# Writable screenplays: texts mix plain, Unicode, emphasis, uppercase and words that look like
# other elements' markers, so the writer's forcing is exercised on every element kind. What
# Fountain cannot carry (see ``writer``) is left out by construction.
_WORDS = st.sampled_from(
    [
        *("the", "door", "opens", "Bob", "slowly", "and", "then", "stops", "Hello", "there"),
        *("BOB", "STEEL", "INT.", "EXT", "I/E", "EST.", "CUT", "TO:", "FADE", "IN:", "THE", "END"),
        *("café", "Ünïcødé", "日本語", "Привет", "🎬", "naïve", "straße", "ÉLAN", "ŁÓDŹ"),
        *("*it*", "**bold**", "***both***", "_under_", "\\*lit\\*", "[[aside]]", "\\_x\\_"),
        *("!", "@", "~", ".", "..", "...", ">", "<", "#", "##", "=", "===", "(beat)", "(", ")"),
        *("^", ":", "#1#", "Title:", "Key: value", "//url", "-", "—", "'", '"', "&", "2", "23"),
    ]
)
_LINE = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join)
_LINE_OR_EMPTY = _LINE | st.just("")
_INDENT = st.sampled_from(["", "", "  ", "    "])
_CUE_NAMES = st.sampled_from(
    ["BOB", "McCLANE", "李", "R2D2", "23", "DR. WHO", "INT. BOB", "ÉLAN", "HANS ^ X", "@BOB"]
)
_EXTENSIONS = st.sampled_from(["V.O.", "O.S.", "CONT'D", "on the radio", "", "a ^"])
_HEADING_PREFIXES = st.sampled_from(["INT. ", "EXT. ", "int ", "I/E ", "EST. ", "INT./EXT. "])


def _text(
    first: st.SearchStrategy[str], other: st.SearchStrategy[str], size: int
) -> st.SearchStrategy[str]:
    return st.builds(
        lambda head, tail: "\n".join([head, *tail]), first, st.lists(other, max_size=size)
    )


def _not_lyric(line: str) -> bool:
    return not line.lstrip().startswith("~")


def _in_dialogue(line: str) -> bool:
    """A dialogue line that reads as dialogue, not as a parenthetical or lyric."""
    return _not_lyric(line) and not (line.startswith("(") and line.endswith(")"))


def _note_line(line: str) -> bool:
    return "]]" not in line and not line.endswith("]")


_ACTION = _text(
    _LINE_OR_EMPTY | st.builds(str.__add__, _INDENT, _LINE),
    st.just("") | st.builds(str.__add__, _INDENT, _LINE.filter(_not_lyric)),
    3,
)
_DIALOGUE = _text(_LINE_OR_EMPTY.filter(_in_dialogue), _LINE_OR_EMPTY.filter(_in_dialogue), 3)
_LYRIC = _text(_LINE_OR_EMPTY, _LINE_OR_EMPTY, 2)
_NOTE = st.builds(
    lambda lines, last: "\n".join([*lines, last]),
    st.lists(_LINE_OR_EMPTY.filter(_note_line), max_size=2).filter(lambda ls: not ls or ls[0]),
    _LINE.filter(_note_line),
) | st.just("")
_HEADING_TEXT = st.one_of(
    st.builds(str.__add__, _HEADING_PREFIXES, _LINE),
    st.builds(lambda word, rest: f"{word} {rest}", st.sampled_from(["KITCHEN", "ÉTÉ", "2"]), _LINE),
).filter(lambda text: not text.endswith("#"))
_SCENE_NUMBERS = st.none() | st.sampled_from(["1", "1A", "I-1-A", "1.", "110A", "x y"])


def _single_elements() -> st.SearchStrategy[ScreenplayElement]:
    transitions = st.sampled_from(["CUT TO:", "FADE OUT.", "SMASH CUT TO:"]) | _LINE
    return st.one_of(
        st.builds(SceneHeading, _HEADING_TEXT, _SCENE_NUMBERS, st.booleans()),
        st.builds(Action, _ACTION, st.booleans()),
        st.builds(Centered, _LINE_OR_EMPTY),
        st.builds(Transition, transitions.filter(lambda t: not t.endswith("<")), st.booleans()),
        st.builds(PageBreak),
        st.builds(
            Section, _LINE_OR_EMPTY.filter(lambda t: not t.startswith("#")), st.integers(1, 6)
        ),
        st.builds(Synopsis, _LINE_OR_EMPTY),
        st.builds(Note, _NOTE),
        st.builds(Lyric, _LYRIC),
    )


def _cue_name(name: str) -> bool:
    """A name that reads back whole: no parentheses (extensions), no final ``^`` (dual)."""
    return "(" not in name and ")" not in name and not name.endswith("^")


@st.composite
def _dialogue_block(draw: st.DrawFn) -> list[ScreenplayElement]:
    """A cue and up to five dialogues, parentheticals and lyrics, never two dialogues or two
    lyrics in a row (those read back as one)."""
    name = draw(_CUE_NAMES | _LINE.filter(_cue_name))
    cue = Character(
        name,
        tuple(draw(st.lists(_EXTENSIONS, max_size=2))),
        draw(st.booleans()),
        draw(st.booleans()),
    )
    block: list[ScreenplayElement] = [cue]
    for kind in draw(st.lists(st.sampled_from([Dialogue, Parenthetical, Lyric]), max_size=5)):
        if kind is type(block[-1]) and kind is not Parenthetical:
            continue
        if kind is Dialogue:
            block.append(Dialogue(draw(_DIALOGUE)))
        elif kind is Lyric:
            block.append(Lyric(draw(_LYRIC)))
        else:
            block.append(Parenthetical(draw(_LINE_OR_EMPTY)))
    return block


_TITLE_KEYS = st.sampled_from(["Title", "Credit", "Author", "Draft date", "Contact", "Custom Key"])
_TITLE_VALUES = st.one_of(
    _LINE_OR_EMPTY, st.lists(_LINE, min_size=2, max_size=3).map("\n".join), st.just("//x.org")
)


@st.composite
def writable_screenplays(draw: st.DrawFn) -> Screenplay:
    """Screenplays Fountain can carry: ``write`` must succeed and read back the same."""
    entries = draw(st.lists(st.builds(TitleEntry, _TITLE_KEYS, _TITLE_VALUES), max_size=4))
    if entries and not entries[0].value:
        entries[0] = TitleEntry(entries[0].key, "Opening value")
    elements: list[ScreenplayElement] = []
    for unit in draw(
        st.lists(st.one_of(_single_elements().map(lambda e: [e]), _dialogue_block()), max_size=8)
    ):
        elements.extend(unit)
    return Screenplay(tuple(entries), tuple(elements))


def unforced(elements: tuple[ScreenplayElement, ...]) -> list[ScreenplayElement]:
    """Elements with every ``forced`` flag off, to compare what was written with what reads
    back: the writer turns ``forced`` on where the natural form would read differently."""
    return [
        replace(element, forced=False)
        if isinstance(element, SceneHeading | Action | Character | Transition)
        else element
        for element in elements
    ]


def forcing_kept(
    written: tuple[ScreenplayElement, ...], read: tuple[ScreenplayElement, ...]
) -> bool:
    """Whether every element forced in ``written`` is forced in ``read`` too."""
    return all(
        getattr(after, "forced", False) or not getattr(before, "forced", False)
        for before, after in zip(written, read, strict=True)
    )
