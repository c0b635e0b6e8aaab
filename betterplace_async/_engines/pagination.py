"""The streaming, concurrent pagination engine behind every list method.

It does no HTTP: it is given ``fetch_page(page, per_page)``, a coroutine function that
returns one decoded :class:`~betterplace_async.models.common.Page`, and streams the
records of all pages in list order.

Reading
    The start page is read alone; its counts say how many pages follow. Those are read
    with at most ``concurrency`` requests in flight (with ``"auto"``, the adaptive
    window's current limit), always the pages right after the one being consumed: at
    most that many pages wait in memory, and a consumer that stops asking stops new
    requests (backpressure).

Leaving early
    ``break``, an exception in the loop body, cancelling the consuming task and
    ``aclose()`` all cancel every request in flight. ``aclose()`` (so also ``async with
    paginator:`` and ``contextlib.aclosing(...)``) then waits until the cancelled requests
    have finished: use it where cleanup must be complete before the next line. A plain
    ``break`` drops the iterator and CPython finalises it right there (reference
    counting), cancelling the requests at once; they finish on the next event-loop turn.
    A consumer cancelled while it waits for a page has all requests finished before the
    ``CancelledError`` leaves ``__anext__``.

Changing lists
    Offset pagination over live data skips or repeats records when records are added or
    removed between page reads, and the API docs show donations listed both newest first
    and oldest first, so new records may arrive at either end. Two strategies keep every
    record that stays in the list for the whole run exactly once, in the API's order:

    ``"overlap"`` (records have an ``identity``, pages of at least
    :data:`~betterplace_async._engines.overlap.MIN_PAGE`): consecutive reads overlap and each page
    must repeat a record already yielded, which proves that nothing lasting fell between
    two pages, whichever end the list grows at, wherever records are removed and in
    whatever order concurrent pages were served. A page without such a witness stops the
    read-ahead and the list is searched one page at a time until pages hold witnesses
    again. The argument is written out in :mod:`betterplace_async._engines.overlap`. Cost: about
    10 % more requests than back-to-back pages.

    ``"counts"`` (no identity, or small pages): concurrent reads are trusted while every
    page reports the first page's counts and repeats no record; on the first sign of
    change the list is read one page at a time, each read checked against the last
    trusted one (see :mod:`betterplace_async._engines.drift`). Exact only for lists that grow at
    the head and only when pages are served in order (``concurrency=1``): records appended
    at the tail while others are removed leave the counts unchanged and can be missed, and
    so can a record that slips between two pages served out of order while an insert and a
    removal cancel out.

    ``stats.strategy`` names the strategy of a run. Every change seen is counted in
    :class:`PaginationStats`, passed to ``on_event`` and logged under
    ``betterplace_async.pagination``; ``strict_drift=True`` raises
    :class:`PaginationDriftError` instead. Records added or removed during the run may or
    may not appear. Limits: repeats are recognised among the last :data:`DEDUP_WINDOW`
    records yielded, so a run gives up (``stalled``) rather than guess when records move
    by more than that between two reads.

Memory stays flat whatever the list length: the pages in the window, one page being
consumed, and the identities of the last :data:`DEDUP_WINDOW` records.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from types import TracebackType
from typing import Any, Generic, Self, TypeAlias, TypeVar
from weakref import WeakSet

import attrs

from betterplace_async._core import params as _params
from betterplace_async._core.params import DEFAULT_MAX_CONCURRENCY, Concurrency, concurrency_arg
from betterplace_async._engines.drift import (
    DEDUP_WINDOW,
    CountKeeper,
    Mode,
    PaginationDriftError,
    PaginationEvent,
    PaginationStats,
    Verdict,
)
from betterplace_async._engines.overlap import MIN_PAGE, Witness
from betterplace_async._engines.window import Window as WindowType
from betterplace_async._engines.window import window_for
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.common import Page

__all__ = [
    "DEDUP_WINDOW",
    "ItemIterator",
    "PageIterator",
    "PaginationDriftError",
    "PaginationEvent",
    "PaginationStats",
    "Paginator",
]

T = TypeVar("T")
FetchPage: TypeAlias = Callable[[int, int], Awaitable[Page[T]]]
PageRead: TypeAlias = tuple[int, int]  # (page, per_page) of one request


async def _tracked(
    window: WindowType, fetch: FetchPage[T], number: int, size: int, in_flight: int
) -> Page[T]:
    """Read a page through the window; the request is made only once the task runs.

    A task cancelled before it started so leaves no request coroutine never awaited.
    """
    return await window.track(fetch(number, size), in_flight)


def _retrieve(task: asyncio.Future[Any]) -> None:
    """Mark a finished task's outcome as seen, so an abandoned failure is never logged."""
    if not task.cancelled():
        task.exception()


