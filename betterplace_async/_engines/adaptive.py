"""The adaptive concurrency window: how many requests of one stream may be in flight.

Pure logic: no I/O, no asyncio, no clock of its own. The caller reports each request it
sends (:meth:`AdaptiveWindow.sent`), each one that finishes with its start and end times
and its outcome (:meth:`AdaptiveWindow.finished`), and each overload signal as it happens
(:meth:`AdaptiveWindow.pressure`); it reads :attr:`AdaptiveWindow.limit` before sending.

What it looks for is the *knee*: the smallest window that gets (nearly) the most
throughput. Below it, requests wait on the network and more in flight means more done;
above it, something is saturated (the server's workers, or our own event loop decoding
pages) and more in flight only lengthens queues and holds more pages in memory. Latency
alone cannot find it: when the client's own CPU is the bound, round trips lengthen with
the window although throughput still rises a little, so the rules judge throughput,
estimated by Little's law as ``requests out / mean round trip`` over rounds where the
window was full (requests out: their mean over the round when the caller says when it
sends, else the window). The rules, after TCP slow start, BBR's startup and Vector's
adaptive request concurrency:

- Time is cut into *rounds* of at least one round-trip time (the running mean). A round
  judges its *cohort*: the requests sent during its first round trip, all of them, the
  slow ones of a queue as much as the quick ones (callers that do not say when they send
  get a window of answers instead); a round whose cohort is late ends after three round
  trips. Requests sent earlier went out under another size and do not count. At the end
  of a round the window changes at most once. The round right after a change lasts until
  a window of answers to requests sent at the new size came back (a queue needs about
  that long to reach its new depth): it only settles, it never judges the size, except to
  react to overload. The very first round (a window of answers) is judged when its
  answers came back about as quick as the quickest: that first burst met no queue, so it
  already tells what the first size does; otherwise it only settles too.
- A *standing queue*: even the quickest answer of the round took ``standing_tolerance``
  (1.4x) the quickest ever seen, and ``slack`` more: every request waited in a queue.
  Whose queue? When the caller reports the CPU time of the thread running the event loop
  and it was on the CPU for ``busy_share`` (75%) of the round or more, the wait may be
  our own event loop's (pages waiting to be decoded), which a smaller window would not
  shorten and a larger one does not harm the server with: then it does not count as the
  server's.
- *Saturated*: that thread was on the CPU for ``saturated_share`` (90%) of two rounds in
  a row, or of the very first: our own CPU is the bound, and more requests in flight
  cannot bring more answers per second (they would only wait longer to be decoded). One
  busy round alone is often a pause of ours, such as a garbage collection.
- *Startup*: the window starts at 8 (the fixed default it replaced) and doubles each
  judged round while throughput grows by at least ``startup_gain`` (25%) over the best so
  far, round trips did not grow by ``shrink_tolerance`` (1.6x) over those of the size
  before (then the doubling went into a queue: a saturated server doubles round trips)
  and no standing queue formed (a server's queue is often short: its end is a 503). A
  saturated size is the knee at once: the sizes before it left our CPU idle now and
  then, it does not, so the window settles there. A size that fails for another reason
  than a standing queue is judged once more, further from the change, before the
  doubling stops: one round is a small sample. Then the knee lies between the smallest
  size tried that reached ``knee_share`` (90%) of the best throughput and the size before
  it: halving that gap a few rounds more, the window settles there. If the smallest size
  tried already had a standing queue, or met an overload, the knee lies below the start:
  the search goes down to throughput x the lowest round trip, rounded up (at most half
  the size), and narrows down from there. At the maximum a doubling that still paid
  ``probe_loss`` (5%) stays there and probes down two rounds later. The mean round trip
  at the chosen size is the *reference* latency.
- *Steady*: overload (429, 503) or a timeout in the round multiplies the window by
  ``decrease`` (0.9, at least -1). So do two rounds in a row whose latency is above
  ``shrink_tolerance`` (1.6) times the reference (by more than ``slack`` seconds, so that
  sub-millisecond jitter on loopback does not count; one slow round is often a pause of
  our own, such as a garbage collection): the server or the path got slower. If latency
  stays high with the window at its minimum, that is the server's pace, not ours: the
  reference moves up to it.
- *Probing*: after ``probe_rounds`` (8) calm full rounds the window tries a quarter more
  (at least +1) for a round. It keeps the larger size, and tries the next, if throughput
  rose by ``probe_gain`` (10%: less is within what one round can measure); otherwise it
  goes back, and the next probe tries a quarter less, kept if throughput fell by less than
  ``probe_loss`` (5%; and then a quarter less
  again, until one loses more, which sends the next probe up again). At the maximum
  probes only go down, and so they do while saturated. So the window follows the knee
  from both sides. A probe of the size that last met an overload waits twice as long: a
  server that gains capacity is followed up, one that sheds load instead of queueing it
  is only tried now and then.
- A window that was never full during the round says nothing about what more would
  bring: it holds (a slow consumer or a short list is not a signal).

One controller per stream, not per client. A stream is one list read (a paginator run)
or one batch of submissions: its requests go to the same endpoint with the same page
size, so their round trips and throughput are comparable; requests of other endpoints
(a 200-record donations page next to a one-record detail call) would blur both. The
client-wide :class:`~betterplace_async._http.limiter.Limiter` still bounds the sum of all
streams (``max_concurrency``, which is also every window's ``maximum``) and pauses the
whole client on 429/503, so streams sharing a client cannot overrun the API together;
each window only decides how much of that allowance its stream takes. Startup makes a
fresh window cheap: it reaches a knee of K in about two to three round trips per
doubling, the first doubling after one.
"""

