"""What the story commands show (``fountain import``, ``export``, ``story``), on ``output``'s
consoles: the import's progress bar and summary (and the table of several imports), an exported
file, a screenplay."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from fountainai.cli import output
from fountainai.core.clients import ImportReport

# Off a terminal Rich assumes 80 columns; the table of imports gets room for whole paths.
_PIPE_TABLE_WIDTH: Final = 120


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """One file of a ``fountain import`` of several: its report, or why it has none (no
    ``error``: it was not tried, an earlier failure would have met it too)."""

    file: Path
    seconds: float = 0.0
    report: ImportReport | None = None
    error: str = ""


class ImportProgress:
    """A bar of elements created out of the import's total; a spinner until the total is known.
    On stderr, and gone when done (stdout keeps only the summary)."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress = progress
        self._task = task

    def update(self, report: ImportReport) -> None:
        if report.elements_total:
            self._progress.update(
                self._task, total=report.elements_total, completed=report.elements_done
            )


@contextmanager
def import_progress(description: str) -> Iterator[ImportProgress]:
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=output.err_console,
        transient=True,
    )
    with progress:
        yield ImportProgress(progress, progress.add_task(description, total=None))


def import_summary(report: ImportReport, *, seconds: float, read_url: str) -> None:
    """The finished import: its script, what it created by element type, its warnings."""
    source = report.filename or "the file"
    output.success(
        f"Imported {source} ({report.format}, {report.source_bytes:,} bytes) as script "
        f"{report.script_id} in {seconds:.2f} s."
    )
    table = Table(title="Elements created", title_justify="left")
    table.add_column("element type", style="bold")
    table.add_column("count", justify="right")
    for element_type, count in report.counts.items():
        table.add_row(element_type, f"{count:,}")
    table.add_row(Text("total", style="dim"), Text(f"{report.element_count:,}", style="dim"))
    output.console.print(table)
    output.labelled("Script id", str(report.script_id))
    output.labelled("Import id", report.import_id)
    if report.warnings:
        output.console.print(Text(f"Warnings ({len(report.warnings)}):", style="yellow"))
        for notice in report.warnings:
            where = f"line {notice.line}" if notice.line else "file"
            output.console.print(Text(f"  {where}: {notice.message}", style="yellow"))
    output.labelled("Read it", f"fountain story {report.script_id}  ·  {read_url}")


def imports_table(outcomes: list[ImportOutcome]) -> None:
    """One row per file: the script it became (or that it failed), its elements, its warnings
    and its seconds; then the totals."""
    folder, names = _common_folder([outcome.file for outcome in outcomes])
    table = Table(title=f"Imports from {folder}" if folder else "Imports", title_justify="left")
    table.add_column("file", overflow="fold")
    for name in ("script id", "elements", "warnings", "seconds"):
        table.add_column(name, justify="right", no_wrap=True)
    for outcome, name in zip(outcomes, names, strict=True):
        report = outcome.report
        if report is None:
            state = Text("failed", style="bold red") if outcome.error else Text("not tried")
            seconds = f"{outcome.seconds:.2f}" if outcome.error else ""
            table.add_row(name, state, "", "", seconds)
            continue
        table.add_row(
            name,
            str(report.script_id),
            f"{report.element_count:,}",
            str(len(report.warnings)),
            f"{outcome.seconds:.2f}",
        )
    imported = [outcome.report for outcome in outcomes if outcome.report is not None]
    table.add_row(
        Text(f"total: {len(imported)} of {len(outcomes)} imported", style="dim"),
        "",
        Text(f"{sum(report.element_count for report in imported):,}", style="dim"),
        Text(str(sum(len(report.warnings) for report in imported)), style="dim"),
        Text(f"{sum(outcome.seconds for outcome in outcomes):.2f}", style="dim"),
    )
    output.info("")
    if output.console.is_terminal:
        output.console.print(table)
    else:  # a console's own width caps every print; a wider one is the way past 80 columns
        Console(file=output.console.file, width=_PIPE_TABLE_WIDTH, highlight=False).print(table)


def _common_folder(files: list[Path]) -> tuple[str, list[str]]:
    """The folder every file is in (``""`` for none but the current one), and each file's
    path from there: the table shows short names, its title where they are."""
    try:
        common = Path(os.path.commonpath([file.parent for file in files]))
    except ValueError:  # absolute and relative paths mixed
        return "", [str(file) for file in files]
    if common == Path():
        return "", [str(file) for file in files]
    return f"{common}{os.sep}", [str(file.relative_to(common)) for file in files]


def import_failures(outcomes: list[ImportOutcome]) -> None:
    """On stderr: which files were not imported, and why."""
    missing = [outcome for outcome in outcomes if outcome.report is None]
    output.error(f"{len(missing)} of {len(outcomes)} files were not imported:")
    for outcome in missing:
        why = outcome.error or "not tried"
        output.err_console.print(Text(f"  {outcome.file}: {why}", style="red"))


def file_bytes(data: bytes) -> None:
    """A file on stdout, byte for byte (a console would expand tabs and drop carriage returns)."""
    stream = sys.stdout
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream: the file is UTF-8 text
        stream.write(data.decode("utf-8", errors="replace"))
    else:
        buffer.write(data)
        buffer.flush()


def screenplay(view: RenderableType) -> None:
    """A laid-out screenplay at the console's width (it sizes its own lines)."""
    output.console.print(view, soft_wrap=False, crop=False)
