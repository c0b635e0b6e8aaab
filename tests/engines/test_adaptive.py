"""The adaptive window's rules, one by one, and against a simulated server (no I/O)."""

from __future__ import annotations

import heapq
import itertools
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from betterplace_async._engines.adaptive import AdaptiveWindow, Outcome, Settings, WindowChange

# -- the rules, one by one ------------------------------------------------------------------

Latency = Callable[[int], float]


def capacity(workers: int, service: float = 0.05) -> Latency:
    """Round trips of a server with ``workers`` places: a queue beyond them."""
    return lambda window: service * max(1.0, window / workers)


class Driver:
    """Play whole rounds: fill the window, answer every request ``rtt(window)`` later.

    ``decode`` spreads the answers of a round: the k-th comes ``k * decode`` after the
    first (answers waiting on our own event loop, decoding the ones before). ``busy``: our
    process spends that share of the time on the CPU (its CPU time goes with the answers),
    a number or a function of the window.
    """

    def __init__(
        self,
        window: AdaptiveWindow,
        rtt: Latency | float = 0.05,
        decode: float = 0.0,
        busy: float | Callable[[int], float] | None = None,
    ) -> None:
        self.window = window
        self.rtt: Latency = (lambda _: rtt) if isinstance(rtt, float) else rtt
        self.decode = decode
        self.busy: Callable[[int], float] | None = (
            (lambda _: busy) if isinstance(busy, float) else busy
        )
        self.now = 0.0
        self.changes: list[WindowChange] = []

    def round(self, outcome: Outcome = Outcome.OK) -> WindowChange | None:
        """Play until the window ends a round; return its change."""
        window = self.window
        ended = window.rounds
        while True:
            size = window.limit
            for n in range(1, size + 1):
                window.sent(n)
            sent = self.now
            first = self.now + self.rtt(size)
            self.now = first + (size - 1) * self.decode
            for k in range(size):
                answered = first + k * self.decode
                cpu = None if self.busy is None else answered * self.busy(size)
                change = window.finished(sent, answered, outcome, cpu=cpu)
                if window.rounds != ended:
                    if change is not None:
                        self.changes.append(change)
                    return change

    def rounds(self, count: int) -> list[int]:
        """Play ``count`` rounds; return the window after each."""
        sizes = []
        for _ in range(count):
            self.round()
            sizes.append(self.window.limit)
        return sizes

    def settle(self) -> None:
        """Play until startup is over."""
        while self.window.phase == "startup":
            self.round()


def test_starts_where_the_fixed_default_was() -> None:
    assert AdaptiveWindow().limit == 8
    assert AdaptiveWindow(Settings(initial=8, maximum=4)).limit == 4


def test_startup_doubles_while_throughput_grows_each_later_size_judged_after_settling() -> None:
    # The first round judges the first size; after each doubling a round only settles.
    drive = Driver(AdaptiveWindow(Settings(initial=2, maximum=32)))
    assert drive.rounds(10) == [4, 4, 8, 8, 16, 16, 32, 32, 32, 32]
    assert drive.window.phase == "steady"  # still paying at the maximum: stays there
    assert drive.window.peak == 32


def test_a_first_round_that_met_a_queue_only_settles() -> None:
    # Eight at once against two workers: answers four times slower than the first page's.
    drive = Driver(AdaptiveWindow(Settings(initial=8, maximum=64)), capacity(2))
    window = drive.window
    window.sent(1)
    window.finished(0.0, 0.05)  # the first page alone: the quickest answer
    drive.now = 0.05
    assert drive.round() is None  # not judged: the first size is judged by the next round
    assert window.rounds == 1
    drive.settle()
    # judged twice at 8, never doubled: even its quickest answers waited (a standing
    # queue); the knee lies below, near throughput x the first page's round trip
    assert [(c.new, c.reason) for c in drive.changes] == [(2, "search")]
    assert (window.limit, window.phase) == (2, "steady")


