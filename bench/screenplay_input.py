"""The benchmarks' screenplay: the largest ``.fountain`` fixture, repeated to a target size.

Copies are joined by blank lines; only the first keeps its title page (a title page anywhere
else would be read as action). ``title`` replaces the first copy's ``Title`` entry, so every
import of it can be told apart, and keeps the rest of its title page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "screenplays"
TARGET_BYTES = 150_000


@dataclass(frozen=True)
class RepeatedScreenplay:
    text: str
    fixture: Path
    copies: int

    @property
    def size(self) -> int:
        """In UTF-8 bytes."""
        return len(self.text.encode())

    def describe(self) -> str:
        name = self.fixture.relative_to(FIXTURES)
        return (
            f"{self.size:,} bytes: {self.copies} copies of {name} "
            f"({self.fixture.stat().st_size:,} bytes)"
        )


def largest_fixture() -> Path:
    """The largest ``.fountain`` file under tests/fixtures/screenplays (ties: by path)."""
    found = sorted(FIXTURES.rglob("*.fountain"), key=lambda path: (-path.stat().st_size, path))
    if not found:
        raise FileNotFoundError(f"no .fountain fixture under {FIXTURES}")
    return found[0]


def _is_title_key(line: str) -> bool:
    key, colon, _ = line.partition(":")
    return bool(colon) and bool(key.strip()) and not line[:1].isspace()


def split_title_page(text: str) -> tuple[list[str], list[str]]:
    """(title page lines, body lines) of a Fountain text with LF line endings: a title page
    is the leading paragraph whose first line is a ``Key:`` line (its end: a blank line)."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or not _is_title_key(lines[start]):
        return [], lines
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return lines[start:end], lines[end:]


def _retitled(title_page: list[str], title: str) -> list[str]:
    """``title_page`` with its ``Title`` entry (and that entry's indented lines) replaced."""
    kept: list[str] = []
    in_title = False
    for line in title_page:
        if _is_title_key(line):
            in_title = line.partition(":")[0].strip().casefold() == "title"
        if not in_title:
            kept.append(line)
    return [f"Title: {title}", *kept]


def repeated_screenplay(
    target_bytes: int = TARGET_BYTES, *, title: str | None = None
) -> RepeatedScreenplay:
    """The largest fixture repeated until the text reaches ``target_bytes`` (UTF-8)."""
    fixture = largest_fixture()
    source = fixture.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    title_page, body_lines = split_title_page(source)
    body = "\n".join(body_lines).strip("\n")
    if title is not None:
        title_page = _retitled(title_page, title)
    parts = ["\n".join(title_page), body] if title_page else [body]
    size = sum(len(part.encode()) + 2 for part in parts)
    copies = 1
    while size < target_bytes:
        parts.append(body)
        size += len(body.encode()) + 2
        copies += 1
    return RepeatedScreenplay("\n\n".join(parts) + "\n", fixture, copies)
