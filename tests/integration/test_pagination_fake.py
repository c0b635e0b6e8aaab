"""Property test of the list engine through the whole SDK, against the fake server."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from betterplace_async import BetterplaceClient
from betterplace_async.testing import FakeBetterplace


async def _export(
    total: int, per_page: int, concurrency: int, limit: int | None, start_page: int
) -> tuple[list[str], list[str]]:
    async with FakeBetterplace(seed=total, client_donations=total) as fake:
        expected = list(fake.client_donation_tokens())
        async with BetterplaceClient(
            base_url=fake.base_url, client_id=fake.client_id, auth=(fake.username, fake.password)
        ) as client:
            listing = client.clients.donations.list(
                per_page=per_page, concurrency=concurrency, limit=limit, start_page=start_page
            )
            got = [d.token or "" async for d in listing]
    skip = (start_page - 1) * per_page
    wanted = expected[skip:]
    if limit is not None:
        wanted = wanted[:limit]
    return got, wanted


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    total=st.integers(0, 900),
    per_page=st.integers(1, 200),
    concurrency=st.integers(1, 24),
    limit=st.none() | st.integers(0, 1000),
    start_page=st.integers(1, 6),
)
def test_exactly_the_expected_records_in_order(
    total: int, per_page: int, concurrency: int, limit: int | None, start_page: int
) -> None:
    got, wanted = asyncio.run(_export(total, per_page, concurrency, limit, start_page))
    assert got == wanted