def test_startup_narrows_down_the_knee_of_a_server_with_eight_workers() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=2, maximum=64)), capacity(8))
    drive.settle()
    assert drive.window.limit == 8
    assert [(c.new, c.reason) for c in drive.changes] == [
        (4, "grow"),
        (8, "grow"),
        (16, "grow"),
        (6, "search"),  # 16 brought nothing over 8; 4 was too few: between 4 and 8?
        (7, "search"),
        (8, "knee"),
    ]
    assert drive.window.reference == pytest.approx(0.05)


def test_rising_latency_with_rising_throughput_still_grows() -> None:
    # Answers queue behind each other in our own decoding: the mean round trip at 32 is
    # twice the quickest, but the first answer of each round is quick and more still helps.
    drive = Driver(AdaptiveWindow(Settings(initial=2, maximum=32)), 0.05, decode=0.003)
    drive.settle()
    assert drive.window.limit == 32
    assert drive.window.mean is not None
    assert drive.window.mean > 1.6 * 0.05


def test_a_standing_queue_stops_the_doubling() -> None:
    # Throughput still grows by a third from 8 to 16, but at 16 even the quickest answer
    # waited half as long again as ever before: a server queue, whose end is often a 503.
    def latency(window: int) -> float:
        return 0.05 if window <= 8 else 0.075

    drive = Driver(AdaptiveWindow(Settings(initial=8, maximum=64)), latency, decode=0.0005)
    drive.settle()
    assert drive.window.peak == 16


@pytest.mark.parametrize(("busy", "peak"), [(0.3, 16), (0.8, 64)])
def test_a_wait_while_our_own_process_is_busy_is_not_the_servers(busy: float, peak: int) -> None:
    # The same round trips as above: with the CPU mostly idle the wait is a server's
    # queue; with our process on the CPU 80% of the time it may be our own event loop's.
    def latency(window: int) -> float:
        return 0.05 if window <= 8 else 0.075

    window = AdaptiveWindow(Settings(initial=8, maximum=64))
    Driver(window, latency, decode=0.0005, busy=busy).settle()
    assert window.peak == peak


def test_once_our_cpu_is_saturated_more_in_flight_cannot_pay() -> None:
    # Round trips never grow (Little's law alone would double up to the maximum), but from
    # 32 on our own process is on the CPU 95% of the time, round after round: 32 is the knee.
    drive = Driver(
        AdaptiveWindow(Settings(initial=8, maximum=64)),
        0.05,
        decode=0.0005,
        busy=lambda w: 0.95 * (w >= 32),
    )
    drive.settle()
    assert (drive.window.limit, drive.window.peak) == (32, 32)
    drive.rounds(30)  # probes only go down (fewer do as well or worse, never better)
    probes = [(c.old, c.new) for c in drive.changes if c.reason == "probe"]
    assert probes
    assert all(new < old for old, new in probes)
    assert drive.window.peak == 32


def test_saturated_from_the_first_round_it_stays_at_the_start() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=8, maximum=64)), 0.002, 0.0002, busy=1.0)
    drive.settle()
    assert (drive.window.limit, drive.window.peak, drive.changes) == (8, 8, [])


def test_one_busy_round_is_not_saturation() -> None:
    # A single round on the CPU (a garbage collection, say) does not stop the doubling.
    window = AdaptiveWindow(Settings(initial=8, maximum=64))
    drive = Driver(window, 0.05, decode=0.0005, busy=0.0)
    drive.rounds(2)
    assert window.limit == 16
    drive.busy = lambda _: 0.99
    drive.round()  # one busy round, settling at 16: not saturated yet
    drive.busy = lambda _: 0.0
    drive.settle()
    assert window.peak == 64


