"""Watch the engine cope with a list that changes while it is being read."""

from betterplace_async import BetterplaceClient
from betterplace_async.testing import Churn, FakeBetterplace


async def main(client: BetterplaceClient, fake: FakeBetterplace) -> None:
    present = set(fake.client_donation_tokens())
    # The fake inserts 3 new donations at the head after every page it serves.
    fake.client_donations_churn = Churn(inserts=3)

    listing = client.clients.donations.list(per_page=20)
    tokens = [donation.token async for donation in listing]

    # Every donation present for the whole run came out exactly once.
    assert present <= set(tokens)
    assert len(tokens) == len(set(tokens))
    print(listing.stats.drift_events, "changes noticed;", listing.stats)
