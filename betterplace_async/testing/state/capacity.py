"""A server of limited capacity: K requests served at once, a bounded queue, 503 beyond it."""

from __future__ import annotations

import asyncio
from collections import deque

import attrs


@attrs.define
class Capacity:
    """How much the fake serves at once; change it at any time, also while it runs.

    ``limit`` requests are served at once (``None``: no limit); up to ``queue_limit`` more
    wait their turn in arrival order (``None``: the queue never overflows); a request
    finding the queue full is refused with 503 and ``Retry-After: retry_after``.
    ``service_time`` is how long a served request holds its place (seconds, spent before
    the handler runs), unlike ``latency``, which delays every request outside the limit.
    ``busy``, ``waiting``, ``max_busy``, ``max_waiting`` and ``shed`` count what happened.
    """

    limit: int | None = None
    queue_limit: int | None = None
    service_time: float = 0.0
    retry_after: int = 1
    busy: int = 0
    waiting: int = 0
    max_busy: int = 0
    max_waiting: int = 0
    shed: int = 0
    _queue: deque[asyncio.Future[None]] = attrs.field(factory=deque, repr=False)

    @property
    def active(self) -> bool:
        """Whether this knob changes anything."""
        return self.limit is not None or self.service_time > 0

    async def enter(self) -> bool:
        """Take a place (waiting for one if need be); ``False`` when the queue is full."""
        if self.limit is None or (self.busy < self.limit and not self._queue):
            self._take()
            return True
        if self.queue_limit is not None and len(self._queue) >= self.queue_limit:
            self.shed += 1
            return False
        turn = asyncio.get_running_loop().create_future()
        self._queue.append(turn)
        self.waiting = len(self._queue)
        self.max_waiting = max(self.max_waiting, self.waiting)
        try:
            await turn  # handed over by leave(), which counted us busy already
        except BaseException:
            if turn in self._queue:
                self._queue.remove(turn)
                self.waiting = len(self._queue)
            elif turn.done() and not turn.cancelled():
                self.leave()  # the place was ours already: pass it on
            raise
        return True

    def leave(self) -> None:
        """Give the place back; the longest-waiting request gets it."""
        self.busy -= 1
        while self._queue and (self.limit is None or self.busy < self.limit):
            turn = self._queue.popleft()
            self.waiting = len(self._queue)
            if not turn.done():
                self._take()
                turn.set_result(None)

    def _take(self) -> None:
        self.busy += 1
        self.max_busy = max(self.max_busy, self.busy)
