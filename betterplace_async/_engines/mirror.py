"""Keep a copy of a client's donations up to date: the decisions and the async driver.

The driver knows nothing about HTTP or SQL. It is given a :class:`DonationSource` (read one
page, read the whole list, look up one donation) and a :class:`MirrorStore` (the rows held,
inside one transaction) and decides what to read and what to change.

One run
    With nothing held (or ``full=True``) the whole list is read (mode ``"full"``). Otherwise
    the list is read from its newest end, whichever end that is (see :func:`order_of`),
    until it reaches donations created ``lookback`` before the newest one held: that covers
    every new donation plus a look-back window. A live row created inside the window that
    the read did not meet is a revocation candidate; its detail is looked up and it is
    marked revoked only on a 404 or a state other than ``confirmed``. A revoked row seen
    again is reinstated. Finally the server's ``total_entries`` must equal the live rows
    held; if not (a revocation older than the window, say), the whole list is read and the
    run's mode is ``"full"``.

Guards
    Any error while reading ends the run with the error and the store's transaction rolls
    back, so a partial read never marks anything. Revoking more than ``max_revoked_share``
    of the rows a run could judge raises :class:`MassRevocationError` unless
    ``allow_mass_revocation`` is set. A list that changes while the window is read is read
    again in full, by the pagination engine, which copes with changes.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Protocol, TypeAlias

import attrs
import cattrs

from betterplace_async._core.converter import make_converter
from betterplace_async._core.decode import structure
from betterplace_async.errors import BetterplaceError, InvalidParameterError
from betterplace_async.events import ListOrder, SyncMode, SyncReport
from betterplace_async.models.common import Page
from betterplace_async.models.donations import ClientDonationState

__all__ = [
    "DEFAULT_LOOKBACK_DAYS",
    "DEFAULT_MAX_REVOKED_SHARE",
    "DonationRow",
    "DonationSource",
    "Held",
    "MassRevocationError",
    "MirrorError",
    "MirrorStore",
    "Mode",
    "Order",
    "SyncReport",
    "SyncSettings",
    "Tally",
    "cutoff_of",
    "judge",
    "order_of",
    "page_numbers",
    "pages_to_cutoff",
    "row_of",
    "run_sync",
]

DEFAULT_LOOKBACK_DAYS: Final = 14
DEFAULT_MAX_REVOKED_SHARE: Final = 0.1

Order: TypeAlias = ListOrder
Mode: TypeAlias = SyncMode
Record: TypeAlias = dict[str, Any]


class MirrorError(BetterplaceError):
    """The mirror could not run or refused to apply what a run found."""


class MassRevocationError(MirrorError):
    """A run would revoke more rows than the configured share allows; nothing was changed."""

    def __init__(self, revoked: int, judged: int, share: float) -> None:
        super().__init__(
            f"this run would mark {revoked} of {judged} donations revoked, more than "
            f"max_revoked_share={share:g} allows; nothing was changed (pass "
            "allow_mass_revocation=True, or --allow-mass-revocation, if that is right)"
        )
        self.revoked = revoked
        self.judged = judged
        self.share = share


@attrs.frozen
class SyncSettings:
    """How a run behaves; checked when made, before anything is read."""

    lookback_days: float = DEFAULT_LOOKBACK_DAYS
    full: bool = False
    max_revoked_share: float = DEFAULT_MAX_REVOKED_SHARE
    allow_mass_revocation: bool = False
    per_page: int = 200
    concurrency: int = 8

    def __attrs_post_init__(self) -> None:
        days = self.lookback_days
        if isinstance(days, bool) or not isinstance(days, int | float) or not days >= 0:
            raise InvalidParameterError("lookback_days", f"must be a number >= 0, got {days!r}")
        share = self.max_revoked_share
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise InvalidParameterError(
                "max_revoked_share", f"must be a number from 0 to 1, got {share!r}"
            )
        for name in ("per_page", "concurrency"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidParameterError(name, f"must be an int >= 1, got {value!r}")

    @property
    def lookback(self) -> timedelta:
        """The look-back window as a duration."""
        return timedelta(days=self.lookback_days)


@attrs.frozen
class DonationRow:
    """One donation as the mirror stores it: the typed columns plus the record as sent."""

    token: str
    client_reference: str | None
    amount_in_cents: int | None
    state: str | None
    created_at: datetime | None
    receiver_type: str | None
    receiver_id: int | None
    record: Record


@attrs.frozen
class Held:
    """What the mirror holds for one token: its record and whether it is revoked."""

    record: Record
    revoked: bool


@attrs.define
class Tally:
    """Counts of one run so far."""

    added: int = 0
    changed: int = 0
    revoked: int = 0
    reinstated: int = 0


class MirrorStore(Protocol):
    """The rows of one client, read and written inside the run's single transaction."""

    async def newest_created_at(self) -> datetime | None:
        """Return the latest ``created_at`` held (live or revoked), ``None`` when empty."""

    async def empty(self) -> bool:
        """Return whether no row is held."""

    async def held(self, tokens: Sequence[str]) -> Mapping[str, Held]:
        """Return the held rows among ``tokens``."""

    async def live_tokens(self, since: datetime | None) -> set[str]:
        """Return the live tokens created at or after ``since`` (all with ``None``)."""

    async def live_count(self) -> int:
        """Return how many live rows are held."""

    async def save(self, rows: Sequence[DonationRow]) -> None:
        """Insert or update ``rows`` as live and seen now."""

    async def seen(self, since: datetime | None) -> None:
        """Mark the live rows created at or after ``since`` (all for ``None``) seen now."""

    async def revoke(self, tokens: Sequence[str], states: Mapping[str, str]) -> None:
        """Mark ``tokens`` revoked now; ``states`` holds a new state where one is known."""


