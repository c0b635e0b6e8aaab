"""Exactly once through the whole SDK while the donations list changes, in both orders.

The fake lists client donations newest first or oldest first; new donations arrive at the
newest end after every served page while others are revoked, and one request in ten fails.
Every donation present for the whole run must come out once, as the server sent it, in the
list's order.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from betterplace_async import BetterplaceClient, RetryPolicy
from betterplace_async.testing import Churn, FakeBetterplace, FakeClock

from .test_resilience import ALL_FAULTS

ORDERS = ["newest_first", "oldest_first"]
CHURNS = {
    "revoke-anywhere": Churn(inserts=1, revokes=1),
    "revoke-recent": Churn(inserts=2, revokes=2, revoke_within=400),
}


def _client(fake: FakeBetterplace, clock: FakeClock) -> BetterplaceClient:
    async def sleep(seconds: float) -> None:
        clock.advance(seconds)
        await asyncio.sleep(0)

    return BetterplaceClient(
        base_url=fake.base_url,
        client_id=fake.client_id,
        auth=(fake.username, fake.password),
        clock=clock,
        sleep=sleep,
        retry=RetryPolicy(max_attempts=10),
    )


@pytest.mark.parametrize("churn", CHURNS.values(), ids=CHURNS.keys())
@pytest.mark.parametrize("order", ORDERS)
async def test_every_lasting_donation_once_in_list_order(order: str, churn: Churn) -> None:
    clock = FakeClock()
    async with FakeBetterplace(
        seed=12,
        client_donations=20_000,
        client_donations_order=order,  # type: ignore[arg-type]
        clock=clock,
    ) as fake:
        before = list(fake.client_donation_tokens())
        fake.client_donations_churn = churn
        fake.faults.set_rate(0.10, kinds=ALL_FAULTS, path="client_donations")
        async with _client(fake, clock) as client:
            listing = client.clients.donations.list(concurrency=16)
            got = [donation async for donation in listing]
        fake.faults.set_rate(0.0)
        fake.client_donations_churn = Churn()
        after = list(fake.client_donation_tokens())
        facts = {token: fake.state.donations.find(token) for token in after}

    lasting = set(before) & set(after)  # a revoked donation never comes back
    assert len(lasting) < len(before)  # the run really changed the list
    tokens = [d.token for d in got]
    counts = Counter(tokens)
    assert max(counts.values()) == 1, "a donation came out twice"
    assert lasting <= counts.keys(), f"{len(lasting - counts.keys())} donation(s) lost"
    assert [t for t in tokens if t in lasting] == [t for t in after if t in lasting]
    for donation in got:
        found = facts.get(donation.token or "")
        if found is not None:
            assert donation.amount_in_cents == found.amount
            assert int(donation.created_at.timestamp()) == found.created
    assert listing.stats.strategy == "overlap"
