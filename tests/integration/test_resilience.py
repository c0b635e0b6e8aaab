"""Faults, overload and limits against the fake server: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
import base64
import itertools
import logging

import pytest

from betterplace_async import BetterplaceClient, RetryPolicy
from betterplace_async.events import Event, RequestSent
from betterplace_async.testing import FakeBetterplace, FakeClock

ALL_FAULTS = (
    "500",
    "502",
    "503",
    "429",
    "reset_before",
    "reset_after",
    "truncated",
    "invalid_json",
    "slow_body",
)


def _client(
    fake: FakeBetterplace, clock: FakeClock | None = None, **kwargs: object
) -> BetterplaceClient:
    """A client for ``fake``; with ``clock`` its waits advance that clock instead of sleeping."""
    if clock is not None:

        async def sleep(seconds: float) -> None:
            clock.advance(seconds)
            await asyncio.sleep(0)

        kwargs.update(clock=clock, sleep=sleep)
    return BetterplaceClient(
        base_url=fake.base_url,
        client_id=fake.client_id,
        auth=(fake.username, fake.password),
        **kwargs,  # type: ignore[arg-type]
    )


async def test_export_of_100k_donations_under_10_percent_faults_is_exact() -> None:
    clock = FakeClock()
    async with FakeBetterplace(seed=7, client_donations=100_000, clock=clock) as fake:
        expected = list(fake.client_donation_tokens())
        fake.faults.set_rate(0.10, kinds=ALL_FAULTS, path="client_donations")
        # Slow bodies must trip the client's timeout path as well as succeed slowly.
        async with _client(fake, clock, retry=RetryPolicy(max_attempts=8)) as client:
            listing = client.clients.donations.list(concurrency=16)
            tokens = [d.token async for d in listing]
        faulted = {r.fault for r in fake.requests if r.fault}
    assert len(tokens) == 100_000
    assert tokens == expected
    assert faulted >= set(ALL_FAULTS)
    assert listing.stats.duplicates_dropped == 0


async def test_503_burst_is_ridden_out_with_the_whole_client_backing_off() -> None:
    clock = FakeClock()
    sent_at: list[float] = []

    def on_event(event: Event) -> None:
        if isinstance(event, RequestSent):
            sent_at.append(clock())

    async with FakeBetterplace(seed=3, client_donations=4_000, clock=clock) as fake:
        start = clock()
        fake.faults.burst("503", seconds=20.0)
        async with _client(fake, clock, on_event=on_event) as client:
            donations = await client.clients.donations.list(concurrency=8).collect()
            pauses = client.limiter.pauses
        statuses = [r.status for r in fake.requests]
    assert len(donations) == 4_000
    assert pauses > 0
    during = [t for t in sent_at if t - start < 20.0]
    # Every task waits on the shared pause: a few probes per backoff step, not a storm.
    assert statuses.count(503) == len(during)
    assert len(during) <= 40, f"{len(during)} requests hit the 20 s burst"
    gaps = [b - a for a, b in itertools.pairwise(during)]
    assert max(gaps) >= 2.0  # the backoff grew while the overload lasted


async def test_client_wide_limiter_caps_requests_in_flight() -> None:
    async with FakeBetterplace(seed=1, client_donations=6_000, latency=0.005) as fake:
        async with _client(fake, max_concurrency=3) as client:
            first, second = await asyncio.gather(
                client.clients.donations.list(per_page=50, concurrency=16).collect(),
                client.projects.list(per_page=5, concurrency=16).collect(),
            )
            peak = client.limiter.peak_in_flight
        assert len(first) == 6_000
        assert second
        assert fake.max_in_flight <= 3
        assert peak == 3


async def test_no_credentials_in_debug_logs_or_to_other_hosts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeBetterplace(seed=2, client_donations=300) as fake:
        fake.faults.script("503", "500", "reset_before")
        async with _client(fake) as client:
            await client.clients.donations.list().collect()
            await client.clients.details()
            (project,) = await client.clients.projects.list(limit=1).collect()
            for rel in ("platform", "new_donation"):
                if rel in project.links:
                    with pytest.raises(Exception, match="outside the configured API"):
                        await client.follow(project.links[rel])
        public_with_auth = [r for r in fake.requests if r.auth_sent and "/clients/" not in r.path]
        secret = base64.b64encode(f"{fake.username}:{fake.password}".encode()).decode()
        password = fake.password
    assert not public_with_auth
    lines = [record.getMessage() for record in caplog.records]
    assert any("GET" in line for line in lines)
    for line in lines:
        assert password not in line
        assert secret not in line
