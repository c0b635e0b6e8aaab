"""The polling engine on its own: schedule, deadline, transient failures, events, cancellation."""

from __future__ import annotations

import asyncio
import random
import statistics
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from betterplace_async import (
    APIConnectionError,
    DecodeError,
    InsecureTransportError,
    InvalidParameterError,
    WaitTimeoutError,
)
from betterplace_async._core.retry import is_transient
from betterplace_async._core.timing import Timing
from betterplace_async._engines.polling import Poller, PollPolicy
from betterplace_async.errors import (
    AuthenticationError,
    ErrorBody,
    NotFoundError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
)
from betterplace_async.events import Event, PollAttempt
from tests.conftest import FakeClock


def _timing(clock: FakeClock, seed: int = 0) -> Timing:
    return Timing(sleep=clock.sleep, clock=clock, rng=random.Random(seed))


def _states(*states: str) -> Callable[[], asyncio.Future[str]]:
    """Return a fetch() that answers the given states in turn, then repeats the last."""
    remaining = list(states)

    async def fetch() -> str:
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return fetch  # type: ignore[return-value]


def _is_final(state: str) -> bool:
    return state in {"confirmed", "failed"}


def _identity(state: str) -> str:
    return state


def _status_error(cls: type, status: int) -> Exception:
    return cls(status, method="GET", url="https://x.test/a.json", body=ErrorBody())  # type: ignore[no-any-return]


async def test_returns_the_first_final_status(clock: FakeClock) -> None:
    poller: Poller[str] = Poller(
        _states("pending", "pending", "confirmed"),
        _is_final,
        reference="ref-1",
        timing=_timing(clock),
        state_of=_identity,
    )
    assert await poller.run(60) == "confirmed"
    assert poller.attempts == 3
    assert poller.last == "confirmed"
    assert poller.last_state == "confirmed"


async def test_first_poll_waits_first_delay_then_jittered_growing_waits(clock: FakeClock) -> None:
    policy = PollPolicy(first_delay=1.0, interval=1.0, factor=2.0, max_interval=8.0)
    poller: Poller[str] = Poller(
        _states(*["pending"] * 7, "confirmed"),
        _is_final,
        reference="ref",
        policy=policy,
        timing=_timing(clock),
    )
    await poller.run(1000)
    first, *later = clock.sleeps
    assert first == 1.0
    steps = [1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0]
    assert len(later) == len(steps)
    for wait, step in zip(later, steps, strict=True):
        assert policy.min_interval <= wait <= step


async def test_deadline_raises_wait_timeout_with_last_state(clock: FakeClock) -> None:
    poller: Poller[str] = Poller(
        _states("pending"),
        _is_final,
        reference="ref-late",
        timing=_timing(clock),
        state_of=_identity,
    )
    started = clock.now
    with pytest.raises(WaitTimeoutError) as caught:
        await poller.run(10)
    assert caught.value.client_reference == "ref-late"
    assert caught.value.last_state == "pending"
    assert caught.value.waited == pytest.approx(10)
    assert clock.now - started == pytest.approx(10)  # the last wait was cut to the deadline
    assert isinstance(caught.value, TimeoutError)


async def test_zero_deadline_polls_exactly_once(clock: FakeClock) -> None:
    poller: Poller[str] = Poller(
        _states("pending"), _is_final, reference="r", timing=_timing(clock)
    )
    with pytest.raises(WaitTimeoutError):
        await poller.run(0)
    assert poller.attempts == 1
    assert clock.sleeps == []


async def test_deadline_shorter_than_first_delay_still_polls_at_the_deadline(
    clock: FakeClock,
) -> None:
    poller: Poller[str] = Poller(
        _states("confirmed"), _is_final, reference="r", timing=_timing(clock)
    )
    assert await poller.run(0.25) == "confirmed"
    assert clock.sleeps == [0.25]


async def test_transient_failures_are_polls_without_news(clock: FakeClock) -> None:
    answers: list[object] = [
        APIConnectionError("reset", method="GET", url="https://x.test/a"),
        DecodeError("cut"),
        _status_error(ServerError, 502),
        "confirmed",
    ]

    async def fetch() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return str(answer)

    events: list[Event] = []
    poller: Poller[str] = Poller(
        fetch,
        _is_final,
        reference="r",
        timing=_timing(clock),
        state_of=_identity,
        emit=events.append,
    )
    assert await poller.run(600) == "confirmed"
    assert [e.state for e in events if isinstance(e, PollAttempt)] == [
        None,
        None,
        None,
        "confirmed",
    ]
    assert [e.attempt for e in events if isinstance(e, PollAttempt)] == [1, 2, 3, 4]


