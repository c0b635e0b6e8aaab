"""The aiohttp adapter against the fake server: any status back as a Response, typed failures.

The last test goes through the whole client: a submission whose 202 body arrives garbled is
accepted once and never sent again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from yarl import URL

from betterplace_async import (
    APIConnectionError,
    BetterplaceClient,
    NewDonationPledge,
    ResponseTooLargeError,
    Timeouts,
)
from betterplace_async._http.session import SessionAdapter
from betterplace_async.testing import FakeBetterplace, Fault


@pytest.fixture
async def fake() -> AsyncIterator[FakeBetterplace]:
    async with FakeBetterplace(seed=5, projects=3) as server:
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as opened:
        yield opened


def _adapter(
    session: aiohttp.ClientSession, fake: FakeBetterplace, max_bytes: int = 1 << 20
) -> SessionAdapter:
    return SessionAdapter(session, origin=URL(fake.base_url), max_response_bytes=max_bytes)


async def _get(adapter: SessionAdapter, url: str) -> object:
    return await adapter.send("GET", URL(url), json=None, headers={}, timeouts=Timeouts())


async def test_an_error_status_comes_back_as_a_response(
    fake: FakeBetterplace, session: aiohttp.ClientSession
) -> None:
    adapter = _adapter(session, fake)
    response = await adapter.send(
        "GET",
        URL(fake.api_url("projects/999999.json")),
        json=None,
        headers={"Accept": "application/json"},
        timeouts=Timeouts(),
    )
    assert response.status == 404
    assert response.method == "GET"
    assert response.body
    assert "reason" in response.json() or "name" in response.json()


async def test_a_body_over_the_cap_is_refused(
    fake: FakeBetterplace, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(ResponseTooLargeError, match="max_response_bytes=64"):
        await _get(_adapter(session, fake, max_bytes=64), fake.api_url("projects.json"))


async def test_a_reset_connection_is_a_connection_error(
    fake: FakeBetterplace, session: aiohttp.ClientSession
) -> None:
    fake.faults.script("reset_before")
    # A POST, because aiohttp itself quietly repeats a GET once on a dropped connection.
    with pytest.raises(APIConnectionError, match="connection failed") as caught:
        await _adapter(session, fake).send(
            "POST", URL(fake.api_url("projects.json")), json={}, headers={}, timeouts=Timeouts()
        )
    assert caught.value.request_sent


async def test_a_garbled_202_is_accepted_once_and_never_resent(fake: FakeBetterplace) -> None:
    project = fake.projects_where(in_client_scope=True, prohibited=False, closed=False)[0]
    pledge = NewDonationPledge(
        amount_in_cents=500,
        first_name="Max",
        last_name="Mustermann",
        email="mm@example.com",
        street="Rheinstrasse 1",
        city="Wiesbaden",
        zip="65185",
        country_code="DE",
    )
    fake.faults.script(Fault("invalid_json", path="donation_pledges"))
    async with BetterplaceClient(
        base_url=fake.base_url, client_id=fake.client_id, auth=(fake.username, fake.password)
    ) as client:
        handle = await client.clients.pledges.submit(pledge, project_id=project)
    posts = [r for r in fake.requests if r.method == "POST"]
    assert [(r.status, r.fault) for r in posts] == [(202, "invalid_json")]
    assert handle.client_reference == pledge.client_reference
