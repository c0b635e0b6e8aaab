"""Poll a status until it is final: growing jittered waits, a deadline, clean cancellation.

The engine does no HTTP. It is given ``fetch()``, a coroutine function returning the latest
status, and ``is_final(status)``; it sleeps, fetches and repeats until the status is final
or the deadline passes.

Schedule
    The first poll waits ``first_delay`` seconds, without jitter: the server needs at least
    its processing time, so looking earlier only costs a request. Every later wait is drawn
    uniformly from ``[min_interval, step]`` (full jitter above a small floor), where ``step``
    starts at ``interval`` and grows by ``factor`` per poll up to ``max_interval``. Jitter
    spreads the polls of many pledges submitted together. The last wait is cut short so
    that one final poll happens right at the deadline.

Failures while polling
    A poll that fails in a way that may pass (connection trouble, timeouts, a body that
    could not be decoded, 429 and 5xx after the transport's own retries) counts as an
    attempt without news; polling goes on until the deadline. Other errors propagate.

Cancellation
    The engine starts no task: cancelling the awaiting task stops it between two awaits
    and leaves nothing behind.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import Any, Final, Generic, TypeVar, cast

import attrs

from betterplace_async._core import params as _params
from betterplace_async._core.retry import is_transient
from betterplace_async._core.timing import Timing
from betterplace_async.errors import InvalidParameterError, WaitTimeoutError
from betterplace_async.events import Event, PollAttempt

__all__ = ["DEFAULT_DEADLINE", "PollPolicy", "Poller"]

T = TypeVar("T")

DEFAULT_DEADLINE: Final = 300.0
"""Seconds to wait for a final state unless told otherwise (the API may take minutes)."""

_MAX_EXPONENT: Final = 64  # beyond this the step is long capped; avoids float overflow


@attrs.frozen
class PollPolicy:
    """When to look at a status again; every value is in seconds except ``factor``.

    The defaults suit the API's processing time of about a second under light load and up to
    minutes under heavy load: polls at about 1 s, then 1-2 s, 2-4 s, ... apart, at most 30 s.
    """

    first_delay: float = 1.0
    interval: float = 1.0
    factor: float = 2.0
    max_interval: float = 30.0
    min_interval: float = 0.1

    def __attrs_post_init__(self) -> None:
        _params.seconds(self.first_delay, "poll.first_delay")
        _params.seconds(self.interval, "poll.interval", positive=True)
        _params.seconds(self.max_interval, "poll.max_interval", positive=True)
        _params.seconds(self.min_interval, "poll.min_interval")
        _params.seconds(self.factor, "poll.factor")
        if self.factor < 1:
            raise InvalidParameterError("poll.factor", f"must be >= 1, got {self.factor}")
        if not self.min_interval <= self.interval <= self.max_interval:
            raise InvalidParameterError(
                "poll.interval", "must lie between poll.min_interval and poll.max_interval"
            )

    def step(self, poll: int) -> float:
        """Return the longest wait before poll number ``poll`` (counting from 2)."""
        exponent = min(max(poll - 2, 0), _MAX_EXPONENT)
        return min(self.max_interval, self.interval * self.factor**exponent)

    def wait_before(self, poll: int, rng: random.Random) -> float:
        """Return the seconds to wait before poll number ``poll`` (1-based)."""
        if poll <= 1:
            return float(self.first_delay)
        step = self.step(poll)
        return rng.uniform(min(self.min_interval, step), step)


def _no_state(_: Any) -> str | None:
    return None


class Poller(Generic[T]):
    """Fetch a status until ``is_final`` holds for it, per a :class:`PollPolicy`.

    ``reference`` names what is polled in events and in :class:`WaitTimeoutError`;
    ``state_of`` tells the state of a fetched status for both; ``emit`` receives a
    :class:`PollAttempt` per poll (``state`` None when the poll failed transiently).
    After a run, ``attempts`` counts the polls, ``last`` is the newest status and
    ``last_error`` the newest transient failure.
    """

    def __init__(
        self,
        fetch: Callable[[], Awaitable[T]],
        is_final: Callable[[T], bool],
        *,
        reference: str,
        policy: PollPolicy | None = None,
        timing: Timing | None = None,
        state_of: Callable[[T], str | None] = _no_state,
        emit: Callable[[Event], None] | None = None,
        transient: Callable[[BaseException], bool] = is_transient,
    ) -> None:
        self._fetch = fetch
        self._is_final = is_final
        self._reference = reference
        self._policy = policy or PollPolicy()
        self._timing = timing or Timing()
        self._state_of = state_of
        self._emit = emit
        self._transient = transient
        self.attempts = 0
        self.last: T | None = None
        self.last_state: str | None = None
        self.last_error: BaseException | None = None

    def __repr__(self) -> str:
        return (
            f"<Poller {self._reference!r} attempts={self.attempts} last_state={self.last_state!r}>"
        )

    async def run(self, deadline: float = DEFAULT_DEADLINE) -> T:
        """Poll until final and return that status; ``deadline`` is in seconds from now.

        Raises :class:`WaitTimeoutError` (chained to the last transient failure, if any)
        when the deadline passes first. ``deadline=0`` polls exactly once; ``math.inf``
        polls until the status is final.
        """
        _params.seconds(deadline, "deadline", finite=False)
        clock, sleep, rng = self._timing.clock, self._timing.sleep, self._timing.rng
        started = clock()
        poll = 0
        while True:
            poll += 1
            remaining = deadline - (clock() - started)
            wait = min(self._policy.wait_before(poll, rng), max(0.0, remaining))
            if wait > 0:
                await sleep(wait)
            final, status = await self._poll_once(poll)
            if final:
                return cast(T, status)
            waited = clock() - started
            if waited >= deadline:
                raise WaitTimeoutError(
                    self._reference, waited, self.last_state
                ) from self.last_error

    async def _poll_once(self, poll: int) -> tuple[bool, T | None]:
        self.attempts = poll
        try:
            status = await self._fetch()
        except Exception as exc:
            if not self._transient(exc):
                raise
            self.last_error = exc
            self._report(poll, None)
            return False, None
        self.last = status
        self.last_state = self._state_of(status)
        self._report(poll, self.last_state)
        return self._is_final(status), status

    def _report(self, poll: int, state: str | None) -> None:
        if self._emit is not None:
            self._emit(PollAttempt(client_reference=self._reference, state=state, attempt=poll))
