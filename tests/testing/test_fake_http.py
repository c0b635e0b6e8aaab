"""ETag/304, every fault kind seen from a raw client, latency, request log and in-flight count."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from fake_server_helpers import Api, pledge_body

from betterplace_async.testing import Churn, FakeBetterplace, FakeClock, Fault, FaultKind


@pytest.fixture
async def fresh(api: Api) -> AsyncIterator[Api]:
    """Use a new connection per request, so aiohttp never reuses a dropped one."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
        yield Api(api.fake, session)


# -- ETag ---------------------------------------------------------------------------------------


async def test_etag_and_304(api: Api) -> None:
    first = await api.get("projects.json")
    tag = first.headers["ETag"]
    assert tag.startswith('"')
    assert tag.endswith('"')
    assert (await api.get("projects.json")).headers["ETag"] == tag
    for header in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        again = await api.get("projects.json", headers={"If-None-Match": header})
        assert (again.status, again.raw) == (304, b"")
        assert again.headers["ETag"] == tag
    other = await api.get("projects.json", headers={"If-None-Match": '"stale"'})
    assert (other.status, other.raw) == (200, first.raw)


async def test_etag_on_client_endpoints_follows_the_data(api: Api) -> None:
    path = api.client("/client_donations.json")
    tag = (await api.get(path)).headers["ETag"]
    assert (await api.get(path, headers={"If-None-Match": tag})).status == 304
    api.fake.insert_client_donations(1)
    changed = await api.get(path, headers={"If-None-Match": tag})
    assert changed.status == 200
    assert changed.headers["ETag"] != tag


async def test_no_etag_on_errors_and_posts(api: Api) -> None:
    assert "ETag" not in (await api.get("projects/0.json")).headers
    reply = await api.post(api.client("/pool/donation_pledges.json"), pledge_body("e1"))
    assert "ETag" not in reply.headers


# -- faults -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "status"), [("500", 500), ("502", 502), ("503", 503)])
async def test_status_faults(api: Api, kind: str, status: int) -> None:
    api.fake.faults.script(kind)
    reply = await api.get("projects.json")
    assert reply.status == status
    assert reply.body["status_code"] == status
    assert (await api.get("projects.json")).status == 200
    assert [r.fault for r in api.fake.requests] == [kind, None]


async def test_429_with_retry_after(api: Api) -> None:
    api.fake.faults.script(Fault(FaultKind.HTTP_429, retry_after=7))
    reply = await api.get("projects.json")
    assert (reply.status, reply.headers["Retry-After"]) == (429, "7")


async def test_reset_before_the_server_acts(fresh: Api) -> None:
    fake = fresh.fake
    fake.faults.script("reset_before")
    with pytest.raises(aiohttp.ClientError):
        await fresh.post(fresh.client("/pool/donation_pledges.json"), pledge_body("r1"))
    assert fake.ledger.seen == {}
    assert fake.requests[-1].status is None
    assert fake.requests[-1].fault == "reset_before"


async def test_reset_after_the_server_acted(fresh: Api) -> None:
    fake = fresh.fake
    fake.faults.script("reset_after")
    path = fresh.client("/pool/donation_pledges.json")
    with pytest.raises(aiohttp.ClientError):
        await fresh.post(path, pledge_body("r2"))
    assert len(fake.ledger.booked("r2")) == 1
    retry = await fresh.post(path, pledge_body("r2"))
    assert retry.status == 202
    assert fake.ledger.times_seen("r2") == 2
    assert len(fake.ledger.booked("r2")) == 1


async def test_resets_on_get(fresh: Api) -> None:
    """aiohttp retries an idempotent request once on a dropped connection: drop both tries."""
    fresh.fake.faults.script("reset_before", "reset_before")
    with pytest.raises(aiohttp.ClientError):
        await fresh.get("projects.json")
    assert [r.status for r in fresh.fake.requests] == [None, None]


async def test_truncated_body(fresh: Api) -> None:
    fresh.fake.faults.script("truncated")
    async with fresh.session.get(fresh.fake.api_url("projects.json")) as response:
        assert response.status == 200
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()


async def test_invalid_json(api: Api) -> None:
    api.fake.faults.script("invalid_json")
    async with api.session.get(api.fake.api_url("projects.json")) as response:
        raw = await response.read()
    assert response.status == 200
    assert response.content_type == "application/json"
    assert "ETag" not in response.headers
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)


async def test_slow_body(api: Api) -> None:
    api.fake.faults.script(Fault("slow_body", duration=0.05))
    started = time.perf_counter()
    reply = await api.get("projects.json")
    assert time.perf_counter() - started >= 0.045
    assert reply.status == 200
    assert reply.body["data"]


