"""The CLI's output layer: every line the ``fountain`` command shows goes through here (Rich)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

# ``file=None``: Rich resolves sys.stdout/sys.stderr on every write, so test runners can capture.
# ``soft_wrap``: messages are never broken at 80 columns in logs and pipes; terminals wrap them.
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
# Off a terminal Rich assumes 80 columns and would cut URLs; tables get room to show them whole.
_PIPE_TABLE_WIDTH = 120

_STATE_STYLES = {
    "ready": "bold green",
    "starting": "yellow",
    "failed": "bold red",
    "stopped": "dim",
}


@dataclass(frozen=True)
class StatusRow:
    service: str
    url: str
    state: str
    pid: int | None
    docs_url: str


def info(message: str) -> None:
    console.print(message, markup=False)


def success(message: str) -> None:
    console.print(Text(message, style="green"))


def note(message: str) -> None:
    console.print(Text(message, style="dim"))


def warning(message: str) -> None:
    err_console.print(Text(f"Warning: {message}", style="yellow"))


def error(message: str) -> None:
    err_console.print(Text(f"Error: {message}", style="bold red"))


def raw(text: str) -> None:
    """Machine-readable output (JSON): no markup, no wrapping, no highlighting."""
    console.out(text, highlight=False, end="")


def labelled(label: str, value: str | Path) -> None:
    line = Text()
    line.append(f"{label}: ", style="bold")
    line.append(str(value))
    console.print(line)


def log_tail(title: str, lines: Sequence[str]) -> None:
    """The last lines a process wrote, on stderr, verbatim (log lines are full of brackets)."""
    err_console.print(Text(title, style="bold"))
    if not lines:
        err_console.print(Text("  (no output)", style="dim"))
    for line in lines:
        err_console.print(Text(f"  {line}", style="dim"), soft_wrap=True)


def status_table(rows: Iterable[StatusRow], *, title: str = "FountainAI services") -> None:
    table = Table(title=title, title_justify="left")
    table.add_column("service", style="bold")
    table.add_column("URL", no_wrap=True)
    table.add_column("state")
    table.add_column("pid", justify="right")
    table.add_column("docs", no_wrap=True)
    for row in rows:
        table.add_row(
            row.service,
            row.url,
            Text(row.state, style=_STATE_STYLES.get(row.state, "")),
            "-" if row.pid is None else str(row.pid),
            row.docs_url,
        )
    _print_table(table)


def services_table(rows: Iterable[tuple[str, int, str, str]]) -> None:
    """``(name, port, url, title)`` for every registered service."""
    table = Table(title="Registered services", title_justify="left")
    table.add_column("service", style="bold")
    table.add_column("port", justify="right")
    table.add_column("URL", no_wrap=True)
    table.add_column("title")
    for name, port, url, title in rows:
        table.add_row(name, str(port), url, title)
    _print_table(table)


def signing_keys_table(rows: Iterable[tuple[str, str, str, str]]) -> None:
    """``(kid, state, activates, created)`` for each signing key."""
    table = Table(title="KMS signing keys", title_justify="left")
    for column in ("kid", "state", "activates at", "created at"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    _print_table(table)


def _print_table(table: Table) -> None:
    if console.is_terminal:
        console.print(table)
    else:  # a console's own width caps every print; a wider one is the way past 80 columns
        Console(file=console.file, width=_PIPE_TABLE_WIDTH, highlight=False).print(table)
