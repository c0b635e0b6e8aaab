"""Events the client reports to an ``on_event`` hook, for metrics, tracing or audit logs.

Pass ``on_event=callback`` to :class:`~betterplace_async.BetterplaceClient`; the callback
gets each event synchronously and must be quick. An exception it raises is logged and
otherwise ignored, so a broken metrics hook never breaks a donation. URLs in events never
carry credentials.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeAlias

import attrs
from yarl import URL

from ._drift import PaginationEvent
from ._engines.mirror import SyncReport

logger = logging.getLogger("betterplace_async.events")

__all__ = [
    "ConcurrencyChanged",
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
