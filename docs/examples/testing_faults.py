"""Faults, latency and a list that changes while it is read; no real sleeping."""

import asyncio

from betterplace_async import BetterplaceClient, NewDonationPledge, RetryPolicy
from betterplace_async.testing import Churn, FakeBetterplace, FakeClock


async def main() -> None:
    # A fake clock for both sides: the fake settles pledges and times bursts on it, and the
    # client's backoff and polling waits advance it instead of sleeping.
    clock = FakeClock()

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)
        await asyncio.sleep(0)

    async with FakeBetterplace(
        seed=1,
        client_donations=2_000,
        latency=(0.0, 0.002),  # real seconds per request, drawn from a seeded generator
        processing_delay=30.0,  # pledges stay pending for 30 s on the fake clock
        clock=clock,
        client_donations_churn=Churn(inserts=2, revokes=1),  # after every page served
    ) as fake:
        present = set(fake.client_donation_tokens())
        fake.faults.set_rate(0.1, kinds=["503", "reset_before", "truncated"])
        async with BetterplaceClient(
            base_url=fake.base_url,
            client_id=fake.client_id,
            auth=(fake.username, fake.password),
            retry=RetryPolicy(max_attempts=8),
            clock=clock,
            sleep=sleep,
        ) as client:
            tokens = [d.token async for d in client.clients.donations.list(per_page=100)]

            fake.faults.clear()
            fake.faults.script("reset_after")  # booked, but the answer never arrives
            pledge = NewDonationPledge(
                amount_in_cents=500, client_reference="order-1", validate_address=False
            )
            result = await client.clients.pledges.submit_and_wait(pledge, project_id=1)

        # Donations there from start to end came exactly once; revoked ones may be missing.
        survivors = present & set(fake.client_donation_tokens())
        assert survivors <= set(tokens)
        assert len(tokens) == len(set(tokens))
        assert result.confirmed
        assert fake.ledger.times_seen("order-1") == 2  # sent twice ...
        assert len(fake.ledger.booked("order-1")) == 1  # ... booked once
        print(len(tokens), "donations;", len(survivors), "were there all along")
