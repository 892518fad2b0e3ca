"""Story Factory import of a ~150 KB screenplay, end to end through the running services.

Run with ``uv run python bench/story_import.py [--backend sqlite|postgres|both] [--imports 5]
[--size 150000]``. Per backend, the KMS and Central Sequence, Scripts, Characters, Sessions and
the Story Factory run as uvicorn subprocesses on 127.0.0.1 (``story_import_stack.py``): SQLite,
a file per service, or one throwaway PostgreSQL database for all (the KMS stays on SQLite). The
seed admin is registered and logged in; after one small warm-up import (the fixture once),
``--imports`` imports of the largest ``.fountain`` fixture repeated to ``--size`` bytes
(``screenplay_input.py``, each with a title of its own) go one after another through
``POST /api/v1/stories/import``. Reported per backend: min/median/max seconds per import, the
elements created (the report's counts), elements/s, the requests the import caused at each
service and the handlers' time (from their ``/metrics``), CPU seconds per import per process,
and the target (<= 1 s on SQLite, PASS/MISS, never a failure). The first timed import is read
back: ``GET /api/v1/stories?scriptId=`` must count the report's elements less its characters.
Exit status 1 when a server does not start, an import fails or the read-back is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from kms_client import BearerAuth, bootstrap_admin, kept_fresh
from screenplay_input import TARGET_BYTES, repeated_screenplay
from sequence_alloc_server import CPUS, BenchFailure, CpuSnapshot
from story_import_stack import SERVICES, Served, Stack, running_stack

TARGET_SECONDS = 1.0  # per import of ~150 KB, on SQLite
REQUEST_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Attempt:
    filename: str
    seconds: float
    report: dict[str, Any] | None  # a completed import's report
    error: str = ""


@dataclass
class Result:
    backend: str
    attempts: list[Attempt] = field(default_factory=list)  # the timed imports
    served: Served = field(default_factory=Served)
    cpu: dict[str, float] = field(default_factory=dict)  # per import, by process
    others_percent: float = 0.0
    problems: list[str] = field(default_factory=list)
    readback: str = ""

    @property
    def completed(self) -> list[Attempt]:
        return [attempt for attempt in self.attempts if attempt.report is not None]

    @property
    def seconds(self) -> list[float]:
        return [attempt.seconds for attempt in self.completed]

    def first_report(self) -> dict[str, Any]:
        return next(attempt.report for attempt in self.completed if attempt.report)


async def import_story(
    http: aiohttp.ClientSession, stack: Stack, auth: BearerAuth, text: str, filename: str
) -> Attempt:
    """One import, timed; anything but a completed import is an ``Attempt`` with an error."""
    url = f"{stack.story.base_url}/api/v1/stories/import"
    headers = {**auth.headers, "content-type": "text/plain; charset=utf-8"}
    start = time.perf_counter()
    try:
        async with http.post(
            url, params={"filename": filename}, data=text.encode(), headers=headers
        ) as response:
            body = await response.read()
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Attempt(filename, time.perf_counter() - start, None, f"{type(exc).__name__} {exc}")
    elapsed = time.perf_counter() - start
    if response.status != 201:
        error = f"HTTP {response.status} {body[:400].decode(errors='replace')}"
        return Attempt(filename, elapsed, None, error)
    report: dict[str, Any] = json.loads(body)
    if report.get("status") != "completed":
        return Attempt(filename, elapsed, None, f"not completed: {report!r:.400}")
    return Attempt(filename, elapsed, report)


async def read_back(
    http: aiohttp.ClientSession, stack: Stack, auth: BearerAuth, report: dict[str, Any]
) -> tuple[str, list[str]]:
    """The story's totalCount must be the report's elements less its characters."""
    params = {"scriptId": str(report["scriptId"]), "limit": "1"}
    url = f"{stack.story.base_url}/api/v1/stories"
    async with http.get(url, params=params, headers=auth.headers) as response:
        body = await response.read()
    if response.status != 200:
        return "", [f"GET /stories: HTTP {response.status} {body[:300]!r}"]
    total = int(json.loads(body)["totalCount"])
    characters = int(report["counts"].get("character", 0))
    expected = int(report["elementCount"]) - characters
    line = (
        f"GET /api/v1/stories?scriptId={report['scriptId']} totalCount {total:,}, report "
        f"{report['elementCount']:,} elements - {characters} characters = {expected:,}"
    )
    return line, ([] if total == expected else [f"read-back: {line}: DIFFERENT"])


def failure(attempt: Attempt, stack: Stack) -> str:
    """What went wrong, with the last lines the Story Factory logged."""
    tail = "\n    ".join(stack.story.log_tail().strip().splitlines()[-3:])
    return (
        f"import {attempt.filename} failed after {attempt.seconds:.1f} s: {attempt.error}\n"
        f"  story service log, last lines:\n    {tail}"
    )


async def measure(
    http: aiohttp.ClientSession,
    stack: Stack,
    auth: BearerAuth,
    args: argparse.Namespace,
    result: Result,
) -> None:
    """A warm-up import, then ``--imports`` timed ones, with what they cost each process."""
    warmup = repeated_screenplay(0, title=f"Warm-up ({result.backend})")
    attempt = await import_story(http, stack, auth, warmup.text, "warm-up.fountain")
    if attempt.report is None:
        result.problems.append(failure(attempt, stack))
    served_before = await Served.scrape(http, stack)
    cpu_before = stack.cpu_seconds()
    totals_before = CpuSnapshot.take(stack.story, stack.kms)
    started = time.perf_counter()
    for number in range(1, args.imports + 1):
        title = f"Story import bench {number} ({result.backend})"
        text = repeated_screenplay(args.size, title=title).text
        attempt = await import_story(http, stack, auth, text, f"bench-{number}.fountain")
        result.attempts.append(attempt)
        if attempt.report is None:
            result.problems.append(failure(attempt, stack))
    wall = time.perf_counter() - started
    used = CpuSnapshot.take(stack.story, stack.kms).used_since(totals_before)
    cpu_after = stack.cpu_seconds()
    result.served = (await Served.scrape(http, stack)).since(served_before)
    spent = {name: cpu_after[name] - cpu_before[name] for name in SERVICES}
    spent |= {"kms": used["kms"], "postgres": used["db"], "client": used["client"]}
    result.cpu = {name: seconds / args.imports for name, seconds in spent.items()}
    result.others_percent = max(0.0, 100 * (used["machine"] - sum(spent.values())) / (wall * CPUS))
    if result.completed:
        result.readback, problems = await read_back(http, stack, auth, result.first_report())
        result.problems.extend(problems)


def story_settings(args: argparse.Namespace) -> dict[str, str]:
    if args.import_batch_size is None:
        return {}
    return {"FOUNTAIN_STORY_IMPORT_BATCH_SIZE": str(args.import_batch_size)}


async def bench_backend(backend: str, args: argparse.Namespace, workdir: Path) -> Result:
    result = Result(backend)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with (
        aiohttp.ClientSession(timeout=timeout) as http,
        running_stack(backend, workdir, http, settings=story_settings(args)) as stack,
    ):
        tokens = await bootstrap_admin(http, stack.kms.base_url)
        async with kept_fresh(http, stack.kms.base_url, tokens) as auth:
            await measure(http, stack, auth, args, result)
    return result


def summary_row(r: Result) -> str:
    done = f"{len(r.completed)}/{len(r.attempts)}"
    if not r.completed:
        return f"{r.backend:<10}{done:>6}  no import completed"
    median = statistics.median(r.seconds)
    elements = int(r.first_report()["elementCount"])
    verdict = "-"
    if r.backend == "sqlite":
        verdict = "PASS" if median <= TARGET_SECONDS else "MISS"
    return (
        f"{r.backend:<10}{done:>6}{min(r.seconds):>7.2f}{median:>9.2f}{max(r.seconds):>7.2f}"
        f"{elements:>10,}{elements / median:>8,.0f}  {verdict}"
    )


def report_details(r: Result, imports: int) -> None:
    if r.completed:
        counts = sorted(r.first_report()["counts"].items())
        print(f"\n{r.backend}: elements by type: {', '.join(f'{k} {v:,}' for k, v in counts)}")
    routes = r.served.routes()
    per_import = sum(r.served.requests[key] for key in routes) / imports
    print(
        f"{r.backend}: HTTP requests served per import, {per_import:g} in all (the Story "
        "Factory's calls and those the services make to each other; KMS not counted), and the "
        "handlers' time:"
    )
    for key in routes:
        count = r.served.requests[key] / imports
        ms = 1000 * r.served.seconds.get(key, 0.0) / imports
        service, method, route = key
        print(f"  {service:<11}{method:<7}{route:<58}{count:>6g}  {ms:>8.1f} ms")
    cpu = ", ".join(f"{name} {seconds:.2f}" for name, seconds in r.cpu.items())
    print(f"{r.backend}: CPU seconds per import: {cpu}")
    print(f"{r.backend}: others (CPU used outside the benchmark): {r.others_percent:.0f}%")
    if r.readback:
        verdict = "DIFFERENT" if any(p.startswith("read-back") for p in r.problems) else "ok"
        print(f"READBACK {r.backend}: {r.readback}: {verdict}")
    for problem in r.problems:
        print(f"FAILURE {r.backend}: {problem}")


def report(results: list[Result], args: argparse.Namespace) -> None:
    screenplay = repeated_screenplay(args.size, title="Story import bench")
    print(f"\ninput: {screenplay.describe()}, imported {args.imports} times per backend")
    print(
        f"{'backend':<10}{'done':>6}{'min s':>7}{'median s':>9}{'max s':>7}{'elements':>10}"
        f"{'el/s':>8}  target <= {TARGET_SECONDS:g} s on SQLite (median)"
    )
    for r in results:
        print(summary_row(r))
    for r in results:
        report_details(r, args.imports)


async def bench(args: argparse.Namespace) -> list[Result]:
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = []
    for backend in backends:
        workdir = Path(tempfile.mkdtemp(prefix=f"fountain-bench-story-{backend}-"))
        try:
            results.append(await bench_backend(backend, args, workdir))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--imports", type=int, default=5, help="timed imports per backend (5)")
    parser.add_argument("--size", type=int, default=TARGET_BYTES, help="screenplay bytes")
    parser.add_argument(
        "--import-batch-size",
        type=int,
        help="FOUNTAIN_STORY_IMPORT_BATCH_SIZE: most elements per batch request (service: 1000)",
    )
    args = parser.parse_args()
    if args.imports < 1 or args.size < 1 or (args.import_batch_size or 1) < 1:
        parser.error("--imports, --size and --import-batch-size must be at least 1")
    print(f"load average {os.getloadavg()[0]:.1f} on {CPUS} CPUs at the start")
    try:
        results = asyncio.run(bench(args))
    except BenchFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    report(results, args)
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