from __future__ import annotations

import enum
import math
from typing import Final, Literal, NamedTuple

import attrs

__all__ = ["DEFAULT_INITIAL", "AdaptiveWindow", "Outcome", "Settings", "WindowChange"]

DEFAULT_INITIAL: Final = 8

Phase = Literal["startup", "steady", "probe"]


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
    applied on overload or rising latency; ``startup_gain``, ``knee_share`` and
    ``probe_gain`` are throughput ratios, ``probe_loss`` a share of throughput (see the
    module docstring); ``shrink_tolerance`` is a ratio of a round's mean round trip to the
    reference, ``standing_tolerance`` one of its quickest to the quickest seen;
    ``busy_share`` is the share of a round on our CPU above which waits count as ours,
    ``saturated_share`` the share above which more in flight cannot pay;
    ``slack`` (seconds) is a rise in latency that never counts; ``alpha`` weighs the
    newest round in the running means; ``probe_rounds`` is how many calm rounds pass
    between probes.
    """

    initial: int = DEFAULT_INITIAL
    minimum: int = 1
    maximum: int = 64
    decrease: float = 0.9
    startup_gain: float = 1.25
    knee_share: float = 0.9
    probe_gain: float = 1.1
    probe_loss: float = 0.05
    shrink_tolerance: float = 1.6
    standing_tolerance: float = 1.4
    busy_share: float = 0.75
    saturated_share: float = 0.9
    slack: float = 0.002
    alpha: float = 0.4
    probe_rounds: int = 8

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.minimum <= self.maximum:
            raise ValueError(f"need 1 <= minimum <= maximum, got {self.minimum}, {self.maximum}")
        if not 0 < self.decrease < 1:
            raise ValueError(f"decrease must be between 0 and 1, got {self.decrease}")
        if not 0 < self.knee_share <= 1 or self.startup_gain < 1 or self.probe_gain < 1:
            raise ValueError("need 0 < knee_share <= 1 and gains >= 1")
        if not 0 < self.busy_share <= 1 or not 0 < self.saturated_share <= 1:
            raise ValueError("busy_share and saturated_share must be in (0, 1]")
        if not 0 <= self.probe_loss < 1:
            raise ValueError(f"probe_loss must be in [0, 1), got {self.probe_loss}")
        if self.shrink_tolerance < 1 or self.standing_tolerance < 1:
            raise ValueError("shrink_tolerance and standing_tolerance must be >= 1")
        if not 0 < self.alpha <= 1 or self.slack < 0 or self.probe_rounds < 0:
            raise ValueError("alpha must be in (0, 1], slack and probe_rounds >= 0")


@attrs.frozen
class WindowChange:
    """The window went from ``old`` to ``new`` at ``at`` (the caller's clock).

    ``reason`` is ``"grow"`` (startup doubling, or a probe that paid), ``"search"``
    (narrowing down the knee), ``"knee"`` (startup settled), ``"probe"`` (trying a
    larger size), ``"back"`` (the probe did not pay), ``"overload"`` (429/503/timeout)
    or ``"latency"``. ``rtt`` is the round's mean round
    trip and ``floor`` the lowest one seen (seconds; ``None`` when not known).
    """

    old: int
    new: int
    reason: str
    at: float
    rtt: float | None
    floor: float | None


class _Round:
    """What one round saw."""

    __slots__ = (
        "area",
        "area_filled",
        "cohort",
        "count",
        "cpu",
        "done",
        "filled",
        "full",
        "lowest",
        "pressure",
        "started",
        "total",
        "until",
    )

    def __init__(self, started: float, length: float | None) -> None:
        self.started = started
        # the cohort: requests sent in the round's first round trip; it is judged whole
        self.until = math.inf if length is None else started + length
        self.cohort = 0  # cohort requests sent (counted when the caller says when)
        self.done = 0  # cohort requests ended, whatever the outcome
        self.area = 0.0  # requests out x seconds during the round (timed callers)
        self.count = 0
        self.total = 0.0
        self.lowest = math.inf
        self.cpu: tuple[float, float, float, float] | None = None  # (t0, cpu0, t, cpu)
        self.full = False
        self.filled = started  # when the window was first full
        self.area_filled = 0.0  # the area by then
        self.pressure = False

    def mean(self) -> float | None:
        return self.total / self.count if self.count else None

    def busy(self) -> float | None:
        """The share of the round the event loop's thread was on the CPU, if known."""
        if self.cpu is None or self.cpu[2] <= self.cpu[0]:
            return None
        t0, cpu0, t, cpu = self.cpu
        return (cpu - cpu0) / (t - t0)


class _Seen(NamedTuple):
    """What a judged round showed of its size in startup."""

    rate: float  # requests per second
    rtt: float  # mean round trip
    standing: bool  # even the quickest answer waited in a queue not of our making


class AdaptiveWindow:
    """The window of one stream of requests; see the module docstring for the rules."""

    def __init__(self, settings: Settings | None = None, *, now: float = 0.0) -> None:
        self.settings = settings or Settings()
        s = self.settings
        self._limit = min(max(s.initial, s.minimum), s.maximum)
        self.peak = self._limit
        self.phase: Phase = "startup"
        self.mean: float | None = None  # running mean of round RTTs (the round length)
        self.floor: float | None = None  # the lowest round trip seen
        self.reference: float | None = None  # mean round trip at the chosen size
        self.throughput: float | None = None  # requests per second at the chosen size
        self._tried: dict[int, _Seen] = {}  # startup: what each size showed
        self._plateau = False  # startup: doubling stopped paying, the knee is searched
        self._base = self._limit  # the size to go back to after a probe
        self._round = _Round(now, None)
        self._timed = False  # the caller tells when each request is sent
        self._out = 0  # requests out now (timed callers)
        self._last = now  # when _out last changed
        self.rounds = 0  # rounds ended so far
        self._calm = 0  # calm full rounds since the last change
        self._slow = False  # the last judged round was slow (latency above the band)
        self._doubt = False  # startup: this size failed to pay once; judged again
        self._down_next = False  # the next probe tries a smaller size
        self._ceiling: int | None = None  # the size that last met an overload
        self._just_cut = False  # the last round ended in a cut for overload
        self._settling = True  # the window just changed (or is new): the next round settles
        self._saturated = False  # our CPU was the bound in the last round and the one before
        self._was_saturated = False  # ... in the last round

    def __repr__(self) -> str:
        return f"<AdaptiveWindow limit={self._limit} peak={self.peak} phase={self.phase}>"

    @property
    def limit(self) -> int:
        """How many requests may be in flight now."""
        return self._limit

    def sent(self, in_flight: int, now: float | None = None) -> None:
        """Note a request going out; ``in_flight`` counts it and those still out.

        With ``now`` (the time it goes out) a round waits for every request of its cohort
        before judging; without, for a window of answers.
        """
        current = self._round
        if now is not None:
            self._timed = True
            self._tick(now)
            self._out += 1
            if current.started <= now < current.until:
                current.cohort += 1
        if in_flight >= self._limit and not current.full:
            current.full = True
            current.filled = current.started if now is None else now
            current.area_filled = current.area

    def _tick(self, now: float) -> None:
        if now > self._last:
            self._round.area += self._out * (now - self._last)
            self._last = now

    def forget(self, started: float) -> None:
        """Note a request that ended without an outcome (cancelled): it is no longer awaited."""
        current = self._round
        self._out = max(0, self._out - 1)
        if current.started <= started < current.until:
            current.done += 1

    def pressure(self, started: float) -> None:
        """Note an overload answer (429/503) or a timeout of an attempt the caller retries.

        ``started`` is when the request was first sent. In the round right after a cut for
        overload, a request sent before that round went out under the larger window, which
        has already paid for it; later, a request still refused counts again.
        """
        if started >= self._round.started or not self._just_cut:
            self._round.pressure = True

    def finished(
        self,
        started: float,
        ended: float,
        outcome: Outcome = Outcome.OK,
        *,
        cpu: float | None = None,
    ) -> WindowChange | None:
        """Note a request that ended; return the change of the window, if any.

        Only requests sent since the round began count: those sent earlier went out under
        the previous window and would credit it with what the old one achieved. ``cpu``
        is the CPU time of the thread running the event loop then (seconds): with it a
        round knows how busy we were.
        """
        current = self._round
        if cpu is not None:
            first = current.cpu
            current.cpu = (ended, cpu, ended, cpu) if first is None else (*first[:2], ended, cpu)
        if self._timed:
            self._tick(ended)
            self._out = max(0, self._out - 1)
        if started < current.started:
            return None
        in_cohort = started < current.until
        if in_cohort:
            current.done += 1
        if outcome is Outcome.OK:
            if in_cohort:  # later requests would favour the quick: the cohort is judged whole
                rtt = max(0.0, ended - started)
                current.count += 1
                current.total += rtt
                current.lowest = min(current.lowest, rtt)
        elif outcome is not Outcome.ERROR:
            current.pressure = True
        if not current.count and not current.pressure:
            if not in_cohort and ended - current.started >= 3 * (self.mean or 0.0):
                self._round = _Round(ended, self.mean)  # no answer of the cohort: start over
            return None
        length = (self.mean if self.mean is not None else 0.0) * (1 - 1e-9)  # (rounding)
        elapsed = ended - current.started
        if elapsed < length:
            return None  # the round is not over yet
        if not current.pressure and (elapsed < 3 * length or self.mean is None):
            if self._settling or not self._timed:
                if current.count < self._limit:
                    return None  # wait for a window of answers (or three round trips)
            elif current.done < current.cohort:
                return None  # wait for the whole cohort (or three round trips)
        return self._end_round(ended)

    # -- the rules --------------------------------------------------------------------------

    def _end_round(self, now: float) -> WindowChange | None:
        done = self._round
        self.rounds += 1
        rtt = done.mean()
        if rtt is not None:
            self.floor = min(self.floor or math.inf, done.lowest)
            a = self.settings.alpha
            self.mean = rtt if self.mean is None else (1 - a) * self.mean + a * rtt
        self._round = _Round(now, self.mean)
        old = self._limit
        self._just_cut = done.pressure
        settling, self._settling = self._settling, False
        busy = done.busy()
        saturated = busy is not None and busy >= self.settings.saturated_share
        # saturated twice in a row (or from the very first round): one busy round is
        # often a pause of ours, such as a garbage collection
        self._saturated = saturated and (self._was_saturated or self.rounds == 1)
        self._was_saturated = saturated
        # The very first round is judged when its answers came back about as quick as the
        # quickest: a first burst that met no queue says what the first size does. One
        # whose later answers waited on the earlier ones only settles, like any other.
        first = self.rounds == 1 and rtt is not None and not self._above(rtt, done.lowest)
        if done.pressure:
            new, reason = self._cut(), "overload"
            self._ceiling = old
        elif rtt is None or (settling and not first):
            return None
        elif self.phase == "startup":
            rate = self._rate(done, now, since_full=first)
            new, reason = self._startup(old, rtt, rate, done)
        elif self.phase == "probe":
            new, reason = self._judge_probe(old, rtt, self._rate(done, now), done.full)
        else:
            new, reason = self._steady(old, rtt, self._rate(done, now), done.full)
        if new == old:
            return None
        self._settling = True
        self._limit = new
        self.peak = max(self.peak, new)
        return WindowChange(old, new, reason, now, rtt, self.floor)

    def _cut(self) -> int:
        s = self.settings
        old = self._limit
        new = max(s.minimum, min(old - 1, math.floor(old * s.decrease)))
        if self.phase == "startup" and any(size < old for size in self._tried):
            # overloaded while searching: the knee lies among the smaller sizes tried
            self._tried = {size: seen for size, seen in self._tried.items() if size < old}
            self._plateau = True
            return self._knee()[0]
        if self.phase == "startup" and not any(size < old for size in self._tried):
            # overloaded before a smaller size was judged: the knee lies below the start;
            # the next judged size searches down from there
            self._tried = {size: seen for size, seen in self._tried.items() if size < old}
            self._plateau = True
            return new
        # the next probe goes down: above the knee a queue fills until the server refuses
        self.phase, self._base, self._calm, self._down_next = "steady", new, 0, True
        return new

    def _settle(self, size: int, calm: int = 0) -> None:
        """Leave startup at ``size``, taking the reference from the nearest size tried;
        ``calm`` rounds count as already passed towards the first probe."""
        near = self._tried[min(self._tried, key=lambda tried: abs(tried - size))]
        self.throughput, self.reference = near.rate, near.rtt
        self._tried = {}
        self.phase, self._base, self._calm = "steady", size, calm

    def _rate(self, done: _Round, now: float, *, since_full: bool = False) -> float:
        """The throughput a round shows, by Little's law: requests out / mean round trip.

        With timed callers "requests out" is the mean over the round, not the window: a
        stream that keeps fewer requests out than allowed (an engine waiting on a page, a
        slow consumer) is not credited with throughput it never had. ``since_full``: the
        mean since the window was first full (the first round begins with a lone request).
        """
        rtt = max(done.mean() or 0.0, 1e-9)
        start, area = (done.filled, done.area_filled) if since_full else (done.started, 0.0)
        if self._timed and now > start:
            return min((done.area - area) / (now - start), self._limit) / rtt
        return self._limit / rtt

    def _startup(self, old: int, rtt: float, rate: float, done: _Round) -> tuple[int, str]:
        s = self.settings
        if not done.full:
            return old, ""  # the consumer or the list, not the server, set the pace
        best = max((seen.rate for size, seen in self._tried.items() if size != old), default=0.0)
        standing = self._standing(done)
        self._tried[old] = _Seen(rate, rtt, standing)  # judged twice: the later round
        if self._saturated and not self._plateau:
            # Our own CPU is the bound: more in flight cannot pay. The sizes before this
            # one left it idle now and then, so this is the knee.
            self._settle(old)
            return old, ""
        if not self._plateau:
            if (
                old < s.maximum
                and rate >= best * s.startup_gain
                and not self._queueing(rtt)
                and not standing
            ):
                self._doubt = False
                return min(s.maximum, old * 2), "grow"
            if old >= s.maximum and rate >= best * (1 + s.probe_loss):
                # Still paying at the maximum: stay, and probe down two rounds from now to
                # find out whether fewer would do as well (one round cannot tell whether
                # the doubling paid 10% or 20%).
                self._settle(old, calm=max(0, s.probe_rounds - 2))
                return old, ""
            if not self._doubt and not standing:
                # One round of one size is a small sample (a pause of our own or a burst
                # of answers skews it): the same size is judged once more, further from
                # the change, before the doubling stops. Not when even the quickest answer
                # waited in the server's queue: that is seldom chance, and its end a 503.
                self._doubt = True
                return old, ""
            self._plateau = True  # where between the last two sizes does it level off?
        return self._knee()

    def _knee(self) -> tuple[int, str]:
        """Narrow down the knee among the sizes tried, or settle on it."""
        s = self.settings
        top = max(seen.rate for seen in self._tried.values())
        knee = min(size for size, seen in self._tried.items() if seen.rate >= top * s.knee_share)
        below = [size for size in self._tried if size < knee]
        if below and knee - max(below) > max(1, knee // 8):
            return (max(below) + knee) // 2, "search"  # the knee lies in between: halve
        if not below and knee > s.minimum and self._tried[knee].standing:
            # The smallest size tried already queued: the knee lies below where we began,
            # about throughput x the unqueued round trip (what fills the pipe, no more).
            floor = self.floor if self.floor is not None else 0.0
            return max(s.minimum, min(knee // 2, math.ceil(top * floor))), "search"
        self._settle(knee)
        return knee, "knee"

    def _queueing(self, rtt: float) -> bool:
        """Whether the last doubling went mostly into queues: round trips rose by more than
        ``shrink_tolerance`` times those of the size before (a saturated server doubles
        them, one with room leaves them alone; our own busy event loop lies in between)."""
        below = [size for size in self._tried if size < self._limit]
        if not below:
            return False
        return self._above(rtt, self._tried[max(below)].rtt)

    def _standing(self, done: _Round) -> bool:
        """Whether even the quickest answer of a round waited in a server's queue: it took
        more than ``standing_tolerance`` times the quickest seen (and by more than
        ``slack``), while our event loop had CPU to spare (below ``busy_share`` of the
        round): when we are the busy side, answers wait on our event loop instead."""
        s = self.settings
        busy = done.busy()
        if busy is not None and busy >= s.busy_share:
            return False
        floor = self.floor if self.floor is not None else done.lowest
        return self._above(done.lowest, floor, s.standing_tolerance)

    def _above(self, rtt: float, base: float, tolerance: float | None = None) -> bool:
        """Whether ``rtt`` is above the latency band around ``base``: ``tolerance``
        (default ``shrink_tolerance``) times it, and by more than ``slack`` seconds."""
        s = self.settings
        factor = s.shrink_tolerance if tolerance is None else tolerance
        return rtt > base * factor and rtt > base + s.slack

    def _steady(self, old: int, rtt: float, rate: float, full: bool) -> tuple[int, str]:
        s = self.settings
        reference = self.reference if self.reference is not None else rtt
        if self._above(rtt, reference):
            slow_before, self._slow = self._slow, True
            if old == s.minimum:  # slow at the minimum: the server's pace, not ours
                self.reference = rtt
                return old, ""
            if slow_before:  # twice in a row: one slow round is jitter (a GC pause)
                self._slow = False
                return self._cut(), "latency"
            return old, ""
        self._slow = False
        if not full:
            return old, ""
        a = s.alpha
        self.throughput = rate if self.throughput is None else (1 - a) * self.throughput + a * rate
        self._calm += 1
        wait = s.probe_rounds * (2 if self._ceiling is not None and old + 1 >= self._ceiling else 1)
        if self._calm < wait or old <= s.minimum:
            return old, ""
        self.phase, self._base, self._calm = "probe", old, 0
        if old >= s.maximum or self._down_next or self._saturated:  # a quarter less?
            return self._smaller(old), "probe"
        return self._larger(old), "probe"

    def _judge_probe(self, old: int, rtt: float, rate: float, full: bool) -> tuple[int, str]:
        s = self.settings
        if not full:
            return old, ""  # not tested yet: wait for a full round
        down = old < self._base
        if down:  # a probe downwards: keep the smaller size if it lost less than 5%
            if self.throughput is not None and rate >= self.throughput * (1 - s.probe_loss):
                self.throughput, self.reference, self._base = rate, rtt, old
                if old > s.minimum:  # and tries the next smaller size right away
                    return self._smaller(old), "probe"
                self.phase, self._calm = "steady", 0
                return old, ""
        elif self.throughput is not None and rate >= self.throughput * s.probe_gain:
            self.throughput, self.reference, self._base = rate, rtt, old
            if self._ceiling is not None and old >= self._ceiling:
                self._ceiling = None
            if old < s.maximum:
                return self._larger(old), "grow"
        self._down_next = not down  # a probe that did not pay: try the other way next
        self.phase, self._calm = "steady", 0
        return self._base, "back"

    def _smaller(self, old: int) -> int:
        return max(self.settings.minimum, min(old - 1, math.ceil(old * 0.75)))

    def _larger(self, old: int) -> int:
        return min(self.settings.maximum, max(old + 1, math.ceil(old * 1.25)))
