"""The pagination engine against an in-memory list: order, bounds, limits, cleanup, errors.

No HTTP and no real sleeps: the fake list's fetch can be held on an event, slowed by a
number of ``asyncio.sleep(0)`` turns, made to fail, or have the list changed before it
reads (see ``tests/test_pagination_drift.py`` for changing lists).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import math
import tracemalloc
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from betterplace_async._engines.overlap import OVERLAP, next_window
from betterplace_async._engines.pagination import (
    DEDUP_WINDOW,
    PaginationStats,
    Paginator,
)
from betterplace_async.errors import (
    APIConnectionError,
    ErrorBody,
    InvalidParameterError,
    NotFoundError,
)
from betterplace_async.models.common import Page

SAMPLES = Path(__file__).parent / "samples"
R = TypeVar("R")


class FakeList:
    """A list served page by page the way the API pages it.

    ``items`` may be changed between reads (``before_read`` is called with the read count
    right before each read). ``gates`` hold a page's fetch until its event is set,
    ``delays`` add ``sleep(0)`` turns per call, ``failures`` make a page raise.
    """

    def __init__(self, items: Iterable[int] = ()) -> None:
        self.items = list(items)
        self.calls: list[tuple[int, int]] = []
        self.completed: list[int] = []
        self.cancelled: list[int] = []
        self.running = 0
        self.max_running = 0
        self.reads = 0
        self.gates: dict[int, asyncio.Event] = {}
        self.delays: list[int] = []
        self.failures: dict[int, BaseException] = {}
        self.before_read: Callable[[int], None] | None = None

    def gate(self, *pages: int) -> asyncio.Event:
        """Hold ``pages`` until the returned event is set."""
        event = asyncio.Event()
        for page in pages:
            self.gates[page] = event
        return event

    async def fetch(self, page: int, per_page: int) -> Page[int]:
        call = len(self.calls)
        self.calls.append((page, per_page))
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            if page in self.gates:
                await self.gates[page].wait()
            for _ in range(self.delays[call % len(self.delays)] if self.delays else 0):
                await asyncio.sleep(0)
            if page in self.failures:
                raise self.failures[page]
            if self.before_read is not None:
                self.before_read(self.reads)
            self.reads += 1
            self.completed.append(page)
            return envelope(self.items, page, per_page)
        except asyncio.CancelledError:
            self.cancelled.append(page)
            raise
        finally:
            self.running -= 1

    @property
    def pages_called(self) -> list[int]:
        return [page for page, _ in self.calls]


def envelope(items: list[int], page: int, per_page: int) -> Page[int]:
    """Return page ``page`` of ``items`` with the counts the API sends."""
    start = (page - 1) * per_page
    return Page(
        data=tuple(items[start : start + per_page]),
        total_entries=len(items),
        offset=start,
        total_pages=math.ceil(len(items) / per_page),
        current_page=page,
        per_page=per_page,
    )


async def settle(turns: int = 50) -> None:
    """Let every runnable task run for ``turns`` event-loop turns."""
    for _ in range(turns):
        await asyncio.sleep(0)


def other_tasks() -> set[asyncio.Task[Any]]:
    """Every task but the running one."""
    current = asyncio.current_task()
    return {task for task in asyncio.all_tasks() if task is not current}


def run_quietly(main: Coroutine[Any, Any, R]) -> R:
    """``asyncio.run`` that fails on anything reported to the loop's exception handler."""
    errors: list[dict[str, Any]] = []

    async def wrapper() -> R:
        asyncio.get_running_loop().set_exception_handler(lambda _, ctx: errors.append(ctx))
        result = await main
        gc.collect()
        await settle(3)
        assert not other_tasks()
        return result

    result = asyncio.run(wrapper())
    assert errors == []
    return result


