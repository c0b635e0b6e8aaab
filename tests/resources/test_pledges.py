"""Pledges over mocked HTTP: submit, both polling modes, failures, deadlines, batches."""

from __future__ import annotations

import asyncio
import base64
import copy
from pathlib import Path
from typing import Any

import pytest
from aioresponses import CallbackResult, aioresponses
from yarl import URL

from betterplace_async import (
    AuthenticationError,
    BetterplaceClient,
    InvalidParameterError,
    PledgeFailedError,
    RetryPolicy,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from betterplace_async.events import Event, PollAttempt
from betterplace_async.models import ClientDonation, PledgeStatus
from betterplace_async.models.requests import NewDonationPledge
from betterplace_async.models.submissions import SubmissionResult
from betterplace_async.resources.pledges import POOL, Pledges
from tests.conftest import FakeClock, load_sample, sample_files, sample_id

ORIGIN = "https://api.betterplace.org"
BASE = f"{ORIGIN}/de/api_v4/clients/acme"
USER, PASSWORD = "api-user", "pa55-w0rd-xyz"
SECRET = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def _client(clock: FakeClock, **kwargs: Any) -> BetterplaceClient:
    return BetterplaceClient(
        auth=(USER, PASSWORD), client_id="acme", clock=clock, sleep=clock.sleep, **kwargs
    )


def _pledges(client: BetterplaceClient) -> Pledges:
    return Pledges(client._requester, prefix=("clients", "acme"), authenticate=True)


def _pledge(reference: str = "ref-1", amount: int = 100) -> NewDonationPledge:
    return NewDonationPledge(
        amount_in_cents=amount, client_reference=reference, validate_address=False
    )


def _accepted(href: str | None) -> dict[str, Any]:
    links = [] if href is None else [{"rel": "location", "href": href}]
    return {"status": "accepted", "status_code": 202, "links": links}


def _status(state: str, pledge_id: int = 17, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = copy.deepcopy(
        load_sample("client_donation_pledge_status", "docs-bpdocs_1")
    )
    body.update(id=pledge_id, state=state, **fields)
    if state != "confirmed":
        body["confirmed_at"] = None
        body["links"] = []
    return body


def _donation(reference: str) -> dict[str, Any]:
    body: dict[str, Any] = copy.deepcopy(load_sample("client_donation_details", "docs-bpdocs_1"))
    body.update(client_reference=reference, state="confirmed")
    return body


def _posts(mock: aioresponses, url: str) -> list[Any]:
    return mock.requests.get(("POST", URL(url)), [])


def _gets(mock: aioresponses, url: str) -> list[Any]:
    return mock.requests.get(("GET", URL(url)), [])


PROJECT_PLEDGES = f"{BASE}/projects/1114/donation_pledges.json"
POOL_PLEDGES = f"{BASE}/pool/donation_pledges.json"
STATUS_17 = f"{BASE}/donation_pledges/17.json"


# -- submit ---------------------------------------------------------------------------------


async def test_submit_posts_the_body_with_credentials(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17))
    pledge = _pledge()
    async with _client(clock) as client:
        handle = await _pledges(client).submit(pledge, project_id=1114)
    (call,) = _posts(mock_api, PROJECT_PLEDGES)
    assert call.kwargs["json"] == pledge.to_json()
    assert call.kwargs["headers"]["Authorization"] == f"Basic {SECRET}"
    assert handle.pledge_id == 17
    assert handle.client_reference == "ref-1"
    assert handle.project_id == 1114
    assert handle.acknowledgement.status_code == 202
    assert handle.submitted_at.tzinfo is not None
    assert SECRET not in repr(handle)
    assert PASSWORD not in repr(handle)


async def test_submit_to_the_pool(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(POOL_PLEDGES, status=202, payload=_accepted(STATUS_17))
    async with _client(clock) as client:
        handle = await _pledges(client).submit(_pledge(), pool=True)
    assert handle.project_id is None
    assert len(_posts(mock_api, POOL_PLEDGES)) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param({}, "project_id", id="no-receiver"),
        pytest.param({"project_id": 3, "pool": True}, "pool", id="both"),
        pytest.param({"project_id": 0}, "project_id", id="bad-id"),
        pytest.param({"project_id": "3"}, "project_id", id="str-id"),
        pytest.param({"pool": "yes"}, "pool", id="pool-not-bool"),
    ],
)
async def test_submit_checks_the_receiver_before_sending(
    mock_api: aioresponses, clock: FakeClock, kwargs: dict[str, Any], field: str
) -> None:
    async with _client(clock) as client:
        with pytest.raises(InvalidParameterError) as caught:
            await _pledges(client).submit(_pledge(), **kwargs)
    assert caught.value.parameter == field
    assert not mock_api.requests


