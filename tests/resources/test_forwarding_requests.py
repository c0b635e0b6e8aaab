"""Forwarding requests over mocked HTTP: same engine as pledges, their own paths and model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

from betterplace_async import BetterplaceClient, InvalidParameterError, PledgeFailedError
from betterplace_async.models import ForwardingRequest
from betterplace_async.models.requests import NewForwardingRequest
from betterplace_async.models.submissions import SubmissionKind
from betterplace_async.resources.forwarding_requests import ForwardingRequests
from tests.conftest import FakeClock, load_sample, sample_files, sample_id

BASE = "https://api.betterplace.org/de/api_v4/clients/acme"
SUBMIT = f"{BASE}/projects/1114/forwarding_requests.json"
STATUS = f"{BASE}/forwarding_requests/1337.json"


def _client(clock: FakeClock) -> BetterplaceClient:
    return BetterplaceClient(auth=("u", "p"), client_id="acme", clock=clock, sleep=clock.sleep)


def _forwardings(client: BetterplaceClient) -> ForwardingRequests:
    return ForwardingRequests(client._requester, prefix=("clients", "acme"), authenticate=True)


def _request(reference: str = "fw-1") -> NewForwardingRequest:
    return NewForwardingRequest(amount_in_cents=2500, client_reference=reference)


def _accepted() -> dict[str, Any]:
    # the documented answer: no .json suffix, another host (never followed)
    body: dict[str, Any] = load_sample("client_forwarding_requests_list", "docs-flori_1")
    return body


async def test_submit_and_wait_until_confirmed(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(SUBMIT, status=202, payload=_accepted())
    mock_api.get(STATUS, payload=load_sample("client_forwarding_request_details", "docs-bpdocs_2"))
    mock_api.get(STATUS, payload=load_sample("client_forwarding_request_details", "docs-bpdocs_1"))
    async with _client(clock) as client:
        result = await _forwardings(client).submit_and_wait(_request(), project_id=1114)
    assert result.confirmed
    assert result.kind == SubmissionKind.FORWARDING_REQUEST
    assert result.pledge_id == 1
    assert isinstance(result.status, ForwardingRequest)
    assert result.amount_in_cents == 2500
    assert result.polls == 2
    (call,) = mock_api.requests[("POST", URL(SUBMIT))]
    assert call.kwargs["json"] == {"amount_in_cents": 2500, "client_reference": "fw-1"}


async def test_pool_empty_raises(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(SUBMIT, status=202, payload=_accepted())
    mock_api.get(STATUS, payload=load_sample("client_forwarding_request_details", "docs-flori_1"))
    async with _client(clock) as client:
        handle = await _forwardings(client).submit(_request(), project_id=1114)
        with pytest.raises(PledgeFailedError) as caught:
            await handle.wait()
    assert caught.value.failure_code == "pool_empty"
    assert caught.value.failure_reason is not None


@pytest.mark.parametrize("path", sample_files("client_forwarding_request_details"), ids=sample_id)
async def test_status_decodes_every_sample(
    mock_api: aioresponses, clock: FakeClock, path: Path
) -> None:
    body = load_sample(path.parent.name, path.stem)
    mock_api.get(f"{BASE}/forwarding_requests/1.json", payload=body)
    async with _client(clock) as client:
        status = await _forwardings(client).status(1)
    assert status.state == body["state"]


async def test_submit_many_with_pairs(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(SUBMIT, status=202, payload=_accepted())
    mock_api.post(f"{BASE}/projects/7/forwarding_requests.json", status=202, payload=_accepted())
    mock_api.get(
        STATUS,
        payload=load_sample("client_forwarding_request_details", "docs-bpdocs_1"),
        repeat=True,
    )
    async with _client(clock) as client:
        stream = _forwardings(client).submit_many(
            [_request("a"), (7, _request("b"))], project_id=1114
        )
        results = {r.client_reference: r async for r in stream}
    assert results["a"].project_id == 1114
    assert results["b"].project_id == 7
    assert all(r.confirmed for r in results.values())


@pytest.mark.parametrize(
    ("call", "field"),
    [
        pytest.param(lambda f: f.submit(_request(), project_id=0), "project_id", id="project"),
        pytest.param(lambda f: f.submit("x", project_id=1), "request", id="object"),
        pytest.param(lambda f: f.status(0), "forwarding_request_id", id="status-id"),
    ],
)
async def test_input_is_checked_first(
    mock_api: aioresponses, clock: FakeClock, call: Any, field: str
) -> None:
    async with _client(clock) as client:
        with pytest.raises(InvalidParameterError) as caught:
            await call(_forwardings(client))
    assert caught.value.parameter == field
    assert not mock_api.requests


@pytest.mark.parametrize(
    ("items", "kwargs", "field"),
    [
        pytest.param([_request()], {}, "project_id", id="no-project"),
        pytest.param(
            [_request("a"), _request("a")],
            {"project_id": 1},
            "requests[1].client_reference",
            id="dup",
        ),
        pytest.param([("7", _request())], {}, "requests[0][0]", id="pair-id"),
        pytest.param([(7,)], {}, "requests[0]", id="short-pair"),
    ],
)
async def test_batch_is_checked_first(
    mock_api: aioresponses, clock: FakeClock, items: list[Any], kwargs: dict[str, Any], field: str
) -> None:
    async with _client(clock) as client:
        with pytest.raises(InvalidParameterError) as caught:
            _forwardings(client).submit_many(items, **kwargs)
    assert caught.value.parameter == field
