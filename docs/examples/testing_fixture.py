"""A test of your own code against the fake API, with the pytest fixture."""

from betterplace_async import BetterplaceClient
from betterplace_async.testing import FakeBetterplace


# --8<-- [start:test]
async def count_projects(client: BetterplaceClient) -> int:
    """The code under test: yours."""
    return len(await client.clients.projects.list().collect())


async def test_counts_projects(fake_betterplace: FakeBetterplace) -> None:
    fake = fake_betterplace  # running on loopback: seed 0, 40 projects, 250 donations
    async with BetterplaceClient(
        base_url=fake.base_url, client_id=fake.client_id, auth=(fake.username, fake.password)
    ) as client:
        count = await count_projects(client)
    # The fake knows its own data, so the test can say exactly what it expects.
    expected = fake.projects_where(in_client_scope=True)
    assert count == len(expected)
    # ... and what went over the wire.
    assert all(record.auth_sent for record in fake.requests)


# --8<-- [end:test]


async def main(fake: FakeBetterplace) -> None:
    await test_counts_projects(fake)
