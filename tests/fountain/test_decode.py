"""Bytes → text: BOM, line endings, strict UTF-8 and binary data refused with a place."""

from __future__ import annotations

import random

import pytest

from fountainai.fountain.errors import ScreenplayError
from fountainai.fountain.text import decode, normalise


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", ""),
        (b"\xef\xbb\xbf", ""),
        (b"\xef\xbb\xbfTitle: X\r\n", "Title: X\n"),
        (b"a\r\nb\r\nc", "a\nb\nc"),
        (b"a\rb\rc\r", "a\nb\nc\n"),
        (b"a\r\n\rb\n", "a\n\nb\n"),
        (b"tab\there\x0cform feed", "tab\there\x0cform feed"),
        ("Ça va — 😆".encode(), "Ça va — 😆"),
        # Only a leading BOM is one: a later U+FEFF is text.
        (b"a\xef\xbb\xbfb", "a\ufeffb"),
    ],
)
def test_decode(data: bytes, text: str) -> None:
    assert decode(data) == text


def test_invalid_utf8_names_offset_and_line() -> None:
    with pytest.raises(ScreenplayError) as caught:
        decode(b"line one\r\nline two\nbad \xff here")
    assert caught.value.line == 3
    assert "offset 23" in caught.value.reason
    assert "0xff" in caught.value.reason
    assert str(caught.value).startswith("line 3: not valid UTF-8")


def test_latin1_file_is_refused() -> None:
    with pytest.raises(ScreenplayError, match="not valid UTF-8"):
        decode("Café au lait".encode("latin-1"))


def test_truncated_sequence_at_the_end() -> None:
    with pytest.raises(ScreenplayError, match="offset 2"):
        decode("ab€".encode()[:-1])


def test_nul_byte_is_not_text() -> None:
    with pytest.raises(ScreenplayError, match="not a text file") as caught:
        decode(b"INT. HOUSE\n\nSome\x00thing")
    assert caught.value.line == 3


def test_utf16_is_named() -> None:
    with pytest.raises(ScreenplayError, match=r"UTF-16"):
        decode("Title: X".encode("utf-16"))


def test_many_control_characters_are_not_text() -> None:
    with pytest.raises(ScreenplayError, match="not a text file"):
        decode(b"\x1b[1m" * 10 + b"text")


def test_a_stray_control_character_is_kept() -> None:
    text = "A" * 100 + "\x1b" + "B" * 100
    assert decode(text.encode()) == text


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_refused(seed: int) -> None:
    data = random.Random(seed).randbytes(512)
    with pytest.raises(ScreenplayError):
        decode(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("\ufeffINT. X\r\n", "INT. X\n"),
        ("a\rb", "a\nb"),
        ("no change\n", "no change\n"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_offsets_count_the_bom() -> None:
    with pytest.raises(ScreenplayError, match="offset 4"):
        decode(b"\xef\xbb\xbfa\xc3")
