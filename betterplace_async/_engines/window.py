"""How many requests of one stream may be in flight: a fixed number, or an adaptive window.

:func:`window_for` turns a ``concurrency`` argument (an int, or ``"auto"``) into a
:class:`Window`. Engines read :attr:`Window.limit` before sending and pass each request
through :meth:`Window.track`; a fixed window returns the request untouched, an
:class:`AdaptiveGate` times it and feeds the pure controller of
:mod:`~betterplace_async._engines.adaptive`. Overload answers of attempts the transport
retries reach the controller through :func:`note_pressure` (a context variable set for
the request's task), so a 503 that a retry later papered over still shrinks the window.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from betterplace_async._core.params import AUTO, Concurrency
from betterplace_async._core.pressure import PRESSURE
from betterplace_async._engines.adaptive import AdaptiveWindow, Outcome, Settings
from betterplace_async.errors import APIStatusError, APITimeoutError
from betterplace_async.events import ConcurrencyChanged

__all__ = ["AdaptiveGate", "Window", "window_for"]

logger = logging.getLogger("betterplace_async.concurrency")

T = TypeVar("T")
Clock = Callable[[], float]


class WindowStats(Protocol):
    """Where a window shows its size (``PaginationStats`` has these two fields)."""

    window: int | None
    window_max: int | None


class Window:
    """A fixed window: ``limit`` requests at once, nothing measured."""

    adaptive = False

    def __init__(self, limit: int, stats: WindowStats | None = None) -> None:
        self._fixed = limit
        if stats is not None:
            stats.window = stats.window_max = limit

    @property
    def limit(self) -> int:
        """How many requests may be in flight now."""
        return self._fixed

    def track(self, request: Awaitable[T], in_flight: int) -> Awaitable[T]:
        """Return ``request`` unchanged (a fixed window learns nothing)."""
        return request

    async def admit(self, request: Callable[[], Awaitable[T]]) -> T:
        """Run ``request()`` (a fixed window never waits: its caller bounds the count)."""
        return await request()


class AdaptiveGate(Window):
    """An adaptive window: times each request and moves the limit with the answers.

    ``stats`` gets the current and the largest window; ``on_event`` a
    :class:`~betterplace_async.events.ConcurrencyChanged` per change, also logged at debug
    level under ``betterplace_async.concurrency``. ``clock`` times requests; ``cpu`` (the
    CPU time of the thread running the event loop, ``None`` to leave it out) tells the
    controller when we, not the server, are the busy side: round trips then lengthen in
    our own loop, and more in flight cannot help. Holds no reference to its engine, so a
    task running a tracked request never keeps the engine alive.
    """

    adaptive = True

    def __init__(
        self,
        maximum: int,
        *,
        stream: str,
        stats: WindowStats | None = None,
        on_event: Callable[[Any], None] | None = None,
        clock: Clock = time.monotonic,
        cpu: Clock | None = time.thread_time,
        settings: Settings | None = None,
    ) -> None:
        settings = settings or Settings(maximum=maximum)
        self.controller = AdaptiveWindow(settings, now=clock())
        self._stream = stream
        self._stats = stats
        self._on_event = on_event
        self._clock = clock
        self._cpu: Callable[[], float | None] = cpu or (lambda: None)
        self._in_flight = 0
        self._waiters: list[asyncio.Future[None]] = []
        super().__init__(self.controller.limit, stats)

    def __repr__(self) -> str:
        return f"<AdaptiveGate {self._stream} {self.controller!r}>"

    @property
    def limit(self) -> int:
        """How many requests may be in flight now."""
        return self.controller.limit

    async def track(self, request: Awaitable[T], in_flight: int) -> T:
        """Await ``request``, timing it and reporting how it ended to the controller."""
        controller = self.controller
        started = self._clock()
        controller.sent(in_flight, started)
        token = PRESSURE.set(lambda: controller.pressure(started))
        outcome: Outcome | None = Outcome.OK
        try:
            return await request
        except APITimeoutError:
            outcome = Outcome.TIMEOUT
            raise
        except APIStatusError as exc:
            outcome = Outcome.OVERLOAD if exc.status in (429, 503) else Outcome.ERROR
            raise
        except Exception:
            outcome = Outcome.ERROR
            raise
        except BaseException:  # cancelled: the request says nothing about the server
            outcome = None
            raise
        finally:
            PRESSURE.reset(token)
            if outcome is None:
                controller.forget(started)
            else:
                self._report(started, outcome)

    async def admit(self, request: Callable[[], Awaitable[T]]) -> T:
        """Wait until the window has room, then run and track ``request()``."""
        while self._in_flight >= self.limit:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    self._wake()  # our turn came as we were cancelled: pass it on
                raise
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
        self._in_flight += 1
        try:
            return await self.track(request(), self._in_flight)
        finally:
            self._in_flight -= 1
            self._wake()

    def _wake(self) -> None:
        room = self.limit - self._in_flight
        while room > 0 and self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                room -= 1

    def _report(self, started: float, outcome: Outcome) -> None:
        change = self.controller.finished(started, self._clock(), outcome, cpu=self._cpu())
        if change is None:
            return
        if self._stats is not None:
            self._stats.window = change.new
            self._stats.window_max = self.controller.peak
        logger.debug(
            "%s window %d -> %d (%s; rtt %s, floor %s)",
            self._stream,
            change.old,
            change.new,
            change.reason,
            _ms(change.rtt),
            _ms(change.floor),
        )
        if self._on_event is not None:
            self._on_event(
                ConcurrencyChanged(
                    stream=self._stream,
                    old=change.old,
                    new=change.new,
                    reason=change.reason,
                    rtt=change.rtt,
                    floor=change.floor,
                )
            )
        if change.new > change.old:
            self._wake()


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f} ms"


def window_for(
    value: Concurrency,
    *,
    maximum: int,
    stream: str,
    stats: WindowStats | None = None,
    on_event: Callable[[Any], None] | None = None,
    clock: Clock = time.monotonic,
    cpu: Clock | None = time.thread_time,
) -> Window:
    """Return the window a ``concurrency`` argument asks for (``"auto"``: adaptive)."""
    if value == AUTO:
        return AdaptiveGate(
            maximum, stream=stream, stats=stats, on_event=on_event, clock=clock, cpu=cpu
        )
    return Window(int(value), stats)