@pytest.fixture(autouse=True)
async def quiet_loop() -> AsyncIterator[list[dict[str, Any]]]:
    """Fail the test if the loop reports anything (e.g. a task destroyed while pending)."""
    loop = asyncio.get_running_loop()
    errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _, ctx: errors.append(ctx))
    yield errors
    gc.collect()
    await settle(3)
    loop.set_exception_handler(None)
    assert errors == []


# -- order and counts ---------------------------------------------------------------------


@pytest.mark.parametrize("total", [0, 1, 9, 10, 11, 95])
@pytest.mark.parametrize("concurrency", [1, 3, 32])
async def test_yields_every_item_in_page_order(total: int, concurrency: int) -> None:
    fake = FakeList(range(total))
    fake.delays = [3, 0, 1, 5, 2]  # pages finish out of order
    paginator = Paginator(fake.fetch, per_page=10, concurrency=concurrency)
    assert await paginator.collect() == list(range(total))
    assert sorted(fake.pages_called) == list(range(1, max(1, math.ceil(total / 10)) + 1))
    assert not other_tasks()


async def test_first_page_is_read_alone_then_the_rest_concurrently() -> None:
    fake = FakeList(range(100))
    gate = fake.gate(*range(2, 11))
    paginator = Paginator(fake.fetch, per_page=10, concurrency=4)
    iterator = aiter(paginator)
    assert await anext(iterator) == 0
    assert fake.calls[0] == (1, 10)
    assert fake.completed[0] == 1
    await settle()
    assert fake.pages_called == [1, 2, 3, 4, 5]
    assert fake.running == 4
    gate.set()
    rest = [item async for item in iterator]
    assert rest == list(range(1, 100))
    assert fake.max_running == 4


async def test_per_page_defaults_to_the_api_cap() -> None:
    fake = FakeList(range(450))
    assert await Paginator(fake.fetch).collect() == list(range(450))
    assert fake.calls == [(1, 200), (2, 200), (3, 200)]


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"per_page": 201}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": -5}, "per_page"),
        ({"per_page": True}, "per_page"),
        ({"per_page": 2.0}, "per_page"),
        ({"per_page": "20"}, "per_page"),
        ({"concurrency": 0}, "concurrency"),
        ({"concurrency": 1.5}, "concurrency"),
        ({"limit": -1}, "limit"),
        ({"limit": 2.5}, "limit"),
        ({"limit": False}, "limit"),
        ({"start_page": 0}, "start_page"),
        ({"start_page": None}, "start_page"),
        ({"identity": 5}, "identity"),
        ({"on_event": "log"}, "on_event"),
    ],
)
async def test_bad_arguments_are_refused_before_any_fetch(
    kwargs: dict[str, Any], parameter: str
) -> None:
    fake = FakeList(range(10))
    with pytest.raises(InvalidParameterError) as info:
        Paginator(fake.fetch, **kwargs)
    assert info.value.parameter == parameter
    assert isinstance(info.value, ValueError)
    assert fake.calls == []


# -- backpressure and memory --------------------------------------------------------------


async def test_a_paused_consumer_stops_new_fetches() -> None:
    fake = FakeList(range(1000))
    paginator = Paginator(fake.fetch, per_page=10, concurrency=3)
    iterator = aiter(paginator)
    assert await anext(iterator) == 0
    await settle(200)  # the consumer pauses on its first item
    assert fake.pages_called == [1, 2, 3, 4]
    assert fake.running == 0
    for expected in range(1, 10):  # the rest of page 1 needs no new fetch
        assert await anext(iterator) == expected
    await settle(200)
    assert len(fake.calls) == 4
    assert await anext(iterator) == 10  # page 2 taken: page 5 may now be read
    await settle(200)
    assert fake.pages_called == [1, 2, 3, 4, 5]
    await iterator.aclose()


