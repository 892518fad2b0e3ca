"""A small screenplay built through the Scripts service: one of each kind, in reading order."""

from __future__ import annotations

from dataclasses import dataclass

from tests.integration.story.api import JSON, Ref, Story, ref_of

KITCHEN = {"prefix": "INT", "location": "KITCHEN", "timeOfDay": "NIGHT", "sceneNumber": "1"}
STREET = {"prefix": "EXT", "location": "STREET", "timeOfDay": "DAY", "sceneNumber": "2"}


@dataclass(frozen=True)
class Screenplay:
    """ACT I > (scene INT. KITCHEN, CUT TO:), (scene EXT. STREET, a note)."""

    script: JSON
    act: JSON
    kitchen: JSON
    cut: JSON
    street: JSON
    note: JSON

    @property
    def id(self) -> int:
        script_id: int = self.script["id"]
        return script_id

    @property
    def reading_order(self) -> list[Ref]:
        """As written: the script itself first (its own number lives in its order)."""
        return [
            ("script", self.id),
            ref_of("section", self.act),
            ref_of("section", self.kitchen),
            ref_of("transition", self.cut),
            ref_of("section", self.street),
            ref_of("markup", self.note),
        ]


def write_screenplay(story: Story, title: str) -> Screenplay:
    scripts = story.scripts
    script = scripts.create_script(title, author="A. Writer", comment="first draft")
    act = scripts.create("section", script["id"], kind="act", title="ACT I")
    kitchen = scripts.create(
        "section", script["id"], kind="scene", parentId=act["id"], heading=KITCHEN
    )
    cut = scripts.create("transition", script["id"], text="CUT TO:", sectionId=kitchen["id"])
    street = scripts.create(
        "section", script["id"], kind="scene", parentId=act["id"], heading=STREET
    )
    note = scripts.create(
        "markup", script["id"], kind="note", text="Rain, always.", sectionId=street["id"]
    )
    return Screenplay(script, act, kitchen, cut, street, note)
