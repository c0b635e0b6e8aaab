"""Pledges and forwarding requests against the fake server, one at a time, on a fake clock.

Client and server share one :class:`FakeClock`: the client's sleeps move it, and the server
settles a pledge once ``processing_delay`` has passed on it. Nothing sleeps for real.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from betterplace_async import (
    BetterplaceClient,
    NotFoundError,
    PledgeFailedError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from betterplace_async._engines.submissions import Job
from betterplace_async.events import Event, PollAttempt
from betterplace_async.models.requests import NewDonationPledge, NewForwardingRequest
from betterplace_async.reconciliation import render_csv
from betterplace_async.resources.forwarding_requests import ForwardingRequests
from betterplace_async.resources.pledges import Pledges
from betterplace_async.testing import FAILURE_CODES, FakeBetterplace
from tests.conftest import FakeClock

from .test_pledges_bulk import client_tasks

DONOR: dict[str, Any] = {
    "first_name": "Max",
    "last_name": "Mustermann",
    "email": "mm@example.com",
    "street": "Rheinstrasse 202",
    "city": "Wiesbaden",
    "zip": "65185",
    "country_code": "DE",
}


class Setup:
    """A running fake, a client on it, and the namespaces under test."""

    def __init__(self, fake: FakeBetterplace, client: BetterplaceClient, clock: FakeClock) -> None:
        self.fake = fake
        self.client = client
        self.clock = clock
        prefix = ("clients", fake.client_id)
        self.pledges = Pledges(client._requester, prefix=prefix, authenticate=True)
        self.forwardings = ForwardingRequests(client._requester, prefix=prefix, authenticate=True)
        self.events: list[Event] = []

    def project(self, **where: bool) -> int:
        """Return a project id in the client's scope with the given properties."""
        return self.fake.projects_where(in_client_scope=True, **where)[0]

    @property
    def open_project(self) -> int:
        return self.project(prohibited=False, closed=False)


@pytest.fixture
async def make_setup(
    clock: FakeClock,
) -> AsyncIterator[Any]:
    """Return an async factory of :class:`Setup` (fake options as keywords); closes them all."""
    opened: list[tuple[FakeBetterplace, BetterplaceClient]] = []

    async def make(**options: Any) -> Setup:
        options.setdefault("processing_delay", 5.0)
        fake = FakeBetterplace(clock=clock, **options)
        await fake.start()
        events: list[Event] = []
        client = BetterplaceClient(
            base_url=fake.base_url,
            client_id=fake.client_id,
            auth=(fake.username, fake.password),
            clock=clock,
            sleep=clock.sleep,
            on_event=events.append,
        )
        await client.open()
        opened.append((fake, client))
        setup = Setup(fake, client, clock)
        setup.events = events
        return setup

    yield make
    for fake, client in reversed(opened):
        await client.close()
        await fake.close()


@pytest.mark.parametrize("location_mode", ["status", "client_donation"])
async def test_pledge_is_confirmed_and_booked_once(make_setup: Any, location_mode: str) -> None:
    s: Setup = await make_setup(location_mode=location_mode)
    pledge = NewDonationPledge(amount_in_cents=2500, **DONOR)
    handle = await s.pledges.submit(pledge, project_id=s.open_project)
    assert (handle.pledge_id is not None) is (location_mode == "status")
    result = await handle.wait(deadline=120)
    assert result.confirmed
    assert result.polls >= 2  # pending first: the server needs 5 s, the first look is at 1 s
    (booking,) = s.fake.ledger.booked(pledge.client_reference)
    assert booking.amount_in_cents == 2500
    assert booking.receiver_type == "Project"
    assert booking.receiver_id == s.open_project
    if location_mode == "client_donation":
        assert result.donation is not None
        assert result.donation.token == booking.token
    polls = [e for e in s.events if isinstance(e, PollAttempt)]
    assert len(polls) == result.polls
    assert polls[-1].state == "confirmed"