async def test_pages_waiting_in_memory_never_exceed_concurrency() -> None:
    fake = FakeList(range(2000))
    fake.delays = [0, 2, 7, 1]
    concurrency = 5
    worst = 0
    async for item in Paginator(fake.fetch, per_page=20, concurrency=concurrency):
        if item % 7 == 0:
            await settle(5)  # a slow consumer lets every fetch finish
        consumed_pages = item // 20 + 1
        worst = max(worst, len(fake.completed) - consumed_pages)
        assert fake.running <= concurrency
    assert worst == concurrency


def _virtual_list(total: int) -> Callable[[int, int], Coroutine[Any, Any, Page[int]]]:
    async def fetch(page: int, per_page: int) -> Page[int]:
        start = (page - 1) * per_page
        return Page(
            data=tuple(range(start, min(start + per_page, total))),
            total_entries=total,
            offset=start,
            total_pages=math.ceil(total / per_page),
            current_page=page,
            per_page=per_page,
        )

    return fetch


async def _peak_memory(total: int) -> int:
    paginator = Paginator(_virtual_list(total), concurrency=8, identity=lambda item: item)
    count = 0
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        async for _ in paginator:
            count += 1
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert count == total
    return peak


async def test_memory_stays_flat_from_ten_thousand_to_a_quarter_million_items() -> None:
    small = await _peak_memory(10_000)
    large = await _peak_memory(250_000)
    # window pages + DEDUP_WINDOW identities: the same for both, well under a megabyte.
    # Anything kept per item (at least 16 bytes) would add 3.8 MB here, far over the margin.
    assert large < 1_000_000
    assert large < small + 100_000


# -- limit and start page -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "pages"),
    [(0, []), (1, [1]), (10, [1]), (11, [1, 2]), (25, [1, 2, 3]), (10_000, [1, 2, 3, 4, 5])],
)
async def test_limit_reads_only_the_pages_it_needs(limit: int, pages: list[int]) -> None:
    fake = FakeList(range(45))
    paginator = Paginator(fake.fetch, per_page=10, concurrency=8, limit=limit)
    assert await paginator.collect() == list(range(min(limit, 45)))
    assert sorted(fake.pages_called) == pages


async def test_start_page_resumes_mid_list() -> None:
    fake = FakeList(range(45))
    paginator = Paginator(fake.fetch, per_page=10, start_page=3, limit=12)
    assert await paginator.collect() == list(range(20, 32))
    assert sorted(fake.pages_called) == [3, 4]


async def test_start_page_past_the_end_gives_nothing() -> None:
    fake = FakeList(range(45))
    assert await Paginator(fake.fetch, per_page=10, start_page=9).collect() == []
    assert fake.pages_called == [9]


# -- leaving early ------------------------------------------------------------------------


def _blocked_list() -> tuple[FakeList, asyncio.Event]:
    """100 items, 10 per page; every page after the first waits on the returned event."""
    fake = FakeList(range(100))
    return fake, fake.gate(*range(2, 11))


async def test_break_cancels_every_fetch_in_flight() -> None:
    fake, _ = _blocked_list()
    gc.disable()  # prove it is reference counting, not the cyclic GC, that cleans up
    try:
        async for item in Paginator(fake.fetch, per_page=10, concurrency=4):
            if item == 3:
                await settle()
                assert fake.running == 4
                break
        # the iterator is gone: its fetches were cancelled right at the break ...
        assert len(other_tasks()) == 4
        assert all(task.cancelling() for task in other_tasks())
        # ... and have ended by the next loop turn
        await asyncio.sleep(0)
        assert sorted(fake.cancelled) == [2, 3, 4, 5]
        assert fake.running == 0
        assert not other_tasks()
    finally:
        gc.enable()


async def test_exception_in_the_loop_body_cancels_fetches() -> None:
    fake, _ = _blocked_list()
    paginator = Paginator(fake.fetch, per_page=10, concurrency=3)

    async def consume() -> None:
        async for item in paginator:
            await settle()
            raise KeyError(item)

    with pytest.raises(KeyError):
        await consume()
    await asyncio.sleep(0)
    assert sorted(fake.cancelled) == [2, 3, 4]
    assert fake.running == 0
    assert not other_tasks()


