"""One client-wide limit for every request, and how overload answers slow everyone down."""

from betterplace_async import BetterplaceClient
from betterplace_async.testing import FakeBetterplace


async def main(client: BetterplaceClient, fake: FakeBetterplace) -> None:
    # The client under test was made with the defaults: at most 64 requests in flight
    # (max_concurrency) and an adaptive window per list (concurrency="auto"). A service
    # with an agreed budget would pass, e.g.:
    #   BetterplaceClient(..., max_concurrency=16, rate_limit=10.0, concurrency=8)
    print("limiter:", client.limiter)

    # The API is overloaded for the next 5 requests: they are answered with 503.
    fake.faults.burst("503", requests=5)
    projects = await client.clients.projects.list(concurrency=4).collect()
    print(len(projects), "projects; the whole client paused", client.limiter.pauses, "times")
    assert client.limiter.pauses > 0
