"""Watch the engine cope with a list that changes while it is being read."""

from betterplace_async import BetterplaceClient
from betterplace_async.testing import Churn, FakeBetterplace


async def main(client: BetterplaceClient, fake: FakeBetterplace) -> None:
    present = list(fake.client_donation_tokens())
    # After every page it serves, the fake adds 3 donations at the newest end and revokes
    # one anywhere in the list.
    fake.client_donations_churn = Churn(inserts=3, revokes=1)

    listing = client.clients.donations.list(per_page=20)
    tokens = [donation.token async for donation in listing]

    # Every donation present for the whole run came out exactly once, in list order.
    lasting = set(present) & set(fake.client_donation_tokens())
    assert [t for t in tokens if t in lasting] == [t for t in present if t in lasting]
    assert len(tokens) == len(set(tokens))
    print(listing.stats.strategy, listing.stats.drift_events, "changes noticed")
