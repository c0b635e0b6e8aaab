"""The fake's changes between mirror runs: revocations by age, 404 for revoked details."""

from __future__ import annotations

import pytest

from betterplace_async import BetterplaceClient
from betterplace_async.errors import NotFoundError
from betterplace_async.testing import FakeBetterplace, FakeClock, FakeState


def state(clock: FakeClock, order: str = "newest_first") -> FakeState:
    return FakeState(
        client_donations=100,
        client_donations_spacing=300,
        client_donations_newest_at=clock.now,
        client_donations_order=order,  # type: ignore[arg-type]
        clock=clock,
    )


def newest_first(fake: FakeState) -> list[str]:
    tokens = list(fake.client_donation_tokens())
    return tokens if fake.donations.order == "newest_first" else tokens[::-1]


def age_of(fake: FakeState, token: str) -> float:
    found = fake.donations.find(token)
    assert found is not None
    return fake.clock() - found.created


@pytest.mark.parametrize("order", ["newest_first", "oldest_first"])
def test_revoke_by_age_picks_the_newest_donation_at_least_that_old(order: str) -> None:
    fake = state(FakeClock(), order)
    tokens = newest_first(fake)
    ages = [age_of(fake, tokens[2]), age_of(fake, tokens[7]) - 1]
    assert fake.revoke_client_donations_aged(*ages) == [tokens[2], tokens[7]]
    assert fake.donations.total == 98


def test_revoke_by_age_moves_on_to_older_ones_and_skips_beyond_the_oldest() -> None:
    fake = state(FakeClock())
    tokens = newest_first(fake)
    age = age_of(fake, tokens[4])
    assert fake.revoke_client_donations_aged(age, age) == [tokens[4], tokens[5]]
    assert fake.revoke_client_donations_aged(10**9) == []


async def test_a_revoked_donation_answers_404() -> None:
    clock = FakeClock()
    async with FakeBetterplace(client_donations=5, clock=clock) as fake:
        token = next(iter(fake.client_donation_tokens()))
        async with BetterplaceClient(
            base_url=fake.base_url, client_id=fake.client_id, auth=(fake.username, fake.password)
        ) as client:
            assert (await client.clients.donations.get(token)).token == token
            fake.revoke_client_donations(token)
            with pytest.raises(NotFoundError):
                await client.clients.donations.get(token)
