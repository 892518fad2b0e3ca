"""``read_fdx``: a Final Draft document (FDX bytes) as a ``Screenplay``.

Only the script body (``<Content>``) and the title page (``<TitlePage><Content>``) are read;
application state (``ElementSettings``, ``PageLayout``, ``SmartType``, ``WindowState``,
``SceneProperties``, revisions, ...) is ignored. See the package doc for the paragraph mapping.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from fountainai.fountain.elements import Screenplay
from fountainai.fountain.errors import ScreenplayError
from fountainai.fountain.fdx.body import Paragraph, build_elements
from fountainai.fountain.fdx.runs import paragraph_runs
from fountainai.fountain.fdx.titlepage import read_title_page
from fountainai.fountain.fdx.xmlsafe import ParsedXml, parse_xml

ROOT = "FinalDraft"


def read_fdx(data: bytes) -> Screenplay:
    """The screenplay in the FDX document ``data``; ``ScreenplayError`` when ``data`` is not
    well-formed, safe XML with a ``<FinalDraft>`` root."""
    xml = parse_xml(data, record=frozenset({"Paragraph"}))
    root = xml.root
    if root.tag != ROOT:
        raise ScreenplayError(
            f"not a Final Draft document: the root element is <{root.tag}>, not <{ROOT}>"
        )
    content = root.find("Content")
    paragraphs = _paragraphs(content, xml) if content is not None else []
    return Screenplay(read_title_page(root, xml), tuple(build_elements(paragraphs)))


def _paragraphs(content: Element, xml: ParsedXml) -> list[Paragraph]:
    """The paragraphs of ``<Content>`` in order; those of a ``<DualDialogue>`` carry the
    number of their group."""
    found: list[Paragraph] = []
    groups = 0
    for paragraph in content.iterfind("Paragraph"):
        dual = paragraph.find("DualDialogue")
        if dual is None:
            found.append(_paragraph(paragraph, xml, group=None))
            continue
        groups += 1
        new_page = _starts_new_page(paragraph)
        for inner in dual.iterfind("Paragraph"):
            found.append(_paragraph(inner, xml, group=groups, new_page=new_page))
            new_page = False
    return found


def _paragraph(
    paragraph: Element, xml: ParsedXml, *, group: int | None, new_page: bool = False
) -> Paragraph:
    number = paragraph.get("Number")
    return Paragraph(
        kind=paragraph.get("Type", ""),
        alignment=paragraph.get("Alignment", ""),
        runs=paragraph_runs(paragraph),
        new_page=new_page or _starts_new_page(paragraph),
        number=number.strip() or None if number is not None else None,
        line=xml.line(paragraph),
        group=group,
    )


def _starts_new_page(paragraph: Element) -> bool:
    return paragraph.get("StartsNewPage", "").casefold() == "yes"