async def test_script_with_path_pattern(api: Api) -> None:
    api.fake.faults.script(Fault("503", path="client_donations"), "500")
    assert (await api.get("projects.json")).status == 500
    assert (await api.get("projects.json")).status == 200
    assert (await api.get(api.client("/client_donations.json"))).status == 503


async def test_burst_by_requests(api: Api) -> None:
    api.fake.faults.burst("503", requests=3)
    statuses = [(await api.get("projects.json")).status for _ in range(4)]
    assert statuses == [503, 503, 503, 200]


async def test_burst_by_seconds_on_the_fake_clock(api: Api, clock: FakeClock) -> None:
    fake = api.fake
    fake.faults.burst("503", seconds=10)
    assert [(await api.get("projects.json")).status for _ in range(3)] == [503] * 3
    clock.advance(10)
    assert (await api.get("projects.json")).status == 200


async def test_fault_rate_with_path_filter(api: Api) -> None:
    fake = api.fake
    fake.faults.set_rate(1.0, kinds=["502"], path=r"/client_donations")
    assert (await api.get("projects.json")).status == 200
    assert (await api.get(api.client("/client_donations.json"))).status == 502
    fake.faults.set_rate(0.5, kinds=["500", "503"])
    statuses = [(await api.get("projects.json")).status for _ in range(40)]
    assert 5 < statuses.count(200) < 35
    assert set(statuses) == {200, 500, 503}
    fake.faults.clear()
    assert (await api.get("projects.json")).status == 200
    with pytest.raises(ValueError, match="rate"):
        fake.faults.set_rate(1.5)


async def test_fault_rate_is_seeded(session: aiohttp.ClientSession) -> None:
    runs = []
    for _ in range(2):
        async with FakeBetterplace(seed=3, fault_rate=0.3) as fake:
            api = Api(fake, session)
            runs.append([(await api.get("projects/1.json")).status for _ in range(20)])
    assert runs[0] == runs[1]
    assert set(runs[0]) > {200}


# -- latency, log, concurrency ------------------------------------------------------------------


async def test_fixed_and_random_latency(api: Api) -> None:
    api.fake.latency = 0.02
    started = time.perf_counter()
    await api.get("projects/1.json")
    assert time.perf_counter() - started >= 0.02
    api.fake.latency = (0.005, 0.01)
    delays = [api.fake.request_latency() for _ in range(50)]
    assert all(0.005 <= d <= 0.01 for d in delays)
    assert len(set(delays)) > 1


async def test_request_log(api: Api) -> None:
    fake = api.fake
    await api.get("projects.json", params={"page": 2}, auth=False)
    await api.get(api.client("/pool.json"))
    first, second = fake.requests
    assert (first.method, first.path, first.query, first.status) == (
        "GET",
        "/de/api_v4/projects.json",
        {"page": "2"},
        200,
    )
    assert (first.auth_sent, second.auth_sent) == (False, True)
    assert first.ended is not None
    assert first.started <= first.ended <= second.started
    fake.clear_requests()
    assert fake.requests == []


async def test_max_in_flight(api: Api) -> None:
    api.fake.latency = 0.03
    await asyncio.gather(*(api.get(f"projects/{i}.json") for i in range(1, 6)))
    assert api.fake.max_in_flight == 5
    assert api.fake.in_flight == 0


async def test_knobs_at_construction(session: aiohttp.ClientSession) -> None:
    clock = FakeClock()
    async with FakeBetterplace(
        seed=1,
        latency=0.01,
        fault_script=["503", Fault("429", retry_after=3)],
        fault_rate=1.0,
        fault_kinds=["502"],
        fault_path="opinions",
        client_donations_churn=Churn(inserts=1),
        processing_delay=5,
        location_mode="client_donation",
        clock=clock,
    ) as fake:
        api = Api(fake, session)
        started = time.perf_counter()
        assert (await api.get("projects.json")).status == 503
        assert time.perf_counter() - started >= 0.01
        assert (await api.get("projects.json")).headers["Retry-After"] == "3"
        assert (await api.get("projects.json")).status == 200
        assert (await api.get("projects/1/opinions.json")).status == 502
        await api.get(api.client("/client_donations.json"))
        assert fake.state.donations.total == 251
        href = (await api.post(api.client("/pool/donation_pledges.json"), pledge_body("k"))).body
        assert href["links"][0]["href"].endswith("/client_donations/k.json")
        pledge = fake.pledge("k")
        assert pledge is not None
        assert pledge.state == "pending"
        clock.advance(5)
        assert fake.pledge("k") is pledge
        assert pledge.state == "confirmed"
    with pytest.raises(ValueError, match="location_mode"):
        FakeBetterplace(location_mode="nowhere")  # type: ignore[arg-type]
