"""Overlapping reads witnessed by identity: the exactly-once strategy for changing lists.

No I/O: :mod:`betterplace_async._engines.pagination` does the reading, this module plans the reads
and judges each page. It is used whenever records have an ``identity`` and pages hold at
least :data:`MIN_PAGE` records.

Why it holds
    Records are added only at the list's ends (new donations arrive at the newest end,
    whichever end that is) and removed anywhere; the relative order of the records that
    remain never changes. One page read is a snapshot: the records it holds were adjacent
    in the list at the moment it was served, so no record lies between two of them.

    Consecutive reads are planned to overlap by :data:`OVERLAP` positions. When a page
    holds a record already yielded (its *witness*), the records before the page's end that
    were yielded and the page itself form one contiguous stretch: a record that stays in
    the list for the whole run and lies between the last record yielded and the end of
    this page is in this page, whenever each page was served and whatever moved between.
    So a page with a witness is trusted whatever its counts say, in any completion order:
    its records after the witness that were not yielded are yielded, the others dropped.
    A page without a witness (records moved by more than the overlap between two reads,
    or the list shrank under a planned page) is not trusted: the pages read ahead are
    dropped and the list is searched one page at a time, from where the last yielded
    record was, until a page holds a witness again. The run ends with a page that reaches
    the end of the list as it stood when that page was served, so nothing present for the
    whole run lies after the last record yielded.

    The order of records is the API's order, whichever end new records arrive at; nothing
    needs to know which end that is. Limits: a witness is recognised among the last
    :data:`~betterplace_async._engines.drift.DEDUP_WINDOW` records yielded, so the search gives up
    (``stalled``) rather than guess when the list moved by more than that between two
    reads.

Cost: page sizes must vary for reads to overlap, since a page of size ``s`` always starts
at a multiple of ``s``; at 200 records a page a read advances by about 182 positions on
average, so a run makes about 10 % more requests than back-to-back pages (the optimum over
all plans, computed exhaustively, is no better).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
from typing import Final, Generic, TypeVar

import attrs

from betterplace_async._engines.drift import (
    DEDUP_WINDOW,
    MAX_STALLED_READS,
    Bookkeeper,
    PaginationEvent,
    Verdict,
)
from betterplace_async.errors import PaginationDriftError
from betterplace_async.models.common import Page

__all__ = ["MIN_PAGE", "OVERLAP", "Witness", "next_window", "search_window"]

T = TypeVar("T")

OVERLAP: Final = 2
"""Positions by which consecutive reads overlap."""

MIN_PAGE: Final = 20
"""The smallest page size the strategy is used with: smaller pages seldom line up."""

CALM_READS: Final = 2
"""Witnessed one-by-one reads after which concurrent reading resumes."""


def next_window(end: int, per_page: int, overlap: int) -> tuple[int, int]:
    """Return ``(page, size)`` of the read after one that ended before position ``end``.

    The read starts at or before ``end - overlap`` and ends after ``end``: of the page
    sizes up to ``per_page``, the one whose page reaches furthest wins. Should no size line
    up (possible only for pages of a few records), the page holding ``end`` is returned and
    the missing witness is dealt with when that page arrives.
    """
    target = max(0, end - overlap)
    best, best_end = (end // per_page + 1, per_page), end
    for size in range(per_page, overlap, -1):
        number = target // size + 1
        if number * size > best_end:
            best, best_end = (number, size), number * size
    return best


def search_window(position: int, per_page: int, overlap: int) -> tuple[int, int]:
    """Return ``(page, size)`` of a read that holds ``position`` with room before it."""
    return next_window(position + 1, per_page, max(overlap, 1) + per_page // 4)


class RankedWindow:
    """The identities of the last ``capacity`` records yielded, each with its yield rank."""

    def __init__(self, capacity: int = DEDUP_WINDOW) -> None:
        self._capacity = capacity
        self.ranks: dict[Hashable, int] = {}
        self._order: deque[Hashable] = deque()
        self.last = 0  # rank of the newest record yielded (ranks start at 1)

    def __len__(self) -> int:
        return len(self.ranks)

    def add(self, key: Hashable) -> None:
        """Remember ``key`` (not remembered yet) as the record yielded last."""
        self.last += 1
        self.ranks[key] = self.last
        self._order.append(key)
        if len(self._order) > self._capacity:
            del self.ranks[self._order.popleft()]


@attrs.define
class _Search:
    """Where the one-by-one search for a witness stands."""

    position: int  # the list position the next search read must hold
    step: int  # how far each read without a witness moves the search (negative: back)
    reads: int = 0


class Witness(Bookkeeper, Generic[T]):
    """Plans overlapping reads and judges each page by its witness (see the module)."""

    def __init__(
        self,
        per_page: int,
        identity: Callable[[T], Hashable],
        strict: bool,
        on_event: Callable[[PaginationEvent], None] | None,
    ) -> None:
        reason = "records have an identity: overlapping reads witness every page boundary"
        super().__init__(per_page, strict, on_event, "overlap", reason)
        self._identity = identity
        self._seen = RankedWindow()
        self._overlap = OVERLAP
        self._planned = 0  # position after the last window planned for concurrent reading
        self._after = 0  # list position after the last record yielded, as of its read
        self._calm = 0
        self._search: _Search | None = None
        self._stalled = 0
        self._reported_total: int | None = None

    # -- plan ---------------------------------------------------------------------------------

    def next_fast(self) -> tuple[int, int] | None:
        """Return the next window to read concurrently, or None while none is due."""
        if self._total is not None and self._planned >= self._total:
            return None
        number, size = next_window(self._planned, self.per_page, self._overlap)
        self._planned = number * size
        return number, size

    def plan(self) -> tuple[int, int]:
        """Return ``(page, size)`` of the next one-by-one read."""
        search = self._search
        position = self._after - 1 if search is None else search.position
        number, size = search_window(max(position, 0), self.per_page, self._overlap)
        self.stats.refetched_pages += 1
        return number, size

    # -- judge --------------------------------------------------------------------------------

    def start(self, number: int, page: Page[T]) -> Verdict[T]:
        """Judge the first read: everything in it is new."""
        start = (number - 1) * self.per_page
        self._note_total(page, number, self.per_page)
        fresh = self._take(page, self._keys(page), -1)
        self._after = start + len(page.data)
        self._planned = self._after
        out = page if len(fresh) == len(page.data) else attrs.evolve(page, data=fresh)
        if self._at_end(start, self.per_page, page):
            return Verdict(out, "done")
        return Verdict(out, "fast")

    def fast(self, number: int, size: int, page: Page[T]) -> Verdict[T]:
        """Judge a page read concurrently: trusted when it holds a witness."""
        start = (number - 1) * size
        self._note_total(page, number, size)
        keys = self._keys(page)
        witness = self._witness(keys)
        if witness is None:
            self._lost(number, size, page)
            self.stats.discarded_pages += 1
            return Verdict(None, "careful")
        return self._accept(start, size, page, keys, witness, "fast")

    def careful(self, number: int, size: int, page: Page[T]) -> Verdict[T]:
        """Judge a one-by-one read of the search for a witness."""
        start = (number - 1) * size
        self._note_total(page, number, size)
        keys = self._keys(page)
        witness = self._witness(keys)
        if witness is None:
            self.stats.discarded_pages += 1
            self._calm = 0
            self._move_search(number, size, page, start)
            return Verdict(None, "careful")
        self._search = None
        self._stalled = 0
        return self._accept(start, size, page, keys, witness, "careful")

    # -- helpers ------------------------------------------------------------------------------

    def _witness(self, keys: list[Hashable]) -> int | None:
        """Return the index of the key yielded last; None when no key was yielded.

        Before anything was yielded every page is its own witness (-1: take it all).
        """
        last = self._seen.last
        if not last:
            return -1
        ranks = self._seen.ranks
        best, found = 0, None
        for index, key in enumerate(keys):
            rank = ranks.get(key, 0)
            if rank > best:
                best, found = rank, index
                if rank == last:  # nothing ranks higher
                    break
        return found

    def _take(self, page: Page[T], keys: list[Hashable], witness: int) -> tuple[T, ...]:
        """Remember and return the records after index ``witness`` not yielded before."""
        fresh: list[T] = []
        seen = self._seen
        ranks = seen.ranks
        repeated = 0
        start = witness + 1
        for key, item in zip(keys[start:], page.data[start:], strict=True):
            if key in ranks:
                repeated += 1
                continue
            seen.add(key)
            fresh.append(item)
        self.stats.duplicates_dropped += repeated
        return tuple(fresh)

    def _keys(self, page: Page[T]) -> list[Hashable]:
        identity = self._identity
        return [identity(item) for item in page.data]

    def _accept(
        self,
        start: int,
        size: int,
        page: Page[T],
        keys: list[Hashable],
        witness: int,
        mode: str,
    ) -> Verdict[T]:
        expected = max(0, self._after - start)  # the overlap planned for this read
        dropped = witness + 1
        self.stats.overlap_dropped += dropped
        if dropped > expected + self._overlap and mode == "fast":
            self.report(
                self._event(
                    "duplicates",
                    start // size + 1,
                    size,
                    f"page repeats {dropped - expected} record(s) more than planned",
                    page,
                    count=dropped - expected,
                )
            )
        fresh = self._take(page, keys, witness)
        self._after = start + len(page.data)  # every record after the witness is fresh
        out: Page[T] | None = page if len(fresh) == len(page.data) else None
        if out is None and fresh:
            out = attrs.evolve(page, data=fresh)
        if self._at_end(start, size, page):
            return Verdict(out, "done")
        if mode == "careful":
            self._calm += 1
            if self._calm < CALM_READS:
                self._search = _Search(self._after - 1, self.per_page)
                return Verdict(out, "careful")
            self._calm = 0
            self._planned = self._after
            return Verdict(out, "fast")
        return Verdict(out, "fast")

    def _at_end(self, start: int, size: int, page: Page[T]) -> bool:
        """Tell whether ``page`` reached the end of the list as it was when served."""
        total = page.total_entries
        return len(page.data) < size or (total is not None and start + len(page.data) >= total)

    def _note_total(self, page: Page[T], number: int, size: int) -> None:
        now, before = page.total_entries, self._total
        if now is None:
            return
        if before is not None and now != before and now != self._reported_total:
            self._reported_total = now
            self.report(
                self._event(
                    "totals_changed",
                    number,
                    size,
                    f"the list went from {before} to {now} entries",
                    page,
                )
            )
        self._total = now

    def _lost(self, number: int, size: int, page: Page[T]) -> None:
        """Start searching for a witness after a page that held none."""
        detail = (
            f"page {number} (size {size}) holds no record yielded before: records moved by "
            "more than the overlap between two reads"
        )
        self.report(self._event("unwitnessed", number, size, detail, page))
        self._calm = 0
        self._search = _Search(self._after - 1, -(self.per_page // 2) or -1)

    def _move_search(self, number: int, size: int, page: Page[T], start: int) -> None:
        """Move the search after a read that held no witness."""
        search = self._search or _Search(self._after - 1, -(self.per_page // 2) or -1)
        search.reads += 1
        total = page.total_entries
        if not page.data and total is not None and start >= total:
            search.position = max(0, total - 1)  # the list ends before this read
        elif search.step < 0 and start == 0:
            search.step = self.per_page // 2 or 1  # nothing before: search ahead instead
            search.position = self._after - 1 + search.step
        else:
            search.position = max(0, search.position + search.step)
        self._search = search
        self._stalled += 1
        if self._stalled > MAX_STALLED_READS:
            event = self._event(
                "stalled",
                number,
                size,
                f"no record yielded before was found again in {self._stalled} reads: the "
                "list moves faster than it can be read",
                page,
            )
            self.report(event)
            raise PaginationDriftError(event)