class DonationSource(Protocol):
    """Where the donations are read from (the client API, in practice)."""

    async def page(self, number: int, per_page: int) -> Page[Record]:
        """Return one page of the list, records as sent."""

    def pages(self, per_page: int, concurrency: int) -> AsyncIterator[Page[Record]]:
        """Read the whole list, page by page (coping with changes while it is read)."""

    async def state(self, token: str) -> str | None:
        """Return the donation's current state, or ``None`` when it is not found (404)."""


# -- decisions (no I/O) -----------------------------------------------------------------------


@attrs.frozen
class _Columns:
    """The fields of :class:`ClientDonation` the mirror stores in columns (decoding only
    these skips the links and the donor, most of a record's decoding cost)."""

    token: str | None = None
    client_reference: str | None = None
    state: str | None = None
    amount_in_cents: int | None = None
    created_at: datetime | None = None
    receiver_type: str | None = None
    receiver_id: int | None = None


def row_of(record: Record, converter: cattrs.Converter) -> DonationRow:
    """Decode a record into the row to store, keeping the record itself as it came."""
    donation = structure(converter, record, _Columns)
    if not donation.token:
        raise MirrorError("a client donation without a token cannot be mirrored")
    return DonationRow(
        token=donation.token,
        client_reference=donation.client_reference,
        amount_in_cents=donation.amount_in_cents,
        state=donation.state,
        created_at=donation.created_at,
        receiver_type=donation.receiver_type,
        receiver_id=donation.receiver_id,
        record=record,
    )


def _created(rows: Iterable[DonationRow]) -> list[datetime]:
    return [row.created_at for row in rows if row.created_at is not None]


def order_of(first: datetime | None, last: datetime | None) -> Order | None:
    """Tell the list's order from the first and last record read; ``None`` if undecided."""
    if first is None or last is None or first == last:
        return None
    return "newest_first" if first > last else "oldest_first"


def page_numbers(order: Order, total_pages: int) -> list[int]:
    """Return the page numbers from the newest end of the list to the oldest."""
    numbers = range(1, total_pages + 1)
    return list(numbers) if order == "newest_first" else list(reversed(numbers))


def cutoff_of(newest_held: datetime, lookback: timedelta) -> datetime:
    """Return the oldest ``created_at`` an incremental run must still read."""
    return newest_held - lookback


def pages_to_cutoff(rows: Sequence[DonationRow], cutoff: datetime, per_page: int) -> int:
    """Estimate how many more pages reach ``cutoff`` from the density of ``rows`` (>= 1)."""
    created = _created(rows)
    if len(created) < 2:
        return 1
    span = (max(created) - min(created)).total_seconds() / (len(created) - 1)
    remaining = (min(created) - cutoff).total_seconds()
    if span <= 0:
        return 1
    return max(1, math.ceil(remaining / span / per_page))


