"""The terminal layout of a screenplay (pure: a Screenplay in, Rich text out)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.style import Style
from rich.text import Text

from fountainai.cli.screenplay_view import Margins, ScreenplayView, styled
from fountainai.fountain import (
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
    Section,
    Synopsis,
    TitleEntry,
    Transition,
)

STORY = Screenplay(
    title_page=(
        TitleEntry("Title", "_**BRICK & STEEL**_"),
        TitleEntry("Author", "Stu Maschwitz"),
        TitleEntry("Draft date", "6/23/2012"),
    ),
    elements=(
        Section("Act One", depth=1),
        Synopsis("They meet."),
        SceneHeading("EXT. BRICK'S PATIO - DAY", scene_number="1"),
        Action("A gorgeous day. The sun is *shining* and the grill is hot. " * 3),
        Character("STEEL", extensions=("O.S.",)),
        Dialogue("Beer's ready!"),
        Character("BRICK"),
        Parenthetical("turning"),
        Dialogue("Are they cold?"),
        Lyric("Hey, hey, the gang's all here"),
        Note("Check the weather."),
        Transition("CUT TO:"),
        PageBreak(),
        Centered("THE END"),
    ),
)


def render(screenplay: Screenplay, width: int = 60) -> tuple[list[Text], list[str]]:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    lines = ScreenplayView(screenplay).lines(console, width)
    return lines, [line.plain for line in lines]


def indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def line_with(lines: list[Text], text: str) -> Text:
    return next(line for line in lines if text in line.plain)


def style_at(line: Text, text: str) -> Style:
    return line.get_style_at_offset(Console(), line.plain.index(text))


def test_the_title_page_comes_first_centered_then_a_rule() -> None:
    lines, plain = render(STORY)

    assert plain[0].strip() == "BRICK & STEEL"
    assert indent(plain[0]) == (60 - len("BRICK & STEEL")) // 2
    title = style_at(lines[0], "BRICK")
    assert (title.bold, title.underline) == (True, True)
    assert "Stu Maschwitz" in plain[2]
    assert "Draft date: 6/23/2012" in plain
    rule = plain.index("─" * 60)
    assert rule < plain.index("# Act One")


def test_scene_headings_are_bold_with_their_number_at_the_margin() -> None:
    lines, _ = render(STORY)

    heading = line_with(lines, "EXT. BRICK'S PATIO")
    assert heading.plain.startswith("EXT. BRICK'S PATIO - DAY")
    assert heading.plain.endswith(" 1")
    assert len(heading.plain) == 60
    assert style_at(heading, "PATIO").bold


def test_action_wraps_at_the_width_and_keeps_emphasis() -> None:
    lines, plain = render(STORY, width=50)

    action = [line for line in plain if "gorgeous" in line or "grill" in line]
    assert len(action) > 2
    assert all(len(line) <= 50 and indent(line) == 0 for line in plain if "grill" in line)
    shining = line_with(lines, "shining")
    assert style_at(shining, "shining").italic
    assert not style_at(shining, "sun").italic


def test_dialogue_is_indented_like_a_screenplay() -> None:
    _, plain = render(STORY)
    margins = Margins.of(60)

    cue = next(line for line in plain if line.strip() == "STEEL (O.S.)")
    parenthetical = next(line for line in plain if line.strip() == "(turning)")
    speech = next(line for line in plain if line.strip() == "Beer's ready!")
    assert indent(cue) == margins.cue == 22
    assert indent(parenthetical) == margins.parenthetical == 16
    assert indent(speech) == margins.dialogue == 10
    brick = plain.index(" " * 22 + "BRICK")
    assert plain[brick + 1 : brick + 4] == [
        " " * 16 + "(turning)",
        " " * 10 + "Are they cold?",
        " " * 10 + "Hey, hey, the gang's all here",
    ]


def test_a_lyric_in_dialogue_is_italic() -> None:
    lines, _ = render(STORY)

    assert style_at(line_with(lines, "gang's all here"), "gang").italic


def test_transitions_right_centered_centered_page_breaks_a_rule() -> None:
    _, plain = render(STORY)

    assert " " * (60 - len("CUT TO:")) + "CUT TO:" in plain
    centered = next(line for line in plain if "THE END" in line)
    assert indent(centered) == (60 - len("THE END")) // 2
    rules = [i for i, line in enumerate(plain) if line == "─" * 60]
    assert len(rules) == 2  # under the title page, and the page break
    assert plain[rules[1] - 2] == " " * 53 + "CUT TO:"


def test_sections_synopses_and_notes_are_dimmed() -> None:
    lines, _ = render(STORY)

    for text in ("# Act One", "= They meet.", "[[Check the weather.]]"):
        line = line_with(lines, text)
        assert style_at(line, text[-3:]).dim, text


def test_paragraphs_are_separated_by_one_blank_line_dialogue_blocks_are_not() -> None:
    _, plain = render(STORY)

    steel = plain.index(" " * 22 + "STEEL (O.S.)")
    assert plain[steel - 1] == ""
    assert plain[steel + 1].strip() == "Beer's ready!"
    assert plain[steel + 2] == ""
    assert "" not in plain[:1]


def test_dual_dialogue_is_side_by_side() -> None:
    pair = Screenplay(
        elements=(
            Character("BRICK"),
            Dialogue("Screw retirement."),
            Character("STEEL", dual=True),
            Dialogue("Screw retirement."),
        )
    )
    _, plain = render(pair, width=80)

    assert len(plain) == 2
    assert plain[0].split() == ["BRICK", "STEEL"]
    assert plain[1].count("Screw retirement.") == 2
    assert plain[0].index("STEEL") > 40


def test_a_narrow_console_scales_the_margins_down() -> None:
    _, plain = render(STORY, width=30)

    assert all(len(line) <= 30 for line in plain)
    cue = next(line for line in plain if line.strip() == "BRICK")
    assert 0 < indent(cue) < 22


def test_styled_turns_fountain_emphasis_into_rich_styles() -> None:
    text = styled("a ***big*** _deal_ [[note]]")

    assert text.plain == "a big deal "
    big = text.get_style_at_offset(Console(), 2)
    deal = text.get_style_at_offset(Console(), 6)
    assert (big.bold, big.italic, big.underline) == (True, True, None)
    assert deal.underline
    assert not deal.bold


def test_an_empty_screenplay_shows_nothing() -> None:
    assert render(Screenplay())[0] == []
