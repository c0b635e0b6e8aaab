"""The issue's acceptance scenario against the fake, in both list orders, on both databases.

100,000 donations 5 minutes apart, the newest now, 10% of requests failing: the initial run
stores all; 150 new donations and 25 recent revocations are found with at most 15% of the
initial run's requests; a revocation older than the window is found by the next run; an idle
run costs at most 5% and changes nothing.
"""

from __future__ import annotations

import pytest

from betterplace_async.mirror import RequestCounter
from betterplace_async.testing import FakeClock

from ._helpers import DAY, client_for, fake, live_tokens, mirror_for, revoked_tokens

DONATIONS = 100_000


@pytest.mark.parametrize("order", ["newest_first", "oldest_first"])
async def test_incremental_sync_finds_exactly_what_changed(db_url: str, order: str) -> None:
    clock = FakeClock()
    counter = RequestCounter()
    server = fake(
        clock, client_donations=DONATIONS, client_donations_order=order, fault_rate=0.1, seed=5
    )
    async with server, client_for(server, counter) as client, mirror_for(db_url, clock) as mirror:
        initial = await mirror.sync(client, counter=counter)
        assert (initial.mode, initial.added, initial.live) == ("full", DONATIONS, DONATIONS)
        assert (initial.changed, initial.revoked, initial.reinstated) == (0, 0, 0)
        assert initial.consistent

        clock.advance(3600)
        added = set(server.insert_client_donations(150))
        recent = set(server.revoke_client_donations_aged(*(DAY * k / 3 for k in range(1, 26))))
        assert len(recent) == 25
        second = await mirror.sync(client, counter=counter)
        assert (second.mode, second.added, second.revoked) == ("incremental", 150, 25)
        assert (second.changed, second.reinstated) == (0, 0)
        assert second.live == DONATIONS + 150 - 25 == server.state.donations.total
        assert second.requests <= 0.15 * initial.requests, (second.requests, initial.requests)
        assert await revoked_tokens(mirror) == recent
        assert added <= await live_tokens(mirror)

        clock.advance(600)
        old = set(server.revoke_client_donations_aged(30 * DAY))
        third = await mirror.sync(client, counter=counter)
        assert (third.mode, third.revoked, third.added, third.changed) == ("full", 1, 0, 0)
        assert await revoked_tokens(mirror) == recent | old
        assert third.live == server.state.donations.total

        clock.advance(600)
        idle = await mirror.sync(client, counter=counter)
        assert idle.mode == "incremental"
        assert (idle.added, idle.changed, idle.revoked, idle.reinstated) == (0, 0, 0, 0)
        assert idle.requests <= 0.05 * initial.requests, (idle.requests, initial.requests)
        assert idle.live == server.state.donations.total