async def test_submit_refuses_other_objects(mock_api: aioresponses, clock: FakeClock) -> None:
    async with _client(clock) as client:
        with pytest.raises(InvalidParameterError, match="NewDonationPledge"):
            await _pledges(client).submit({"amount_in_cents": 1}, project_id=1)  # type: ignore[arg-type]
    assert not mock_api.requests


async def test_422_carries_the_servers_field_errors(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=422, payload=load_sample("errors", "docs-bpdocs_1"))
    async with _client(clock) as client:
        with pytest.raises(UnprocessableEntityError) as caught:
            await _pledges(client).submit(_pledge(), project_id=1114)
    assert caught.value.errors == {"first_name": ("Dies ist ein Pflichtfeld.",)}
    assert len(_posts(mock_api, PROJECT_PLEDGES)) == 1  # a refusal is not retried
    assert PASSWORD not in str(caught.value)


async def test_submission_is_resent_after_an_overload(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=503, payload={})
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17))
    async with _client(clock) as client:
        handle = await _pledges(client).submit(_pledge(), project_id=1114)
    first, second = _posts(mock_api, PROJECT_PLEDGES)
    assert first.kwargs["json"] == second.kwargs["json"]  # same client_reference: idempotent
    assert handle.pledge_id == 17


async def test_undecodable_acceptance_falls_back_to_the_location_header(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(
        PROJECT_PLEDGES, status=202, body=b'{"status": "acc', headers={"Location": STATUS_17}
    )
    async with _client(clock) as client:
        handle = await _pledges(client).submit(_pledge(), project_id=1114)
    assert handle.pledge_id == 17


@pytest.mark.parametrize("path", sample_files("client_donation_pledges_creation"), ids=sample_id)
async def test_documented_acceptance_polls_the_client_donation_on_our_origin(
    mock_api: aioresponses, clock: FakeClock, path: Path
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=load_sample(path.parent.name, path.stem))
    donation_url = f"{BASE}/client_donations/666-a-reference.json"
    mock_api.get(donation_url, status=404, payload=load_sample("errors", "docs-flori_1"))
    mock_api.get(donation_url, status=404, payload=load_sample("errors", "docs-flori_1"))
    mock_api.get(donation_url, payload=_donation("666-a-reference"))
    async with _client(clock) as client:
        handle = await _pledges(client).submit(_pledge("666-a-reference"), project_id=1114)
        assert handle.pledge_id is None
        result = await handle.wait()
    assert result.confirmed
    assert isinstance(result.donation, ClientDonation)
    assert result.status is None
    assert result.polls == 3
    assert result.settled_at == result.donation.created_at
    calls = _gets(mock_api, donation_url)
    assert len(calls) == 3
    assert all(c.kwargs["headers"]["Authorization"] == f"Basic {SECRET}" for c in calls)


# -- wait -----------------------------------------------------------------------------------


async def test_wait_polls_the_status_until_confirmed(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17))
    mock_api.get(STATUS_17, payload=_status("pending"))
    mock_api.get(STATUS_17, payload=_status("pending"))
    # the current docs example: confirmed, but confirmed_at is null
    mock_api.get(
        STATUS_17, payload=load_sample("client_donation_pledge_status", "docs-flori_1") | {"id": 17}
    )
    events: list[Event] = []
    async with _client(clock, on_event=events.append) as client:
        result = await _pledges(client).submit_and_wait(_pledge(), project_id=1114)
    assert result.confirmed
    assert result.pledge_id == 17
    assert isinstance(result.status, PledgeStatus)
    assert result.status.confirmed_at is None
    assert result.settled_at is not None
    assert result.settled_at.tzinfo is not None
    assert result.polls == 3
    assert result.error is None
    polls = [e for e in events if isinstance(e, PollAttempt)]
    assert [(p.attempt, p.state) for p in polls] == [
        (1, "pending"),
        (2, "pending"),
        (3, "confirmed"),
    ]
    assert all(p.client_reference == "ref-1" for p in polls)
    assert clock.sleeps[0] == 1.0


FAILURES = [
    "pool_missing",
    "pool_empty",
    "receiver_prohibited_from_receiving_donations",
    "donation_invalid",
    "a_code_from_the_future",
]