def test_at_the_maximum_it_probes_down_and_keeps_what_loses_little() -> None:
    # Above 16 a larger window brings little: 32 stays after startup (it still paid), and
    # probing down soon finds smaller sizes that do about as well.
    drive = Driver(
        AdaptiveWindow(Settings(initial=2, maximum=32)),
        lambda w: 0.05 * (w / 16) ** 0.9 if w > 16 else 0.05,
    )
    drive.settle()
    assert drive.window.limit == 32
    drive.rounds(20)
    assert [(c.old, c.new) for c in drive.changes if c.reason == "probe"][:2] == [
        (32, 24),
        (24, 18),
    ]
    assert 16 <= drive.window.limit <= 24


def test_linear_gains_at_the_maximum_stay_there() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=2, maximum=32)), 0.05)
    drive.settle()
    assert drive.window.limit == 32
    assert [c.new for c in drive.changes] == [4, 8, 16, 32]


def test_a_window_that_was_never_full_holds() -> None:
    window = AdaptiveWindow(Settings(initial=4))
    for k in range(12):
        window.sent(1)
        assert window.finished(k * 0.05, (k + 1) * 0.05) is None
    assert window.rounds >= 3
    assert window.limit == 4


def steady_at_eight() -> Driver:
    drive = Driver(AdaptiveWindow(Settings(initial=2, maximum=64)), capacity(8))
    drive.settle()
    drive.round()  # the round after the change only settles
    assert (drive.window.limit, drive.window.phase) == (8, "steady")
    return drive


@pytest.mark.parametrize("outcome", [Outcome.OVERLOAD, Outcome.TIMEOUT])
def test_overload_and_timeouts_shrink_by_a_tenth_or_at_least_one(outcome: Outcome) -> None:
    drive = steady_at_eight()
    change = drive.round(outcome)
    assert change is not None
    assert (change.old, change.new, change.reason) == (8, 7, "overload")
    small = Driver(AdaptiveWindow(Settings(initial=3)))
    small.round(Outcome.OVERLOAD)
    assert small.window.limit == 2


def test_overload_during_startup_searches_among_the_smaller_sizes() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=2, maximum=64)))
    drive.rounds(6)  # 2, 4, 8 judged; 16 now
    change = drive.round(Outcome.OVERLOAD)
    assert change is not None
    assert (change.old, change.reason) == (16, "overload")
    assert change.new < 16
    drive.settle()
    assert drive.window.limit == 8


def test_pressure_signalled_mid_round_counts_at_its_end() -> None:
    drive = steady_at_eight()
    drive.window.pressure(drive.now)  # a retried 503: the request later succeeded
    change = drive.round()
    assert change is not None
    assert (change.reason, change.new) == ("overload", 7)


def test_right_after_a_cut_older_requests_do_not_cut_again() -> None:
    drive = steady_at_eight()
    drive.round(Outcome.OVERLOAD)  # 8 -> 7
    drive.window.pressure(drive.now - 0.01)  # sent under 8: already paid for
    assert drive.round() is None
    drive.window.pressure(drive.now - 0.01)  # still refused a round later: counts
    change = drive.round()
    assert change is not None
    assert (change.old, change.new, change.reason) == (7, 6, "overload")


def test_other_errors_say_nothing() -> None:
    drive = steady_at_eight()
    window = drive.window
    for n in range(1, 40):
        window.sent(n)
        assert window.finished(drive.now, drive.now + n, Outcome.ERROR) is None
    assert window.limit == 8


def test_latency_well_above_the_reference_shrinks() -> None:
    drive = steady_at_eight()
    drive.rtt = lambda _: 0.09  # 1.8x the reference
    assert drive.round() is None  # once may be a pause of our own
    change = drive.round()
    assert change is not None
    assert (change.new, change.reason) == (7, "latency")


def test_one_slow_round_between_normal_ones_holds() -> None:
    drive = steady_at_eight()
    seen = len(drive.changes)
    for rtt in (0.09, 0.05, 0.09, 0.05, 0.09):
        drive.rtt = lambda _, rtt=rtt: rtt  # type: ignore[misc]
        drive.round()
    assert "latency" not in [c.reason for c in drive.changes[seen:]]
    assert drive.window.limit == 8


