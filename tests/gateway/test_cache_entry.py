"""A cached answer's binary form round-trips any status, headers (repeats and order kept) and
body bytes, and refuses anything else; the headers around a cached answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fountainai.gateway.cache import (
    CachedResponse,
    age_header,
    cache_status_header,
    storable_headers,
)

headers_strategy = st.lists(st.tuples(st.binary(max_size=40), st.binary(max_size=200)), max_size=8)


@given(
    status=st.integers(min_value=100, max_value=599),
    headers=headers_strategy,
    body=st.binary(max_size=4096),
    stored_at=st.floats(allow_nan=False),
    ttl=st.floats(allow_nan=False),
)
def test_round_trips_any_bytes(
    status: int, headers: list[tuple[bytes, bytes]], body: bytes, stored_at: float, ttl: float
) -> None:
    response = CachedResponse(status, headers, body, stored_at, ttl)
    data = response.to_bytes()
    assert len(data) == response.size
    assert CachedResponse.from_bytes(data) == response
    assert list(CachedResponse.from_bytes(data).headers) == headers


def test_repeated_headers_and_binary_bodies_survive() -> None:
    headers = [(b"link", b"<a>; rel=next"), (b"link", b"<b>; rel=prev"), (b"x", b"")]
    response = CachedResponse(200, headers, b"\x00\n\xff" * 100, 1.5, 60.0)
    back = CachedResponse.from_bytes(response.to_bytes())
    assert back.headers == tuple(headers)
    assert back.body == b"\x00\n\xff" * 100
    assert (back.status, back.stored_at, back.ttl) == (200, 1.5, 60.0)


def test_the_cached_headers_cannot_be_changed_through_the_callers_list() -> None:
    headers = [(b"content-type", b"application/json")]
    response = CachedResponse(200, headers, b"{}", 0.0, 60.0)
    headers.append((b"x-cache-status", b"Hit"))
    assert response.headers == ((b"content-type", b"application/json"),)


@pytest.mark.parametrize("cut", [0, 1, 22, 23, 27, 35, 52])
def test_truncated_or_foreign_data_is_refused(cut: int) -> None:
    data = CachedResponse(200, [(b"content-type", b"text/plain")], b"", 0.0, 1.0).to_bytes()
    assert len(data) == 53  # 23 fixed, 8 lengths, 22 header bytes, no body
    with pytest.raises(ValueError, match="truncated"):
        CachedResponse.from_bytes(data[:cut])
    with pytest.raises(ValueError, match="format"):
        CachedResponse.from_bytes(b"\x02" + data[1:])


def test_age_is_never_negative() -> None:
    response = CachedResponse(200, [], b"", stored_at=1000.0, ttl=60.0)
    assert response.age(1012.5) == 12.5
    assert response.age(990.0) == 0.0


def test_age_and_cache_status_headers() -> None:
    response = CachedResponse(200, [], b"", stored_at=1000.0, ttl=60.0)
    assert age_header(response, 1012.9) == (b"age", b"12")
    assert age_header(response, 5000.0) == (b"age", b"60")  # a skewed clock: at most the TTL
    assert age_header(response, 900.0) == (b"age", b"0")
    assert cache_status_header("Hit") == (b"x-cache-status", b"Hit")
    assert cache_status_header("Miss") == (b"x-cache-status", b"Miss")
    assert cache_status_header("Bypass") == (b"x-cache-status", b"Bypass")


def test_storable_headers_drop_hop_by_hop_and_per_answer_headers() -> None:
    upstream = [
        (b"content-type", b"application/json"),
        (b"connection", b"keep-alive, X-Secret-Hop"),
        (b"keep-alive", b"timeout=5"),
        (b"transfer-encoding", b"chunked"),
        (b"x-secret-hop", b"1"),
        (b"Age", b"3"),
        (b"x-request-id", b"abc"),
        (b"etag", b'"v1"'),
        (b"link", b"<a>"),
        (b"link", b"<b>"),
    ]
    assert storable_headers(upstream) == [
        (b"content-type", b"application/json"),
        (b"etag", b'"v1"'),
        (b"link", b"<a>"),
        (b"link", b"<b>"),
    ]