@pytest.mark.parametrize("code", FAILURES)
async def test_failure_raises_with_code_and_reason(
    mock_api: aioresponses, clock: FakeClock, code: str
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17))
    failed = _status(
        "failed",
        failure_code=code,
        failure_reason="Betrag zu hoch",
        failed_at="2025-11-29T04:15:17+01:00",
    )
    mock_api.get(STATUS_17, payload=failed)
    async with _client(clock) as client:
        handle = await _pledges(client).submit(_pledge(), project_id=1114)
        with pytest.raises(PledgeFailedError) as caught:
            await handle.wait()
        assert caught.value.failure_code == code
        assert caught.value.failure_reason == "Betrag zu hoch"
        assert caught.value.client_reference == "ref-1"
        # settled: asking again answers from memory, and outcome() does not raise
        with pytest.raises(PledgeFailedError):
            await handle.wait()
        result = await handle.outcome()
    assert result.failed
    assert result.failure_code == code
    assert isinstance(result.error, PledgeFailedError)
    assert result.settled_at is not None
    assert result.settled_at.isoformat() == "2025-11-29T04:15:17+01:00"
    assert len(_gets(mock_api, STATUS_17)) == 1


async def test_deadline_raises_and_a_later_wait_continues(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17))
    mock_api.get(STATUS_17, payload=_status("pending"), repeat=True)
    async with _client(clock) as client:
        handle = await _pledges(client).submit(_pledge(), project_id=1114)
        started = clock.now
        with pytest.raises(WaitTimeoutError) as caught:
            await handle.wait(deadline=20)
        assert clock.now - started == pytest.approx(20)
        assert caught.value.last_state == "pending"
        assert handle.result is not None
        assert handle.result.state == "pending"
        assert handle.result.error is caught.value
        polls_before = handle.result.polls
        mock_api.clear()
        mock_api.get(STATUS_17, payload=_status("confirmed"))
        result = await handle.wait(deadline=20)
    assert result.confirmed
    assert result.polls == polls_before + 1


async def test_a_failed_status_request_is_polled_again(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17))
    mock_api.get(STATUS_17, status=500, payload={})
    mock_api.get(STATUS_17, body=b"{not json")
    mock_api.get(STATUS_17, payload=_status("confirmed"))
    async with _client(clock, retry=RetryPolicy.never()) as client:
        result = await _pledges(client).submit_and_wait(_pledge(), project_id=1114)
    assert result.confirmed
    assert result.polls == 3


async def test_status_404_switches_to_the_client_donation(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17))
    mock_api.get(STATUS_17, status=404, payload=load_sample("errors", "bettery_1"))
    donation_url = f"{BASE}/client_donations/ref-1.json"
    mock_api.get(donation_url, status=404, payload=load_sample("errors", "bettery_1"))
    mock_api.get(donation_url, payload=_donation("ref-1"))
    async with _client(clock) as client:
        result = await _pledges(client).submit_and_wait(_pledge(), project_id=1114)
    assert result.confirmed
    assert result.donation is not None
    assert len(_gets(mock_api, STATUS_17)) == 1
    assert len(_gets(mock_api, donation_url)) == 2


async def test_an_unknown_state_is_not_final(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17))
    mock_api.get(STATUS_17, payload=_status("queued_for_review"), repeat=True)
    async with _client(clock) as client:
        handle = await _pledges(client).submit(_pledge(), project_id=1114)
        with pytest.raises(WaitTimeoutError) as caught:
            await handle.wait(deadline=5)
    assert caught.value.last_state == "queued_for_review"


async def test_a_revoked_client_donation_is_not_confirmed(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(None))
    donation = _donation("ref-1") | {"state": "revoked"}
    mock_api.get(f"{BASE}/client_donations/ref-1.json", payload=donation, repeat=True)
    async with _client(clock) as client:
        handle = await _pledges(client).submit(_pledge(), project_id=1114)
        result = await handle.outcome(deadline=5)
    assert result.state == "revoked"
    assert isinstance(result.error, WaitTimeoutError)


@pytest.mark.parametrize("path", sample_files("client_donation_pledge_status"), ids=sample_id)
async def test_status_decodes_every_sample(
    mock_api: aioresponses, clock: FakeClock, path: Path
) -> None:
    body = load_sample(path.parent.name, path.stem)
    mock_api.get(f"{BASE}/donation_pledges/1.json", payload=body)
    async with _client(clock) as client:
        status = await _pledges(client).status(1)
    assert status.id == 1
    assert status.state == body["state"]
    assert status.is_final


