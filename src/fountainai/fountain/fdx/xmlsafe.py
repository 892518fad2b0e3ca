"""Untrusted XML bytes to an element tree, safely: no DTD, no entities, no external references,
bounded nesting; every failure is a ``ScreenplayError`` carrying the XML line when known.

Parsing goes through ``defusedxml`` (expat underneath), so a document type declaration (the door
to billion laughs, quadratic blowup and XXE) stops the parse before anything is expanded. Expat
reads the encoding from the BOM or the XML declaration (UTF-8 with or without BOM, UTF-16 with a
BOM or declared, Latin-1, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.parsers.expat import ErrorString

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from fountainai.fountain.errors import ScreenplayError

MAX_DEPTH = 100
"""Deepest element nesting accepted (real FDX files stay under 10 levels)."""


class ParsedXml:
    """The root element and the 1-based line each recorded element started on."""

    __slots__ = ("_lines", "root")

    def __init__(self, root: Element, lines: dict[int, int]) -> None:
        self.root = root
        self._lines = lines

    def line(self, element: Element) -> int:
        """The line ``element`` started on (0 when it was not recorded)."""
        return self._lines.get(id(element), 0)


class _LineRecordingTarget:
    """A ``TreeBuilder`` that notes the line of every ``record`` tag and refuses deep nesting."""

    def __init__(self, record: frozenset[str]) -> None:
        self._builder = TreeBuilder()
        self._record = record
        self._depth = 0
        self.lines: dict[int, int] = {}
        self.current_line: Callable[[], int] = lambda: 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ScreenplayError(
                f"XML nested deeper than {MAX_DEPTH} elements", line=self.current_line()
            )
        element = self._builder.start(tag, attrs)
        if tag in self._record:
            self.lines[id(element)] = self.current_line()
        return element

    def end(self, tag: str) -> Element:
        self._depth -= 1
        return self._builder.end(tag)

    def data(self, data: str) -> None:
        self._builder.data(data)

    def close(self) -> Element:
        return self._builder.close()


def parse_xml(data: bytes, *, record: frozenset[str] = frozenset()) -> ParsedXml:
    """The tree of ``data``, recording the start line of elements named in ``record``;
    ``ScreenplayError`` for empty, malformed, unsafe or too deeply nested XML."""
    if not data.strip():
        raise ScreenplayError("not a Final Draft document: the file is empty")
    target = _LineRecordingTarget(record)
    parser = DefusedXMLParser(
        target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    expat = parser.parser
    target.current_line = lambda: expat.CurrentLineNumber
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as error:
        line, column = error.position
        reason = ErrorString(error.code) or "syntax error"
        raise ScreenplayError(f"malformed XML: {reason} (column {column + 1})", line=line) from None
    except DTDForbidden:
        raise ScreenplayError(
            "unsafe XML: document type declarations (DTD) are not accepted",
            line=expat.CurrentLineNumber,
        ) from None
    except EntitiesForbidden:
        raise ScreenplayError(
            "unsafe XML: entity declarations are not accepted", line=expat.CurrentLineNumber
        ) from None
    except ExternalReferenceForbidden:
        raise ScreenplayError(
            "unsafe XML: external references are not accepted", line=expat.CurrentLineNumber
        ) from None
    except (LookupError, ValueError) as error:  # UnicodeError is a ValueError
        # The declaration names an encoding expat cannot read (``U-F-8``, ``shift_jis``...).
        raise ScreenplayError(f"unsupported XML encoding: {error}", line=1) from None
    if not isinstance(root, Element):  # pragma: no cover - TreeBuilder always returns one
        raise ScreenplayError("malformed XML: no root element")
    return ParsedXml(root, target.lines)