def test_jitter_within_the_tolerance_holds() -> None:
    drive = steady_at_eight()
    drive.rtt = lambda _: 0.07
    assert drive.round() is None


def test_sub_millisecond_jitter_is_not_queueing() -> None:
    drive = Driver(AdaptiveWindow(Settings(maximum=4)), 0.0002)
    drive.settle()
    drive.rtt = lambda _: 0.0012  # 6x the reference, yet only 1 ms above it
    drive.rounds(3)
    assert "latency" not in [c.reason for c in drive.changes]


def test_latency_the_minimum_window_cannot_lower_moves_the_reference() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=1, maximum=1)), 0.01)
    drive.settle()
    drive.rtt = lambda _: 0.1
    assert drive.round() is None  # slow at the minimum: not our doing
    assert drive.window.reference == pytest.approx(0.1)


def test_probes_now_and_then_and_goes_back_when_it_does_not_pay() -> None:
    drive = steady_at_eight()
    drive.rounds(8)
    assert [(c.old, c.new, c.reason) for c in drive.changes[-2:]] == [
        (7, 8, "knee"),
        (8, 10, "probe"),
    ]
    drive.rounds(2)  # a settling round, then the verdict: 10 brings nothing over 8
    assert (drive.changes[-1].new, drive.changes[-1].reason) == (8, "back")


def test_a_probe_that_pays_is_kept_and_followed() -> None:
    drive = steady_at_eight()
    drive.rtt = capacity(16)  # the server got twice the workers
    drive.rounds(12)
    reasons = [c.reason for c in drive.changes]
    assert reasons[reasons.index("probe") + 1] == "grow"  # 8 -> 10 paid: try 13
    assert drive.window.limit >= 13


def test_a_round_lasts_a_round_trip_and_a_window_of_answers() -> None:
    window = AdaptiveWindow(Settings(initial=2))
    drive = Driver(window)
    drive.round()  # the first round judges the first size: 2 -> 4
    drive.round()  # the round after a change only settles
    assert (window.rounds, window.limit, window.mean) == (2, 4, pytest.approx(0.05))
    t = drive.now
    for n in range(1, 5):
        window.sent(n)  # full
    window.finished(-1.0, t + 0.01)  # sent before the round began: ignored
    window.finished(t, t + 0.01)  # 10 ms into the round: too early
    assert window.rounds == 2
    for _ in range(2):
        window.finished(t, t + 0.06)  # a round trip passed, but only three answers of four
    assert window.rounds == 2
    window.finished(t, t + 0.07)
    assert window.rounds == 3


def test_a_round_waits_for_its_whole_cohort() -> None:
    # Timed sends: the requests sent in a round's first round trip are judged together,
    # so the slow ones of a queue count as much as the quick ones.
    window = AdaptiveWindow(Settings(initial=4))
    for n in range(1, 5):
        window.sent(n, 0.0)
    for _ in range(4):
        window.finished(0.0, 0.05)  # the first round: 4 -> 8
    for n in range(1, 9):
        window.sent(n, 0.05)
    for _ in range(8):
        window.finished(0.05, 0.10)  # the round after a change settles on a window of answers
    assert (window.rounds, window.limit) == (2, 8)
    for n in range(1, 9):
        window.sent(n, 0.10)  # the cohort: sent within a round trip of the round's start
    for _ in range(7):
        window.finished(0.10, 0.15)
    window.sent(8, 0.17)  # after the cohort
    window.finished(0.17, 0.18)  # quick, but not of the cohort: neither counted nor ending
    assert window.rounds == 2
    window.finished(0.10, 0.30)  # the straggler of the cohort ends the round
    assert window.rounds == 3
    cohort = (7 * 0.05 + 0.2) / 8  # the round's mean round trip, straggler included
    assert window.mean == pytest.approx(0.6 * 0.05 + 0.4 * cohort)


