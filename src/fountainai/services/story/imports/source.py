"""An uploaded screenplay, read: which format it is in, and its elements."""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePosixPath

import orjson

from fountainai.core import UnprocessableEntity
from fountainai.fountain import Screenplay, ScreenplayError
from fountainai.fountain.fdx import read_fdx
from fountainai.fountain.jsonformat import FORMAT, from_data
from fountainai.fountain.parser import parse, parse_bytes


class SourceFormat(StrEnum):
    FOUNTAIN = "fountain"
    FDX = "fdx"
    JSON = "json"


_BY_SUFFIX = {
    ".fountain": SourceFormat.FOUNTAIN,
    ".spmd": SourceFormat.FOUNTAIN,
    ".txt": SourceFormat.FOUNTAIN,
    ".fdx": SourceFormat.FDX,
    ".xml": SourceFormat.FDX,
    ".json": SourceFormat.JSON,
}
_BY_MEDIA_TYPE = {
    "application/json": SourceFormat.JSON,
    "application/xml": SourceFormat.FDX,
    "text/xml": SourceFormat.FDX,
    "application/vnd.finaldraft+xml": SourceFormat.FDX,
}


def detect_format(
    declared: SourceFormat | None, *, filename: str, content_type: str, data: bytes
) -> SourceFormat:
    """The ``format`` asked for; else the file name's suffix; else the media type; else the
    content's first bytes (``<`` FDX, ``{`` JSON); else Fountain."""
    if declared is not None:
        return declared
    by_suffix = _BY_SUFFIX.get(PurePosixPath(filename).suffix.lower())
    if by_suffix is not None:
        return by_suffix
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in _BY_MEDIA_TYPE:
        return _BY_MEDIA_TYPE[media_type]
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        return SourceFormat.FDX
    if start.startswith(b"{"):
        return SourceFormat.JSON
    return SourceFormat.FOUNTAIN


def _refused(error: ScreenplayError, source_format: SourceFormat) -> UnprocessableEntity:
    extra: dict[str, object] = {"format": source_format.value}
    if error.line is not None:
        extra["line"] = error.line
    return UnprocessableEntity(f"not a readable {source_format.value} file: {error}", extra=extra)


def _from_json(data: bytes) -> Screenplay:
    """Our screenplay JSON (``format: fountainai.screenplay``), or ``{"text": "<Fountain>"}``."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise ScreenplayError(f"invalid JSON: {error}") from None
    if isinstance(document, dict) and "text" in document and "format" not in document:
        if set(document) - {"text"} or not isinstance(document["text"], str):
            raise ScreenplayError('a text import is {"text": "<Fountain text>"} and nothing else')
        return parse(document["text"])
    if isinstance(document, dict) and document.get("format") != FORMAT:
        raise ScreenplayError(f'JSON must have "format": "{FORMAT}" or be {{"text": ...}}')
    return from_data(document)


def _storable(screenplay: Screenplay) -> Screenplay:
    """A NUL in any text is refused here (the services would refuse it mid-import): only
    ``decode`` checks raw bytes, not a JSON string or an XML character reference."""
    for entry in screenplay.title_page:
        if "\x00" in entry.key or "\x00" in entry.value:
            raise ScreenplayError("a NUL character in the title page", line=entry.line or None)
    for element in screenplay.elements:
        texts = (getattr(element, "text", ""), getattr(element, "name", ""))
        if any("\x00" in text for text in texts) or any(
            "\x00" in extension for extension in getattr(element, "extensions", ())
        ):
            raise ScreenplayError("a NUL character in the text", line=element.line or None)
    return screenplay


def read_screenplay(data: bytes, source_format: SourceFormat) -> Screenplay:
    """The screenplay in ``data``; 422 naming the format (and the line, when known) if it is
    not one. Runs parsers only: no I/O, safe to call in a worker thread."""
    try:
        if source_format is SourceFormat.FDX:
            return _storable(read_fdx(data))
        if source_format is SourceFormat.JSON:
            return _storable(_from_json(data))
        return _storable(parse_bytes(data))
    except ScreenplayError as error:
        raise _refused(error, source_format) from None
    except RecursionError:
        raise _refused(ScreenplayError("nested too deeply"), source_format) from None
