"""Rules on where a section or transition may sit: its script's own tree, without cycles."""

from __future__ import annotations

from fountainai.core import NotFound, UnprocessableEntity
from fountainai.services.scripts.models import Script, Section
from fountainai.services.scripts.scripts.repository import ScriptRepository
from fountainai.services.scripts.sections.repository import SectionRepository
from fountainai.services.scripts.sections.schemas import SceneHeading, SectionKind


async def existing_script(scripts: ScriptRepository, script_id: int) -> Script:
    script = await scripts.get(script_id)
    if script is None:
        raise NotFound(f"script {script_id} does not exist")
    return script


async def check_section_of_script(
    sections: SectionRepository, section_id: int, script_id: int, *, field: str
) -> Section:
    """The section ``field`` names, which must exist in ``script_id`` (else 422)."""
    section = await sections.get(section_id)
    if section is None or section.script_id != script_id:
        raise UnprocessableEntity(
            f"{field} {section_id} is not a section of script {script_id}",
            extra={"field": field},
        )
    return section


async def check_parent(
    sections: SectionRepository, *, section_id: int | None, parent_id: int, script_id: int
) -> None:
    """``parent_id`` must be a section of the same script, and not the section or below it."""
    await check_section_of_script(sections, parent_id, script_id, field="parentId")
    if section_id is None:
        return
    parents = await sections.parents_in_script(script_id)
    ancestor: int | None = parent_id
    while ancestor is not None:
        if ancestor == section_id:
            raise UnprocessableEntity(
                f"section {parent_id} is section {section_id} itself or lies within it: "
                "the tree would have a cycle",
                extra={"field": "parentId"},
            )
        ancestor = parents.get(ancestor)


def check_heading(kind: SectionKind, heading: SceneHeading | None) -> None:
    if heading is not None and kind is not SectionKind.SCENE:
        raise UnprocessableEntity(
            f"only scenes carry a heading, not a section of kind {kind.value}",
            extra={"field": "heading"},
        )


def subtree(parents: dict[int, int | None], root: int) -> list[int]:
    """``root`` and every section below it, children before their parents."""
    children: dict[int, list[int]] = {}
    for section_id, parent_id in parents.items():
        if parent_id is not None:
            children.setdefault(parent_id, []).append(section_id)
    ordered: list[int] = []
    stack = [(root, False)]
    while stack:
        section_id, expanded = stack.pop()
        if expanded:
            ordered.append(section_id)
            continue
        stack.append((section_id, True))
        stack.extend((child, False) for child in sorted(children.get(section_id, [])))
    return ordered
