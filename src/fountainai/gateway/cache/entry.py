"""One cached upstream answer (``CachedResponse``) and its compact, byte-exact binary form:
a fixed header (format version, status, stored_at, ttl, header count), each header as
length-prefixed name and value (repeats kept, in order), then the body as is."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

FORMAT_VERSION = 1
_HEAD = struct.Struct(">BHddI")  # version, status, stored_at, ttl, header count
_LENGTHS = struct.Struct(">II")  # header name length, value length


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """An upstream answer kept for ``ttl`` seconds from ``stored_at`` (wall-clock seconds,
    ``time.time()``, so every gateway process agrees on its ``Age``). ``headers`` is stored
    as a tuple: a caller adding headers to what it serves cannot change the cached copy."""

    status: int
    headers: Sequence[tuple[bytes, bytes]]
    body: bytes
    stored_at: float
    ttl: float
    size: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        headers = tuple((bytes(name), bytes(value)) for name, value in self.headers)
        object.__setattr__(self, "headers", headers)
        header_bytes = sum(len(name) + len(value) + _LENGTHS.size for name, value in headers)
        object.__setattr__(self, "size", _HEAD.size + header_bytes + len(self.body))

    def age(self, now: float) -> float:
        """Seconds since the answer was stored, never negative (clocks of replicas may skew)."""
        return max(0.0, now - self.stored_at)

    def to_bytes(self) -> bytes:
        """The binary form; ``len(to_bytes()) == size``."""
        head = _HEAD.pack(FORMAT_VERSION, self.status, self.stored_at, self.ttl, len(self.headers))
        parts = [head]
        for name, value in self.headers:
            parts += (_LENGTHS.pack(len(name), len(value)), name, value)
        parts.append(self.body)
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> CachedResponse:
        """Read ``to_bytes()``'s output back. Anything else raises ``ValueError``."""
        view = memoryview(data)
        try:
            version, status, stored_at, ttl, count = _HEAD.unpack_from(view)
            if version != FORMAT_VERSION:
                raise ValueError(f"cache entry format {version}, expected {FORMAT_VERSION}")
            offset = _HEAD.size
            headers = []
            for _ in range(count):
                name_length, value_length = _LENGTHS.unpack_from(view, offset)
                offset += _LENGTHS.size
                name_end = offset + name_length
                value_end = name_end + value_length
                if value_end > len(view):
                    raise ValueError("cache entry truncated")
                headers.append((bytes(view[offset:name_end]), bytes(view[name_end:value_end])))
                offset = value_end
        except struct.error as exc:
            raise ValueError(f"cache entry truncated: {exc}") from exc
        return cls(status, headers, bytes(view[offset:]), stored_at, ttl)