def reaches(rows: Sequence[DonationRow], cutoff: datetime) -> bool:
    """Return whether ``rows`` hold a donation created before ``cutoff``."""
    return any(created < cutoff for created in _created(rows))


def judge(rows: Sequence[DonationRow], held: Mapping[str, Held], tally: Tally) -> list[DonationRow]:
    """Count what ``rows`` change against what is ``held``; return the rows to write."""
    writes = []
    for row in rows:
        before = held.get(row.token)
        if before is None:
            tally.added += 1
        elif before.revoked:
            tally.reinstated += 1
        elif before.record != row.record:
            tally.changed += 1
        else:
            continue
        writes.append(row)
    return writes


def is_revoked(state: str | None) -> bool:
    """Return whether a detail lookup's answer (``None`` = 404) means the donation is gone."""
    return state != ClientDonationState.CONFIRMED


def check_share(revoked: int, judged: int, settings: SyncSettings) -> None:
    """Raise :class:`MassRevocationError` when too many rows would be revoked at once."""
    if settings.allow_mass_revocation:
        return
    if revoked > max(1.0, settings.max_revoked_share * judged):
        raise MassRevocationError(revoked, judged, settings.max_revoked_share)


# -- the driver -------------------------------------------------------------------------------


class _Run:
    """One run against one source and one store."""

    def __init__(
        self,
        source: DonationSource,
        store: MirrorStore,
        settings: SyncSettings,
        converter: cattrs.Converter,
    ) -> None:
        self.source = source
        self.store = store
        self.settings = settings
        self.converter = converter
        self.tally = Tally()
        self.requests = 0
        self.total_entries: int | None = None
        self.order: Order | None = None
        self.oldest_read: datetime | None = None

    async def page(self, number: int) -> Page[Record]:
        self.requests += 1
        return await self.source.page(number, self.settings.per_page)

    def rows(self, page: Page[Record]) -> list[DonationRow]:
        return [row_of(record, self.converter) for record in page.data]

    async def absorb(self, rows: list[DonationRow], *, empty: bool) -> None:
        """Judge and save rows read from the list (``empty``: nothing was held at the start)."""
        if not rows:
            return
        held = {} if empty else await self.store.held([row.token for row in rows])
        writes = judge(rows, held, self.tally)
        if writes:
            await self.store.save(writes)

    async def read_window(self, cutoff: datetime) -> set[str] | None:
        """Read from the newest end to ``cutoff``; the tokens seen, ``None`` if it changed."""
        per_page = self.settings.per_page
        first = await self.page(1)
        self.total_entries = first.total_entries
        total_pages = first.total_pages or 1
        pages: dict[int, Page[Record]] = {1: first}
        if total_pages > 1:
            rows = self.rows(first)
            created = [row.created_at for row in rows]
            self.order = order_of(created[0], created[-1]) if created else None
            if self.order is None:
                pages[total_pages] = await self.page(total_pages)
                last = self.rows(pages[total_pages])
                newest = rows[0].created_at if rows else None
                self.order = order_of(newest, last[-1].created_at if last else None)
        numbers = page_numbers(self.order or "newest_first", total_pages)
        seen: set[str] = set()
        index = 0
        batch = estimate = 1
        while index < len(numbers):
            wanted = [n for n in numbers[index : index + batch] if n not in pages]
            if wanted:
                fetched = await _gather([self.page(n) for n in wanted])
                pages.update(zip(wanted, fetched, strict=True))
            done = False
            for number in numbers[index : index + batch]:
                page = pages.pop(number)
                index += 1
                if page.total_entries != self.total_entries:
                    return None  # the list changed under the read
                rows = self.rows(page)
                await self.absorb(rows, empty=False)
                seen.update(row.token for row in rows)
                self.oldest_read = min([self.oldest_read or cutoff, *_created(rows)])
                if reaches(rows, cutoff):
                    done = True
                    break
                estimate = pages_to_cutoff(rows, cutoff, per_page)
            if done:
                break
            batch = min(self.settings.concurrency, estimate)
        return seen

    async def read_all(self, *, empty: bool) -> set[str]:
        """Read the whole list; return the tokens seen."""
        seen: set[str] = set()
        settings = self.settings
        pages = self.source.pages(settings.per_page, settings.concurrency)
        writing: asyncio.Task[None] | None = None  # one page is saved while the next is read
        try:
            async for page in pages:
                self.requests += 1
                self.total_entries = page.total_entries
                rows = self.rows(page)
                seen.update(row.token for row in rows)
                if writing is not None:
                    await writing
                writing = asyncio.ensure_future(self.absorb(rows, empty=empty))
            if writing is not None:
                await writing
        finally:
            if writing is not None and not writing.done():
                writing.cancel()
                await asyncio.wait([writing])
            aclose = getattr(pages, "aclose", None)
            if aclose is not None:
                await aclose()
        return seen

    async def confirm(self, candidates: set[str], judged: int) -> None:
        """Look up each candidate; revoke the gone ones, reinstate nothing else."""
        if not candidates:
            return
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def lookup(token: str) -> str | None:
            async with gate:
                self.requests += 1
                return await self.source.state(token)

        tokens = sorted(candidates)
        answers = await _gather([lookup(token) for token in tokens])
        gone = [token for token, state in zip(tokens, answers, strict=True) if is_revoked(state)]
        check_share(len(gone), judged, self.settings)
        states = {
            token: state
            for token, state in zip(tokens, answers, strict=True)
            if state is not None and token in gone
        }
        await self.store.revoke(gone, states)
        self.tally.revoked += len(gone)

    async def incremental(self, newest: datetime) -> bool:
        """Run the window read; return whether the mirror then matches the server's count."""
        cutoff = cutoff_of(newest, self.settings.lookback)
        judged = await self.store.live_tokens(cutoff)
        seen = await self.read_window(cutoff)
        if seen is None:
            return False
        await self.confirm(judged - seen, len(judged))
        await self.store.seen(self.oldest_read or cutoff)
        return await self.store.live_count() == self.total_entries

    async def full(self, *, empty: bool) -> bool:
        """Read everything; return whether the mirror then matches the server's count."""
        judged = set() if empty else await self.store.live_tokens(None)
        seen = await self.read_all(empty=empty)
        await self.confirm(judged - seen, len(judged))
        if not empty:
            await self.store.seen(None)
        return await self.store.live_count() == self.total_entries


