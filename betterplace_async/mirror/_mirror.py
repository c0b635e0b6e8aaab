"""``DonationMirror``: keep a client's donations in a database, one transaction per run."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from betterplace_async._engines.mirror import (
    DEFAULT_LOOKBACK_DAYS,
    DEFAULT_MAX_REVOKED_SHARE,
    SyncReport,
    SyncSettings,
    run_sync,
    utc_now,
)
from betterplace_async.errors import NotFoundError
from betterplace_async.events import Event, EventHook, RequestSent, guarded
from betterplace_async.mirror._database import database_url, open_engine, shown, transaction
from betterplace_async.mirror._store import SqlStore
from betterplace_async.models.common import Page
from betterplace_async.resources.client_donations import ClientDonations

if TYPE_CHECKING:
    from betterplace_async.client import BetterplaceClient

__all__ = ["DonationMirror", "RequestCounter"]

logger = logging.getLogger("betterplace_async.mirror")


class RequestCounter:
    """An ``on_event`` hook that counts request attempts (retries too) and passes events on.

    Give it to the client (``BetterplaceClient(on_event=counter)``) and to
    :meth:`DonationMirror.sync` (``counter=counter``) so the report counts every request.
    """

    def __init__(self, forward: EventHook | None = None) -> None:
        self.requests = 0
        self._forward = guarded(forward)

    def __call__(self, event: Event) -> None:
        """Count ``event`` if it is a request attempt, then forward it."""
        if isinstance(event, RequestSent):
            self.requests += 1
        if self._forward is not None:
            self._forward(event)


class _ClientSource:
    """The client donations of one client, read through the SDK's public list and detail."""

    def __init__(self, donations: ClientDonations) -> None:
        self._donations = donations

    async def page(self, number: int, per_page: int) -> Page[dict[str, Any]]:
        listing = self._donations.list(
            per_page=per_page, start_page=number, limit=per_page, concurrency=1
        )
        pages = listing.raw().pages()
        try:
            async for page in pages:
                return page
        finally:
            await pages.aclose()
        return Page(data=())  # pragma: no cover - the start page always comes

    def pages(self, per_page: int, concurrency: int) -> AsyncIterator[Page[dict[str, Any]]]:
        listing = self._donations.list(per_page=per_page, concurrency=concurrency)
        return listing.raw().pages()

    async def state(self, token: str) -> str | None:
        try:
            donation = await self._donations.get(token)
        except NotFoundError:
            return None
        return donation.state


class DonationMirror:
    """A database that mirrors client donations: a file path (SQLite) or a PostgreSQL URL.

    ``db`` is a path, ``sqlite:///PATH`` or ``postgresql://USER[:PASSWORD]@HOST:PORT/NAME``;
    it is checked here, the database is opened on the first :meth:`sync`. Use it as
    ``async with DonationMirror(db) as mirror:`` or call :meth:`close` at the end. ``now``
    stamps ``first_seen_at``/``last_seen_at``/``revoked_at``; ``clock`` times the runs.
    """

    def __init__(
        self,
        db: str | os.PathLike[str],
        *,
        now: Callable[[], datetime] = utc_now,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.url: URL = database_url(db)
        self._now = now
        self._clock = clock
        self._engine: AsyncEngine | None = None

    def __repr__(self) -> str:
        return f"<DonationMirror {shown(self.url)}>"

    @property
    def engine(self) -> AsyncEngine:
        """The SQLAlchemy engine (created on first use), e.g. to query the tables."""
        if self._engine is None:
            self._engine = open_engine(self.url)
        return self._engine

    async def sync(
        self,
        client: BetterplaceClient,
        *,
        client_id: str | None = None,
        lookback_days: float = DEFAULT_LOOKBACK_DAYS,
        full: bool = False,
        max_revoked_share: float = DEFAULT_MAX_REVOKED_SHARE,
        allow_mass_revocation: bool = False,
        concurrency: int = 8,
        counter: RequestCounter | None = None,
        on_event: EventHook | None = None,
    ) -> SyncReport:
        """Bring the mirror of ``client_id``'s donations up to date; return the report.

        Reads the newest donations and the last ``lookback_days`` of the list (the whole
        list with ``full=True``, on the first run, or when the counts disagree), in one
        transaction: any error leaves the database as it was. Revoking more than
        ``max_revoked_share`` of the donations a run judged raises
        :class:`MassRevocationError` unless ``allow_mass_revocation``. The committed report
        also goes to ``on_event``.
        """
        settings = SyncSettings(
            lookback_days=lookback_days,
            full=full,
            max_revoked_share=max_revoked_share,
            allow_mass_revocation=allow_mass_revocation,
            concurrency=concurrency,
        )
        api = client.client(client_id)
        source = _ClientSource(api.donations)
        started_at = self._now()
        requests = (lambda: counter.requests) if counter is not None else None
        async with transaction(self.engine) as connection:
            store = SqlStore(connection, api.client_id, self._now)
            report = await run_sync(source, store, settings, requests=requests, clock=self._clock)
            await store.record_run(report, started_at)
        logger.info("mirror sync of %s: %s", api.client_id, report.as_dict())
        hook = guarded(on_event)
        if hook is not None:
            hook(report)
        return report

    async def close(self) -> None:
        """Close the database connections. Closing twice is harmless."""
        engine, self._engine = self._engine, None
        if engine is not None:
            await engine.dispose()

    async def __aenter__(self) -> DonationMirror:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