async def test_status_checks_the_id(mock_api: aioresponses, clock: FakeClock) -> None:
    async with _client(clock) as client:
        with pytest.raises(InvalidParameterError, match="pledge_id"):
            await _pledges(client).status(-1)


# -- submit_many ----------------------------------------------------------------------------


def _scripted(mock: aioresponses, plan: dict[str, list[str]], log: list[str]) -> None:
    """Accept each reference with its own status id; answer its polls from ``plan``."""
    ids = {ref: index for index, ref in enumerate(plan, start=1)}

    def accept(url: URL, **kwargs: Any) -> CallbackResult:
        ref = kwargs["json"]["client_reference"]
        log.append(f"post {ref}")
        return CallbackResult(
            status=202, payload=_accepted(f"{BASE}/donation_pledges/{ids[ref]}.json")
        )

    mock.post(PROJECT_PLEDGES, callback=accept, repeat=True)
    for ref, states in plan.items():
        for state in states:
            body = _status(state, pledge_id=ids[ref])
            if state == "failed":
                body.update(failure_code="pool_empty", failure_reason="empty")

            def answer(
                url: URL, *, _ref: str = ref, _body: dict[str, Any] = body, **_: Any
            ) -> CallbackResult:
                log.append(f"{_body['state']} {_ref}")
                return CallbackResult(payload=_body)

            mock.get(f"{BASE}/donation_pledges/{ids[ref]}.json", callback=answer)


async def test_results_stream_as_they_settle(mock_api: aioresponses, clock: FakeClock) -> None:
    log: list[str] = []
    plan = {
        "slow": ["pending", "pending", "pending", "confirmed"],
        "quick": ["confirmed"],
        "broke": ["failed"],
    }
    _scripted(mock_api, plan, log)
    pledges = [_pledge(ref) for ref in plan]
    async with (
        _client(clock) as client,
        _pledges(client).submit_many(pledges, project_id=1114) as stream,
    ):
        results = [result async for result in stream]
    assert [r.client_reference for r in results][-1] == "slow"
    assert {r.client_reference: r.state for r in results} == {
        "slow": "confirmed",
        "quick": "confirmed",
        "broke": "failed",
    }
    broke = next(r for r in results if r.client_reference == "broke")
    assert isinstance(broke.error, PledgeFailedError)
    assert broke.failure_code == "pool_empty"
    assert stream.delivered == stream.total == 3


async def test_concurrency_bounds_pledges_in_progress(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    log: list[str] = []
    plan = {f"p{i}": ["pending"] * (i % 3) + ["confirmed"] for i in range(9)}
    _scripted(mock_api, plan, log)
    async with _client(clock) as client:
        stream = _pledges(client).submit_many(
            [_pledge(ref) for ref in plan], project_id=1114, concurrency=2
        )
        results = [r async for r in stream]
    assert all(r.confirmed for r in results)
    open_now = peak = 0
    for entry in log:
        if entry.startswith("post"):
            open_now += 1
        elif entry.startswith("confirmed"):
            open_now -= 1
        peak = max(peak, open_now)
    assert peak == 2


async def test_refusals_and_timeouts_are_results(mock_api: aioresponses, clock: FakeClock) -> None:
    def accept(url: URL, **kwargs: Any) -> CallbackResult:
        if kwargs["json"]["client_reference"] == "bad":
            return CallbackResult(status=422, payload=load_sample("errors", "docs-flori_6"))
        return CallbackResult(status=202, payload=_accepted(STATUS_17))

    mock_api.post(PROJECT_PLEDGES, callback=accept, repeat=True)
    mock_api.get(STATUS_17, payload=_status("pending"), repeat=True)
    async with _client(clock) as client:
        stream = _pledges(client).submit_many(
            [_pledge("bad"), _pledge("late")], project_id=1114, deadline=3
        )
        results = {r.client_reference: r async for r in stream}
    bad, late = results["bad"], results["late"]
    assert isinstance(bad.error, UnprocessableEntityError)
    assert bad.error.errors["email"] == ("Email is invalid",)
    assert bad.state is None
    assert bad.submitted_at is None
    assert isinstance(late.error, WaitTimeoutError)
    assert late.state == "pending"


async def test_pairs_choose_their_own_receiver(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17))
    mock_api.post(POOL_PLEDGES, status=202, payload=_accepted(f"{BASE}/donation_pledges/18.json"))
    mock_api.get(STATUS_17, payload=_status("confirmed"))
    mock_api.get(f"{BASE}/donation_pledges/18.json", payload=_status("confirmed", 18))
    async with _client(clock) as client:
        stream = _pledges(client).submit_many([(1114, _pledge("a")), (POOL, _pledge("b"))])
        results = {r.client_reference: r async for r in stream}
    assert results["a"].project_id == 1114
    assert results["b"].to_pool