async def _gather(coroutines: Sequence[Awaitable[Any]]) -> list[Any]:
    """Await all in order; on the first error cancel the rest, wait for them, raise it."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        pending = [task for task in tasks if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
    errors = [t.exception() for t in tasks if not t.cancelled() and t.exception() is not None]
    if errors:
        raise errors[0]  # type: ignore[misc]
    return [task.result() for task in tasks]


async def run_sync(
    source: DonationSource,
    store: MirrorStore,
    settings: SyncSettings | None = None,
    *,
    requests: Callable[[], int] | None = None,
    clock: Callable[[], float] = time.perf_counter,
    converter: cattrs.Converter | None = None,
) -> SyncReport:
    """Bring ``store`` up to date with ``source`` and return what changed.

    ``requests`` returns the client's request count so far (see ``RequestCounter``); without
    it the report counts the pages and lookups this run asked for.
    """
    settings = settings or SyncSettings()
    started = clock()
    before = requests() if requests is not None else 0
    run = _Run(source, store, settings, converter or make_converter())
    empty = await store.empty()
    newest = None if empty else await store.newest_created_at()
    mode: Mode = "incremental"
    if newest is None or settings.full:
        mode = "full"
        consistent = await run.full(empty=empty)
    else:
        consistent = await run.incremental(newest)
        if not consistent:
            mode = "full"
            consistent = await run.full(empty=False)
    return SyncReport(
        added=run.tally.added,
        changed=run.tally.changed,
        revoked=run.tally.revoked,
        reinstated=run.tally.reinstated,
        live=await store.live_count(),
        mode=mode,
        requests=requests() - before if requests is not None else run.requests,
        seconds=clock() - started,
        consistent=consistent,
        order=run.order,
    )


def utc_now() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)