@pytest.mark.parametrize("code", FAILURE_CODES)
async def test_every_failure_code_reaches_the_caller(make_setup: Any, code: str) -> None:
    s: Setup = await make_setup()
    pledge = NewDonationPledge(amount_in_cents=100, **DONOR)
    s.fake.fail_pledge(pledge.client_reference, code, f"reason for {code}")
    with pytest.raises(PledgeFailedError) as caught:
        await s.pledges.submit_and_wait(pledge, project_id=s.open_project)
    assert caught.value.failure_code == code
    assert caught.value.failure_reason == f"reason for {code}"
    assert s.fake.ledger.booked(pledge.client_reference) == []


async def test_pool_pledge_without_a_pool_fails_with_pool_missing(make_setup: Any) -> None:
    s: Setup = await make_setup(has_pool=False)
    handle = await s.pledges.submit(
        NewDonationPledge(amount_in_cents=100, validate_address=False), pool=True
    )
    result = await handle.outcome()
    assert result.failed
    assert result.failure_code == "pool_missing"
    assert isinstance(result.error, PledgeFailedError)


async def test_pool_pledge_is_booked_on_the_pool(make_setup: Any) -> None:
    s: Setup = await make_setup()
    pledge = NewDonationPledge(amount_in_cents=700, validate_address=False)
    result = await s.pledges.submit_and_wait(pledge, pool=True)
    assert result.confirmed
    assert result.to_pool
    (booking,) = s.fake.ledger.booked(pledge.client_reference)
    assert booking.receiver_type == "Pool"
    pool = await s.client.clients.pool()
    csv_text = render_csv([result], pool_id=pool.id)
    assert f'"Pool","{pool.id}","700","{pledge.client_reference}"' in csv_text


async def test_pledge_to_a_prohibited_project_goes_to_the_pool(make_setup: Any) -> None:
    s: Setup = await make_setup()
    pledge = NewDonationPledge(amount_in_cents=300, **DONOR)
    result = await s.pledges.submit_and_wait(pledge, project_id=s.project(prohibited=True))
    assert result.confirmed
    (booking,) = s.fake.ledger.booked(pledge.client_reference)
    assert booking.receiver_type == "Pool"


async def test_prohibited_receiver_fails_without_redirect(make_setup: Any) -> None:
    s: Setup = await make_setup(redirect_prohibited_pledges=False)
    pledge = NewDonationPledge(amount_in_cents=300, **DONOR)
    with pytest.raises(PledgeFailedError) as caught:
        await s.pledges.submit_and_wait(pledge, project_id=s.project(prohibited=True))
    assert caught.value.failure_code == "receiver_prohibited_from_receiving_donations"


async def test_in_client_donation_mode_a_failure_ends_at_the_deadline(make_setup: Any) -> None:
    s: Setup = await make_setup(location_mode="client_donation")
    pledge = NewDonationPledge(amount_in_cents=100, **DONOR)
    s.fake.fail_pledge(pledge.client_reference, "donation_invalid")
    handle = await s.pledges.submit(pledge, project_id=s.open_project)
    with pytest.raises(WaitTimeoutError) as caught:
        await handle.wait(deadline=60)
    assert caught.value.last_state == "pending"
    assert s.fake.pledge(pledge.client_reference).state == "failed"  # type: ignore[union-attr]


async def test_deadline_then_resume_books_once(make_setup: Any) -> None:
    s: Setup = await make_setup(processing_delay=100.0)
    pledge = NewDonationPledge(amount_in_cents=100, **DONOR)
    handle = await s.pledges.submit(pledge, project_id=s.open_project)
    started = s.clock.now
    with pytest.raises(WaitTimeoutError) as caught:
        await handle.wait(deadline=30)
    assert s.clock.now - started == pytest.approx(30)
    assert caught.value.last_state == "pending"
    # submitting the same pledge again is harmless: same reference, same outcome
    again = await s.pledges.submit(pledge, project_id=s.open_project)
    result = await again.wait(deadline=300)
    assert result.confirmed
    assert len(s.fake.ledger.booked(pledge.client_reference)) == 1
    assert s.fake.ledger.times_seen(pledge.client_reference) == 2


