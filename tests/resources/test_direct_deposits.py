"""Direct deposits over mocked HTTP: body, decoding, no blind resend."""

from __future__ import annotations

import aiohttp
import pytest
from aioresponses import aioresponses
from yarl import URL

from betterplace_async import (
    APIConnectionError,
    BetterplaceClient,
    InvalidParameterError,
    ServerError,
    UnprocessableEntityError,
)
from betterplace_async.models.requests import NewDirectDeposit
from betterplace_async.resources.direct_deposits import DirectDeposits
from tests.conftest import FakeClock, load_sample

URL_ = "https://api.betterplace.org/de/api_v4/clients/acme/projects/1114/direct_deposits.json"


def _client(clock: FakeClock) -> BetterplaceClient:
    return BetterplaceClient(auth=("u", "p"), client_id="acme", clock=clock, sleep=clock.sleep)


def _deposits(client: BetterplaceClient) -> DirectDeposits:
    return DirectDeposits(client._requester, prefix=("clients", "acme"), authenticate=True)


DEPOSIT = NewDirectDeposit(
    amount_cents=100,
    first_name="Max",
    last_name="Mustermann",
    email="mm@example.com",
    client_reference="dd-1",
    validate_address=False,
)


async def test_create_returns_the_bank_details(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(
        URL_, status=202, payload=load_sample("client_direct_deposit_create", "docs-flori_1")
    )
    async with _client(clock) as client:
        deposit = await _deposits(client).create(DEPOSIT, project_id=1114)
    assert deposit.iban == "DE61100500000191399744"
    assert deposit.reference_id == 1
    assert deposit.holder_name == "betterplace.org"
    (call,) = mock_api.requests[("POST", URL(URL_))]
    assert call.kwargs["json"] == DEPOSIT.to_json()


async def test_a_server_error_is_not_resent(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(URL_, status=502, payload={})
    async with _client(clock) as client:
        with pytest.raises(ServerError):
            await _deposits(client).create(DEPOSIT, project_id=1114)
    assert len(mock_api.requests[("POST", URL(URL_))]) == 1


async def test_a_broken_connection_is_not_resent(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(URL_, exception=aiohttp.ServerDisconnectedError())
    async with _client(clock) as client:
        with pytest.raises(APIConnectionError):
            await _deposits(client).create(DEPOSIT, project_id=1114)
    assert len(mock_api.requests[("POST", URL(URL_))]) == 1


async def test_422_carries_field_errors(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(URL_, status=422, payload=load_sample("errors", "docs-flori_6"))
    async with _client(clock) as client:
        with pytest.raises(UnprocessableEntityError) as caught:
            await _deposits(client).create(DEPOSIT, project_id=1114)
    assert set(caught.value.errors) == {"email", "first_name"}


async def test_input_is_checked_first(mock_api: aioresponses, clock: FakeClock) -> None:
    async with _client(clock) as client:
        with pytest.raises(InvalidParameterError, match="project_id"):
            await _deposits(client).create(DEPOSIT, project_id=-1)
        with pytest.raises(InvalidParameterError, match="deposit"):
            await _deposits(client).create({"amount_cents": 1}, project_id=1)  # type: ignore[arg-type]
    assert not mock_api.requests