async def test_async_with_paginator_cleans_up_before_the_next_line() -> None:
    fake, _ = _blocked_list()
    async with Paginator(fake.fetch, per_page=10, concurrency=4) as paginator:
        iterator = aiter(paginator)
        await anext(iterator)
        await settle()
    assert fake.running == 0  # no extra loop turn needed
    assert sorted(fake.cancelled) == [2, 3, 4, 5]
    assert not other_tasks()
    with pytest.raises(StopAsyncIteration):
        await anext(iterator)


async def test_aclosing_and_aclose_wait_for_cancellation() -> None:
    fake, _ = _blocked_list()
    paginator = Paginator(fake.fetch, per_page=10, concurrency=2)
    async with contextlib.aclosing(aiter(paginator)) as iterator:
        async for _ in iterator:
            await settle()
            break
    assert fake.running == 0
    assert sorted(fake.cancelled) == [2, 3]

    fake, _ = _blocked_list()
    pages = Paginator(fake.fetch, per_page=10, concurrency=2).pages()
    first = await anext(pages)
    assert first.data == tuple(range(10))
    await settle()
    await pages.aclose()
    assert fake.running == 0
    assert not other_tasks()


async def test_cancelling_a_consumer_that_waits_for_a_page() -> None:
    fake, _ = _blocked_list()
    got: list[int] = []

    async def consume() -> None:
        async for item in Paginator(fake.fetch, per_page=10, concurrency=4):
            got.append(item)

    task = asyncio.create_task(consume())
    await settle()  # page 1 consumed, the consumer now waits for page 2
    assert got == list(range(10))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert fake.running == 0  # cleaned up before the task ended
    assert sorted(fake.cancelled) == [2, 3, 4, 5]
    assert not other_tasks()


async def test_cancelling_a_consumer_busy_in_its_loop_body() -> None:
    fake, _ = _blocked_list()
    paused = asyncio.Event()

    async def consume() -> None:
        async for _ in Paginator(fake.fetch, per_page=10, concurrency=4):
            await paused.wait()

    task = asyncio.create_task(consume())
    await settle()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0)
    assert fake.running == 0
    assert sorted(fake.cancelled) == [2, 3, 4, 5]
    assert not other_tasks()


async def test_aclose_from_another_task_ends_the_consumer_quietly() -> None:
    fake, _ = _blocked_list()
    paginator = Paginator(fake.fetch, per_page=10, concurrency=4)
    got: list[int] = []

    async def consume() -> None:
        async for item in paginator:
            got.append(item)

    consumer = asyncio.create_task(consume())
    await settle()  # the consumer waits for page 2
    await paginator.aclose()
    await consumer  # ends normally: no CancelledError
    assert got == list(range(10))
    assert fake.running == 0


async def test_two_consumers_cannot_share_one_iterator() -> None:
    fake, gate = _blocked_list()
    iterator = aiter(Paginator(fake.fetch, per_page=10).pages())
    await anext(iterator)
    waiting = asyncio.create_task(anext(iterator))
    await settle()
    with pytest.raises(RuntimeError, match="already waiting"):
        await anext(iterator)
    gate.set()
    assert (await waiting).data == tuple(range(10, 20))
    await iterator.aclose()


# -- errors -------------------------------------------------------------------------------


async def test_a_failing_page_surfaces_after_the_pages_before_it() -> None:
    fake = FakeList(range(100))
    error = APIConnectionError("connection reset", method="GET", url="https://x.test/")
    fake.failures[3] = error
    gate = fake.gate(4, 5, 6)
    got: list[int] = []

    async def consume() -> None:
        async for item in Paginator(fake.fetch, per_page=10, concurrency=4):
            got.append(item)

    with pytest.raises(APIConnectionError) as info:
        await consume()
    assert info.value is error
    assert got == list(range(20))
    assert fake.running == 0  # the other fetches were cancelled and awaited
    assert sorted(fake.cancelled) == [4, 5]
    assert fake.pages_called == [1, 2, 3, 4, 5]  # none after the failure was seen
    assert not gate.is_set()
    assert not other_tasks()


