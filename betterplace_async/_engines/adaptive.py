"""The adaptive concurrency window: how many requests of one stream may be in flight.

Pure logic: no I/O, no asyncio, no clock of its own. The caller reports each request it
sends (:meth:`AdaptiveWindow.sent`), each one that finishes with its start and end times
and its outcome (:meth:`AdaptiveWindow.finished`), and each overload signal as it happens
(:meth:`AdaptiveWindow.pressure`); it reads :attr:`AdaptiveWindow.limit` before sending.

The rules (after TCP slow start and congestion avoidance, Vector's adaptive request
concurrency and Netflix's Gradient2):

- Time is cut into *rounds* of at least one round-trip time (the running mean) and,
  unless a second one passes, half a window of answers. Only requests sent during the
  round count. At the end of a round the window changes once, on what the round saw.
- The *floor* is the lowest round-trip time seen: the latency of a server that is not
  queueing our requests. When latency stays high with the window at its minimum, the
  delay is not of our making: the floor moves up to what the round saw. A round is
  *near the floor* while its mean RTT is at most ``grow_tolerance`` times the floor (or
  ``slack`` seconds above it, so that sub-millisecond jitter on loopback does not count
  as queueing).
- Overload (429, 503) or a timeout in the round: multiply by ``decrease`` (at least -1)
  and leave slow start.
- Latency clearly up: a round mean above ``shrink_tolerance`` times the floor, or, once
  outside the near-the-floor band, above the running mean plus ``deviation_scale``
  deviations (a sudden jump): the same decrease.
- The window was full during the round and the round stayed near the floor: grow, by
  doubling while in slow start, by one afterwards. A window that was never full says
  nothing about whether more would help, so it holds. Growing back to the size that
  last met an overload waits ``probe_rounds`` good rounds: a server that sheds load
  instead of queueing it (no queue, or a short one) is probed now and then, not every
  other round.
- Anything else holds. Between ``grow_tolerance`` and ``shrink_tolerance`` lies a band
  where the window neither grows nor shrinks: a server of capacity K settles between K
  and about ``shrink_tolerance`` x K requests in flight, with every worker busy and a
  short queue.

One controller per stream, not per client. A stream is one list read (a paginator run)
or one batch of submissions: its requests go to the same endpoint with the same page
size, so their round-trip times are comparable and the floor means something; requests
of other endpoints (a 200-record donations page next to a one-record detail call) would
blur it. The client-wide :class:`~betterplace_async._limiter.Limiter` still bounds the
sum of all streams (``max_concurrency``, which is also every window's ``maximum``) and
pauses the whole client on 429/503, so streams sharing a client cannot overrun the API
together; each window only decides how much of that allowance its stream takes. Slow
start makes a fresh window cheap: it reaches a knee of K in about log2(K) round trips.
"""

from __future__ import annotations

import enum
import math
from typing import Final

import attrs

__all__ = ["AdaptiveWindow", "Outcome", "Settings", "WindowChange"]

DEFAULT_INITIAL: Final = 2


class Outcome(enum.Enum):
    """How a request ended, as far as the window cares."""

    OK = "ok"  #: an answer arrived; its round-trip time counts
    OVERLOAD = "overload"  #: 429 or 503: the server sheds load
    TIMEOUT = "timeout"  #: no answer in time: treated as overload
    ERROR = "error"  #: any other failure: says nothing about load, ignored


@attrs.frozen
class Settings:
    """The knobs of :class:`AdaptiveWindow` (the defaults suit HTTP list pages).

    ``initial``/``minimum``/``maximum`` bound the window; ``decrease`` is the factor
    applied on overload or rising latency; ``grow_tolerance`` and ``shrink_tolerance``
    are ratios of a round's mean RTT to the floor; ``slack`` (seconds) widens the
    near-the-floor band for very short RTTs; ``deviation_scale`` is how many mean
    deviations above the running mean count as a jump; ``alpha`` weighs the newest round
    in the running mean; ``probe_rounds`` is how many good rounds pass before the window
    grows back to the size that last met an overload.
    """

    initial: int = DEFAULT_INITIAL
    minimum: int = 1
    maximum: int = 32
    decrease: float = 0.9
    grow_tolerance: float = 1.25
    shrink_tolerance: float = 1.6
    slack: float = 0.002
    deviation_scale: float = 2.5
    alpha: float = 0.4
    probe_rounds: int = 8

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.minimum <= self.maximum:
            raise ValueError(f"need 1 <= minimum <= maximum, got {self.minimum}, {self.maximum}")
        if not 0 < self.decrease < 1:
            raise ValueError(f"decrease must be between 0 and 1, got {self.decrease}")
        if not 1 <= self.grow_tolerance <= self.shrink_tolerance:
            raise ValueError("need 1 <= grow_tolerance <= shrink_tolerance")
        if not 0 < self.alpha <= 1 or self.slack < 0 or self.probe_rounds < 0:
            raise ValueError("alpha must be in (0, 1], slack and probe_rounds >= 0")


@attrs.frozen
class WindowChange:
    """The window went from ``old`` to ``new`` at ``at`` (the caller's clock).

    ``reason`` is ``"grow"``, ``"overload"`` (429/503/timeout) or ``"latency"``; ``rtt``
    is the round's mean round-trip time and ``floor`` the lowest one (seconds;
    ``None`` when the round had no answer).
    """

    old: int
    new: int
    reason: str
    at: float
    rtt: float | None
    floor: float | None


