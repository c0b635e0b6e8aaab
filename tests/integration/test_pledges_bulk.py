"""A thousand pledges through a faulty network: every one booked exactly once.

The fake server drops, cuts and refuses one request in ten, including connection resets
*after* it has accepted a pledge, so the client resends pledges the server already holds.
Delays are real but tiny (milliseconds): the fake settles a pledge 10 ms after accepting it
and the client polls on a matching millisecond schedule.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from betterplace_async import BetterplaceClient, RetryPolicy
from betterplace_async._engines.polling import PollPolicy
from betterplace_async.models.requests import NewDonationPledge
from betterplace_async.models.submissions import SubmissionResult
from betterplace_async.resources.pledges import Pledges
from betterplace_async.testing import FakeBetterplace, Fault

PLEDGES = 1_000
FAULTS = (
    "500",
    "502",
    "503",
    Fault("429", retry_after=0),
    "reset_before",
    "reset_after",
    "truncated",
    "invalid_json",
)
FAST_POLLS = PollPolicy(first_delay=0.01, interval=0.01, max_interval=0.05, min_interval=0.001)
# Ten attempts: with one request in ten failing, a request fails ten times in a row once in
# 10**10 tries, so the run is deterministic in practice. Waits stay at milliseconds.
PATIENT = RetryPolicy(max_attempts=10, backoff_base=0.002, backoff_cap=0.02, deadline=None)


@pytest.fixture(params=["status", "client_donation"])
async def faulty(request: pytest.FixtureRequest) -> AsyncIterator[tuple[FakeBetterplace, Pledges]]:
    """A fake failing 10% of requests, and the pledges namespace of a client on it."""
    fake = FakeBetterplace(
        seed=7,
        projects=40,
        processing_delay=0.01,
        location_mode=request.param,
        fault_rate=0.1,
        fault_kinds=FAULTS,
    )
    async with (
        fake,
        BetterplaceClient(
            base_url=fake.base_url,
            client_id=fake.client_id,
            auth=(fake.username, fake.password),
            retry=PATIENT,
            max_concurrency=32,
        ) as client,
    ):
        yield (
            fake,
            Pledges(client._requester, prefix=("clients", fake.client_id), authenticate=True),
        )


def _batch(fake: FakeBetterplace, count: int = PLEDGES) -> list[tuple[int, NewDonationPledge]]:
    projects = fake.projects_where(in_client_scope=True, prohibited=False, closed=False)
    draw = random.Random(3)
    return [
        (
            draw.choice(projects),
            NewDonationPledge(
                amount_in_cents=draw.randint(1, 1_000_000),
                client_reference=f"bulk-{index:04d}",
                validate_address=False,
            ),
        )
        for index in range(count)
    ]


_SERVER_SIDE = ("RequestHandler", "_accept_connection")


def client_tasks() -> set[asyncio.Task[Any]]:
    """Running tasks, except the fake server's own: connection handlers and the loop
    accepting a connection for it (the server may be mid-accept at any moment)."""
    return {
        task
        for task in asyncio.all_tasks()
        if not any(part in getattr(task.get_coro(), "__qualname__", "") for part in _SERVER_SIDE)
    }


def _assert_booked_exactly_once(fake: FakeBetterplace, batch: list[Any]) -> None:
    ledger = fake.ledger
    references = Counter(b.client_reference for b in ledger.bookings)
    assert len(ledger.bookings) == len(batch)
    assert max(references.values()) == 1
    expected = {pledge.client_reference: pledge.amount_in_cents for _, pledge in batch}
    assert {b.client_reference: b.amount_in_cents for b in ledger.bookings} == expected


async def test_thousand_pledges_survive_faults_without_double_booking(
    faulty: tuple[FakeBetterplace, Pledges],
) -> None:
    fake, pledges = faulty
    batch = _batch(fake)
    async with pledges.submit_many(
        batch, concurrency=100, deadline=60, policy=FAST_POLLS
    ) as stream:
        results = [result async for result in stream]

    assert len(results) == PLEDGES
    assert [r for r in results if not r.confirmed] == []
    assert len({r.client_reference for r in results}) == PLEDGES
    _assert_booked_exactly_once(fake, batch)
    # the faults really happened, including resets after the server had taken the pledge
    posts = [r for r in fake.requests if r.method == "POST"]
    assert sum(r.fault == "reset_after" for r in posts) > 5
    assert max(fake.ledger.seen.values()) >= 2


async def test_interrupted_batch_restarted_books_nothing_twice(
    faulty: tuple[FakeBetterplace, Pledges],
) -> None:
    fake, pledges = faulty
    batch = _batch(fake)
    first: list[SubmissionResult] = []
    halfway = asyncio.Event()

    async def consume() -> None:
        async for result in pledges.submit_many(
            batch, concurrency=100, deadline=60, policy=FAST_POLLS
        ):
            first.append(result)
            if len(first) == PLEDGES // 2:
                halfway.set()

    before = client_tasks()
    consumer = asyncio.create_task(consume())
    await halfway.wait()
    consumer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await consumer
    assert client_tasks() == before
    assert PLEDGES // 2 <= len(first) < PLEDGES
    accepted_before = len(fake.ledger.seen)
    assert len(first) <= accepted_before < PLEDGES  # some were in flight, the rest never sent

    async with pledges.submit_many(
        batch, concurrency=100, deadline=60, policy=FAST_POLLS
    ) as stream:
        second = [result async for result in stream]

    assert len(second) == PLEDGES
    assert all(r.confirmed for r in second)
    _assert_booked_exactly_once(fake, batch)