async def test_a_page_failing_early_stops_new_requests() -> None:
    fake = FakeList(range(200))
    fake.failures[4] = NotFoundError(404, method="GET", url="https://x.test/", body=ErrorBody())
    gate = fake.gate(2)
    iterator = aiter(Paginator(fake.fetch, per_page=10, concurrency=4))
    got = [await anext(iterator) for _ in range(10)]
    await settle()  # page 4 has failed; page 2 is still held
    gate.set()

    async def consume() -> None:
        async for item in iterator:
            got.append(item)

    with pytest.raises(NotFoundError):
        await consume()
    assert got == list(range(30))
    assert max(fake.pages_called) == 5  # nothing requested past the window
    assert not other_tasks()


async def test_a_failure_nobody_waits_for_is_not_reported() -> None:
    fake = FakeList(range(100))
    fake.failures[3] = APIConnectionError("down")
    async for _ in Paginator(fake.fetch, per_page=10, concurrency=4):
        await settle()  # page 3 fails while page 1 is being consumed
        break
    gc.collect()  # the quiet_loop fixture fails on "Task exception was never retrieved"
    await settle()
    assert fake.running == 0


async def test_a_failing_first_page_raises_at_once() -> None:
    fake = FakeList(range(100))
    fake.failures[1] = APIConnectionError("down")
    with pytest.raises(APIConnectionError):
        await Paginator(fake.fetch).collect()
    assert fake.pages_called == [1]


async def test_fetch_returning_something_else_is_a_type_error() -> None:
    async def fetch(page: int, per_page: int) -> Page[int]:
        return {"data": []}  # type: ignore[return-value]

    with pytest.raises(TypeError, match="returned dict"):
        await Paginator(fetch).collect()


async def test_after_an_error_the_iterator_is_finished() -> None:
    fake = FakeList(range(30))
    fake.failures[2] = APIConnectionError("down")
    iterator = aiter(Paginator(fake.fetch, per_page=10))
    with pytest.raises(APIConnectionError):
        async for _ in iterator:
            pass
    with pytest.raises(StopAsyncIteration):
        await anext(iterator)


# -- envelopes ----------------------------------------------------------------------------


def _serve(*pages: Page[int]) -> tuple[list[int], Callable[[int, int], Any]]:
    calls: list[int] = []

    async def fetch(page: int, per_page: int) -> Page[int]:
        calls.append(page)
        return pages[page - 1]

    return calls, fetch


async def test_unpaginated_list_is_one_page() -> None:
    # fundraising event forwardings: offset and per_page null, everything in one response
    calls, fetch = _serve(Page(data=(1, 2, 3, 4, 5), total_entries=5, total_pages=1))
    assert await Paginator(fetch, per_page=2).collect() == [1, 2, 3, 4, 5]
    calls2, fetch2 = _serve(Page(data=tuple(range(7))))  # every count null
    assert await Paginator(fetch2, per_page=3).collect() == list(range(7))
    assert calls == calls2 == [1]


@pytest.mark.parametrize(
    "first",
    [
        Page(data=(), total_entries=0, offset=0, total_pages=0, current_page=1, per_page=3),
        Page(data=(), total_entries=0, offset=0, total_pages=1, current_page=None, per_page=3),
        Page(data=(), total_entries=None, offset=None, total_pages=None, per_page=3),
        Page(data=(), total_entries=0, offset=None, total_pages=1, current_page=1),
    ],
)
async def test_empty_lists(first: Page[int]) -> None:
    calls, fetch = _serve(first)
    paginator = Paginator(fetch, per_page=3)
    pages = [page async for page in paginator.pages()]
    assert pages == [first]  # the start page always comes, for its counts
    assert await paginator.collect() == []
    assert calls == [1, 1]


