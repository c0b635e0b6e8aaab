"""Events the client reports to an ``on_event`` hook, for metrics, tracing or audit logs.

Pass ``on_event=callback`` to :class:`~betterplace_async.BetterplaceClient`; the callback
gets each event synchronously and must be quick. An exception it raises is logged and
otherwise ignored, so a broken metrics hook never breaks a donation. URLs in events never
carry credentials.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal, TypeAlias

import attrs
from yarl import URL

logger = logging.getLogger("betterplace_async.events")

__all__ = [
    "ConcurrencyChanged",
    "DriftKind",
    "Event",
    "EventHook",
    "PaginationEvent",
    "PollAttempt",
    "RequestSent",
    "ResponseReceived",
    "RetryScheduled",
    "SyncReport",
    "guarded",
]


@attrs.frozen
class RequestSent:
    """A request attempt is about to go out (``attempt`` counts from 1)."""

    method: str
    url: URL
    attempt: int


@attrs.frozen
class ResponseReceived:
    """A response arrived; ``from_cache`` when a 304 let the cached body stand in."""

    method: str
    url: URL
    status: int
    elapsed: float
    attempt: int
    from_cache: bool = False


@attrs.frozen
class RetryScheduled:
    """An attempt failed and another follows after ``delay`` seconds.

    ``client_wide`` is true when the whole client pauses (overload: 429 or 503).
    """

    method: str
    url: URL
    attempt: int
    delay: float
    error: str
    client_wide: bool = False


@attrs.frozen
class PollAttempt:
    """A status poll of a pledge or forwarding request returned ``state``."""

    client_reference: str
    state: str | None
    attempt: int


@attrs.frozen
class ConcurrencyChanged:
    """An adaptive window (``concurrency="auto"``) changed from ``old`` to ``new``.

    ``stream`` is ``"pages"`` (a list read) or ``"submissions"`` (a pledge or forwarding
    batch). ``reason`` is ``"grow"`` (full window, latency near its floor), ``"overload"``
    (429, 503 or a timeout) or ``"latency"`` (round trips well above the floor). ``rtt``
    is the mean round-trip time of the last round and ``floor`` the lowest recent one, in
    seconds (``None`` when no answer arrived in that round).
    """

    stream: str
    old: int
    new: int
    reason: str
    rtt: float | None
    floor: float | None


DriftKind: TypeAlias = Literal[
    "totals_changed", "duplicates", "page_size", "refetch", "stalled", "unwitnessed"
]


@attrs.frozen
class PaginationEvent:
    """Something the paginator noticed about the list changing under it.

    ``kind`` is one of:

    - ``totals_changed``: a page reported other counts than the pages before it;
    - ``duplicates``: a page held ``count`` records already yielded (they are dropped);
    - ``page_size``: a page held another number of records than the counts promise;
    - ``refetch``: positions already read are read again, because records may have moved
      in front of the cursor;
    - ``unwitnessed``: a page held no record yielded before, so records may have moved
      past a page boundary; the list is searched one page at a time until one does;
    - ``stalled``: the list kept changing faster than it could be re-read (then raised).

    ``page`` and ``per_page`` are the request that showed it; ``strategy`` is the run's
    (see :attr:`PaginationStats.strategy`).
    """

    kind: DriftKind
    page: int
    per_page: int
    detail: str
    total_entries_before: int | None = None
    total_entries_after: int | None = None
    count: int = 0
    strategy: str = "counts"


SyncMode: TypeAlias = Literal["incremental", "full"]
ListOrder: TypeAlias = Literal["newest_first", "oldest_first"]


@attrs.frozen
class SyncReport:
    """What one mirror run did; also passed to ``on_event`` when the run has committed.

    ``added``: donations new to the mirror; ``changed``: held donations whose record
    differs; ``revoked``: donations marked revoked; ``reinstated``: revoked donations seen
    live again; ``live``: live donations held afterwards; ``mode``: ``"incremental"`` or
    ``"full"`` (the whole list was read); ``requests``: HTTP requests made (attempts,
    retries included, when a request counter watches the client; else the pages and
    lookups asked for); ``seconds``: wall time. ``consistent`` is false when even a full
    read left the server's count and the live rows apart (the list changed meanwhile).
    """

    added: int
    changed: int
    revoked: int
    reinstated: int
    live: int
    mode: SyncMode
    requests: int
    seconds: float
    consistent: bool = True
    order: ListOrder | None = None

    def as_dict(self) -> dict[str, int | float | str]:
        """Return the report's public fields (the keys ``--json`` prints)."""
        return {
            "added": self.added,
            "changed": self.changed,
            "revoked": self.revoked,
            "reinstated": self.reinstated,
            "live": self.live,
            "mode": self.mode,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
        }


Event: TypeAlias = (
    RequestSent
    | ResponseReceived
    | RetryScheduled
    | PollAttempt
    | PaginationEvent
    | ConcurrencyChanged
    | SyncReport
)
EventHook: TypeAlias = Callable[[Event], None]


def guarded(hook: EventHook | None) -> EventHook | None:
    """Wrap ``hook`` so an exception it raises is logged instead of propagated."""
    if hook is None:
        return None

    def call(event: Event) -> None:
        try:
            hook(event)
        except Exception:
            logger.exception("on_event hook raised; ignoring it")

    return call
