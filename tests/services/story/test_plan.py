"""The import plan, pure: how Fountain's elements become the platform's (no services)."""

from __future__ import annotations

from fountainai.fountain import Action, Dialogue, Lyric, Parenthetical, Screenplay
from fountainai.fountain import Character as Cue
from fountainai.fountain.parser import parse
from fountainai.services.story.imports.plan import MAX_TEXT, plan_import
from tests.services.story.test_import import BRICK


def _kinds(text: str) -> list[str]:
    return [p.element_type for p in plan_import(parse(text)).elements]


def test_title_author_and_title_page_come_from_the_title_page() -> None:
    plan = plan_import(parse(BRICK))
    assert (plan.title, plan.author) == ("Brick & Steel", "Stu Maschwitz")
    assert plan.title_page[2] == {"key": "Draft date", "value": "6/23/2012"}


def test_without_a_title_the_file_name_then_untitled() -> None:
    assert plan_import(parse("Bob walks.\n"), fallback_title="diner").title == "diner"
    assert plan_import(parse("Bob walks.\n")).title == "Untitled"


def test_scenes_sit_in_the_open_outline_section_and_elements_in_their_scene() -> None:
    plan = plan_import(parse("# One\n\n## Two\n\nINT. A - DAY\n\nBob walks.\n\n# Three\n\nMore.\n"))
    one, two, scene, action, three, more = plan.elements
    assert (one.fields["kind"], two.fields["kind"], scene.fields["kind"]) == (
        "act",
        "sequence",
        "scene",
    )
    assert (two.parent_ref, scene.parent_ref, action.section_ref) == (one.ref, two.ref, scene.ref)
    assert (three.parent_ref, more.section_ref) == (None, three.ref)


def test_a_character_is_created_once_in_any_case_before_its_first_line() -> None:
    kinds = _kinds("BOB\nHi.\n\nANN\nHey.\n\n@Bob\nAgain.\n")
    assert kinds == ["character", "spokenWord", "character", "spokenWord", "spokenWord"]


def test_speeches_group_lines_and_carry_the_cue() -> None:
    plan = plan_import(parse("BOB (V.O.) ^\n(quietly)\nOne.\n(beat)\nTwo.\n"))
    _, first, second = plan.elements
    assert first.speech_key == second.speech_key
    assert first.fields == {
        "text": "One.",
        "parenthetical": "quietly",
        "extensions": ["V.O."],
        "dual": True,
    }
    assert second.fields["parenthetical"] == "beat"


def test_a_lyric_right_after_a_cue_is_sung_and_a_later_one_is_a_lyric() -> None:
    screenplay = Screenplay(
        elements=(Cue("MAE"), Lyric("La la\nLa"), Dialogue("Said."), Lyric("Sung after."))
    )
    plan = plan_import(screenplay)
    kinds = [(p.element_type, p.fields.get("text")) for p in plan.elements]
    assert kinds == [
        ("character", None),
        ("spokenWord", "~La la\n~La"),
        ("spokenWord", "Said."),
        ("lyric", "Sung after."),
    ]


def test_a_parenthetical_without_dialogue_after_it_is_kept_as_a_line() -> None:
    plan = plan_import(Screenplay(elements=(Cue("BOB"), Dialogue("Hi."), Parenthetical("leaves"))))
    assert plan.elements[-1].fields["text"] == "(leaves)"


def test_long_text_is_split_at_line_breaks_with_a_warning() -> None:
    text = "\n".join(["x" * 999] * 25)
    plan = plan_import(Screenplay(elements=(Action(text),)))
    pieces = [p.fields["text"] for p in plan.elements]
    assert len(pieces) == 3
    assert all(len(piece) <= MAX_TEXT for piece in pieces)
    assert "\n".join(pieces) == text
    assert "split" in plan.warnings[0].message


def test_boneyard_is_reported() -> None:
    plan = plan_import(parse("Bob walks. /* hidden */\n"))
    assert any("boneyard" in w.message for w in plan.warnings)