async def test_counts_missing_means_read_until_a_short_page() -> None:
    pages = [Page(data=(1, 2), offset=0, per_page=2), Page(data=(3,), offset=2, per_page=2)]
    calls, fetch = _serve(*pages)
    assert await Paginator(fetch, per_page=2, identity=lambda x: x).collect() == [1, 2, 3]
    assert calls == [1, 2]


async def test_pages_beyond_inconsistent_counts_are_read() -> None:
    # seen in recorded data: total_pages computed for another page size
    items = list(range(10))

    async def fetch(page: int, per_page: int) -> Page[int]:
        return attrs.evolve(envelope(items, page, per_page), total_pages=2)

    assert await Paginator(fetch, per_page=3).collect() == items


async def test_a_server_paging_narrower_than_asked() -> None:
    items = list(range(50))

    async def fetch(page: int, per_page: int) -> Page[int]:
        return envelope(items, page, min(per_page, 20))

    paginator = Paginator(fetch, per_page=200)
    assert await paginator.collect() == items
    assert paginator.stats.drift_events == 0


def _recorded_envelopes() -> list[Any]:
    params = []
    for path in sorted(SAMPLES.glob("*_list/*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        if "data" in body:  # two files in these folders are not list responses
            params.append(pytest.param(body, id=f"{path.parent.name}/{path.stem}"))
    return params


@pytest.mark.parametrize("body", _recorded_envelopes())
async def test_recorded_envelopes(body: dict[str, Any]) -> None:
    data = tuple(range(len(body["data"] or [])))
    counts = {k: body.get(k) for k in ("total_entries", "offset", "total_pages", "per_page")}
    asked = counts["per_page"] or 200
    first = Page(data=data, current_page=body.get("current_page"), **counts)

    async def fetch(page: int, per_page: int) -> Page[int]:
        if page == 1:
            return first
        start = (page - 1) * asked  # later pages: same counts, made-up records
        return attrs.evolve(first, data=tuple(range(start, start + asked)), offset=start)

    paginator = Paginator(fetch, per_page=asked, limit=3 * asked + 1)
    got = await paginator.collect()
    assert got[: len(data)] == list(data)
    promised = max(counts["total_entries"] or 0, len(data))
    if (counts["offset"] is None and counts["per_page"] is None) or promised <= asked:
        assert got == list(data)
        assert paginator.stats.pages_fetched == 1


# -- pages(), stats, reuse ----------------------------------------------------------------


async def test_pages_carry_their_counts() -> None:
    fake = FakeList(range(25))
    pages = [page async for page in Paginator(fake.fetch, per_page=10).pages()]
    assert [page.data for page in pages] == [
        tuple(range(10)),
        tuple(range(10, 20)),
        tuple(range(20, 25)),
    ]
    assert [(p.current_page, p.offset, p.total_entries, p.total_pages) for p in pages] == [
        (1, 0, 25, 3),
        (2, 10, 25, 3),
        (3, 20, 25, 3),
    ]


async def test_pages_respect_the_limit() -> None:
    fake = FakeList(range(25))
    pages = [page async for page in Paginator(fake.fetch, per_page=10, limit=13).pages()]
    assert [len(page.data) for page in pages] == [10, 3]


async def test_stats_of_a_run() -> None:
    fake = FakeList(range(25))
    paginator = Paginator(fake.fetch, per_page=10, concurrency=8)
    assert paginator.stats == PaginationStats()
    await paginator.collect()
    assert paginator.stats == PaginationStats(
        strategy_reason="records have no identity",
        pages_fetched=3,
        items_yielded=25,
        total_entries_first=25,
        total_entries_last=25,
        total_pages_first=3,
        total_pages_last=3,
        window=8,
        window_max=8,
    )


async def test_each_iteration_is_a_fresh_run() -> None:
    fake = FakeList(range(15))
    paginator = Paginator(fake.fetch, per_page=10)
    assert await paginator.collect() == list(range(15))
    first_stats = paginator.stats
    fake.items.append(15)
    assert [item async for item in paginator] == list(range(16))
    assert paginator.stats is not first_stats
    assert paginator.stats.items_yielded == 16


async def test_dedup_window_is_bounded() -> None:
    fake = FakeList(range(3 * DEDUP_WINDOW))
    iterator = aiter(Paginator(fake.fetch, identity=lambda x: x))
    async for _ in iterator:
        pass
    assert len(iterator._run._keeper._seen) == DEDUP_WINDOW


# -- properties ---------------------------------------------------------------------------


@settings(deadline=None, max_examples=100)
@given(
    total=st.integers(0, 2000),
    per_page=st.integers(1, 200),
    concurrency=st.integers(1, 32),
    limit=st.none() | st.integers(0, 2500),
    start_page=st.integers(1, 12),
    delays=st.lists(st.integers(0, 6), max_size=8),
    with_identity=st.booleans(),
)
def test_any_list_comes_out_exactly_in_order(
    total: int,
    per_page: int,
    concurrency: int,
    limit: int | None,
    start_page: int,
    delays: list[int],
    with_identity: bool,
) -> None:
    async def main() -> tuple[list[int], FakeList, PaginationStats]:
        fake = FakeList(range(total))
        fake.delays = delays
        paginator = Paginator(
            fake.fetch,
            per_page=per_page,
            concurrency=concurrency,
            limit=limit,
            start_page=start_page,
            identity=(lambda x: x) if with_identity else None,
        )
        return await paginator.collect(), fake, paginator.stats

    got, fake, stats = run_quietly(main())
    expected = list(range(total))[(start_page - 1) * per_page :][:limit]
    assert got == expected
    last = max(math.ceil(total / per_page), start_page)
    if limit is not None:
        last = min(last, start_page + max(math.ceil(limit / per_page), 1) - 1)
    wanted = [] if limit == 0 else list(range(start_page, last + 1))
    if stats.strategy == "counts":
        assert sorted(fake.pages_called) == wanted  # each needed page once, nothing more
    else:  # overlapping reads: the first one aligned, then exactly the planned windows
        assert with_identity
        assert per_page >= 20
        assert all(size <= per_page for _, size in fake.calls)
        assert fake.calls[:1] == ([(start_page, per_page)] if limit != 0 else [])
        assert len(fake.calls) <= _planned_reads(start_page, per_page, total, limit)
    assert fake.max_running <= concurrency
    assert stats.items_yielded == len(expected)
    assert stats.drift_events == stats.discarded_pages == stats.refetched_pages == 0


@pytest.mark.parametrize("concurrency", ["auto", 4])
async def test_reads_cancelled_before_they_start_leave_no_coroutine(
    concurrency: int | str,
) -> None:
    # Leaving the loop right after the first page drops the reads queued for the pages
    # after it before they started: that must not leave a request coroutine never awaited
    # (a RuntimeWarning, an error here).
    fake = FakeList(range(500))
    paginator = Paginator(
        fake.fetch,
        per_page=20,
        concurrency=concurrency,  # type: ignore[arg-type]
        identity=lambda x: x,
    )
    async for page in paginator.pages():
        assert page.data[0] == 0
        break
    gc.collect()
    await settle()


def _planned_reads(start_page: int, per_page: int, total: int, limit: int | None) -> int:
    """How many overlapping reads cover a static list from ``start_page`` (``limit`` aside)."""
    if limit == 0:
        return 0
    start = (start_page - 1) * per_page
    end = start + per_page
    wanted = total if limit is None else min(total, start + limit)
    reads = 1
    while end < wanted:
        number, size = next_window(end, per_page, OVERLAP)
        end = number * size
        reads += 1
    return reads
