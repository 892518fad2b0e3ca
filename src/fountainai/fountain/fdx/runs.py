"""FDX ``<Text Style="Bold+Italic+Underline">`` runs to and from the model's inline markup.

Final Draft stores a paragraph as styled runs; the model keeps Fountain markup (``**bold**``,
``*italic*``, ``_underline_``). ``fountainai.fountain.inline`` converts between the two; this
module maps runs onto ``<Text>`` elements and back, carries inline notes ``[[...]]`` through
the conversion (``inline.runs`` drops them; here they stay text), and trims runs. Styles other
than bold, italic and underline (``AllCaps``, ``HiddenText``, fonts, colours) are dropped on
reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.etree.ElementTree import Element, SubElement

from fountainai.fountain.inline import Run, markup, runs

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_STYLE_ORDER = ("Bold", "Italic", "Underline")
_CARRIAGE_RETURN = re.compile(r"\r\n?")


def xml_text(text: str) -> str:
    """``text`` without what XML 1.0 cannot carry (control characters, lone surrogates); line
    ends as ``\\n``."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def paragraph_runs(paragraph: Element) -> list[Run]:
    """The styled runs of the ``<Text>`` children of ``paragraph``, in order, cleaned as
    Fountain reads text: line ends as ``\\n``, a tab as four spaces, DEL dropped."""
    found: list[Run] = []
    for child in paragraph:
        if child.tag != "Text" or not child.text:
            continue
        text = _CARRIAGE_RETURN.sub("\n", child.text).replace("\x7f", "").replace("\t", "    ")
        styles = {part.strip().casefold() for part in child.get("Style", "").split("+")}
        found.append(
            Run(
                text,
                bold="bold" in styles,
                italic="italic" in styles,
                underline="underline" in styles,
            )
        )
    return found


def runs_markup(found: list[Run]) -> str:
    """Fountain markup for ``found``; inline notes (``[[...]]`` in the text) are kept as
    written, as the model keeps them in element text."""
    joined = "".join(run.text for run in found)
    spans = _note_spans(joined)
    if not spans:
        return markup(found) if found else ""
    marker = _marker(joined)
    text = markup(_replace_spans(found, spans, marker))
    pieces = text.split(marker)
    notes = [joined[start:end] for start, end in spans]
    if len(pieces) != len(notes) + 1:  # pragma: no cover - markup keeps every plain character
        return markup(found)
    return pieces[0] + "".join(note + piece for note, piece in zip(notes, pieces[1:], strict=True))


def strip_runs(found: list[Run]) -> list[Run]:
    """``found`` without the whitespace at its two ends (empty runs dropped)."""
    trimmed = [run for run in found if run.text]
    while trimmed and not trimmed[0].text.strip():
        trimmed.pop(0)
    while trimmed and not trimmed[-1].text.strip():
        trimmed.pop()
    if trimmed:
        trimmed[0] = _with_text(trimmed[0], trimmed[0].text.lstrip())
        trimmed[-1] = _with_text(trimmed[-1], trimmed[-1].text.rstrip())
    return trimmed


def one_line(found: list[Run]) -> list[Run]:
    """``found`` with each line trimmed, blank lines dropped and the rest joined by one
    space."""
    lines: list[list[Run]] = [[]]
    for run in found:
        for number, piece in enumerate(run.text.split("\n")):
            if number:
                lines.append([])
            lines[-1].append(_with_text(run, piece))
    joined: list[Run] = []
    for line in lines:
        trimmed = strip_runs(line)
        if trimmed:
            if joined:
                joined.append(plain_run(" "))
            joined.extend(trimmed)
    return joined


