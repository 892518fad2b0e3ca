"""A screenplay as plain JSON data, and back with strict validation.

``to_data`` gives a dict ready for ``json.dumps``::

    {"format": "fountainai.screenplay", "version": 1, "hidden": 2,
     "titlePage": [{"key": "Title", "value": "Brick & Steel", "line": 1}],
     "elements": [{"type": "sceneHeading", "text": "INT. HOUSE - DAY", "sceneNumber": "1A",
                   "forced": false, "line": 3}, ...]}

Every element carries its ``type`` and all of its fields (camelCase; ``sceneNumber`` may be
``null``); ``line`` appears only when it is known (nonzero), ``hidden`` only when nonzero.
``from_data`` accepts exactly that shape (optional fields may be left out and take their
defaults) and raises ``ScreenplayError`` naming the offending place as a JSON pointer
(``/elements/3/text``) for anything else: wrong format or version, wrong types (``true`` is not
a number, ``1`` is not a boolean), unknown types or fields, lone surrogates, absurd sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fountainai.fountain.elements import (
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
from fountainai.fountain.errors import ScreenplayError

FORMAT = "fountainai.screenplay"
VERSION = 1

MAX_ELEMENTS = 200_000
MAX_TITLE_ENTRIES = 1_000
MAX_TEXT_LENGTH = 1_000_000
MAX_EXTENSIONS = 32
MAX_SECTION_DEPTH = 64
MAX_LINE = 100_000_000


@dataclass(frozen=True, slots=True)
class _Field:
    """One JSON field of an element kind: its name, the dataclass attribute, how to check it,
    and whether it may be left out."""

    name: str
    attribute: str
    check: Callable[[object, str], object]
    required: bool = False


def _fail(pointer: str, problem: str) -> ScreenplayError:
    return ScreenplayError(f"{pointer or '/'}: {problem}")


def _string(value: object, pointer: str) -> str:
    if not isinstance(value, str):
        raise _fail(pointer, f"expected a string, got {_kind(value)}")
    if len(value) > MAX_TEXT_LENGTH:
        raise _fail(pointer, f"string longer than {MAX_TEXT_LENGTH} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(pointer, "string holds a lone surrogate (not valid Unicode)") from None
    return value


def _optional_string(value: object, pointer: str) -> str | None:
    return None if value is None else _string(value, pointer)


def _boolean(value: object, pointer: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(pointer, f"expected a boolean, got {_kind(value)}")
    return value


def _integer(value: object, pointer: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(pointer, f"expected an integer, got {_kind(value)}")
    if not low <= value <= high:
        raise _fail(pointer, f"expected an integer from {low} to {high}, got {value}")
    return value


def _depth(value: object, pointer: str) -> int:
    return _integer(value, pointer, low=1, high=MAX_SECTION_DEPTH)


def _extensions(value: object, pointer: str) -> tuple[str, ...]:
    items = _array(value, pointer, limit=MAX_EXTENSIONS)
    return tuple(_string(item, f"{pointer}/{index}") for index, item in enumerate(items))


def _array(value: object, pointer: str, *, limit: int) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(pointer, f"expected an array, got {_kind(value)}")
    if len(value) > limit:
        raise _fail(pointer, f"more than {limit} items")
    return value


def _object(value: object, pointer: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _fail(pointer, f"expected an object, got {_kind(value)}")
    return value


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    names |= {list: "an array", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


_TEXT = _Field("text", "text", _string, required=True)
_FORCED = _Field("forced", "forced", _boolean)

_KINDS: dict[str, tuple[type[ScreenplayElement], tuple[_Field, ...]]] = {
    "sceneHeading": (
        SceneHeading,
        (_TEXT, _Field("sceneNumber", "scene_number", _optional_string), _FORCED),
    ),
    "action": (Action, (_TEXT, _FORCED)),
    "centered": (Centered, (_TEXT,)),
    "character": (
        Character,
        (
            _Field("name", "name", _string, required=True),
            _Field("extensions", "extensions", _extensions),
            _Field("dual", "dual", _boolean),
            _FORCED,
        ),
    ),
    "parenthetical": (Parenthetical, (_TEXT,)),
    "dialogue": (Dialogue, (_TEXT,)),
    "lyric": (Lyric, (_TEXT,)),
    "transition": (Transition, (_TEXT, _FORCED)),
    "pageBreak": (PageBreak, ()),
    "section": (Section, (_TEXT, _Field("depth", "depth", _depth))),
    "synopsis": (Synopsis, (_TEXT,)),
    "note": (Note, (_TEXT,)),
}
_TYPE_NAMES = {cls: name for name, (cls, _) in _KINDS.items()}


def to_data(screenplay: Screenplay) -> dict[str, object]:
    """The screenplay as JSON-ready data (dicts, lists, strings, numbers, booleans, null)."""
    data: dict[str, object] = {"format": FORMAT, "version": VERSION}
    if screenplay.hidden:
        data["hidden"] = screenplay.hidden
    data["titlePage"] = [_entry_data(entry) for entry in screenplay.title_page]
    data["elements"] = [_element_data(element) for element in screenplay.elements]
    return data


def _entry_data(entry: TitleEntry) -> dict[str, object]:
    data: dict[str, object] = {"key": entry.key, "value": entry.value}
    if entry.line:
        data["line"] = entry.line
    return data


def _element_data(element: ScreenplayElement) -> dict[str, object]:
    name = _TYPE_NAMES[type(element)]
    data: dict[str, object] = {"type": name}
    for spec in _KINDS[name][1]:
        value = getattr(element, spec.attribute)
        data[spec.name] = list(value) if isinstance(value, tuple) else value
    if element.line:
        data["line"] = element.line
    return data


def from_data(obj: object) -> Screenplay:
    """The screenplay ``obj`` (parsed JSON) describes; ``ScreenplayError`` when it is not
    exactly the shape ``to_data`` produces."""
    data = _object(obj, "")
    _only(data, {"format", "version", "hidden", "titlePage", "elements"}, "")
    if data.get("format") != FORMAT:
        raise _fail("/format", f"expected {FORMAT!r}, got {data.get('format')!r:.80}")
    if _integer(data.get("version"), "/version", low=0, high=2**31) != VERSION:
        raise _fail("/version", f"unsupported version {data['version']}, expected {VERSION}")
    hidden = _integer(data.get("hidden", 0), "/hidden", low=0, high=MAX_LINE)
    entries = _array(data.get("titlePage", []), "/titlePage", limit=MAX_TITLE_ENTRIES)
    items = _array(data.get("elements", []), "/elements", limit=MAX_ELEMENTS)
    return Screenplay(
        title_page=tuple(
            _entry(entry, f"/titlePage/{index}") for index, entry in enumerate(entries)
        ),
        elements=tuple(_element(item, f"/elements/{index}") for index, item in enumerate(items)),
        hidden=hidden,
    )


def _entry(obj: object, pointer: str) -> TitleEntry:
    data = _object(obj, pointer)
    _only(data, {"key", "value", "line"}, pointer)
    return TitleEntry(
        key=_string(_required(data, "key", pointer), f"{pointer}/key"),
        value=_string(_required(data, "value", pointer), f"{pointer}/value"),
        line=_line(data, pointer),
    )


def _element(obj: object, pointer: str) -> ScreenplayElement:
    data = _object(obj, pointer)
    name = _string(_required(data, "type", pointer), f"{pointer}/type")
    if name not in _KINDS:
        raise _fail(f"{pointer}/type", f"unknown element type {name!r:.80}")
    cls, fields = _KINDS[name]
    _only(data, {"type", "line", *(spec.name for spec in fields)}, pointer)
    values: dict[str, Any] = {}
    for spec in fields:
        if spec.name in data:
            values[spec.attribute] = spec.check(data[spec.name], f"{pointer}/{spec.name}")
        elif spec.required:
            raise _fail(f"{pointer}/{spec.name}", "missing")
    return cls(**values, line=_line(data, pointer))


def _line(data: Mapping[str, Any], pointer: str) -> int:
    return _integer(data.get("line", 0), f"{pointer}/line", low=0, high=MAX_LINE)


def _required(data: Mapping[str, Any], name: str, pointer: str) -> object:
    if name not in data:
        raise _fail(f"{pointer}/{name}", "missing")
    return data[name]


def _only(data: Mapping[str, Any], allowed: set[str], pointer: str) -> None:
    for name in data:
        if name not in allowed:
            raise _fail(f"{pointer}/{_escape(str(name))[:80]}", "unknown field")


def _escape(name: str) -> str:
    """A JSON-pointer reference token (RFC 6901): ``~`` → ``~0``, ``/`` → ``~1``."""
    return name.replace("~", "~0").replace("/", "~1")
