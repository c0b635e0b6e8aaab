"""The client-wide limiter: concurrency cap, rate budget, client-wide pause."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from betterplace_async import InvalidParameterError, Limiter
from tests.conftest import FakeClock


async def test_never_exceeds_concurrency_cap() -> None:
    limiter = Limiter(3)
    release = asyncio.Event()
    running = 0
    peak = 0

    async def work() -> None:
        nonlocal running, peak
        async with limiter.slot():
            running += 1
            peak = max(peak, running)
            await release.wait()
            running -= 1

    tasks = [asyncio.create_task(work()) for _ in range(10)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert running == 3
    release.set()
    await asyncio.gather(*tasks)
    assert peak == 3
    assert limiter.peak_in_flight == 3
    assert limiter.in_flight == 0


async def test_rate_spaces_request_starts(clock: FakeClock) -> None:
    limiter = Limiter(10, rate=4, clock=clock, sleep=clock.sleep)
    starts: list[float] = []

    async def work() -> None:
        async with limiter.slot():
            starts.append(clock())

    for _ in range(5):
        await work()
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps == pytest.approx([0.25] * 4)


async def test_pause_holds_back_new_requests(clock: FakeClock) -> None:
    limiter = Limiter(4, clock=clock, sleep=clock.sleep)
    limiter.pause(5.0)
    started = clock()
    async with limiter.slot():
        assert clock() - started == pytest.approx(5.0)
    assert limiter.pauses == 1
    limiter.pause(1.0)
    limiter.pause(0.5)  # a shorter pause never shortens a longer one
    assert limiter.pauses == 2


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"max_concurrency": 0}, "max_concurrency"),
        ({"max_concurrency": True}, "max_concurrency"),
        ({"max_concurrency": 2, "rate": 0}, "rate"),
        ({"max_concurrency": 2, "rate": -1.0}, "rate"),
    ],
)
def test_bad_settings(kwargs: dict[str, object], parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        Limiter(**kwargs)  # type: ignore[arg-type]
    assert info.value.parameter == parameter
