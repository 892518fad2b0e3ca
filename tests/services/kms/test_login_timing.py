"""Unknown user vs wrong password: statistically the same time, with the real argon2 cost."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from fountainai.services.kms.config import KmsSettings
from tests.services.kms.account_factories import kms_app, login, register

SAMPLES = 20


async def test_unknown_user_and_wrong_password_take_the_same_time(
    database_url: str, tmp_path: Path
) -> None:
    defaults = KmsSettings(
        database_url=database_url,
        data_dir=tmp_path,
        login_max_failures=10_000,
        login_ip_max_failures=10_000,
    )
    assert defaults.argon2_memory_kib == 65536  # the production cost, not the suite's cheap one
    async with kms_app(defaults) as (_, client):
        await register(client, "alice")
        await login(client, "warm-up", "x")
        unknown: list[float] = []
        wrong: list[float] = []
        for number in range(SAMPLES):  # interleaved, so drift affects both alike
            for samples, username in ((unknown, f"nobody{number}"), (wrong, "alice")):
                started = time.perf_counter()
                response = await login(client, username, "not the password")
                samples.append(time.perf_counter() - started)
                assert response.status_code == 401

    unknown_median, wrong_median = statistics.median(unknown), statistics.median(wrong)
    # Both pay for one argon2 verification; without the dummy hash, unknown users would answer
    # many times faster. The tolerance is generous so that a busy machine does not flake.
    assert 0.7 < unknown_median / wrong_median < 1.43, (unknown_median, wrong_median)
    assert min(unknown_median, wrong_median) > 0.005
