"""One gate every request of a client passes: a concurrency cap, a rate budget, a pause.

Pages, polls and single calls share it, so bulk work cannot push the client past what the
API tolerates. When the API signals overload (503, or 429 with ``Retry-After``), the whole
client pauses instead of each task retrying on its own schedule.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from betterplace_async._core.params import DEFAULT_MAX_CONCURRENCY
from betterplace_async.errors import InvalidParameterError

__all__ = ["DEFAULT_MAX_CONCURRENCY", "Limiter"]

"""Requests in flight per client by default; also the ceiling of every adaptive window."""


class Limiter:
    """Cap requests in flight, optionally pace them, and pause them all on overload.

    ``max_concurrency`` requests run at once; ``rate`` (requests per second, ``None`` for no
    budget) spaces their starts evenly. :meth:`pause` holds back every request that has not
    started yet until the given number of seconds has passed.
    """

    def __init__(
        self,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        rate: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise InvalidParameterError("max_concurrency", "must be an int >= 1")
        if max_concurrency < 1:
            raise InvalidParameterError("max_concurrency", f"must be >= 1, got {max_concurrency}")
        if rate is not None and (
            isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0
        ):
            raise InvalidParameterError("rate", f"must be a number > 0 or None, got {rate!r}")
        self.max_concurrency = max_concurrency
        self.rate = rate
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._clock = clock
        self._sleep = sleep
        self._next_start = 0.0
        self._paused_until = 0.0
        self.in_flight = 0
        self.peak_in_flight = 0
        self.pauses = 0

    def __repr__(self) -> str:
        return (
            f"<Limiter max_concurrency={self.max_concurrency} rate={self.rate} "
            f"in_flight={self.in_flight}>"
        )

    def pause(self, seconds: float) -> None:
        """Hold back requests that have not started for ``seconds`` from now."""
        until = self._clock() + max(0.0, seconds)
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1

    async def _wait_turn(self) -> None:
        # One computed sleep, not a polling loop: an injected sleep that returns at once
        # (as in tests) then lets the request through instead of spinning.
        now = self._clock()
        start = max(now, self._paused_until)
        if self.rate is not None:
            start = max(start, self._next_start)
            self._next_start = start + 1.0 / self.rate
        if start > now:
            await self._sleep(start - now)

    def slot(self) -> _Slot:
        """Hold one request slot for the duration of the ``async with`` block."""
        return _Slot(self)


class _Slot:
    """``async with limiter.slot():`` without a generator-based context manager per request."""

    __slots__ = ("_limiter",)

    def __init__(self, limiter: Limiter) -> None:
        self._limiter = limiter

    async def __aenter__(self) -> None:
        limiter = self._limiter
        await limiter._semaphore.acquire()
        try:
            if limiter.rate is not None or limiter._paused_until:
                await limiter._wait_turn()
        except BaseException:
            limiter._semaphore.release()
            raise
        limiter.in_flight += 1
        if limiter.in_flight > limiter.peak_in_flight:
            limiter.peak_in_flight = limiter.in_flight

    async def __aexit__(self, *exc_info: object) -> None:
        limiter = self._limiter
        limiter.in_flight -= 1
        limiter._semaphore.release()
