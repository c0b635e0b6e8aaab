"""Time how fast the fake server answers a per_page=200 page of 100,000 client donations.

Run ``python benchmarks/bench_fake_server.py [--donations N] [--repeat R]``. For the first,
middle and last page (and a sweep over every page) it prints the median and 95th percentile of
the round trip seen by an aiohttp client and of the time the server spent on the request
(middlewares and handler, from the fake's request log).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import sys
import time

import aiohttp

from betterplace_async.testing import FakeBetterplace


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


async def _measure(
    fake: FakeBetterplace, session: aiohttp.ClientSession, pages: list[int]
) -> tuple[list[float], list[float], int]:
    """Fetch ``pages`` one after another; return round trips, server times (ms) and bytes."""
    token = base64.b64encode(f"{fake.username}:{fake.password}".encode()).decode()
    headers = {"Authorization": f"Basic {token}"}
    url = fake.api_url(f"clients/{fake.client_id}/client_donations.json")
    trips, size = [], 0
    fake.clear_requests()
    for page in pages:
        started = time.perf_counter()
        async with session.get(url, params={"per_page": 200, "page": page}, headers=headers) as r:
            body = await r.read()
            if r.status != 200:
                raise RuntimeError(f"page {page}: HTTP {r.status}")
        trips.append((time.perf_counter() - started) * 1000)
        size = len(body)
    served = [((r.ended or r.started) - r.started) * 1000 for r in fake.requests]
    return trips, served, size


async def run(donations: int, repeat: int) -> None:
    """Print the timing table."""
    last = -(-donations // 200)
    rows = [
        ("first (1)", [1] * repeat),
        (f"middle ({last // 2})", [last // 2] * repeat),
        (f"last ({last})", [last] * repeat),
        (f"sweep 1..{last}", list(range(1, last + 1))),
    ]
    async with (
        FakeBetterplace(seed=1, projects=500, client_donations=donations) as fake,
        aiohttp.ClientSession() as session,
    ):
        await _measure(fake, session, [1, 2, 3])  # warm up caches and the connection
        print(f"{donations:,} client donations, per_page=200, {repeat} requests per page")
        header = f"{'page':<16}{'n':>5}{'round trip ms':>15}{'p95':>8}"
        print(header + f"{'server ms':>11}{'p95':>8}{'KiB':>7}")
        for label, pages in rows:
            trips, served, size = await _measure(fake, session, pages)
            print(
                f"{label:<16}{len(pages):>5}{statistics.median(trips):>15.2f}{_p95(trips):>8.2f}"
                f"{statistics.median(served):>11.2f}{_p95(served):>8.2f}{size / 1024:>7.0f}"
            )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--donations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    asyncio.run(run(args.donations, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
