"""The window glue: fixed or adaptive, stats, events, the transport's signal, the defaults."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from betterplace_async import BetterplaceClient, InvalidParameterError, NewDonationPledge, Paginator
from betterplace_async._core.params import concurrency_arg
from betterplace_async._core.pressure import note_pressure
from betterplace_async._engines.drift import PaginationStats
from betterplace_async._engines.window import AdaptiveGate, Window, window_for
from betterplace_async.errors import ErrorBody, ServiceUnavailableError
from betterplace_async.events import ConcurrencyChanged
from betterplace_async.models.common import Page
from betterplace_async.testing import FakeBetterplace, Fault


class Ticks:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def answer(clock: Ticks, rtt: float, then: Callable[[], None] | None = None) -> int:
    clock.now += rtt
    if then is not None:
        then()
    return 1


@pytest.mark.parametrize("value", ["auto", 1, 64])
def test_concurrency_accepts_auto_or_a_positive_int(value: object) -> None:
    assert concurrency_arg(value) == value


@pytest.mark.parametrize("value", ["fast", "8", 0, -1, 1.5, True, None])
def test_concurrency_refuses_anything_else(value: object) -> None:
    with pytest.raises(InvalidParameterError, match="concurrency"):
        concurrency_arg(value)
    with pytest.raises(InvalidParameterError, match="concurrency"):
        Paginator(lambda page, per_page: asyncio.sleep(0), concurrency=value)  # type: ignore[arg-type]


def test_a_fixed_window_passes_requests_through_and_shows_in_stats() -> None:
    stats = PaginationStats()
    window = window_for(8, maximum=32, stream="pages", stats=stats)
    assert type(window) is Window
    assert (window.limit, stats.window, stats.window_max) == (8, 8, 8)
    request = asyncio.sleep(0)
    assert window.track(request, 1) is request
    request.close()


async def test_an_adaptive_window_grows_and_reports_each_change(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock, stats, events = Ticks(), PaginationStats(), []
    gate = window_for(
        "auto",
        maximum=32,
        stream="pages",
        stats=stats,
        on_event=events.append,
        clock=clock,
        cpu=None,
    )
    assert isinstance(gate, AdaptiveGate)
    assert (gate.limit, stats.window) == (8, 8)
    with caplog.at_level(logging.DEBUG, logger="betterplace_async.concurrency"):
        for _ in range(6):
            limit = gate.limit
            for n in range(1, limit + 1):
                await gate.track(answer(clock, 0.05 / limit), n)
    assert [(e.old, e.new, e.reason) for e in events][:2] == [(8, 16, "grow"), (16, 32, "grow")]
    assert all(isinstance(e, ConcurrencyChanged) and e.stream == "pages" for e in events)
    assert stats.window_max == 32
    assert stats.window == events[-1].new
    assert "pages window 8 -> 16 (grow" in caplog.text


async def test_the_transport_signal_reaches_the_window_of_its_request() -> None:
    clock, events = Ticks(), []
    gate = AdaptiveGate(8, stream="pages", clock=clock, cpu=None, on_event=events.append)
    await gate.track(answer(clock, 0.05), 8)  # the first round only settles
    note_pressure()  # outside any tracked request: nothing happens
    await gate.track(answer(clock, 0.05, then=note_pressure), 1)  # a 503 retried inside
    assert [(e.old, e.new, e.reason) for e in events] == [(8, 7, "overload")]


async def test_an_overload_error_and_a_cancellation_are_told_apart() -> None:
    clock = Ticks()
    gate = AdaptiveGate(8, stream="pages", clock=clock, cpu=None)

    async def refused() -> int:
        clock.now += 0.05
        raise ServiceUnavailableError(503, method="GET", url="http://x", body=ErrorBody())

    with pytest.raises(ServiceUnavailableError):
        await gate.track(refused(), 1)
    assert gate.controller.rounds == 1  # the refusal ended the first round with a cut
    assert gate.limit == 7
    task = asyncio.ensure_future(gate.track(asyncio.sleep(3600), 1))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert gate.controller.rounds == 1


async def test_admit_holds_requests_beyond_the_window() -> None:
    gate = AdaptiveGate(4, stream="submissions", clock=Ticks(), cpu=None)
    release = asyncio.Event()
    running = 0
    peak = 0

    async def request() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await release.wait()
        running -= 1

    tasks = [asyncio.create_task(gate.admit(request)) for _ in range(6)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert running == gate.limit == 4
    release.set()
    await asyncio.gather(*tasks)
    assert peak <= 4


async def test_a_waiter_cancelled_as_its_turn_comes_passes_the_turn_on() -> None:
    gate = AdaptiveGate(8, stream="submissions", clock=Ticks(), cpu=None)
    gate.controller._limit = 1
    gate._in_flight = 1  # one request out
    second = asyncio.create_task(gate.admit(lambda: asyncio.sleep(0)))
    third = asyncio.create_task(gate.admit(lambda: asyncio.sleep(0)))
    for _ in range(3):
        await asyncio.sleep(0)
    gate._in_flight = 0  # it ends and wakes `second` ...
    gate._wake()
    second.cancel()  # ... which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await second
    await asyncio.wait_for(third, timeout=5)  # the turn was passed on, no deadlock


async def test_auto_is_the_default_of_the_paginator() -> None:
    async def fetch(page: int, per_page: int) -> Page[int]:
        await asyncio.sleep(0)
        start = (page - 1) * per_page
        data = tuple(range(start, min(start + per_page, 95)))
        return Page(
            total_entries=95,
            offset=start,
            total_pages=10,
            current_page=page,
            per_page=per_page,
            data=data,
        )

    paginator = Paginator(fetch, per_page=10, max_concurrency=4)
    assert await paginator.collect() == list(range(95))
    stats = paginator.stats
    assert stats.window is not None
    assert stats.window_max is not None
    assert 1 <= stats.window <= stats.window_max <= 4


async def test_a_client_list_with_auto_never_exceeds_max_concurrency() -> None:
    async with (
        FakeBetterplace(client_donations=3000, latency=(0.0, 0.002)) as fake,
        BetterplaceClient(
            base_url=fake.base_url,
            client_id=fake.client_id,
            auth=(fake.username, fake.password),
            max_concurrency=4,
        ) as client,
    ):
        listing = client.clients.donations.list()
        tokens = [d.token async for d in listing]
    assert len(tokens) == len(set(tokens)) == 3000
    assert fake.max_in_flight <= 4
    assert listing.stats.window_max is not None
    assert listing.stats.window_max <= 4


async def test_submit_many_with_auto_books_every_pledge_once() -> None:
    async with (
        FakeBetterplace(fault_script=[Fault("503", path="donation_pledges")]) as fake,
        BetterplaceClient(
            base_url=fake.base_url,
            client_id=fake.client_id,
            auth=(fake.username, fake.password),
            sleep=lambda seconds: asyncio.sleep(0),
        ) as client,
    ):
        pledges = [
            NewDonationPledge(
                amount_in_cents=500 + n, client_reference=f"adaptive-{n}", validate_address=False
            )
            for n in range(12)
        ]
        project = fake.projects_where(in_client_scope=True, prohibited=False, closed=False)[0]
        async with client.clients.pledges.submit_many(pledges, project_id=project) as stream:
            results = [result async for result in stream]
            assert 1 <= stream.window <= 32
    assert {r.client_reference for r in results} == {p.client_reference for p in pledges}
    assert len(fake.ledger.bookings) == 12
