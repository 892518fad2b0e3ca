"""Load and read-back for ``sequence_alloc.py``: concurrent clients allocating sequence numbers,
one element per request or in batches, then every script read back and checked. Every request
carries the headers of ``Credentials`` (a bearer token, read afresh per request)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import aiohttp

PAGE_SIZE = 500  # the list endpoint's largest page

Plan = list[tuple[int, list[int]]]  # per client: (script id, the element ids it allocates)


class ReadFailed(Exception):
    """The list endpoint did not answer 200."""


class Credentials(Protocol):
    """Where requests get their headers (content type and ``Authorization``) from."""

    @property
    def headers(self) -> Mapping[str, str]: ...


@dataclass
class Run:
    """What one scenario's clients sent and were answered."""

    planned: int  # elements
    sent: dict[int, list[int]] = field(default_factory=dict)  # script -> element ids sent
    answered: dict[int, int] = field(default_factory=dict)  # element id -> number answered
    latencies: list[float] = field(default_factory=list)  # per answered request
    errors: list[str] = field(default_factory=list)
    requests: int = 0  # requests sent
    elapsed: float = 0.0

    def elements_per_request(self) -> float:
        return sum(len(elements) for elements in self.sent.values()) / max(self.requests, 1)


def plan(scripts: list[int], *, total: int, ids: Iterator[int]) -> Plan:
    """One client per entry of ``scripts``, the ``total`` allocations shared out evenly."""
    base, extra = divmod(total, len(scripts))
    shares = [base + (1 if index < extra else 0) for index in range(len(scripts))]
    return [
        (script, [next(ids) for _ in range(n)]) for script, n in zip(scripts, shares, strict=True)
    ]


async def drive(
    http: aiohttp.ClientSession,
    base_url: str,
    plans: Plan,
    *,
    auth: Credentials,
    seconds: float,
    batch_size: int | None = None,
) -> Run:
    """One client per plan entry, each sending its allocations one after another until done or
    ``seconds`` have passed: one ``POST /api/v1/sequence`` per element, or with ``batch_size``
    one ``POST /api/v1/sequence/batch`` per ``batch_size`` elements (the last may carry fewer)."""
    run = Run(planned=sum(len(elements) for _, elements in plans))
    url = f"{base_url}/api/v1/sequence"
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    if batch_size is None:
        await asyncio.gather(
            *(
                _one_by_one(http, url, auth, run, deadline, script, elements)
                for script, elements in plans
            )
        )
    else:
        await asyncio.gather(
            *(
                _in_batches(http, f"{url}/batch", auth, run, deadline, script, elements, batch_size)
                for script, elements in plans
            )
        )
    run.elapsed = time.perf_counter() - started
    return run


async def _one_by_one(
    http: aiohttp.ClientSession,
    url: str,
    auth: Credentials,
    run: Run,
    deadline: float,
    script: int,
    elements: list[int],
) -> None:
    for element in elements:
        if time.perf_counter() > deadline:
            return
        run.sent.setdefault(script, []).append(element)
        run.requests += 1
        body = json.dumps({"elementType": "action", "elementId": element, "scriptId": script})
        payload = await _timed_post(http, url, auth, body, run, what=f"element {element}")
        if payload is not None:
            run.answered[element] = json.loads(payload)["sequenceNumber"]


async def _timed_post(
    http: aiohttp.ClientSession, url: str, auth: Credentials, body: str, run: Run, *, what: str
) -> bytes | None:
    """POST one request, record its latency; a failure or non-201 is recorded and gives None."""
    started = time.perf_counter()
    try:
        async with http.post(url, data=body, headers=auth.headers) as response:
            payload = await response.read()
    except (TimeoutError, aiohttp.ClientError) as exc:
        run.errors.append(f"{what}: {type(exc).__name__}")
        return None
    run.latencies.append(time.perf_counter() - started)
    if response.status != 201:
        run.errors.append(f"{what}: HTTP {response.status} {payload[:200]!r}")
        return None
    return payload


async def _in_batches(
    http: aiohttp.ClientSession,
    url: str,
    auth: Credentials,
    run: Run,
    deadline: float,
    script: int,
    elements: list[int],
    size: int,
) -> None:
    for start in range(0, len(elements), size):
        if time.perf_counter() > deadline:
            return
        batch = elements[start : start + size]
        run.sent.setdefault(script, []).extend(batch)
        run.requests += 1
        refs = [{"elementType": "action", "elementId": element} for element in batch]
        body = json.dumps({"scriptId": script, "elements": refs})
        what = f"batch of elements {batch[0]}..{batch[-1]}"
        payload = await _timed_post(http, url, auth, body, run, what=what)
        if payload is None:
            continue
        entries = json.loads(payload)["elements"]
        numbers = {entry["elementId"]: entry["sequenceNumber"] for entry in entries}
        if len(entries) != len(batch) or set(numbers) != set(batch):
            run.errors.append(f"{what}: the answer names other elements than those sent")
        run.answered.update(numbers)


async def read_order(
    http: aiohttp.ClientSession, base_url: str, auth: Credentials, script: int
) -> tuple[int, list[dict[str, int]]]:
    """A script's order through the list endpoint, page by page: (totalCount, items); a page
    answered with another status than 200 raises ``ReadFailed``."""
    items: list[dict[str, int]] = []
    for offset in itertools.count(0, PAGE_SIZE):
        params = {"scriptId": script, "limit": PAGE_SIZE, "offset": offset}
        url = f"{base_url}/api/v1/sequence"
        async with http.get(url, params=params, headers=auth.headers) as response:
            if response.status != 200:
                body = await response.read()
                raise ReadFailed(f"HTTP {response.status} {body[:200]!r}")
            page = await response.json()
        items.extend(page["items"])
        if len(page["items"]) < PAGE_SIZE:
            return int(page["totalCount"]), items
    raise AssertionError("unreachable")


async def verify(
    http: aiohttp.ClientSession, base_url: str, auth: Credentials, run: Run
) -> list[str]:
    """Each script must read back as exactly 1..n, every element at the number it was answered."""
    problems = [f"{len(run.errors)} requests failed, e.g. {run.errors[0]}"] if run.errors else []
    for script, elements in run.sent.items():
        try:
            total, items = await read_order(http, base_url, auth, script)
        except ReadFailed as exc:
            problems.append(f"script {script}: reading it back failed: {exc}")
            continue
        numbers = [item["sequenceNumber"] for item in items]
        listed = {item["elementId"]: item["sequenceNumber"] for item in items}
        if total != len(elements) or len(items) != len(elements):
            problems.append(
                f"script {script}: totalCount {total}, {len(items)} listed, {len(elements)} sent"
            )
        if numbers != list(range(1, len(numbers) + 1)):
            duplicates = len(numbers) - len(set(numbers))
            gaps = len(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
            problems.append(f"script {script}: not 1..n: {duplicates} duplicates, {gaps} gaps")
        if set(listed) != set(elements):
            problems.append(f"script {script}: the listed elements are not those allocated")
        moved = [e for e, number in run.answered.items() if e in listed and listed[e] != number]
        if moved:
            problems.append(f"script {script}: {len(moved)} elements listed at another number")
    return problems
