"""Bookkeeping for lists that change while the paginator reads them.

The :class:`CountKeeper` knows what has been yielded and as of which read, and decides whether
a page read can be trusted; :mod:`betterplace_async._engines.pagination` does the reading. No I/O.

Positions count from 0; page ``p`` of size ``s`` holds positions ``(p-1)*s .. p*s-1``.
The ledger keeps one invariant: every record at a position below ``covered`` in the list
as it was at the last trusted read (which reported ``total`` entries) has been yielded.
With records added at the head and removed anywhere, a record at position ``x`` is at a
position of at least ``x + total2 - total`` when a later read reports ``total2``. So a
read made after the trusted one arrived, starting at or before the *bound*
``covered + min(0, total2 - total)``, extends the invariant to its own end; records it
holds before the bound were yielded already. (Growth is not used to skip ahead: it may
just as well be records appended at the tail.)
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Final, Generic, Literal, TypeAlias, TypeVar

import attrs

from betterplace_async.errors import PaginationDriftError
from betterplace_async.events import DriftKind, PaginationEvent
from betterplace_async.models.common import Page

__all__ = [
    "DEDUP_WINDOW",
    "Bookkeeper",
    "CountKeeper",
    "DriftKind",
    "PaginationDriftError",
    "PaginationEvent",
    "PaginationStats",
    "SeenWindow",
    "Verdict",
    "recovery_window",
]

T = TypeVar("T")

DEDUP_WINDOW: Final = 1024
"""How many identities of recently yielded records are remembered for de-duplication."""

CALM_READS: Final = 2
"""Quiet one-by-one reads after which concurrent reading resumes."""

MAX_STALLED_READS: Final = 100
"""One-by-one reads in a row that gain no ground before the paginator gives up."""

_DETECTIONS: Final = frozenset({"totals_changed", "duplicates", "page_size", "unwitnessed"})

logger = logging.getLogger("betterplace_async.pagination")


@attrs.define
class PaginationStats:
    """Counters of one run through a list; readable during and after the iteration.

    ``pages_fetched`` counts every page that arrived, including ``discarded_pages`` (read
    but not used: thrown away after a change, or read ahead when the run stopped early)
    and ``refetched_pages`` (reads of positions read before). ``duplicates_dropped``
    counts records dropped because their identity was yielded before;
    ``covered_dropped`` counts records dropped, identity or not, because removals pulled
    them to positions known to be yielded already.
    ``drift_events`` counts detections: ``totals_changed``, ``duplicates``,
    ``page_size`` and ``unwitnessed`` events.
    ``window`` is how many pages may be in flight now and ``window_max`` the most so far
    (they move with ``concurrency="auto"``).

    ``strategy`` says how the run kept records exactly once: ``"overlap"`` (records have an
    identity: consecutive reads overlap and each page must repeat a record already
    yielded; safe whichever end the list grows at) or ``"counts"`` (no identity, or pages
    of one record: changes are seen through the counts only, see
    :mod:`betterplace_async._engines.drift`); ``strategy_reason`` says why it was chosen.
    ``overlap_dropped`` counts records dropped because the planned overlap read them twice.
    """

    strategy: str = "counts"
    strategy_reason: str = ""
    pages_fetched: int = 0
    items_yielded: int = 0
    duplicates_dropped: int = 0
    covered_dropped: int = 0
    refetched_pages: int = 0
    discarded_pages: int = 0
    drift_events: int = 0
    total_entries_first: int | None = None
    total_entries_last: int | None = None
    total_pages_first: int | None = None
    total_pages_last: int | None = None
    overlap_dropped: int = 0
    window: int | None = None
    window_max: int | None = None


class SeenWindow:
    """The identities of the last ``capacity`` records yielded; the oldest are forgotten."""

    def __init__(self, capacity: int = DEDUP_WINDOW) -> None:
        self._capacity = capacity
        self._keys: OrderedDict[Hashable, None] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: Hashable) -> None:
        """Remember ``key`` as the most recent one."""
        self._keys[key] = None
        self._keys.move_to_end(key)
        if len(self._keys) > self._capacity:
            self._keys.popitem(last=False)

    def extend(self, keys: Iterable[Hashable]) -> None:
        """Remember ``keys``, in order, as the most recent ones."""
        window = self._keys
        for key in keys:
            window[key] = None
            window.move_to_end(key)
        while len(window) > self._capacity:
            window.popitem(last=False)


def recovery_window(covered: int, target: int, per_page: int) -> tuple[int, int]:
    """Return ``(page, per_page)`` for a read that starts at or before ``target``.

    The read should also reach past ``covered`` (``target <= covered``) to gain ground.
    The ``per_page``-aligned page around ``target`` is preferred; when it ends at or
    before ``covered``, the largest smaller page size whose page straddles both is used.
    If there is none, the aligned page is returned anyway.
    """
    if target // per_page * per_page + per_page > covered:
        return target // per_page + 1, per_page
    for size in range(per_page - 1, covered - target, -1):
        if target // size * size + size > covered:
            return target // size + 1, size
    return target // per_page + 1, per_page


Mode: TypeAlias = Literal["fast", "careful", "done"]


@attrs.frozen
class Verdict(Generic[T]):
    """What a page read gave: the page to hand out (if any) and how to read on.

    For ``then == "fast"``, pages ``first`` .. ``last`` follow.
    """

    page: Page[T] | None
    then: Mode
    first: int = 0
    last: int = 0


class Bookkeeper:
    """What every strategy shares: the counters, the type check and event reporting."""

    def __init__(
        self,
        per_page: int,
        strict: bool,
        on_event: Callable[[PaginationEvent], None] | None,
        strategy: str,
        reason: str,
    ) -> None:
        self.per_page = per_page
        self.stats = PaginationStats(strategy=strategy, strategy_reason=reason)
        self._strict = strict
        self._on_event = on_event
        self._total: int | None = None

    def arrived(self, number: int, size: int, page: Page[Any]) -> None:
        """Count a page that arrived as page ``number`` of size ``size``; check its type."""
        if not isinstance(page, Page):
            raise TypeError(f"fetch_page({number}, {size}) returned {type(page).__name__}")
        stats = self.stats
        stats.pages_fetched += 1
        if stats.pages_fetched == 1:
            stats.total_entries_first = page.total_entries
            stats.total_pages_first = page.total_pages
        stats.total_entries_last, stats.total_pages_last = page.total_entries, page.total_pages

    def report(self, event: PaginationEvent) -> None:
        """Count, log and pass on ``event``; raise it when ``strict`` and it is a detection."""
        detected = event.kind in _DETECTIONS
        if detected:
            self.stats.drift_events += 1
        quiet = event.kind in ("refetch", "totals_changed") and self.stats.strategy == "overlap"
        level = logging.INFO if quiet or event.kind == "refetch" else logging.WARNING
        logger.log(level, "list changed while paging (%s): %s", event.kind, event.detail)
        if self._on_event is not None:
            self._on_event(event)
        if self._strict and detected:
            raise PaginationDriftError(event)

    def _event(
        self,
        kind: DriftKind,
        number: int,
        size: int,
        detail: str,
        page: Page[Any] | None,
        count: int = 0,
    ) -> PaginationEvent:
        after = page.total_entries if page is not None else self._total
        strategy = self.stats.strategy
        return PaginationEvent(kind, number, size, detail, self._total, after, count, strategy)


class CountKeeper(Bookkeeper, Generic[T]):
    """What has been yielded, as of which read; judges each page read.

    ``per_page`` is the page size positions are computed with.
    """

    def __init__(
        self,
        per_page: int,
        identity: Callable[[T], Hashable] | None,
        strict: bool,
        on_event: Callable[[PaginationEvent], None] | None,
    ) -> None:
        reason = (
            "records have no identity"
            if identity is None
            else f"pages of {per_page} records are too small to overlap"
        )
        super().__init__(per_page, strict, on_event, "counts", reason)
        self._identity = identity
        self._seen = SeenWindow()
        self._covered = 0
        self._pages: int | None = None
        self._read_end = 0  # first position never read
        self._hint = 0  # how far before `covered` the next one-by-one read should start
        self._stalled = 0
        self._remaining: float = math.inf  # fewest positions seen left to read
        self._calm = 0
        self._told: int | None = None  # the last changed count reported

    def arrived(self, number: int, size: int, page: Page[Any]) -> None:
        """Count a page that arrived as page ``number`` of size ``size``; check its type."""
        super().arrived(number, size, page)
        self._read_end = max(self._read_end, (number - 1) * size + len(page.data))

    def start(self, number: int, page: Page[T]) -> Verdict[T]:
        """Judge the first page read: it sets the counts the others are checked against."""
        pp, length = self.per_page, len(page.data)
        start = (number - 1) * pp
        self._read_end = start + length
        fresh, _, _ = self._filter(page, start, start)
        if len(fresh) != length:
            page = attrs.evolve(page, data=fresh)
        self._covered, self._total, self._pages = start + pp, page.total_entries, page.total_pages
        if length < pp:
            return Verdict(page, "done")
        if self._total is None and self._pages is None:
            return Verdict(page, "careful")  # no counts: read on until a short page
        last = self._last_page(self._total, self._pages)
        return Verdict(page, "fast", number + 1, last) if last > number else Verdict(page, "done")

    def fast(self, number: int, last: int, page: Page[T]) -> Verdict[T]:
        """Judge a page read concurrently; any sign of change sends the reader to careful.

        Pages read concurrently can be trusted while every one reports the counts of the
        first and repeats no record yielded: with records added only at the head, a shift
        that hides a record between two pages also repeats one at an earlier boundary or
        changes the counts.
        """
        pp, total = self.per_page, self._total
        event: PaginationEvent | None = None
        keys: list[Hashable] = []
        if (page.total_entries, page.total_pages) != (total, self._pages):
            self._told = page.total_entries
            event = self._event(
                "totals_changed",
                number,
                pp,
                f"page {number} reports {page.total_entries} entries in {page.total_pages} "
                f"pages, earlier pages {total} in {self._pages}",
                page,
            )
        else:
            expected = len(page.data) if number == last else pp
            if total is not None:
                expected = min(pp, max(0, total - (number - 1) * pp))
            if len(page.data) != expected:
                event = self._event(
                    "page_size",
                    number,
                    pp,
                    f"page {number} holds {len(page.data)} records, the counts say {expected}",
                    page,
                )
            elif self._identity is not None:
                keys = [self._identity(item) for item in page.data]
                repeated = sum(k in self._seen for k in keys) + len(keys) - len(set(keys))
                if repeated:
                    event = self._event(
                        "duplicates",
                        number,
                        pp,
                        f"page {number} repeats {repeated} record(s) already yielded",
                        page,
                        count=repeated,
                    )
        if event is not None:
            self.stats.discarded_pages += 1
            self._hint = self._calm = self._stalled = 0
            self._remaining = math.inf
            self.report(event)
            return Verdict(None, "careful")
        self._seen.extend(keys)  # computed above whenever there is an identity
        self._covered = number * pp
        return Verdict(page, "fast" if number < last else "done", number + 1, last)

    def plan(self) -> tuple[int, int]:
        """Return ``(page, per_page)`` of the next one-by-one read."""
        covered = self._covered
        number, size = recovery_window(covered, max(0, covered + self._hint), self.per_page)
        start = (number - 1) * size
        if start < self._read_end:
            self.stats.refetched_pages += 1
            self.report(
                self._event("refetch", number, size, f"reading from position {start} again", None)
            )
        return number, size

    def careful(self, number: int, size: int, page: Page[T]) -> Verdict[T]:
        """Judge a one-by-one read, made after the last trusted read had arrived."""
        covered, total, now = self._covered, self._total, page.total_entries
        start, length = (number - 1) * size, len(page.data)
        delta = now - total if now is not None and total is not None else 0
        if delta and now != self._told:  # each new count once, not again on a retry
            self._told = now
            self.report(
                self._event(
                    "totals_changed",
                    number,
                    size,
                    f"the list went from {total} to {now} entries",
                    page,
                )
            )
        bound = covered + min(delta, 0)
        if start > max(bound, 0):  # records may have moved in front of this read
            self.stats.discarded_pages += 1
            self._hint = 2 * delta  # start further back, with room for more removals
            self._stall(number, size, now, covered)
            return Verdict(None, "careful")
        fresh, repeated, shifted = self._filter(page, start, bound)
        if repeated:
            self.report(
                self._event(
                    "duplicates",
                    number,
                    size,
                    f"dropped {repeated} record(s) already yielded",
                    page,
                    count=repeated,
                )
            )
        self._calm = 0 if delta or repeated or shifted else self._calm + 1
        self._covered, self._hint = start + size, 0
        self._stall(number, size, now, self._covered, gained=bool(fresh))
        if now is not None:
            self._total, self._pages = now, page.total_pages
        out: Page[T] | None = page if len(fresh) == length else attrs.evolve(page, data=fresh)
        if not fresh:
            out = None
        if length < size or (now is not None and self._covered >= now):
            return Verdict(out, "done")
        pp = self.per_page
        if self._calm >= CALM_READS and now is not None and self._covered % pp == 0:
            first = self._covered // pp + 1
            last = self._last_page(now, page.total_pages)
            if last >= first:
                return Verdict(out, "fast", first, last)
        return Verdict(out, "careful")

    def _last_page(self, total: int | None, pages: int | None) -> int:
        return max(math.ceil(total / self.per_page) if total is not None else 0, pages or 0)

    def _stall(
        self, number: int, size: int, total: int | None, covered: int, *, gained: bool = False
    ) -> None:
        """Give up when the unread rest of the list stops shrinking for too many reads.

        Without counts, a read gains ground when it yields a record.
        """
        if total is not None:
            gained = total - covered < self._remaining
            self._remaining = min(self._remaining, total - covered)
        self._stalled = 0 if gained else self._stalled + 1
        if self._stalled > MAX_STALLED_READS:
            event = self._event(
                "stalled",
                number,
                size,
                f"the list grows or changes faster than it can be read ({self._stalled} "
                "reads in a row brought the end no closer)",
                None,
            )
            self.report(event)
            raise PaginationDriftError(event)

    def _filter(self, page: Page[T], start: int, bound: int) -> tuple[tuple[T, ...], int, int]:
        """Drop records before position ``bound`` and records already yielded; count both."""
        fresh: list[T] = []
        repeated = shifted = 0
        identity, seen = self._identity, self._seen
        for offset, item in enumerate(page.data):
            key = identity(item) if identity is not None else None
            if start + offset < bound:
                shifted += 1
            elif key is not None and key in seen:
                repeated += 1
            else:
                fresh.append(item)
            if key is not None:
                seen.add(key)
        self.stats.duplicates_dropped += repeated
        self.stats.covered_dropped += shifted
        return tuple(fresh), repeated, shifted
