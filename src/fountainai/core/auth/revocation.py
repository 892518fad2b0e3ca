"""Revocation: the KMS's feed (wire model), the snapshot verifiers consult, and its sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

from pydantic import Field

from fountainai.core.schemas import ApiModel

REVOCATIONS_PATH = "/api/v1/revocations"


class RevocationFeed(ApiModel):
    """What ``GET /api/v1/revocations`` on the KMS answers."""

    token_ids: list[str] = Field(description="Revoked jtis of tokens that have not expired yet.")
    key_ids: list[str] = Field(description="Revoked signing key ids: their tokens are all dead.")
    subjects_not_before: dict[str, int] = Field(
        description="Subject -> epoch seconds; the subject's tokens issued before it are dead."
    )
    generated_at: int = Field(description="When the KMS built this feed (epoch seconds).")


@dataclass(frozen=True, slots=True, eq=False)
class RevocationSnapshot:
    """Revocations as of one moment; empty by default."""

    token_ids: frozenset[str] = frozenset()
    key_ids: frozenset[str] = frozenset()
    subjects_not_before: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_feed(cls, feed: RevocationFeed) -> RevocationSnapshot:
        return cls(
            token_ids=frozenset(feed.token_ids),
            key_ids=frozenset(feed.key_ids),
            subjects_not_before=MappingProxyType(dict(feed.subjects_not_before)),
        )

    def revokes(self, *, kid: str, jti: str, subject: str, issued_at: int) -> bool:
        """Is a token with these claims dead: revoked key, revoked jti, or issued too early?"""
        if kid in self.key_ids or jti in self.token_ids:
            return True
        not_before = self.subjects_not_before.get(subject)
        return not_before is not None and issued_at < not_before


class RevocationSource(Protocol):
    async def snapshot(self) -> RevocationSnapshot: ...


class StaticRevocations:
    """A fixed snapshot (tests, or a service with no KMS to ask)."""

    def __init__(self, snapshot: RevocationSnapshot | None = None) -> None:
        self.current = snapshot or RevocationSnapshot()

    async def snapshot(self) -> RevocationSnapshot:
        return self.current