@pytest.mark.parametrize(
    ("items", "kwargs", "field"),
    [
        pytest.param(
            [_pledge("x"), _pledge("x")],
            {"project_id": 1},
            "pledges[1].client_reference",
            id="duplicate",
        ),
        pytest.param([_pledge("x")], {}, "project_id", id="no-receiver"),
        pytest.param([(0, _pledge("x"))], {}, "pledges[0][0]", id="bad-pair-receiver"),
        pytest.param([("pol", _pledge("x"))], {}, "pledges[0][0]", id="typo-pool"),
        pytest.param([(1, "x")], {}, "pledges[0][1]", id="bad-pair-pledge"),
        pytest.param([(1, _pledge("x"), 2)], {}, "pledges[0]", id="triple"),
        pytest.param(
            [_pledge("x")], {"project_id": 1, "concurrency": 0}, "concurrency", id="concurrency"
        ),
        pytest.param([_pledge("x")], {"project_id": 1, "deadline": -1}, "deadline", id="deadline"),
    ],
)
async def test_batch_is_checked_before_any_request(
    mock_api: aioresponses,
    clock: FakeClock,
    items: list[Any],
    kwargs: dict[str, Any],
    field: str,
) -> None:
    async with _client(clock) as client:
        with pytest.raises(InvalidParameterError) as caught:
            _pledges(client).submit_many(items, **kwargs)
    assert caught.value.parameter == field
    assert not mock_api.requests


async def test_empty_batch_yields_nothing(mock_api: aioresponses, clock: FakeClock) -> None:
    async with _client(clock) as client:
        assert [r async for r in _pledges(client).submit_many([], pool=True)] == []


async def test_cancelling_the_consumer_cancels_everything(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17), repeat=True)
    mock_api.get(STATUS_17, payload=_status("pending"), repeat=True)
    received: list[SubmissionResult] = []
    async with _client(clock) as client:
        before = asyncio.all_tasks()
        stream = _pledges(client).submit_many(
            [_pledge(f"r{i}") for i in range(20)], project_id=1114, concurrency=5, deadline=1e9
        )

        async def consume() -> None:
            async for result in stream:
                received.append(result)

        task = asyncio.create_task(consume())
        for _ in range(50):
            await asyncio.sleep(0)
        assert len(_posts(mock_api, PROJECT_PLEDGES)) == 5
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert asyncio.all_tasks() == before
        requests_at_cancel = sum(len(calls) for calls in mock_api.requests.values())
        for _ in range(20):
            await asyncio.sleep(0)
        assert sum(len(calls) for calls in mock_api.requests.values()) == requests_at_cancel
    assert received == []


async def test_leaving_the_loop_early_stops_the_workers(
    mock_api: aioresponses, clock: FakeClock
) -> None:
    mock_api.post(PROJECT_PLEDGES, status=202, payload=_accepted(STATUS_17), repeat=True)
    mock_api.get(STATUS_17, payload=_status("confirmed"), repeat=True)
    async with _client(clock) as client:
        before = asyncio.all_tasks()
        async with _pledges(client).submit_many(
            [_pledge(f"r{i}") for i in range(30)], project_id=1114, concurrency=4
        ) as stream:
            async for _ in stream:
                break
        assert asyncio.all_tasks() == before
        # a plain break without `async with` is caught by the stream's finaliser
        async for _ in _pledges(client).submit_many(
            [_pledge(f"s{i}") for i in range(30)], project_id=1114, concurrency=4
        ):
            break
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert asyncio.all_tasks() == before
    assert len(_posts(mock_api, PROJECT_PLEDGES)) < 60


async def test_client_wide_errors_end_the_batch(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(
        PROJECT_PLEDGES, status=401, payload={"reason": "Authentication Failed"}, repeat=True
    )
    async with _client(clock) as client:
        before = asyncio.all_tasks()
        stream = _pledges(client).submit_many(
            [_pledge(f"r{i}") for i in range(10)], project_id=1114, concurrency=3
        )
        with pytest.raises(AuthenticationError) as caught:
            async for _ in stream:
                pass
        assert asyncio.all_tasks() == before
    assert PASSWORD not in str(caught.value)
    assert SECRET not in str(caught.value)
    assert "pa55" not in repr(stream)