def unwrap_parentheses(found: list[Run]) -> list[Run] | None:
    """``found`` with the ``(`` it starts with and the ``)`` it ends with removed (outer
    whitespace too), or ``None`` when it is not wrapped in parentheses."""
    trimmed = strip_runs(found)
    if not trimmed or not trimmed[0].text.startswith("(") or not trimmed[-1].text.endswith(")"):
        return None
    if len(trimmed) == 1 and len(trimmed[0].text) < 2:
        return None
    trimmed[0] = _with_text(trimmed[0], trimmed[0].text[1:])
    trimmed[-1] = _with_text(trimmed[-1], trimmed[-1].text[:-1])
    return [run for run in trimmed if run.text]


def drop_chars(found: list[Run], count: int) -> list[Run]:
    """``found`` without its first ``count`` characters."""
    rest: list[Run] = []
    for run in found:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        rest.append(_with_text(run, run.text[count:]))
        count = 0
    return rest


def text_runs(text: str) -> list[Run]:
    """The styled runs of the Fountain markup ``text``, inline notes kept as ``[[...]]``
    text in the run they stand in (``inline.runs`` drops them)."""
    spans = _note_spans(text)
    if not spans:
        return runs(text) if text else []
    marker = _marker(text)
    notes = iter(text[start:end] for start, end in spans)
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts += [text[position:start], marker]
        position = end
    parts.append(text[position:])
    restored: list[Run] = []
    for run in runs("".join(parts)):
        pieces = run.text.split(marker)
        restored_text = pieces[0] + "".join(next(notes) + piece for piece in pieces[1:])
        restored.append(_with_text(run, restored_text))
    return restored


def _note_spans(text: str) -> list[tuple[int, int]]:
    """Where the inline notes of ``text`` stand, read as ``inline`` reads them: from ``[[``
    to the next ``]]`` (an unclosed ``[[`` ends the search)."""
    spans: list[tuple[int, int]] = []
    start = text.find("[[")
    while start >= 0:
        end = text.find("]]", start + 2)
        if end < 0:
            break
        spans.append((start, end + 2))
        start = text.find("[[", end + 2)
    return spans


def _marker(text: str) -> str:
    """A private-use character absent from ``text``: stands for a note while the rest is
    styled (a non-space character, as the note is to emphasis)."""
    code = 0xE000
    while chr(code) in text:
        code += 1
    return chr(code)


def _replace_spans(found: list[Run], spans: list[tuple[int, int]], marker: str) -> list[Run]:
    """``found`` with each span of its joined text replaced by one ``marker`` (in the run
    where the span starts)."""
    out: list[Run] = []
    offset = 0
    span = 0
    for run in found:
        end_of_run = offset + len(run.text)
        kept: list[str] = []
        position = offset
        while position < end_of_run:
            while span < len(spans) and spans[span][1] <= position:
                span += 1
            if span == len(spans) or spans[span][0] >= end_of_run:
                kept.append(run.text[position - offset :])
                break
            start, stop = spans[span]
            if start >= position:
                kept += [run.text[position - offset : start - offset], marker]
            position = min(stop, end_of_run)
        out.append(_with_text(run, "".join(kept)))
        offset = end_of_run
    return out


def plain_run(text: str) -> Run:
    return Run(text, bold=False, italic=False, underline=False)


def append_runs(paragraph: Element, found: Iterable[Run]) -> None:
    """Add one ``<Text>`` per run (neighbours of the same style joined) to ``paragraph``."""
    merged: list[Run] = []
    for run in found:
        text = xml_text(run.text)
        if not text:
            continue
        if merged and _same_style(merged[-1], run):
            merged[-1] = _with_text(merged[-1], merged[-1].text + text)
        else:
            merged.append(_with_text(run, text))
    for run in merged:
        element = SubElement(paragraph, "Text")
        style = "+".join(
            name
            for name, on in zip(_STYLE_ORDER, (run.bold, run.italic, run.underline), strict=True)
            if on
        )
        if style:
            element.set("Style", style)
        element.text = run.text


def _same_style(left: Run, right: Run) -> bool:
    return (left.bold, left.italic, left.underline) == (right.bold, right.italic, right.underline)


def _with_text(run: Run, text: str) -> Run:
    return Run(text, bold=run.bold, italic=run.italic, underline=run.underline)