class _Run(Generic[T]):
    """One pass through the list: hands out pages (already de-duplicated) in order.

    Nothing else may hold a strong reference to a run (tasks get no bound methods), so
    dropping its iterator finalises it at once.
    """

    def __init__(self, owner: Paginator[T]) -> None:
        self._fetch = owner._fetch_page
        self._per_page = owner._per_page  # what is asked for
        self._limit = owner._limit
        self._start_page = owner._start_page
        identity = owner._identity
        self._keeper: CountKeeper[T] | Witness[T]
        if identity is not None and owner._per_page >= MIN_PAGE:
            self._keeper = Witness(owner._per_page, identity, owner._strict, owner._on_event)
        else:
            self._keeper = CountKeeper(owner._per_page, identity, owner._strict, owner._on_event)
        self._window = window_for(
            owner._concurrency,
            maximum=owner._max_concurrency,
            stream="pages",
            stats=self._keeper.stats,
            on_event=owner._on_event,
        )
        self.stats = self._keeper.stats
        self._mode: Mode | None = None  # None: the start page is still to be read
        self.closed = False
        # read ahead, in hand-out order: index -> (read, request)
        self._tasks: dict[int, tuple[PageRead, asyncio.Future[Page[T]]]] = {}
        self._index = 0  # the index the next request gets
        self._loop: asyncio.AbstractEventLoop | None = None
        self._busy = False
        self._delivered = 0
        self._head = self._next = self._last = 0  # fast mode: pages to hand out / request

    def __del__(self) -> None:
        # Reached on a plain `break` as soon as the iterator is dropped; cannot await.
        tasks = [t for _, t in getattr(self, "_tasks", {}).values() if not t.done()]
        loop: asyncio.AbstractEventLoop | None = getattr(self, "_loop", None)
        if not tasks or loop is None or loop.is_closed():
            return
        try:
            same_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            same_loop = False
        for task in tasks:
            if same_loop:
                task.cancel()
            else:  # finalised by the cyclic GC in another thread
                try:
                    loop.call_soon_threadsafe(task.cancel)
                except RuntimeError:  # the loop closed meanwhile
                    return

    async def next_page(self) -> Page[T] | None:
        """Return the next page to hand out, or ``None`` once the run is over."""
        if self._busy:
            raise RuntimeError("another coroutine is already waiting on this iterator")
        self._busy = True
        self._loop = asyncio.get_running_loop()
        try:
            while self._mode != "done":
                if self._limit is not None and self._delivered >= self._limit:
                    break
                if self._mode is None:
                    verdict = await self._read_start()
                elif self._mode == "fast":
                    verdict = await self._read_fast()
                else:
                    verdict = await self._read_careful()
                if self.closed:  # closed by another task meanwhile
                    break
                self._follow(verdict)
                if verdict.page is not None:
                    return self._deliver(verdict.page)
            await self.aclose()
            return None
        except BaseException:
            await self.aclose()
            raise
        finally:
            self._busy = False

    async def aclose(self) -> None:
        """End the run: cancel every request in flight and wait until all have finished."""
        self._mode = "done"
        self.closed = True
        await self._drop_read_ahead()

    async def _read_start(self) -> Verdict[T]:
        number = self._start_page
        page = await self._window.track(self._fetch(number, self._per_page), 1)
        self._keeper.arrived(number, self._per_page, page)
        if (page.offset is None and page.per_page is None) or len(page.data) > self._per_page:
            return Verdict(page, "done")  # not paginated: the whole list in one response
        if isinstance(page.per_page, int) and 0 < page.per_page < self._per_page:
            self._keeper.per_page = page.per_page  # the server pages narrower than asked
        return self._keeper.start(number, page)

    async def _read_fast(self) -> Verdict[T]:
        index = self._head
        self._top_up()
        entry = self._tasks.get(index)
        if entry is None:  # the limit needs no more pages
            return Verdict(None, "done")
        (number, size), task = entry
        try:
            page = await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if self.closed and current is not None and not current.cancelling():
                return Verdict(None, "done")  # the request was cancelled by aclose()
            raise
        del self._tasks[index]
        self._head += 1
        ledger = self._keeper
        if isinstance(ledger, Witness):
            ledger.arrived(number, size, page)
            verdict = ledger.fast(number, size, page)
        else:
            ledger.arrived(number, ledger.per_page, page)
            verdict = ledger.fast(number, self._last, page)
        if verdict.then == "careful":
            await self._drop_read_ahead()
        return verdict

    async def _read_careful(self) -> Verdict[T]:
        number, size = self._keeper.plan()
        page = await self._fetch(number, size)
        self._keeper.arrived(number, size, page)
        return self._keeper.careful(number, size, page)

    def _follow(self, verdict: Verdict[T]) -> None:
        if verdict.then == "fast" and isinstance(self._keeper, CountKeeper):
            if self._mode != "fast":  # (re)start reading ahead from here
                self._next = verdict.first
            self._last = verdict.last
        self._mode = verdict.then

    def _next_read(self) -> PageRead | None:
        """Return the next request to read ahead, or None when none is due."""
        if isinstance(self._keeper, Witness):
            return self._keeper.next_fast()
        if self._next > self._last:
            return None
        self._next += 1
        return self._next - 1, self._per_page

    def _top_up(self) -> None:
        """Request pages after the head until the window's limit are in flight or waiting."""
        tasks = [t for _, t in self._tasks.values()]
        if any(t.done() and not t.cancelled() and t.exception() is not None for t in tasks):
            return  # a page failed: its error ends the run once the pages before it are out
        size = self._keeper.per_page
        out = sum(not t.done() for t in tasks)  # requests in flight (not pages waiting)
        while len(self._tasks) < self._window.limit:
            if self._limit is not None and self._delivered + len(self._tasks) * size >= self._limit:
                return
            read = self._next_read()
            if read is None:
                return
            out += 1
            task = asyncio.ensure_future(_tracked(self._window, self._fetch, *read, out))
            task.add_done_callback(_retrieve)
            self._tasks[self._index] = (read, task)
            self._index += 1

    async def _drop_read_ahead(self) -> None:
        """Cancel the requests in flight, wait for them, and count pages that had arrived."""
        tasks = self._tasks
        self._tasks = {}
        self._head = self._index
        for _, task in tasks.values():
            task.cancel()
        if tasks:
            await asyncio.wait([task for _, task in tasks.values()])
        witnessed = isinstance(self._keeper, Witness)
        for (number, size), task in tasks.values():
            if task.cancelled() or task.exception() is not None:
                continue
            if isinstance(page := task.result(), Page):
                self._keeper.arrived(number, size if witnessed else self._keeper.per_page, page)
                self.stats.discarded_pages += 1

    def _deliver(self, page: Page[T]) -> Page[T]:
        if self._limit is not None and len(page.data) >= self._limit - self._delivered:
            page = attrs.evolve(page, data=page.data[: self._limit - self._delivered])
            for _, task in self._tasks.values():  # nothing more is needed
                task.cancel()
        self._delivered += len(page.data)
        if self._mode == "fast":
            self._top_up()  # read ahead while this page is consumed
        return page


