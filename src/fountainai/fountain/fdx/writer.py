"""``write_fdx``: a ``Screenplay`` as a Final Draft document (FDX, UTF-8).

One ``<Paragraph>`` per element, in order (see the package doc for the mapping). Element text,
which is Fountain markup, becomes styled ``<Text>`` runs; notes, sections and synopses are
written as they are, unstyled. A page break sets ``StartsNewPage="Yes"`` on the paragraph after
it, or stands as an empty paragraph with that attribute when no paragraph follows or another
break does. The document carries the standard ``<ElementSettings>`` (plus those of the extra
types it uses) and, when there is one, the title page.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree.ElementTree import Element, SubElement, indent, tostring

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
    Transition,
)
from fountainai.fountain.fdx import vocabulary as v
from fountainai.fountain.fdx.runs import append_runs, plain_run, text_runs, xml_text
from fountainai.fountain.fdx.titlepage import title_page_element

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
_IN_BLOCK = (Dialogue, Parenthetical, Lyric)
_MARKUP_TYPES: dict[type[ScreenplayElement], str] = {
    Action: v.ACTION,
    Dialogue: v.DIALOGUE,
    Lyric: v.LYRICS,
    Transition: v.TRANSITION,
}


def write_fdx(screenplay: Screenplay) -> bytes:
    """``screenplay`` as a Final Draft document: UTF-8 bytes with an XML declaration."""
    root = Element("FinalDraft", DocumentType="Script", Template="No", Version="5")
    body = _Body(SubElement(root, "Content"))
    body.write(screenplay.elements)
    root.extend(v.element_settings(body.used))
    if screenplay.title_page:
        root.append(title_page_element(screenplay.title_page))
    indent(root, space="  ")
    return XML_DECLARATION + tostring(root, encoding="unicode").encode("utf-8") + b"\n"


class _Body:
    """Writes elements into ``<Content>``, carrying a pending page break to the next
    paragraph and noting the paragraph types used."""

    def __init__(self, content: Element) -> None:
        self.content = content
        self.used: set[str] = set()
        self._page_break = False

    def write(self, elements: Sequence[ScreenplayElement]) -> None:
        index = 0
        while index < len(elements):
            element = elements[index]
            if isinstance(element, PageBreak):
                if self._page_break:
                    self._paragraph(self.content, v.ACTION)
                self._page_break = True
                index += 1
            elif isinstance(element, Character):
                index = self._dialogue(elements, index)
            else:
                self._element(self.content, element)
                index += 1
        if self._page_break:
            self._paragraph(self.content, v.ACTION)

    def _dialogue(self, elements: Sequence[ScreenplayElement], start: int) -> int:
        """Write the dialogue block at ``start``; a block whose cue is ``dual`` (a lone one)
        or followed by a ``dual`` block is wrapped in ``<DualDialogue>`` with it. Returns the
        index after what was written."""
        end = _block_end(elements, start)
        cue = elements[start]
        assert isinstance(cue, Character)
        following = elements[end] if end < len(elements) else None
        if not cue.dual and not (isinstance(following, Character) and following.dual):
            for element in elements[start:end]:
                self._element(self.content, element)
            return end
        if not cue.dual:
            end = _block_end(elements, end)
        wrapper = self._paragraph(self.content, None)
        dual = SubElement(wrapper, "DualDialogue")
        for element in elements[start:end]:
            self._element(dual, element)
        return end

    def _element(self, parent: Element, element: ScreenplayElement) -> None:
        match element:
            case SceneHeading(text=text, scene_number=number):
                paragraph = self._paragraph(parent, v.SCENE_HEADING, text)
                if number is not None:
                    paragraph.set("Number", xml_text(number))
            case Centered(text=text):
                self._paragraph(parent, v.ACTION, text).set("Alignment", "Center")
            case Character(name=name, extensions=extensions):
                cue = name + "".join(f" ({extension})" for extension in extensions)
                self._paragraph(parent, v.CHARACTER, cue)
            case Parenthetical(text=text):
                paragraph = self._paragraph(parent, v.PARENTHETICAL)
                append_runs(paragraph, [plain_run("("), *text_runs(text), plain_run(")")])
            case Action(text=text) | Dialogue(text=text) | Lyric(text=text) | Transition(text=text):
                self._paragraph(parent, _MARKUP_TYPES[type(element)], text)
            case Section(text=text, depth=depth):
                self._raw(parent, v.outline_type(depth), text)
            case Synopsis(text=text):
                self._raw(parent, v.OUTLINE_BODY, text)
            case Note(text=text):
                self._raw(parent, v.GENERAL, f"[[{text}]]")

    def _paragraph(self, parent: Element, kind: str | None, markup: str = "") -> Element:
        """A new ``<Paragraph Type=kind>`` (no type: the dual-dialogue wrapper) holding the
        runs of ``markup``; it starts a new page when a page break is pending."""
        paragraph = SubElement(parent, "Paragraph")
        if kind is not None:
            paragraph.set("Type", kind)
            self.used.add(kind)
        if self._page_break:
            paragraph.set("StartsNewPage", "Yes")
            self._page_break = False
        append_runs(paragraph, text_runs(markup))
        return paragraph

    def _raw(self, parent: Element, kind: str, text: str) -> None:
        append_runs(self._paragraph(parent, kind), [plain_run(text)])


def _block_end(elements: Sequence[ScreenplayElement], start: int) -> int:
    """The index after the dialogue block whose cue is at ``start``."""
    end = start + 1
    while end < len(elements) and isinstance(elements[end], _IN_BLOCK):
        end += 1
    return end