class _Round:
    """What one round saw."""

    __slots__ = ("count", "full", "lowest", "pressure", "started", "total")

    def __init__(self, started: float) -> None:
        self.started = started
        self.count = 0
        self.total = 0.0
        self.lowest = math.inf
        self.full = False
        self.pressure = False

    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


class AdaptiveWindow:
    """The window of one stream of requests; see the module docstring for the rules."""

    def __init__(self, settings: Settings | None = None, *, now: float = 0.0) -> None:
        self.settings = settings or Settings()
        s = self.settings
        self._limit = min(max(s.initial, s.minimum), s.maximum)
        self.peak = self._limit
        self.slow_start = True
        self.mean: float | None = None  # running mean of round RTTs
        self.deviation = 0.0  # running mean absolute deviation
        self._floor: float | None = None
        self._round = _Round(now)
        self.rounds = 0  # rounds ended so far
        self._ceiling: int | None = None  # the size that last met an overload
        self._calm = 0  # good rounds just below the ceiling
        self._just_cut = False  # the last round ended in a cut for overload

    def __repr__(self) -> str:
        return f"<AdaptiveWindow limit={self._limit} peak={self.peak} floor={self.floor}>"

    @property
    def limit(self) -> int:
        """How many requests may be in flight now."""
        return self._limit

    @property
    def floor(self) -> float | None:
        """The lowest round-trip time seen (seconds), once one is known."""
        return self._floor

    def sent(self, in_flight: int) -> None:
        """Note a request going out; ``in_flight`` counts it and those still out."""
        if in_flight >= self._limit:
            self._round.full = True

    def pressure(self, started: float) -> None:
        """Note an overload answer (429/503) or a timeout of an attempt the caller retries.

        ``started`` is when the request was first sent. In the round right after a cut for
        overload, a request sent before that round went out under the larger window, which
        has already paid for it; later, a request still refused counts again.
        """
        if started >= self._round.started or not self._just_cut:
            self._round.pressure = True

    def finished(
        self, started: float, ended: float, outcome: Outcome = Outcome.OK
    ) -> WindowChange | None:
        """Note a request that ended; return the change of the window, if any.

        Only requests sent since the round began count: those sent earlier went out under
        the previous window and would credit it with what the old one achieved.
        """
        current = self._round
        if started < current.started:
            return None
        if outcome is Outcome.OK:
            rtt = max(0.0, ended - started)
            current.count += 1
            current.total += rtt
            current.lowest = min(current.lowest, rtt)
        elif outcome is not Outcome.ERROR:
            current.pressure = True
        if not current.count and not current.pressure:
            return None
        length = (self.mean if self.mean is not None else 0.0) * (1 - 1e-9)  # (rounding)
        elapsed = ended - current.started
        if elapsed < length:
            return None  # the round is not over yet
        if current.count * 2 < self._limit and not current.pressure and elapsed < 2 * length:
            return None  # wait for half a window of answers (or a second round trip)
        return self._end_round(ended)

    def _end_round(self, now: float) -> WindowChange | None:
        s = self.settings
        done, self._round = self._round, _Round(now)
        self.rounds += 1
        rtt = done.mean()
        if rtt is not None and (self._floor is None or done.lowest < self._floor):
            self._floor = done.lowest
        floor = self._floor
        jump = self._jump(rtt)
        self._learn(rtt)
        old = self._limit
        self._just_cut = done.pressure
        if done.pressure:
            reason = "overload"
            self._ceiling, self._calm = old, 0
        elif rtt is not None and floor is not None and self._near(rtt, floor, s.shrink_tolerance):
            reason = "latency" if jump else ""
        elif rtt is not None:
            reason = "latency"
        else:
            return None  # neither an answer nor a signal: nothing learned
        if reason == "latency" and old == s.minimum:
            self._floor = done.lowest  # slow at the minimum: the server's pace, not ours
            new = old
        elif reason:
            self.slow_start = False
            new = max(s.minimum, min(old - 1, math.floor(old * s.decrease)))
        elif floor is not None and rtt is not None and self._near(rtt, floor, s.grow_tolerance):
            new = self._grown(old) if done.full and old < s.maximum else old
            reason = "grow"
        else:
            self.slow_start = False  # queueing has begun: the knee is close
            new = old
        if new == old:
            return None
        self._limit = new
        self.peak = max(self.peak, new)
        return WindowChange(old, new, reason, now, rtt, floor)

    def _grown(self, old: int) -> int:
        """The size after a good round with a full window."""
        s = self.settings
        if self.slow_start:
            return min(s.maximum, old * 2, self._ceiling or s.maximum)
        if self._ceiling is not None and old + 1 >= self._ceiling:
            if old >= self._ceiling:  # reached it without an overload: forget it
                self._ceiling = None
            elif self._calm < s.probe_rounds:
                self._calm += 1
                return old
            self._calm = 0
        return min(s.maximum, old + 1)

    def _near(self, rtt: float, floor: float, tolerance: float) -> bool:
        return rtt <= floor * tolerance or rtt <= floor + self.settings.slack

    def _jump(self, rtt: float | None) -> bool:
        """Whether ``rtt`` is a sudden rise: above the band and far above the running mean."""
        if rtt is None or self.mean is None or self.floor is None:
            return False
        s = self.settings
        if self._near(rtt, self.floor, s.grow_tolerance):
            return False
        return rtt > self.mean + s.deviation_scale * self.deviation

    def _learn(self, rtt: float | None) -> None:
        if rtt is None:
            return
        if self.mean is None:
            self.mean = rtt
            return
        a = self.settings.alpha
        self.deviation = (1 - a) * self.deviation + a * abs(rtt - self.mean)
        self.mean = (1 - a) * self.mean + a * rtt