class ItemIterator(AsyncIterator[T]):
    """The records of one run, in list order."""

    def __init__(self, run: _Run[T]) -> None:
        self._run = run
        self._buffer: tuple[T, ...] = ()
        self._index = 0

    @property
    def stats(self) -> PaginationStats:
        """The counters of this run."""
        return self._run.stats

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        if self._run.closed:  # closed from outside, e.g. by the paginator's `async with`
            self._buffer = ()
        while self._index >= len(self._buffer):
            page = await self._run.next_page()
            if page is None:
                self._buffer, self._index = (), 0
                raise StopAsyncIteration
            self._buffer, self._index = page.data, 0
        item = self._buffer[self._index]
        self._index += 1
        self._run.stats.items_yielded += 1
        return item

    async def aclose(self) -> None:
        """Cancel the requests in flight and wait for them; the iteration ends."""
        self._buffer, self._index = (), 0
        await self._run.aclose()


class PageIterator(AsyncIterator[Page[T]]):
    """The pages of one run, in order, with their counts.

    Each page holds only records not yielded before (reads overlap under the
    ``"overlap"`` strategy, and are repeated after a change); pages left empty are skipped.
    ``current_page``/``per_page`` are those of the read, which under ``"overlap"`` varies
    its page size; the start page is read at the requested size and always comes, even
    when empty.
    """

    def __init__(self, run: _Run[T]) -> None:
        self._run = run

    @property
    def stats(self) -> PaginationStats:
        """The counters of this run."""
        return self._run.stats

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Page[T]:
        page = await self._run.next_page()
        if page is None:
            raise StopAsyncIteration
        self._run.stats.items_yielded += len(page.data)
        return page

    async def aclose(self) -> None:
        """Cancel the requests in flight and wait for them; the iteration ends."""
        await self._run.aclose()


