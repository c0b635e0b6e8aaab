"""The fake's client donations list in both orders, with spacing and a chosen newest time."""

from __future__ import annotations

import itertools

import pytest

from betterplace_async.testing import Churn, FakeState


@pytest.mark.parametrize("order", ["newest_first", "oldest_first"])
def test_pages_follow_the_order_and_skip_revoked(order: str) -> None:
    state = FakeState(client_donations=50, client_donations_order=order)  # type: ignore[arg-type]
    state.revoke_client_donations_at(0, 7, 49)
    listed = [d.seq for offset in range(0, 60, 9) for d in state.donations.page(offset, 9)]
    # positions 0, 7 and 49 are the newest, the eighth newest and the oldest (or the reverse)
    gone = {49, 42, 0} if order == "newest_first" else {0, 7, 49}
    expected = sorted(set(range(50)) - gone, reverse=order == "newest_first")
    assert listed == expected
    assert [state.donations.token(s) for s in listed] == list(state.client_donation_tokens())


@pytest.mark.parametrize(("order", "end"), [("newest_first", 0), ("oldest_first", -1)])
def test_new_donations_arrive_at_the_newest_end(order: str, end: int) -> None:
    state = FakeState(client_donations=20, client_donations_order=order)  # type: ignore[arg-type]
    [token] = state.insert_client_donations(1)
    assert list(state.client_donation_tokens())[end] == token


def test_spacing_and_newest_at_place_the_seeded_donations() -> None:
    state = FakeState(
        client_donations=100, client_donations_spacing=300, client_donations_newest_at=2e9
    )
    created = [state.donations.facts(s).created for s in range(100)]
    assert created == sorted(created)
    assert 2e9 - 300 < created[-1] <= 2e9 + 30
    assert all(270 < b - a < 330 for a, b in itertools.pairwise(created))


@pytest.mark.parametrize("order", ["newest_first", "oldest_first"])
def test_churn_revokes_among_the_newest(order: str) -> None:
    state = FakeState(
        client_donations=1000,
        client_donations_order=order,  # type: ignore[arg-type]
        client_donations_churn=Churn(revokes=5, revoke_within=10),
    )
    state.apply_churn("client_donations")
    gone = set(range(1000)) - {d.seq for d in state.donations.page(0, 1000)}
    assert gone
    assert all(seq >= 990 for seq in gone)


def test_bad_order_and_spacing_are_refused() -> None:
    with pytest.raises(ValueError, match="order"):
        FakeState(client_donations_order="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="spacing"):
        FakeState(client_donations_spacing=0)
