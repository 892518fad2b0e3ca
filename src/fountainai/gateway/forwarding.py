"""What crosses the gateway: the request headers an upstream gets, the response headers a client
gets, the client's address, and the framing checks that stop request smuggling."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from fountainai.core.auth import Principal
from fountainai.core.errors import BadRequest

Header = tuple[bytes, bytes]
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# RFC 9110 section 7.6.1, plus the legacy ones proxies also drop.
HOP_BY_HOP: Final = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Identity the gateway asserts to upstreams: a client must never be able to send its own.
IDENTITY_HEADERS: Final = frozenset(
    {
        b"x-consumer-id",
        b"x-consumer-custom-id",
        b"x-consumer-username",
        b"x-consumer-groups",
        b"x-consumer-scopes",
        b"x-credential-identifier",
        b"x-anonymous-consumer",
        b"x-authenticated-userid",
        b"x-authenticated-scope",
        b"x-forwarded-user",
        b"x-real-ip",
        b"forwarded",
    }
)
_FORWARDED: Final = frozenset({b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"})
# Set by the gateway itself on the way up, or by the ASGI server on the way down.
_REPLACED_UP: Final = frozenset({b"host", b"x-request-id", b"content-length"})
_REPLACED_DOWN: Final = frozenset({b"date", b"server"})
SMUGGLING_DETAIL: Final = (
    "The request's framing is ambiguous (Content-Length repeated or with Transfer-Encoding)."
)


def check_framing(headers: Sequence[Header]) -> int | None:
    """The declared body length; 400 for framings one hop may read differently from the next
    (CL.TE / TE.CL smuggling): two Content-Lengths, a non-numeric one, or both CL and TE."""
    lengths = [value for name, value in headers if name == b"content-length"]
    chunked = any(name == b"transfer-encoding" for name, _ in headers)
    if len(lengths) > 1 or (lengths and chunked):
        raise BadRequest(SMUGGLING_DETAIL)
    if not lengths:
        return None
    value = lengths[0].strip()
    if not value.isdigit():
        raise BadRequest(SMUGGLING_DETAIL)
    return int(value)


@lru_cache(maxsize=64)
def parse_networks(cidrs: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


@lru_cache(maxsize=4096)
def is_trusted(address: str, trusted: tuple[IpNetwork, ...]) -> bool:
    """Is ``address`` in one of the ``trusted`` networks? (Cached: the same few peers ask.)"""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_ip(peer: str, headers: Sequence[Header], trusted: tuple[IpNetwork, ...]) -> str:
    """The caller's address: the right-most hop of ``X-Forwarded-For`` + peer that is not a
    trusted proxy. Without a trusted peer, the header is the client's word: ignored."""
    if not is_trusted(peer, trusted):
        return peer
    hops = [
        hop.strip()
        for name, value in headers
        if name == b"x-forwarded-for"
        for hop in value.decode("latin-1").split(",")
    ]
    for hop in reversed(hops):
        if hop and not is_trusted(hop, trusted):
            return hop
    return hops[0] if hops and hops[0] else peer


@dataclass(frozen=True, slots=True)
class Hop:
    """This hop, as ``X-Forwarded-*`` will describe it."""

    peer: str
    scheme: str
    host: bytes
    peer_trusted: bool


def upstream_headers(
    headers: Sequence[Header],
    *,
    hop: Hop,
    request_id: str,
    principal: Principal | None,
    body_length: int | None,
) -> list[tuple[str, str]]:
    """The client's headers minus hop-by-hop (and those its Connection names), identity and
    forwarding headers; then ``X-Forwarded-*`` (appended to a trusted peer's, else replacing),
    the request ID and the identity the gateway vouches for."""
    named = _connection_named(headers)
    kept: list[Header] = []
    forwarded_for: list[bytes] = []
    forwarded_proto = forwarded_host = None
    for name, value in headers:
        if name in _FORWARDED:
            if hop.peer_trusted:
                if name == b"x-forwarded-for":
                    forwarded_for.append(value)
                elif name == b"x-forwarded-proto":
                    forwarded_proto = value
                else:
                    forwarded_host = value
            continue
        if (
            name in HOP_BY_HOP
            or name in named
            or name in IDENTITY_HEADERS
            or name in _REPLACED_UP
            or name.startswith(b"x-fountain-")
        ):
            continue
        kept.append((name, value))
    forwarded_for.append(hop.peer.encode("latin-1"))
    kept.append((b"x-forwarded-for", b", ".join(forwarded_for)))
    kept.append((b"x-forwarded-proto", forwarded_proto or hop.scheme.encode("latin-1")))
    kept.append((b"x-forwarded-host", forwarded_host or hop.host))
    kept.append((b"x-request-id", request_id.encode("ascii")))
    if body_length is not None:
        kept.append((b"content-length", str(body_length).encode("ascii")))
    kept.extend(identity_headers(principal))
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in kept]


def identity_headers(principal: Principal | None) -> list[Header]:
    if principal is None:
        return [(b"x-anonymous-consumer", b"true")]
    identity = [
        (b"x-consumer-id", principal.subject.encode("utf-8")),
        (b"x-consumer-groups", ",".join(sorted(principal.roles)).encode("ascii")),
        (b"x-consumer-scopes", " ".join(sorted(principal.scopes)).encode("utf-8")),
    ]
    if principal.username:
        identity.append((b"x-consumer-username", principal.username.encode("utf-8")))
    if principal.token_id:
        identity.append((b"x-credential-identifier", principal.token_id.encode("utf-8")))
    return identity


def downstream_headers(raw: Iterable[Header]) -> list[Header]:
    """The upstream's response headers minus hop-by-hop ones and those the server sets itself;
    repeated headers (``Set-Cookie``) are kept as they came."""
    headers = list(raw)
    named = _connection_named(headers)
    return [
        (name.lower(), value)
        for name, value in headers
        if (lower := name.lower()) not in HOP_BY_HOP
        and lower not in named
        and lower not in _REPLACED_DOWN
    ]


def _connection_named(headers: Iterable[Header]) -> frozenset[bytes]:
    """Headers that ``Connection`` declares hop-by-hop (RFC 9110 section 7.6.1)."""
    return frozenset(
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for token in value.split(b",")
        if token.strip()
    )


def header_value(headers: Sequence[Header], name: bytes) -> bytes | None:
    for key, value in headers:
        if key == name:
            return value
    return None
