"""The cache's pure rules: which requests bypass it, how long an answer may be kept (upstream
Cache-Control read robustly, garbage never raising), what the key depends on and which paths
a write makes stale."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fountainai.gateway.cache import (
    cache_key,
    invalidating,
    query_params,
    request_bypasses,
    resource_paths,
    rule_covers,
    storable_ttl,
)
from fountainai.gateway.routes import CacheRule

H = list[tuple[bytes, bytes]]
RULE = CacheRule(ttl=60)


def cc(value: str) -> H:
    return [(b"cache-control", value.encode("latin-1"))]


@pytest.mark.parametrize(
    ("method", "headers", "reason"),
    [
        ("GET", [], None),
        ("HEAD", [(b"accept", b"application/json")], None),
        ("get", [], None),
        ("POST", [], "method"),
        ("DELETE", [], "method"),
        ("OPTIONS", [], "method"),
        ("GET", cc("no-store"), "no-store"),
        ("GET", cc("No-Cache"), "no-cache"),
        ("GET", cc('max-stale=5, NO-CACHE="x"'), "no-cache"),
        ("GET", [(b"pragma", b"no-cache")], "no-cache"),
        ("GET", [(b"Pragma", b"foo, No-Cache")], "no-cache"),
        ("GET", cc("max-age=0"), "max-age=0"),
        ("GET", cc("max-age=5"), None),
        ("GET", cc("max-age=garbage"), None),
        ("GET", cc('x="no-cache, no-store"'), None),  # quoted: not directives
        ("GET", [(b"range", b"bytes=0-10")], "range"),
        ("GET", [(b"authorization", b"Bearer x")], None),  # the key holds the identity
    ],
)
def test_request_bypasses(method: str, headers: H, reason: str | None) -> None:
    assert request_bypasses(method, headers) == reason


@pytest.mark.parametrize(
    ("status", "headers", "ttl"),
    [
        (200, [], 60.0),
        (203, [], 60.0),
        (204, [], 60.0),
        (300, [], 60.0),
        (301, [], 60.0),
        (404, [], 60.0),
        (410, [], 60.0),
        (201, [], None),
        (206, [], None),
        (302, [], None),
        (304, [], None),
        (500, [], None),
        (503, [], None),
        (200, [(b"set-cookie", b"a=1")], None),
        (200, [(b"Set-Cookie", b"a=1"), (b"Set-Cookie", b"b=2")], None),
        (200, cc("no-store"), None),
        (200, cc("PRIVATE"), None),
        (200, cc('private="authorization"'), None),
        (200, cc("no-cache"), None),
        (200, cc("public, max-age=30"), 30.0),
        (200, cc("max-age=3600"), 60.0),  # upstream can only shorten the route's TTL
        (200, cc("max-age=0"), None),
        (200, cc("max-age=30, s-maxage=10"), 10.0),  # s-maxage wins
        (200, cc("s-maxage=40, max-age=5"), 40.0),
        (200, cc('max-age="20"'), 20.0),
        (200, [*cc("max-age=20"), *cc("must-revalidate")], 20.0),
        (200, [*cc("max-age=20"), *cc("max-age=20")], 20.0),
        (200, [*cc("max-age=20"), *cc("max-age=30")], None),  # conflicting: stale
        (200, cc("max-age=abc"), None),
        (200, cc("max-age=-5"), None),
        (200, cc("max-age=1.5"), None),
        (200, cc("max-age"), None),
        (200, cc("max-age=²"), None),  # a Unicode digit is not delta-seconds
        (200, cc("max-age=" + "9" * 5000), 60.0),  # huge: capped, not int()'s digit limit
        (200, cc("no-store-ish"), 60.0),
        (200, cc(",,,  ,"), 60.0),
        (200, [(b"vary", b"*")], None),
        (200, [(b"vary", b"Accept")], 60.0),
        (200, [(b"vary", b"accept, Accept-Encoding")], None),  # a variant the key ignores
    ],
)
def test_storable_ttl(status: int, headers: H, ttl: float | None) -> None:
    assert storable_ttl(60, status, headers, vary_headers=("accept",)) == ttl


def test_any_vary_forbids_storing_unless_the_key_varies_on_it() -> None:
    assert storable_ttl(60, 200, [(b"vary", b"Accept")]) is None
    assert storable_ttl(60, 200, [(b"vary", b"origin")], vary_headers=("Origin",)) == 60.0


def test_head_answers_are_not_stored() -> None:
    assert storable_ttl(60, 200, [], method="HEAD") is None
    assert storable_ttl(60, 200, [], method="get") == 60.0


def test_expires_counts_only_without_max_age() -> None:
    date = (b"date", b"Tue, 01 Jul 2025 12:00:00 GMT")
    in_20s = (b"expires", b"Tue, 01 Jul 2025 12:00:20 GMT")
    assert storable_ttl(60, 200, [date, in_20s]) == 20.0
    assert storable_ttl(60, 200, [date, (b"expires", b"Tue, 01 Jul 2026 12:00:00 GMT")]) == 60.0
    assert storable_ttl(60, 200, [date, in_20s, *cc("max-age=45")]) == 45.0
    assert storable_ttl(60, 200, [date, (b"expires", b"0")]) is None  # invalid: expired
    assert storable_ttl(60, 200, [date, (b"expires", b"Tue, 01 Jul 2025 11:00:00 GMT")]) is None
    now = 1751371200.0  # 2025-07-01 12:00:00 UTC: without Date, now is the reference
    assert storable_ttl(60, 200, [in_20s], now=now) == 20.0
    assert storable_ttl(60, 200, [(b"date", b"nonsense"), in_20s]) is None


header_text = st.binary(max_size=200) | st.text(max_size=200).map(
    lambda text: text.encode("utf-8", "surrogatepass")
)
header_names = st.sampled_from(
    [b"cache-control", b"Cache-Control", b"pragma", b"expires", b"date", b"vary", b"range", b"x"]
)
header_lists = st.lists(st.tuples(header_names, header_text), max_size=6)
cache_control_text = st.lists(
    st.sampled_from(
        ["max-age", "s-maxage", "no-cache", "no-store", "private", "=", ",", '"', "\\", " ", "0"]
    )
    | st.text(max_size=5),
    max_size=12,
).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))


@given(
    ttl=st.integers(min_value=-5, max_value=100_000),
    status=st.integers(min_value=0, max_value=999),
    headers=header_lists,
    directives=cache_control_text,
)
def test_storable_ttl_never_raises_and_never_lengthens(
    ttl: int, status: int, headers: H, directives: bytes
) -> None:
    result = storable_ttl(ttl, status, [*headers, (b"cache-control", directives)], now=0.0)
    assert result is None or 0 < result <= ttl


@given(method=st.text(max_size=8), headers=header_lists, directives=cache_control_text)
def test_request_bypasses_never_raises(method: str, headers: H, directives: bytes) -> None:
    reason = request_bypasses(method, [*headers, (b"cache-control", directives)])
    assert reason in {None, "method", "no-store", "no-cache", "max-age=0", "range"}


def key(
    identity: str = "user:1",
    method: str = "GET",
    path: str = "/scripts/api/v1/scripts",
    query: bytes = b"",
    headers: H | None = None,
    rule: CacheRule = RULE,
) -> str:
    return cache_key(identity, method, path, query, headers or [], rule)


def test_the_key_holds_the_identity() -> None:
    assert key("user:1") != key("user:2")
    assert key("user:1") != key("key:1")
    assert key("anonymous") != key("user:1")
    assert key("user:1") == key("user:1")
    assert len(key()) == 64
    assert set(key()) <= set("0123456789abcdef")


def test_head_shares_gets_key_and_other_parts_count() -> None:
    assert key(method="HEAD") == key(method="GET") == key(method="get")
    assert key(path="/scripts/api/v1/scripts/5") != key()
    assert key(path="/scripts/api/v1/scripts/") != key()


def test_query_parameters_are_order_independent_and_all_count_by_default() -> None:
    assert key(query=b"a=1&b=2") == key(query=b"b=2&a=1")
    assert key(query=b"a=1&b=2") != key(query=b"a=1&b=3")
    assert key(query=b"a=1") != key(query=b"")
    assert key(query=b"a=%41") == key(query=b"a=A")
    assert key(query=b"a=x+y") == key(query=b"a=x%20y")
    assert key(query=b"tag=a&tag=b") != key(query=b"tag=b&tag=a")  # a list keeps its order
    assert key(query=b"a=1&&b=2") == key(query=b"b=2&a=1")


def test_vary_query_selects_the_parameters_that_count() -> None:
    rule = CacheRule(ttl=60, vary_query=("page", "size"))
    assert key(query=b"page=2&utm=mail", rule=rule) == key(query=b"utm=web&page=2", rule=rule)
    assert key(query=b"page=2", rule=rule) != key(query=b"page=3", rule=rule)
    assert key(query=b"size=5&page=2", rule=rule) == key(query=b"page=2&size=5", rule=rule)
    assert key(query=b"", rule=rule) == key(query=b"other=1", rule=rule)


def test_vary_headers_select_the_headers_that_count() -> None:
    json, xml = [(b"accept", b"application/json")], [(b"accept", b"application/xml")]
    assert key(headers=json) != key(headers=xml)
    assert key(headers=json) == key(headers=[(b"Accept", b"application/json "), (b"x-a", b"1")])
    assert key(headers=[]) != key(headers=[(b"accept", b"")])  # absent is not empty
    rule = CacheRule(ttl=60, vary_headers=("Accept-Language",))
    french = [(b"accept-language", b"fr")]
    assert key(headers=french, rule=rule) != key(headers=[(b"accept-language", b"de")], rule=rule)
    assert key(headers=[*french, *json], rule=rule) == key(headers=[*french, *xml], rule=rule)


def test_parts_cannot_be_shifted_into_one_another() -> None:
    assert key(identity="user:1", path="/a") != key(identity="user:1/", path="a")
    assert key(query=b"a=1%26b%3D2") != key(query=b"a=1&b=2")


def test_query_params_decodes_to_bytes_and_never_raises() -> None:
    assert query_params(b"a=1&b&c=%ff&=x&d=%zz") == [
        (b"a", b"1"),
        (b"b", b""),
        (b"c", b"\xff"),
        (b"", b"x"),
        (b"d", b"%zz"),
    ]


def test_resource_paths_are_the_path_and_its_ancestors() -> None:
    assert resource_paths("/scripts/api/v1/scripts/5") == [
        "/scripts/api/v1/scripts/5",
        "/scripts/api/v1/scripts",
        "/scripts/api/v1",
        "/scripts/api",
        "/scripts",
    ]
    assert resource_paths("/scripts/api//v1/") == ["/scripts/api/v1", "/scripts/api", "/scripts"]
    assert resource_paths("/") == ["/"]
    assert resource_paths("") == ["/"]


def test_rule_covers_its_path_globs_and_writes_are_named() -> None:
    rule = CacheRule(ttl=60, paths=("/api/v1/scripts", "/api/v1/scripts/*"))
    assert rule_covers(rule, "/api/v1/scripts")
    assert rule_covers(rule, "/api/v1/scripts/5")
    assert not rule_covers(rule, "/api/v1/users/5")
    assert rule_covers(RULE, "/anything/at/all")
    assert [
        m for m in ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE") if invalidating(m)
    ] == [
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
    ]
