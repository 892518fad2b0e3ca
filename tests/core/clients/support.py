"""Shared by the client tests: a fast retry policy and the served sequence app's handle."""

from __future__ import annotations

from dataclasses import dataclass

from fountainai.core.http import RetryPolicy
from tests.support.tokens import LocalIssuer

FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.005)


@dataclass(frozen=True)
class SequenceServer:
    url: str
    issuer: LocalIssuer

    def credentials(self, *roles: str) -> dict[str, str]:
        return self.issuer.headers(*roles)
