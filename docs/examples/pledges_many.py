"""Submit a batch of pledges, stream the results, and write the reconciliation CSV."""

import io

from betterplace_async import BetterplaceClient, NewDonationPledge
from betterplace_async.reconciliation import write_csv


def donor(n: int) -> NewDonationPledge:
    return NewDonationPledge(
        amount_in_cents=1000 + n,
        first_name="Grace",
        last_name="Hopper",
        email=f"grace{n}@example.org",
        street="Main St 1",
        zip="10115",
        city="Berlin",
        country_code="DE",
        client_reference=f"batch-7-{n}",  # stable: re-running the batch books nothing twice
    )


async def main(client: BetterplaceClient) -> None:
    pledges = [donor(n) for n in range(20)]
    results = []
    # Failures come out as results with .error set, not as exceptions.
    async with client.clients.pledges.submit_many(pledges, pool=True, concurrency=5) as stream:
        async for result in stream:
            print(result.client_reference, result.state, result.failure_code)
            results.append(result)

    # Pledges to the pool name the pool as their receiver: the CSV needs its id.
    pool = await client.clients.pool()
    csv_file = io.StringIO()  # or a path: write_csv(results, "reconciliation.csv", ...)
    rows = write_csv(results, csv_file, pool_id=pool.id)
    print(rows, "rows for reconciliation")
    assert rows == sum(result.confirmed for result in results)
