"""Fountain parser throughput: ours beside screenplay-tools, and ours on pathological inputs.

Run with ``uv run --group bench python bench/fountain_parse.py [--rounds 15] [--size 150000]
[--profile]``. The ``bench`` dependency group installs screenplay-tools (MIT, PyPI; imports as
``screenplay_tools``), the parser compared with; without it, only ours is measured.

1. The largest ``.fountain`` fixture repeated to ``--size`` bytes (``screenplay_input.py``) is
   parsed ``--rounds`` times by each contender, alternating the order, in this one process:
   best and median seconds, MB/s (10^6 bytes of UTF-8 per second) for each, and the ratio of
   the medians. Neither parse resolves inline emphasis: ours keeps the markup in the text,
   screenplay-tools' ``fountain.parser.Parser`` too (it only lifts ``[[notes]]`` and ``/*
   boneyards */`` out into lists, leaving numbered tags in the text). So ``parse`` against
   ``parse`` is like for like, and a second pair adds emphasis over every element's text:
   ours ``inline.runs``, theirs ``format_helper.fountain_to_html`` (emphasis to HTML tags).
   A sanity line compares the scene headings and dialogue blocks each parser found.
2. Ours on ~1 MB pathological inputs (unclosed ``[[``, one 1 MB line, 100k boneyards, ...),
   each also at a quarter of the size: time and MB/s, and how much the time grew for 4x the
   input (about 4 is linear, about 16 quadratic). An input whose quarter size takes over
   ``--slow-seconds`` is not run at full size.

``--profile`` prints cProfile's top 15 (cumulative) of ours on the repeated fixture.
Prints figures only: nothing is asserted about speed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from types import ModuleType
from typing import Any

from fountainai.fountain import Character, SceneHeading, Screenplay
from fountainai.fountain.inline import runs
from fountainai.fountain.parser import parse
from screenplay_input import TARGET_BYTES, repeated_screenplay

MB = 1_000_000
PATHOLOGICAL_BYTES = 1_000_000
SUPERLINEAR_GROWTH = 8.0  # for 4x the input: linear is ~4, quadratic ~16
JUDGED_FROM_S = 0.05  # full-size times below this are too short to judge growth on


@dataclass(frozen=True)
class Timing:
    name: str
    seconds: list[float]
    size: int

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def mb_per_s(self, seconds: float) -> float:
        return self.size / MB / seconds if seconds > 0 else float("inf")


def timed(function: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


THEIRS = "screenplay-tools"


@dataclass(frozen=True)
class Theirs:
    """screenplay-tools' Fountain parser and emphasis helper (loaded by name: no stubs)."""

    parser: ModuleType
    format_helper: ModuleType
    version: str

    def parse(self, text: str) -> Any:
        """Its ``Script``: ``elements`` (``type`` an ``ElementType``), ``notes``, ``boneyards``."""
        reader = self.parser.Parser()
        reader.add_text(text)
        return reader.script

    def parse_with_emphasis(self, text: str) -> Any:
        """Its parse, then every element's text (note and boneyard tags removed) to HTML."""
        script = self.parse(text)
        for element in script.elements:
            content = element.text
            if content:
                self.format_helper.fountain_to_html(content)
        return script


def screenplay_tools() -> Theirs | None:
    """screenplay-tools, when the bench group is installed."""
    try:
        parser = importlib.import_module("screenplay_tools.fountain.parser")
        format_helper = importlib.import_module("screenplay_tools.fountain.format_helper")
    except ImportError:
        return None
    return Theirs(parser, format_helper, metadata.version(THEIRS))


def ours_with_inline(text: str) -> Screenplay:
    """Our parse, then every element's inline markup read into runs."""
    screenplay = parse(text)
    for element in screenplay.elements:
        content = getattr(element, "text", None)
        if content:
            runs(content)
    return screenplay


# --- 1. ours vs screenplay-tools -------------------------------------------------------------

OURS, OURS_INLINE = "ours: parse", "ours: parse + inline.runs"
THEIRS_PARSE, THEIRS_HTML = f"{THEIRS}: parse", f"{THEIRS}: parse + to_html"


