"""Bytes to screenplay text: strict UTF-8, one newline convention, binary data refused.

``decode`` is the one door for file contents (uploads, imports): a UTF-8 byte order mark is
dropped, invalid UTF-8 and binary data are refused with the place they were found, and CRLF /
CR line endings become LF. ``normalise`` does the same for text that is already a ``str``.
"""

from __future__ import annotations

from fountainai.fountain.errors import ScreenplayError

_BOM = b"\xef\xbb\xbf"
# C0 controls and DEL, except tab, line feed, vertical tab, form feed and carriage return,
# which plain text files do carry.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_MAX_CONTROL_SHARE = 0.05


def decode(data: bytes) -> str:
    """UTF-8 bytes → text with LF line endings; ``ScreenplayError`` for anything else."""
    skipped = len(_BOM) if data.startswith(_BOM) else 0  # offsets count from the file's start
    data = data[skipped:]
    nul = data.find(b"\0")
    if nul >= 0:
        hint = " (UTF-16?)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise ScreenplayError(
            f"not a text file: NUL byte at offset {skipped + nul}{hint}", line=_line_at(data, nul)
        )
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls and controls > _MAX_CONTROL_SHARE * len(data):
        raise ScreenplayError(f"not a text file: {controls} control bytes in {len(data)}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScreenplayError(
            f"not valid UTF-8: byte 0x{data[error.start]:02x} at offset {skipped + error.start}",
            line=_line_at(data, error.start),
        ) from None
    return _newlines(text)


def normalise(text: str) -> str:
    """Text with a leading byte order mark removed and CRLF / CR line endings as LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _newlines(text)


def _newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _line_at(data: bytes, offset: int) -> int:
    """1-based line of a byte offset, counting LF, CRLF and lone CR as line ends."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