async def test_cancelled_wait_leaves_nothing_behind(make_setup: Any) -> None:
    s: Setup = await make_setup(processing_delay=1e6)
    handle = await s.pledges.submit(
        NewDonationPledge(amount_in_cents=100, **DONOR), project_id=s.open_project
    )
    before = client_tasks()
    task = asyncio.create_task(handle.wait(deadline=1e7))
    for _ in range(10_000):  # until the first poll went out
        if any(isinstance(e, PollAttempt) for e in s.events):
            break
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert client_tasks() == before
    assert s.fake.in_flight == 0


async def test_server_validation_errors_surface_per_field(make_setup: Any) -> None:
    s: Setup = await make_setup()
    # bypass the client-side checks to see what the server itself answers
    job = Job(
        kind="donation_pledge",
        segments=("projects", s.open_project, "donation_pledges"),
        body={"amount_in_cents": 0, "client_reference": "bad ref", "email": "nope"},
        client_reference="bad-ref",
        amount_in_cents=0,
        project_id=s.open_project,
    )
    with pytest.raises(UnprocessableEntityError) as caught:
        await s.pledges._submit(job)
    assert {"amount_in_cents", "client_reference", "email", "first_name"} <= set(
        caught.value.errors
    )
    assert s.fake.ledger.seen == {}


async def test_project_outside_the_scope_is_not_found(make_setup: Any) -> None:
    s: Setup = await make_setup()
    outside = s.fake.projects_where(in_client_scope=False)[0]
    with pytest.raises(NotFoundError):
        await s.pledges.submit(NewDonationPledge(amount_in_cents=1, **DONOR), project_id=outside)


@pytest.mark.parametrize("location_mode", ["status", "client_donation"])
async def test_forwarding_request_moves_pool_money(make_setup: Any, location_mode: str) -> None:
    s: Setup = await make_setup(location_mode=location_mode, pool_balance_in_cents=10_000)
    request = NewForwardingRequest(amount_in_cents=4_000, tracking_via="spring-2025")
    result = await s.forwardings.submit_and_wait(request, project_id=s.open_project)
    assert result.confirmed
    assert result.kind == "forwarding_request"
    (booking,) = s.fake.ledger.booked(request.client_reference)
    assert booking.kind == "forwarding_request"
    assert s.fake.pool.balance_in_cents == 6_000
    if location_mode == "status":
        status = await s.forwardings.status(result.pledge_id)  # type: ignore[arg-type]
        assert status.state == "confirmed"


@pytest.mark.parametrize(
    ("options", "target", "code"),
    [
        pytest.param({"pool_balance_in_cents": 100}, "open", "pool_empty", id="pool-empty"),
        pytest.param({"has_pool": False}, "open", "pool_missing", id="pool-missing"),
        pytest.param(
            {},
            "prohibited",
            "receiver_prohibited_from_receiving_donations",
            id="prohibited",
        ),
    ],
)
async def test_forwarding_failures(
    make_setup: Any, options: dict[str, Any], target: str, code: str
) -> None:
    s: Setup = await make_setup(**options)
    project = s.open_project if target == "open" else s.project(prohibited=True)
    handle = await s.forwardings.submit(
        NewForwardingRequest(amount_in_cents=500), project_id=project
    )
    with pytest.raises(PledgeFailedError) as caught:
        await handle.wait()
    assert caught.value.failure_code == code


async def test_pledge_status_by_id(make_setup: Any) -> None:
    s: Setup = await make_setup(processing_delay=0.0)
    handle = await s.pledges.submit(
        NewDonationPledge(amount_in_cents=100, **DONOR), project_id=s.open_project
    )
    assert handle.pledge_id is not None
    status = await s.pledges.status(handle.pledge_id)
    assert status.state == "confirmed"
    assert "donation" in status.links