class Paginator(Generic[T]):
    """A list to stream with ``async for record in paginator`` or ``paginator.pages()``.

    Each iteration is a new run from ``start_page``; :attr:`stats` belongs to the latest.
    Arguments are checked here, before anything is read. List methods of the client return
    a :class:`~betterplace_async.Listing` (a paginator); build one yourself only to page
    through something of your own.

    Args:
        fetch_page: ``async (page, per_page) -> Page`` reading one page (1-based).
        per_page: Records per read, 1..200.
        concurrency: Pages read at once: ``"auto"`` (the default) lets an adaptive window
            find it, up to ``max_concurrency`` (see
            :mod:`betterplace_async._engines.adaptive`); an int fixes it.
        max_concurrency: The most pages an adaptive window may read at once.
        limit: Most records to yield (``None``: all); only the pages needed are read.
        start_page: First page to read.
        identity: Returns a record's stable key (its id; the token for donations), used to
            drop repeats; ``None`` checks changes through the counts only.
        strict_drift: Raise :class:`PaginationDriftError` at the first sign that the list
            changed, instead of repairing the read.
        on_event: Gets each :class:`PaginationEvent` (and each
            :class:`~betterplace_async.events.ConcurrencyChanged` of an adaptive window)
            synchronously.

    Raises:
        InvalidParameterError: An argument is out of range or of the wrong type.
    """

    def __init__(
        self,
        fetch_page: FetchPage[T],
        *,
        per_page: int = _params.PER_PAGE_CAP,
        concurrency: Concurrency = "auto",
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        limit: int | None = None,
        start_page: int = 1,
        identity: Callable[[T], Hashable] | None = None,
        strict_drift: bool = False,
        on_event: Callable[[PaginationEvent], None] | None = None,
    ) -> None:
        if not callable(fetch_page):
            raise InvalidParameterError("fetch_page", "must be a coroutine function")
        self._per_page = _params.per_page(per_page)
        self._concurrency = concurrency_arg(concurrency)
        self._max_concurrency = _params.positive_id(max_concurrency, "max_concurrency")
        self._start_page = _params.positive_id(start_page, "start_page")
        for name, hook in (("identity", identity), ("on_event", on_event)):
            if hook is not None and not callable(hook):
                raise InvalidParameterError(name, "must be callable or None")
        self._fetch_page = fetch_page
        self._limit = _params.limit(limit)
        self._identity = identity
        self._strict = bool(strict_drift)
        self._on_event = on_event
        self._runs: WeakSet[_Run[T]] = WeakSet()
        self.stats = PaginationStats()

    def _new_run(self) -> _Run[T]:
        run = _Run(self)
        self._runs.add(run)
        self.stats = run.stats
        return run

    def __aiter__(self) -> ItemIterator[T]:
        return ItemIterator(self._new_run())

    def pages(self) -> PageIterator[T]:
        """Iterate over pages (records plus counts) instead of records."""
        return PageIterator(self._new_run())

    async def collect(self) -> list[T]:
        """Read every record (up to ``limit``) into a list."""
        iterator = self.__aiter__()
        try:
            return [item async for item in iterator]
        finally:
            await iterator.aclose()

    async def aclose(self) -> None:
        """End every run of this paginator still going, waiting for its requests."""
        for run in list(self._runs):
            await run.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
