"""FDX is user-supplied XML: every hostile or broken document is a ``ScreenplayError`` (never
an expansion, a file read, a network fetch or a crash), and odd-but-valid encodings read."""

from __future__ import annotations

import time

import pytest

from fountainai.fountain import Action, Screenplay, ScreenplayError
from fountainai.fountain.fdx import read_fdx
from tests.fountain.conftest import FIXTURES

_BODY = '<Content><Paragraph Type="Action"><Text>{}</Text></Paragraph></Content>'
_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n{}<FinalDraft DocumentType="Script">{}</FinalDraft>'
)


def _document(doctype: str, text: str) -> bytes:
    return _DOCUMENT.format(doctype, _BODY.format(text)).encode()


BILLION_LAUGHS = _document(
    '<!DOCTYPE FinalDraft [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>\n",
    "&lol9;",
)
QUADRATIC_BLOWUP = _document(
    f'<!DOCTYPE FinalDraft [<!ENTITY a "{"x" * 50_000}">]>\n', "&a;" * 5_000
)
EXTERNAL_ENTITY = _document(
    '<!DOCTYPE FinalDraft [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', "&xxe;"
)
EXTERNAL_DTD = _document('<!DOCTYPE FinalDraft SYSTEM "http://127.0.0.1:9/evil.dtd">\n', "hi")
PARAMETER_ENTITY = _document(
    '<!DOCTYPE FinalDraft [<!ENTITY % remote SYSTEM "file:///etc/passwd"> %remote;]>\n', "hi"
)


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, QUADRATIC_BLOWUP, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY],
    ids=["billion-laughs", "quadratic-blowup", "external-entity", "external-dtd", "parameter"],
)
def test_document_type_declarations_are_refused_before_anything_expands(data: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(ScreenplayError, match="unsafe XML") as caught:
        read_fdx(data)
    assert time.perf_counter() - started < 1
    assert caught.value.line == 2
    assert "root:" not in str(caught.value)


def test_undeclared_entity_is_malformed_not_resolved() -> None:
    with pytest.raises(ScreenplayError, match="malformed XML: undefined entity"):
        read_fdx(_document("", "&xxe;"))


def test_internal_entity_without_references_is_still_refused() -> None:
    with pytest.raises(ScreenplayError, match="unsafe XML"):
        read_fdx(_document('<!DOCTYPE FinalDraft [<!ENTITY a "b">]>\n', "plain"))


def test_truncated_file_names_the_line() -> None:
    whole = (FIXTURES / "wildwinter-screenplay-tools" / "TestFDX-FD.fdx").read_bytes()
    with pytest.raises(ScreenplayError, match="malformed XML") as caught:
        read_fdx(whole[: len(whole) // 2])
    assert caught.value.line is not None
    assert caught.value.line > 1


def test_mismatched_tag_names_line_and_column() -> None:
    with pytest.raises(ScreenplayError) as caught:
        read_fdx(b"<FinalDraft>\n<Content>\n</FinalDraft>")
    assert caught.value.line == 3
    assert caught.value.reason == "malformed XML: mismatched tag (column 3)"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(256)),
        b"INT. HOUSE - DAY\n\nBob walks in.\n",
        b'{"format": "fountainai.screenplay"}',
        b"<FinalDraft><Content><Paragraph Type='Action'><Text>\xff\xfe</Text>",
        b"<FinalDraft>\x00</FinalDraft>",
    ],
    ids=["png", "all-bytes", "fountain", "json", "invalid-utf8", "nul"],
)
def test_non_xml_bytes(data: bytes) -> None:
    with pytest.raises(ScreenplayError, match="malformed XML"):
        read_fdx(data)


@pytest.mark.parametrize("data", [b"", b"  \n\t ", b"\n"])
def test_empty_file(data: bytes) -> None:
    with pytest.raises(ScreenplayError, match="the file is empty"):
        read_fdx(data)


@pytest.mark.parametrize(
    "data",
    [b"<html><body>hi</body></html>", b"<Content/>", b'<x:FinalDraft xmlns:x="urn:x"/>'],
)
def test_wrong_root(data: bytes) -> None:
    with pytest.raises(ScreenplayError, match="not a Final Draft document: the root element is"):
        read_fdx(data)


def test_deep_nesting_is_refused_without_recursion() -> None:
    depth = 100_000
    data = b"<FinalDraft>" + b"<a>" * depth + b"</a>" * depth + b"</FinalDraft>"
    with pytest.raises(ScreenplayError, match="nested deeper than 100"):
        read_fdx(data)


def test_moderate_nesting_in_ignored_settings_is_fine() -> None:
    nested = "<a>" * 60 + "</a>" * 60
    data = f"<FinalDraft><Macros>{nested}</Macros>{_BODY.format('Hi.')}</FinalDraft>"
    assert read_fdx(data.encode()) == Screenplay(elements=(Action("Hi."),))


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + _document("", "caf\u00e9"),
        '<?xml version="1.0" encoding="UTF-16"?><FinalDraft>{}</FinalDraft>'.format(
            _BODY.format("caf\u00e9")
        ).encode("utf-16"),
        '<?xml version="1.0" encoding="UTF-16"?><FinalDraft>{}</FinalDraft>'.format(
            _BODY.format("caf\u00e9")
        ).encode("utf-16-le"),
        '<?xml version="1.0" encoding="ISO-8859-1"?><FinalDraft>{}</FinalDraft>'.format(
            _BODY.format("caf\u00e9")
        ).encode("latin-1"),
        f"<FinalDraft>{_BODY.format('caf&#233;')}</FinalDraft>".encode(),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16-declared", "latin1-declared", "char-reference"],
)
def test_encodings_expat_reads_are_accepted(data: bytes) -> None:
    assert read_fdx(data) == Screenplay(elements=(Action("caf\u00e9"),))


def test_comments_and_processing_instructions_are_ignored() -> None:
    data = (
        b"<?xml version='1.0'?><!-- hi --><FinalDraft><?app x?><Content><!-- c -->"
        b"<Paragraph Type='Action'><Text>A<!-- inside --></Text><Text>B</Text></Paragraph>"
        b"</Content></FinalDraft>"
    )
    assert read_fdx(data) == Screenplay(elements=(Action("AB"),))


def test_big_document_reads_quickly() -> None:
    paragraph = '<Paragraph Type="Action"><Text>Bob walks in, sits down.</Text></Paragraph>'
    data = f"<FinalDraft><Content>{paragraph * 20_000}</Content></FinalDraft>".encode()
    started = time.perf_counter()
    screenplay = read_fdx(data)
    assert len(screenplay.elements) == 20_000
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("encoding", ["U-F-8", "shift_jis", "rot13", "idna", "utf-32"])
def test_an_encoding_expat_cannot_read_is_refused(encoding: str) -> None:
    data = f'<?xml version="1.0" encoding="{encoding}"?><FinalDraft/>'.encode()
    with pytest.raises(ScreenplayError, match=r"encoding|malformed"):
        read_fdx(data)
