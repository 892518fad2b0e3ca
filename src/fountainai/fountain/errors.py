"""What the parsers raise: one error type, with the source line when there is one."""

from __future__ import annotations


class ScreenplayError(ValueError):
    """Input that is not a screenplay this package can read (not UTF-8 text, binary data,
    malformed or unsafe XML, ...). ``line`` is the 1-based source line when known."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.reason = message
        self.line = line