def compare(text: str, rounds: int, theirs: Theirs | None) -> list[Timing]:
    size = len(text.encode())
    contenders: list[tuple[str, Callable[[], object]]] = [
        (OURS, lambda: parse(text)),
        (OURS_INLINE, lambda: ours_with_inline(text)),
    ]
    if theirs is not None:
        contenders.append((THEIRS_PARSE, lambda: theirs.parse(text)))
        contenders.append((THEIRS_HTML, lambda: theirs.parse_with_emphasis(text)))
    for _, function in contenders:  # warm-up: imports, regex compilation, caches
        function()
    seconds: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for round_number in range(rounds):
        order = contenders if round_number % 2 == 0 else contenders[::-1]
        for name, function in order:
            seconds[name].append(timed(function))
    return [Timing(name, seconds[name], size) for name, _ in contenders]


def our_counts(text: str) -> tuple[int, int]:
    """(scene headings, dialogue blocks) of our parse."""
    elements = parse(text).elements
    headings = sum(isinstance(element, SceneHeading) for element in elements)
    return headings, sum(isinstance(element, Character) for element in elements)


def their_counts(theirs: Theirs, text: str) -> tuple[int, int]:
    """The same from screenplay-tools: ``HEADING`` and ``CHARACTER`` elements (each cue of a
    dual-dialogue pair is a ``CHARACTER`` of its own, as ours)."""
    kinds = [element.type.value for element in theirs.parse(text).elements]
    return kinds.count("HEADING"), kinds.count("CHARACTER")


def report_comparison(timings: list[Timing], theirs: Theirs | None, text: str) -> None:
    print(f"{'parser':<34}{'best s':>9}{'median s':>10}{'best MB/s':>11}{'median MB/s':>13}")
    for t in timings:
        print(
            f"{t.name:<34}{t.best:>9.4f}{t.median:>10.4f}{t.mb_per_s(t.best):>11.2f}"
            f"{t.mb_per_s(t.median):>13.2f}"
        )
    if theirs is None:
        print(
            f"{THEIRS}: not installed; compare with "
            "`uv run --group bench python bench/fountain_parse.py`"
        )
        return
    print(
        "neither parse resolves emphasis (both keep the markup in the text); screenplay-tools "
        "lifts [[notes]] and /* boneyards */ into lists, leaving numbered tags"
    )
    by_name = {t.name: t for t in timings}
    for mine, their in ((OURS, THEIRS_PARSE), (OURS_INLINE, THEIRS_HTML)):
        ratio = by_name[mine].median / by_name[their].median
        verdict = "faster" if ratio < 1 else "SLOWER"
        print(
            f"RATIO {mine} / {their}, median time: {ratio:.3f} "
            f"(ours {verdict}: {1 / ratio:.2f}x their speed)"
        )
    mine_counts, their_found = our_counts(text), their_counts(theirs, text)
    same = "same" if mine_counts == their_found else "DIFFERENT"
    print(
        f"SANITY scene headings ours {mine_counts[0]} / {THEIRS} {their_found[0]}, dialogue "
        f"blocks ours {mine_counts[1]} / {THEIRS} {their_found[1]}: {same}"
    )


# --- 2. pathological inputs -------------------------------------------------------------------