def test_a_cancelled_request_is_not_awaited() -> None:
    window = AdaptiveWindow(Settings(initial=2))
    for n in range(1, 3):
        window.sent(n, 0.0)
    window.finished(0.0, 0.05)
    window.finished(0.0, 0.05)  # the first round: 2 -> 4
    for n in range(1, 5):
        window.sent(n, 0.05)
    for _ in range(4):
        window.finished(0.05, 0.10)  # settled
    for n in range(1, 5):
        window.sent(n, 0.10)
    for _ in range(3):
        window.finished(0.10, 0.15)
    assert window.rounds == 2
    window.forget(0.10)  # the other one was cancelled
    window.sent(4, 0.16)
    window.finished(0.16, 0.21)  # any later answer now closes the round
    assert window.rounds == 3


def test_a_sparse_round_ends_after_three_round_trips() -> None:
    window = AdaptiveWindow(Settings(initial=8))
    Driver(window).round()
    window.finished(0.06, 0.11)
    window.finished(0.1, 0.19)
    assert window.rounds == 1
    window.finished(0.15, 0.2)
    assert window.rounds == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"minimum": 0},
        {"minimum": 5, "maximum": 4},
        {"decrease": 1.0},
        {"knee_share": 1.5},
        {"startup_gain": 0.5},
        {"standing_tolerance": 0.9},
        {"busy_share": 0.0},
        {"saturated_share": 1.5},
        {"shrink_tolerance": 0.9},
        {"alpha": 0.0},
    ],
    ids=str,
)
def test_settings_are_checked(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"."):
        Settings(**bad)  # type: ignore[arg-type]


# -- against a simulated server ---------------------------------------------------------------


@dataclass
class Server:
    """``capacity`` requests served at once, ``queue_limit`` more wait, the rest get a 503.

    Round trip = ``network`` + queueing + service (``service`` x a seeded jitter). A 503 is
    answered after ``network`` plus a twentieth of the service time (refusing is cheap);
    the client then signals pressure and retries after ``retry_after`` seconds (default:
    two service times), the request staying in flight meanwhile, as the transport does.
    ``capacity_at(t)`` may change the capacity over time.
    """

    capacity: int
    service: float
    queue_limit: int
    network: float = 0.0
    jitter: float = 0.0
    capacity_at: Callable[[float], int] | None = None
    retry_after: float | None = None


@dataclass
class Run:
    windows: list[tuple[float, int]] = field(default_factory=list)
    answered: list[float] = field(default_factory=list)
    shed: list[float] = field(default_factory=list)

    def mean_window(self, since: float) -> float:
        later = [limit for at, limit in self.windows if at >= since]
        return sum(later) / len(later)

    def throughput(self, since: float, until: float) -> float:
        return sum(since <= t < until for t in self.answered) / (until - since)

    def shed_share(self, since: float) -> float:
        shed = sum(t >= since for t in self.shed)
        return shed / max(1, shed + sum(t >= since for t in self.answered))


def simulate(server: Server, duration: float, seed: int = 0, maximum: int = 64) -> Run:
    """A client with endless work keeps ``window.limit`` requests out; discrete events."""
    rng = random.Random(seed)
    window = AdaptiveWindow(Settings(maximum=maximum))
    events: list[tuple[float, int, str, float]] = []  # (time, seq, kind, request start)
    seq = itertools.count()
    queue: deque[float] = deque()
    busy = 0
    in_flight = 0
    run = Run()

    def at(when: float, kind: str, started: float) -> None:
        heapq.heappush(events, (when, next(seq), kind, started))

    def capacity(now: float) -> int:
        return server.capacity_at(now) if server.capacity_at else server.capacity

    def serve(now: float, started: float) -> None:
        nonlocal busy
        busy += 1
        took = server.service * (1 + rng.uniform(-server.jitter, server.jitter))
        at(now + took, "served", started)

    now = 0.0
    while now < duration:
        while in_flight < window.limit:
            in_flight += 1
            window.sent(in_flight, now)
            at(now + server.network / 2, "arrive", now)
        now, _, kind, started = heapq.heappop(events)
        if kind == "arrive":
            if busy < capacity(now):
                serve(now, started)
            elif len(queue) < server.queue_limit:
                queue.append(started)
            else:
                at(now + server.network / 2 + server.service / 20, "503", started)
        elif kind == "served":
            busy -= 1
            while queue and busy < capacity(now):
                serve(now, queue.popleft())
            at(now + server.network / 2, "200", started)
        elif kind == "200":
            in_flight -= 1
            window.finished(started, now, Outcome.OK)
            run.answered.append(now)
            run.windows.append((now, window.limit))
        else:  # a 503: the request stays out while the transport waits and retries it
            window.pressure(started)
            run.shed.append(now)
            delay = server.retry_after or 2 * server.service
            at(now + delay + server.network / 2, "arrive", started)
    return run


