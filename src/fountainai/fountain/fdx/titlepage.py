"""The title page: Fountain ``Key: value`` entries to and from ``<TitlePage><Content>``.

Final Draft's title page is free text placed by alignment, with no keys. The writer puts one
paragraph per entry reading ``Key: value`` (Title, Credit, Author(s) and Source centered, the
rest at the left margin); a value of several lines keeps its line breaks inside the paragraph.
The reader maps that back exactly whenever every non-empty paragraph reads ``Key: value``.
Otherwise the page came from Final Draft itself and keys are guessed from the layout:

- centered lines before a credit line (``Written by``, ``Screenplay by``, ``by`` ...) form
  the ``Title``; the credit line is the ``Credit``; the centered line after it the ``Author``;
  later centered lines the ``Source``;
- left or right aligned lines: ``Copyright ...``/``© ...`` is the ``Copyright``, a line naming a
  draft or holding a date (or aligned right) the ``Draft date``, consecutive other lines one
  ``Contact``;
- a paragraph that reads ``Key: value`` with a key Fountain recommends keeps that key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree.ElementTree import Element, SubElement

from fountainai.fountain.elements import TitleEntry
from fountainai.fountain.fdx.runs import (
    append_runs,
    drop_chars,
    paragraph_runs,
    plain_run,
    runs_markup,
    strip_runs,
    text_runs,
)
from fountainai.fountain.fdx.xmlsafe import ParsedXml
from fountainai.fountain.inline import Run

CENTERED_KEYS = frozenset({"title", "credit", "author", "authors", "source"})
_KNOWN_KEYS = CENTERED_KEYS | {"draft date", "date", "contact", "copyright", "notes", "revision"}
_CREDIT = re.compile(r"(?:(?:written|screenplay|teleplay|story|created)\s+)?by", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(?:copyright\b|©|\(c\))", re.IGNORECASE)
_DRAFT = re.compile(
    r"\bdraft\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?\d{4}\b",
    re.IGNORECASE,
)


def title_page_element(entries: Sequence[TitleEntry]) -> Element:
    """``<TitlePage>`` holding one ``Key: value`` paragraph per entry."""
    page = Element("TitlePage")
    content = SubElement(page, "Content")
    for entry in entries:
        centered = entry.key.casefold() in CENTERED_KEYS
        paragraph = SubElement(
            content,
            "Paragraph",
            Alignment="Center" if centered else "Left",
            FirstIndent="0.00",
            Leading="Regular",
            LeftIndent="1.25",
            RightIndent="7.25",
            SpaceBefore="0",
            Spacing="1",
            StartsNewPage="No",
        )
        label = f"{entry.key}: " if entry.value else f"{entry.key}:"
        append_runs(paragraph, [plain_run(label), *text_runs(entry.value)])
    return page


class _Line:
    __slots__ = ("align", "line", "raw", "runs")

    def __init__(self, paragraph: Element, found: list[Run], line: int) -> None:
        self.align = paragraph.get("Alignment", "Left")
        self.runs = found
        self.raw = "".join(run.text for run in found)
        self.line = line

    def key(self) -> str | None:
        """The key when the paragraph reads ``Key: value`` (or ``Key:``), else ``None``."""
        colon = self.raw.find(":")
        key = self.raw[:colon]
        if colon <= 0 or "\n" in key or key != key.strip():
            return None
        return key if self.raw[colon + 1 : colon + 2] in {"", " "} else None

    def keyed(self, key: str) -> TitleEntry:
        value = drop_chars(self.runs, len(key) + 1)
        if value and value[0].text.startswith(" "):
            value = drop_chars(value, 1)
        return TitleEntry(key, _value(value), line=self.line)

    def value(self) -> str:
        return _value(self.runs)


def read_title_page(root: Element, xml: ParsedXml) -> tuple[TitleEntry, ...]:
    """The title page entries of the ``<FinalDraft>`` element ``root`` (see the module doc)."""
    content = root.find("TitlePage/Content")
    if content is None:
        return ()
    lines: list[_Line] = []
    for paragraph in content.iterfind("Paragraph"):
        found = paragraph_runs(paragraph)
        if any(run.text.strip() for run in found):
            lines.append(_Line(paragraph, found, xml.line(paragraph)))
    keys = [line.key() for line in lines]
    if all(key is not None for key in keys):
        return tuple(line.keyed(key) for line, key in zip(lines, keys, strict=True) if key)
    return _guess(lines)


def _guess(lines: list[_Line]) -> tuple[TitleEntry, ...]:
    entries: list[TitleEntry] = []
    after_credit = 0
    for line in lines:
        key = line.key()
        if key is not None and key.casefold() in _KNOWN_KEYS:
            entries.append(line.keyed(key))
            continue
        plain = line.raw.strip()
        if line.align == "Center":
            if _CREDIT.fullmatch(plain):
                key, after_credit = "Credit", 1
            elif after_credit == 1:
                key, after_credit = "Author", 2
            else:
                key = "Source" if after_credit else "Title"
        elif _COPYRIGHT.match(plain):
            key = "Copyright"
        elif line.align == "Right" or _DRAFT.search(plain):
            key = "Draft date"
        else:
            key = "Contact"
        _add(entries, key, line)
    return tuple(entries)


def _add(entries: list[TitleEntry], key: str, line: _Line) -> None:
    """Append the entry, joining it to the previous one when both are Title, Source or
    Contact lines in a row."""
    value = line.value()
    if entries and entries[-1].key == key and key in {"Title", "Source", "Contact"}:
        last = entries[-1]
        entries[-1] = TitleEntry(key, f"{last.value}\n{value}", line=last.line)
    else:
        entries.append(TitleEntry(key, value, line=line.line))


def _value(found: list[Run]) -> str:
    """Markup of ``found``, each line trimmed, blank lines dropped (a blank line would end a
    Fountain title page)."""
    text = runs_markup(strip_runs(found))
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