def _repeat(unit: str, size: int, *, head: str = "") -> str:
    return head + unit * max(1, (size - len(head)) // len(unit))


PATHOLOGICAL: list[tuple[str, Callable[[int], str]]] = [
    ("unclosed [[ every 10 B, one line", lambda n: _repeat("[[unclosed", n)),
    ("unclosed [[ every 10 B, one paragraph", lambda n: _repeat("[[unclose\n", n)),
    ("[[ paragraphs, unclosed", lambda n: _repeat("[[ note\n\n", n)),
    ("one line of words", lambda n: _repeat("word ", n)),
    ("one line, uppercase", lambda n: _repeat("BOB ", n)),
    ("no newline, no space", lambda n: _repeat("x", n)),
    ("/* */ boneyard every 10 B", lambda n: _repeat("a /* b */ ", n)),
    ("unclosed /* first", lambda n: _repeat("text line\n", n, head="/*\n")),
    ("one dialogue block", lambda n: _repeat("Hello there.\n", n, head="BOB\n")),
    ("scene headings", lambda n: _repeat("INT. A - DAY\n\n", n)),
    ("character cues, no dialogue", lambda n: _repeat("BOB\n\n", n)),
    ("dual dialogue pairs", lambda n: _repeat("A\nhi\n\nB ^\nyo\n\n", n)),
    ("lyrics", lambda n: _repeat("~la la la\n", n)),
    ("two-space lines", lambda n: _repeat("a\n  \n", n)),
    ("blank lines", lambda n: _repeat("\n", n)),
    ("title page keys", lambda n: _repeat("Key: value\n", n)),
    ("tabs and indentation", lambda n: _repeat("\t\t  a\n", n)),
]


def best_parse(text: str, rounds: int) -> float:
    return min(timed(lambda: parse(text)) for _ in range(rounds))


def pathological(size: int, rounds: int, slow_seconds: float) -> None:
    print(
        f"\nours on pathological inputs: best of {rounds} at {size / 4 / MB:g} MB and "
        f"{size / MB:g} MB (growth: time at full size / time at a quarter; linear ~4, "
        f"quadratic ~16; under {JUDGED_FROM_S * 1000:g} ms at full size it is timer noise)"
    )
    print(f"{'input':<34}{'quarter s':>10}{'full s':>9}{'MB/s':>8}{'growth':>8}  elements")
    suspects: list[str] = []
    for name, make in PATHOLOGICAL:
        quarter_text, full_text = make(size // 4), make(size)
        quarter = best_parse(quarter_text, rounds)
        if quarter > slow_seconds:
            print(f"{name:<34}{quarter:>10.3f}{'skipped':>9}   SLOW: over --slow-seconds")
            suspects.append(name)
            continue
        full = best_parse(full_text, rounds)
        growth = full / quarter if quarter > 0 else float("inf")
        if growth > SUPERLINEAR_GROWTH and full >= JUDGED_FROM_S:
            suspects.append(name)
        count = len(parse(full_text).elements)
        mb_per_s = len(full_text.encode()) / MB / full
        print(f"{name:<34}{quarter:>10.3f}{full:>9.3f}{mb_per_s:>8.2f}{growth:>8.1f}  {count:,}")
    if suspects:
        print(
            f"PATHOLOGICAL NOT linear (growth over {SUPERLINEAR_GROWTH:g} or too slow): "
            f"{', '.join(suspects)}; re-run on a quiet machine to confirm"
        )
    else:
        print(f"PATHOLOGICAL linear: every input's growth at most {SUPERLINEAR_GROWTH:g} for 4x")


def profile(text: str) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(parse, text)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
    print("\nPROFILE ours: parse on the repeated fixture, top 15 by cumulative time")
    print(out.getvalue().strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=TARGET_BYTES, help="input bytes (150000)")
    parser.add_argument("--rounds", type=int, default=15, help="timed parses per parser (15)")
    parser.add_argument(
        "--pathological-size", type=int, default=PATHOLOGICAL_BYTES, help="bytes (1000000)"
    )
    parser.add_argument("--pathological-rounds", type=int, default=3, help="best of (3)")
    parser.add_argument("--slow-seconds", type=float, default=5.0, help="quarter-size cap (5)")
    parser.add_argument("--profile", action="store_true", help="cProfile top 15 of ours")
    args = parser.parse_args()
    if min(args.size, args.rounds, args.pathological_size, args.pathological_rounds) < 1:
        parser.error("sizes and rounds must be at least 1")
    screenplay = repeated_screenplay(args.size)
    theirs = screenplay_tools()
    print(f"input: {screenplay.describe()}")
    load = os.getloadavg()[0]
    print(
        f"Python {sys.version.split()[0]}; {args.rounds} timed parses each, alternating order"
        + (f"; {THEIRS} {theirs.version}" if theirs else "")
        + f"; load average {load:.1f} on {os.cpu_count()} CPUs (above that: noisy figures)"
    )
    report_comparison(compare(screenplay.text, args.rounds, theirs), theirs, screenplay.text)
    pathological(args.pathological_size, args.pathological_rounds, args.slow_seconds)
    if args.profile:
        profile(screenplay.text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
