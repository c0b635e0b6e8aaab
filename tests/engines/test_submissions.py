"""The submission engine without HTTP: fed a submit and a poll function and a fake clock."""

from __future__ import annotations

import random
from typing import Any

import pytest

from betterplace_async._core.routes import StatusLocation
from betterplace_async._core.timing import Timing
from betterplace_async._engines.submissions import Accepted, Job, Submitter
from betterplace_async._engines.window import Window
from betterplace_async.errors import (
    APIStatusError,
    AuthenticationError,
    ErrorBody,
    NotFoundError,
    PledgeFailedError,
    UnprocessableEntityError,
)
from betterplace_async.models import Acknowledgement, ClientDonation, PledgeStatus
from betterplace_async.models.submissions import SubmissionKind
from tests.conftest import FakeClock

STATUS = "https://api.example/de/api_v4/clients/acme/donation_pledges/17.json"


def _job(reference: str = "ref-1") -> Job:
    return Job(
        kind=SubmissionKind.DONATION_PLEDGE,
        segments=("projects", 3, "donation_pledges"),
        body={"amount_in_cents": 100, "client_reference": reference},
        client_reference=reference,
        amount_in_cents=100,
        project_id=3,
    )


class Api:
    """Answers the engine's calls from scripted lists and records them."""

    def __init__(self, location: str | None, answers: list[Any]) -> None:
        self.location = location
        self.answers = answers
        self.polls: list[tuple[StatusLocation | None, str]] = []

    async def submit(self, job: Job) -> Accepted:
        return Accepted(Acknowledgement(status_code=202), self.location)

    async def poll(
        self, location: StatusLocation | None, client_reference: str
    ) -> PledgeStatus | ClientDonation:
        self.polls.append((location, client_reference))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[no-any-return]

    def submitter(self, clock: FakeClock) -> Submitter:
        timing = Timing(sleep=clock.sleep, clock=clock, rng=random.Random(1))
        return Submitter(submit=self.submit, poll=self.poll, timing=lambda: timing)


def _error(kind: type[APIStatusError], status: int) -> APIStatusError:
    return kind(status, method="GET", url="https://api.example/x.json", body=ErrorBody())


def _not_found() -> APIStatusError:
    return _error(NotFoundError, 404)


async def test_a_status_location_is_polled_until_confirmed(clock: FakeClock) -> None:
    api = Api(
        STATUS, [PledgeStatus(id=17, state="pending"), PledgeStatus(id=17, state="confirmed")]
    )
    handle = await api.submitter(clock).accept(_job())
    assert handle.pledge_id == 17
    result = await handle.wait()
    assert result.confirmed
    assert result.polls == 2
    assert [location for location, _ in api.polls] == [StatusLocation("donation_pledges", 17)] * 2


async def test_a_status_endpoint_answering_404_gives_way_to_the_client_donation(
    clock: FakeClock,
) -> None:
    donation = ClientDonation(token="t", state="confirmed")
    api = Api(STATUS, [_not_found(), _not_found(), donation])
    result = await (await api.submitter(clock).accept(_job())).wait()
    assert result.confirmed
    assert result.donation == donation
    assert [location for location, _ in api.polls] == [
        StatusLocation("donation_pledges", 17),
        None,  # the 404 of the status endpoint, then the client donation by reference
        None,
    ]


async def test_a_failure_raises_and_outcome_reports_it(clock: FakeClock) -> None:
    failed = PledgeStatus(id=17, state="failed", failure_code="pool_empty")
    api = Api(STATUS, [failed, failed])
    handle = await api.submitter(clock).accept(_job())
    with pytest.raises(PledgeFailedError):
        await handle.wait()
    assert (await handle.outcome()).failure_code == "pool_empty"


async def test_settle_reports_a_job_error_but_raises_a_client_error(clock: FakeClock) -> None:
    api = Api(None, [_error(UnprocessableEntityError, 422)])
    submitter = api.submitter(clock)
    result = await submitter.settle(_job(), deadline=5, policy=None, window=Window(1))
    assert isinstance(result.error, UnprocessableEntityError)
    api.answers = [_error(AuthenticationError, 401)]
    with pytest.raises(AuthenticationError):
        await submitter.settle(_job(), deadline=5, policy=None, window=Window(1))