def knee(server: Server, capacity: int) -> float:
    """The fewest requests in flight that keep every worker busy (Little's law)."""
    return capacity * (server.service + server.network) / server.service


servers = st.builds(
    Server,
    capacity=st.integers(1, 24),
    service=st.floats(0.005, 0.2),
    queue_limit=st.integers(0, 48),
    network=st.floats(0.0, 0.1),
    jitter=st.floats(0.0, 0.2),
)


@settings(max_examples=40, deadline=None)
@given(server=servers, seed=st.integers(0, 2**16))
def test_settles_near_the_capacity(server: Server, seed: int) -> None:
    rtt = server.service + server.network
    run = simulate(server, duration=120 * rtt, seed=seed)
    best = knee(server, server.capacity)
    settled = run.mean_window(since=60 * rtt)
    room = server.capacity + server.queue_limit  # more than this in flight gets 503s
    assert 0.6 * min(best, room) - 1 <= settled <= 1.7 * best + 2
    # throughput near the best a fixed window can have without any 503
    best_fixed = min(room / rtt, server.capacity / server.service)
    assert run.throughput(60 * rtt, 120 * rtt) >= 0.7 * best_fixed
    assert run.shed_share(since=60 * rtt) <= 0.15


@settings(max_examples=30, deadline=None)
@given(
    capacity=st.integers(8, 24),
    service=st.floats(0.01, 0.1),
    queue_limit=st.integers(0, 8),
    seed=st.integers(0, 2**16),
)
def test_backs_off_when_the_server_sheds_load(
    capacity: int, service: float, queue_limit: int, seed: int
) -> None:
    drop = capacity // 4
    server = Server(
        capacity,
        service,
        queue_limit,
        capacity_at=lambda t: capacity if t < 60 * service else drop,
    )
    run = simulate(server, duration=150 * service, seed=seed)
    before = run.mean_window(since=40 * service)
    after = run.mean_window(since=110 * service)
    assert after < before
    assert after <= max(1.7 * drop + 2, drop + queue_limit + 2)
    assert run.shed_share(since=110 * service) <= 0.15


def test_a_queue_long_enough_means_nothing_is_shed() -> None:
    # Capacity 8 and room for 8 more, as in the benchmark: the latency band stops growth
    # before the queue overflows.
    run = simulate(Server(8, 0.05, 8, jitter=0.1), duration=30.0, seed=3)
    assert run.shed_share(since=0.0) <= 0.01
    assert 8 <= run.mean_window(since=10.0) <= 14


def test_without_a_capacity_limit_it_climbs_to_the_maximum() -> None:
    run = simulate(Server(10_000, 0.05, 0, jitter=0.05), duration=3.0, maximum=32)
    reached = next(at for at, limit in run.windows if limit == 32)
    assert reached <= 0.75  # startup: 8, 16, 32 within a dozen round trips
    after = [limit for at, limit in run.windows if at >= reached]
    assert min(after) >= 24  # probes down a quarter now and then...
    assert sum(limit == 32 for limit in after) >= 0.8 * len(after)  # ...and come back