async def test_timeout_after_only_failures_chains_the_last_failure(clock: FakeClock) -> None:
    async def fetch() -> str:
        raise APIConnectionError("refused", method="GET", url="https://x.test/a")

    poller: Poller[str] = Poller(fetch, _is_final, reference="r", timing=_timing(clock))
    with pytest.raises(WaitTimeoutError) as caught:
        await poller.run(5)
    assert caught.value.last_state is None
    assert isinstance(caught.value.__cause__, APIConnectionError)


async def test_other_errors_propagate_at_once(clock: FakeClock) -> None:
    async def fetch() -> str:
        raise _status_error(AuthenticationError, 401)

    poller: Poller[str] = Poller(fetch, _is_final, reference="r", timing=_timing(clock))
    with pytest.raises(AuthenticationError):
        await poller.run(600)
    assert poller.attempts == 1


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        pytest.param(APIConnectionError("x"), True, id="connection"),
        pytest.param(DecodeError("x"), True, id="decode"),
        pytest.param(_status_error(ServerError, 500), True, id="500"),
        pytest.param(_status_error(RateLimitError, 429), True, id="429"),
        pytest.param(_status_error(NotFoundError, 404), False, id="404"),
        pytest.param(_status_error(AuthenticationError, 401), False, id="401"),
        pytest.param(InsecureTransportError("x"), False, id="insecure"),
        pytest.param(ResponseTooLargeError("x"), False, id="too-large"),
        pytest.param(ValueError("bug"), False, id="bug"),
    ],
)
def test_is_transient(error: Exception, transient: bool) -> None:
    assert is_transient(error) is transient


async def test_cancelling_leaves_no_task_behind(clock: FakeClock) -> None:
    entered = asyncio.Event()

    async def slow_sleep(seconds: float) -> None:
        entered.set()
        await asyncio.Event().wait()  # until cancelled

    poller: Poller[str] = Poller(
        _states("pending"),
        _is_final,
        reference="r",
        timing=Timing(sleep=slow_sleep, clock=clock, rng=random.Random(0)),
    )
    before = asyncio.all_tasks()
    task = asyncio.create_task(poller.run(600))
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert asyncio.all_tasks() == before


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        pytest.param("poll.first_delay", {"first_delay": -1}, id="negative-first"),
        pytest.param("poll.interval", {"interval": 0}, id="zero-interval"),
        pytest.param("poll.factor", {"factor": 0.5}, id="shrinking"),
        pytest.param("poll.max_interval", {"max_interval": float("inf")}, id="infinite"),
        pytest.param("poll.min_interval", {"min_interval": True}, id="bool"),
        pytest.param("poll.interval", {"interval": 60.0}, id="interval-above-cap"),
    ],
)
def test_policy_refuses_bad_values(field: str, kwargs: dict[str, float]) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        PollPolicy(**kwargs)
    assert caught.value.parameter == field


async def test_run_refuses_a_bad_deadline(clock: FakeClock) -> None:
    poller: Poller[str] = Poller(_states("x"), _is_final, reference="r", timing=_timing(clock))
    with pytest.raises(InvalidParameterError, match="deadline"):
        await poller.run(-1)


@given(poll=st.integers(min_value=1, max_value=10_000), seed=st.integers(0, 2**32))
def test_waits_stay_within_their_step(poll: int, seed: int) -> None:
    policy = PollPolicy()
    wait = policy.wait_before(poll, random.Random(seed))
    if poll == 1:
        assert wait == policy.first_delay
    else:
        assert policy.min_interval <= wait <= policy.step(poll) <= policy.max_interval
        assert policy.step(poll) <= policy.step(poll + 1)


async def _simulated_polls(delay: float, seed: int, latency: float = 0.002) -> int:
    """Count status polls for one pledge that the server settles ``delay`` s after accepting."""
    clock = FakeClock()
    due = clock.now + delay

    async def fetch() -> str:
        clock.now += latency
        return "confirmed" if clock.now >= due else "pending"

    poller: Poller[str] = Poller(fetch, _is_final, reference="r", timing=_timing(clock, seed))
    await poller.run(600)
    return poller.attempts


@pytest.mark.parametrize(
    ("delays", "limit"),
    [
        pytest.param((1.0, 1.0), 1.01, id="exactly-1s"),
        pytest.param((0.8, 1.5), 4.0, id="about-1s"),
        pytest.param((0.5, 5.0), 4.0, id="up-to-5s"),
    ],
)
async def test_default_policy_needs_few_status_requests(
    delays: tuple[float, float], limit: float
) -> None:
    draw = random.Random(42)
    counts = [await _simulated_polls(draw.uniform(*delays), seed) for seed in range(300)]
    assert statistics.mean(counts) < limit
