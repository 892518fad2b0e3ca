"""Access-token verification throughput on one core: ``TokenVerifier.verify`` and ``get_principal``.

Run with ``uv run python bench/jwt_verify.py [--seconds 1.0] [--rounds 5]``. Everything runs in
this process, on one event loop pinned to one CPU, with keys already loaded (``StaticKeySource``,
as a ``JwksKeySource`` is after its first fetch) and a revocation snapshot of realistic size
(1,000 revoked jtis, 1,000 subjects with a not-before, 10 revoked kids). Scenarios:

- ``ed25519 verify (floor)``: the signature check alone, the floor under any full verification;
- ``verify, full``: ``TokenVerifier.verify`` with its verified-token cache off, so every call does
  the pre-checks, PyJWT's decode (signature and registered claims), the claim shapes and the
  revocation check: the cost of a token seen for the first time;
- ``verify, repeat``: the default verifier given the same token again, as every request after a
  client's first with its (5-minute) token: size check, cache lookup, key still served, expiry,
  revocation;
- ``get_principal, repeat``: what FastAPI runs per request on a guarded route: ``HTTPBearer``,
  ``APIKeyHeader`` and ``get_principal`` on a fresh Starlette ``Request``;
- three refusals: a 1 MB token, ``alg: none``, and a bad signature (which costs a full check).

Rounds alternate between scenarios so drift hits all alike; each figure is the median round.
Reported: calls per wall-clock second, and per CPU-second of this process (steadier when other
processes share the machine). The target is >= 20,000 verifications/s on one core.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from starlette.requests import Request

from fountainai.core.auth import (
    Authenticator,
    InvalidToken,
    RevocationSnapshot,
    StaticKeySource,
    StaticRevocations,
    TokenVerifier,
    api_key_scheme,
    bearer_scheme,
    get_principal,
    public_jwk,
)

TARGET_PER_SECOND = 20_000
ISSUER, AUDIENCE, KID = "http://127.0.0.1:8003", "fountainai", "2026-11-a"

Call = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class Result:
    scenario: str
    per_second: float
    per_cpu_second: float

    @property
    def micros(self) -> float:
        return 1e6 / self.per_cpu_second


def access_token(private: Ed25519PrivateKey) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(uuid.uuid4()),
        "roles": ["writer"],
        "scope": "story:read story:write",
        "amr": ["pwd"],
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 3600,
        "preferred_username": "ada",
    }
    headers = {"kid": KID, "typ": "at+jwt"}
    return jwt.encode(claims, private, algorithm="EdDSA", headers=headers)


def revocations() -> StaticRevocations:
    return StaticRevocations(
        RevocationSnapshot(
            token_ids=frozenset(uuid.uuid4().hex for _ in range(1_000)),
            key_ids=frozenset(f"old-{n}" for n in range(10)),
            subjects_not_before={str(uuid.uuid4()): 1_700_000_000 for _ in range(1_000)},
        )
    )


def verifier(private: Ed25519PrivateKey, *, cache: bool) -> TokenVerifier:
    keys = StaticKeySource({"keys": [public_jwk(private.public_key(), KID)]})
    return TokenVerifier(
        keys,
        revocations(),
        issuer=ISSUER,
        audience=AUDIENCE,
        leeway_seconds=30,
        verified_cache_size=4096 if cache else 0,
    )


def refused(check: Callable[[], Awaitable[object]]) -> Call:
    async def call() -> None:
        try:
            await check()
        except InvalidToken:
            return
        raise AssertionError("a bad token was accepted")

    return call


def scenarios() -> dict[str, Call]:
    private = Ed25519PrivateKey.generate()
    token = access_token(private)
    full, cached = verifier(private, cache=False), verifier(private, cache=True)
    signing_input, _, signature = token.rpartition(".")
    raw_signature = jwt.utils.base64url_decode(signature)
    public = private.public_key()
    head, payload, _ = token.split(".")
    none_header = jwt.utils.base64url_encode(b'{"alg":"none"}').decode()
    unsigned = f"{none_header}.{payload}."
    forged = f"{head}.{payload}.{jwt.utils.base64url_encode(bytes(64)).decode()}"
    huge = "x" * 1_048_576
    app = FastAPI()
    app.state.authenticator = Authenticator(cached, None)
    raw_headers = [(b"authorization", f"Bearer {token}".encode())]

    async def floor() -> None:
        public.verify(raw_signature, signing_input.encode())

    async def dependency_path() -> object:
        request = Request({"type": "http", "app": app, "headers": raw_headers})
        bearer = await bearer_scheme(request)
        api_key = await api_key_scheme(request)
        return await get_principal(request, bearer, api_key)

    return {
        "ed25519 verify (floor)": floor,
        "verify, full": lambda: full.verify(token),
        "verify, repeat": lambda: cached.verify(token),
        "get_principal, repeat": dependency_path,
        "refuse 1 MB token": refused(lambda: cached.verify(huge)),
        "refuse alg none": refused(lambda: cached.verify(unsigned)),
        "refuse bad signature": refused(lambda: cached.verify(forged)),
    }


async def measure(call: Call, seconds: float) -> tuple[float, float]:
    """Calls per wall second and per CPU second, running ``call`` back to back for ``seconds``."""
    calls = 0
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    deadline = wall_start + seconds
    while time.perf_counter() < deadline:
        for _ in range(50):
            await call()
        calls += 50
    wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
    return calls / wall, calls / max(cpu, 1e-9)


async def run(seconds: float, rounds: int) -> list[Result]:
    calls = scenarios()
    for call in calls.values():  # warm-up, and a check that every scenario does what it says
        await measure(call, 0.05)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            samples[name].append(await measure(call, seconds))
    return [
        Result(
            name,
            statistics.median(wall for wall, _ in taken),
            statistics.median(cpu for _, cpu in taken),
        )
        for name, taken in samples.items()
    ]


def pin_to_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def report(results: list[Result], *, pinned: str, seconds: float, rounds: int) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"one event loop, {pinned}; median of {rounds} rounds of {seconds:g} s; "
        f"load average {load:.2f} on {os.cpu_count()} CPUs"
    )
    print(f"{'scenario':<24} {'calls/s':>10} {'calls/CPU-s':>12} {'us/call':>8}")
    for r in results:
        print(
            f"{r.scenario:<24} {r.per_second:>10,.0f} {r.per_cpu_second:>12,.0f} {r.micros:>8.1f}"
        )
    by_name = {r.scenario: r for r in results}
    for name in ("verify, full", "verify, repeat"):
        rate = by_name[name].per_cpu_second
        verdict = "met" if rate >= TARGET_PER_SECOND else "NOT met"
        print(f"target >= {TARGET_PER_SECOND:,}/s on one core, {name}: {verdict} ({rate:,.0f}/s)")
    floor = by_name["ed25519 verify (floor)"].per_cpu_second
    share = floor / by_name["verify, full"].per_cpu_second
    print(
        f"a full verification costs {share:.2f}x the bare Ed25519 check "
        f"(at most {floor:,.0f}/s on this CPU with the signature checked every time)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=1.0, help="per scenario per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pinned = pin_to_one_cpu()
    results = asyncio.run(run(args.seconds, args.rounds))
    report(results, pinned=pinned, seconds=args.seconds, rounds=args.rounds)


if __name__ == "__main__":
    main()
