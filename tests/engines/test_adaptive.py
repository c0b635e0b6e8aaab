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


class Driver:
    """Play whole rounds: fill the window, answer every request ``rtt`` after it was sent."""

    def __init__(self, window: AdaptiveWindow) -> None:
        self.window = window
        self.now = 0.0

    def round(self, rtt: float, outcome: Outcome = Outcome.OK) -> WindowChange | None:
        """Play until the window ends a round; return its change."""
        window = self.window
        ended = window.rounds
        while True:
            for n in range(1, window.limit + 1):
                window.sent(n)
            sent = self.now
            self.now += rtt
            for _ in range(window.limit):
                change = window.finished(sent, self.now, outcome)
                if window.rounds != ended:
                    return change


def test_starts_small() -> None:
    assert AdaptiveWindow().limit == 2
    assert AdaptiveWindow(Settings(initial=8, maximum=4)).limit == 4


def test_slow_start_doubles_while_latency_stays_at_its_floor() -> None:
    drive = Driver(AdaptiveWindow(Settings(maximum=32)))
    limits = []
    for _ in range(6):
        drive.round(0.05)
        limits.append(drive.window.limit)
    assert limits == [4, 8, 16, 32, 32, 32]
    assert drive.window.peak == 32


def test_after_slow_start_it_grows_by_one() -> None:
    drive = Driver(AdaptiveWindow(Settings(maximum=64)))
    drive.round(0.05)  # 2 -> 4
    drive.round(0.04)  # 4 -> 8, floor 40 ms; the running mean learns some deviation
    assert drive.round(0.055) is None  # 1.4x the floor, no jump: slow start ends
    assert (drive.window.limit, drive.window.slow_start) == (8, False)
    drive.round(0.04)
    assert drive.window.limit == 9


def test_a_window_that_was_never_full_holds() -> None:
    window = AdaptiveWindow(Settings(initial=4))
    for k in range(5):
        window.sent(1)
        assert window.finished(k * 0.05, (k + 1) * 0.05) is None
    assert window.rounds >= 3
    assert window.limit == 4


@pytest.mark.parametrize("outcome", [Outcome.OVERLOAD, Outcome.TIMEOUT])
def test_overload_and_timeouts_shrink_by_a_tenth_or_at_least_one(outcome: Outcome) -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=20, maximum=32)))
    drive.round(0.05)  # floor known, 20 -> 32
    change = drive.round(0.05, outcome)
    assert change is not None
    assert (change.old, change.new, change.reason) == (32, 28, "overload")
    small = Driver(AdaptiveWindow(Settings(initial=3)))
    small.round(0.05, Outcome.OVERLOAD)
    assert small.window.limit == 2


def test_pressure_signalled_mid_round_counts_at_its_end() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=8)))
    drive.round(0.05)
    drive.window.pressure(drive.now)  # a retried 503: the request later succeeded
    change = drive.round(0.05)
    assert change is not None
    assert (change.reason, change.new) == ("overload", 14)  # 16 x 0.9


def test_right_after_a_cut_older_requests_do_not_cut_again() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=8)))
    drive.round(0.05)
    drive.round(0.05, Outcome.OVERLOAD)  # 16 -> 14
    drive.window.pressure(drive.now - 0.01)  # sent under 16: already paid for
    assert getattr(drive.round(0.05), "reason", None) == "grow"  # 14 -> 15
    drive.window.pressure(drive.now - 0.01)  # still refused a round later: counts
    change = drive.round(0.05)
    assert change is not None
    assert (change.old, change.new, change.reason) == (15, 13, "overload")


def test_other_errors_say_nothing() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=8)))
    drive.round(0.05)
    before = drive.window.limit
    window = drive.window
    for n in range(1, 40):
        window.sent(n)
        assert window.finished(0.0, 1.0 + n, Outcome.ERROR) is None
    assert window.limit == before


def test_latency_well_above_the_floor_shrinks() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=10, maximum=10)))
    drive.round(0.05)
    change = drive.round(0.09)  # 1.8x the floor
    assert change is not None
    assert (change.new, change.reason) == (9, "latency")
    assert change.floor == pytest.approx(0.05)


def test_a_sudden_jump_above_the_running_mean_shrinks_inside_the_band() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=10, maximum=10, shrink_tolerance=3.0)))
    for _ in range(5):
        drive.round(0.05)
    change = drive.round(0.08)  # 1.6x the floor, far above mean + 2.5 deviations
    assert change is not None
    assert change.reason == "latency"


def test_jitter_within_the_band_holds() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=10, maximum=10)))
    drive.round(0.05)
    assert drive.round(0.055) is None
    assert drive.window.limit == 10


def test_sub_millisecond_jitter_is_not_queueing() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=4, maximum=16)))
    drive.round(0.0002)
    drive.round(0.0012)  # 6x the floor, yet only 1 ms above it
    assert drive.window.limit == 16


def test_never_below_minimum_nor_above_maximum() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=2, minimum=2, maximum=3)))
    for _ in range(4):
        drive.round(0.05)
    assert drive.window.limit == 3
    for _ in range(6):
        drive.round(0.05, Outcome.OVERLOAD)
    assert drive.window.limit == 2


def test_latency_the_minimum_window_cannot_lower_moves_the_floor() -> None:
    drive = Driver(AdaptiveWindow(Settings(initial=2, maximum=2)))
    drive.round(0.01)
    drive.round(0.1)  # 10x the floor: 2 -> 1
    assert (drive.window.limit, drive.window.floor) == (1, pytest.approx(0.01))
    assert drive.round(0.1) is None  # still slow at the minimum: not our doing
    assert drive.window.floor == pytest.approx(0.1)
    drive.round(0.1)
    assert drive.window.limit == 2  # near the new floor again: grows


def test_a_round_lasts_a_round_trip_and_half_a_window_of_answers() -> None:
    window = AdaptiveWindow(Settings(initial=4))
    Driver(window).round(0.05)  # the first round ends with its first answer: 4 -> 8
    assert (window.rounds, window.limit) == (1, 8)
    window.finished(0.0, 0.06)  # sent before the round began: ignored
    window.finished(0.05, 0.06)  # 10 ms into the round: too early
    for sent in (0.06, 0.06):
        window.finished(sent, 0.11)
    assert window.rounds == 1  # three answers: less than half of 8
    window.finished(0.07, 0.12)
    assert window.rounds == 2


def test_a_sparse_round_ends_after_two_round_trips() -> None:
    window = AdaptiveWindow(Settings(initial=8))
    Driver(window).round(0.05)
    window.finished(0.06, 0.11)
    assert window.rounds == 1
    window.finished(0.1, 0.151)
    assert window.rounds == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"minimum": 0},
        {"minimum": 5, "maximum": 4},
        {"decrease": 1.0},
        {"grow_tolerance": 2.0, "shrink_tolerance": 1.5},
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
            window.sent(in_flight)
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
    run = simulate(Server(10_000, 0.05, 0, jitter=0.05), duration=2.0, maximum=32)
    assert run.windows[-1][1] == 32
    reached = next(at for at, limit in run.windows if limit == 32)
    assert reached <= 0.5  # slow start: 2, 4, 8, 16, 32 within a handful of round trips
