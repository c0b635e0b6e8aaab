"""Time 1,000 pledges through ``submit_many`` against the fake server with a 1 s processing delay.

Run ``python benchmarks/bench_pledges.py [--pledges N] [--delay S] [--concurrency C ...]
[--faults RATE]``. Real time: the fake settles each pledge ``--delay`` seconds after accepting
it. For each location mode and concurrency it prints the wall time, the status requests the
server saw per pledge (retries included; the target is under 4), the polls the client made
per pledge, and the median and 95th percentile of the time from acceptance to booking as
seen by the client.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import UTC, datetime

from betterplace_async import BetterplaceClient, RetryPolicy
from betterplace_async.models.requests import NewDonationPledge
from betterplace_async.models.submissions import SubmissionResult
from betterplace_async.resources.pledges import Pledges
from betterplace_async.testing import FakeBetterplace

STATUS_PATHS = ("/donation_pledges/", "/client_donations/")


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


async def _run_one(
    mode: str, pledges: int, delay: float, concurrency: int, faults: float
) -> tuple[float, float, float, list[float], int]:
    """Return wall seconds, server status requests and client polls per pledge, settle times."""
    kinds = ("500", "503", "reset_before", "reset_after") if faults else ("500",)
    async with FakeBetterplace(
        seed=1,
        projects=40,
        processing_delay=delay,
        location_mode=mode,  # type: ignore[arg-type]
        fault_rate=faults,
        fault_kinds=kinds,
    ) as fake:
        projects = fake.projects_where(in_client_scope=True, prohibited=False, closed=False)
        draw = random.Random(5)
        batch = [
            (
                draw.choice(projects),
                NewDonationPledge(
                    amount_in_cents=draw.randint(100, 10_000), validate_address=False
                ),
            )
            for _ in range(pledges)
        ]
        async with BetterplaceClient(
            base_url=fake.base_url,
            client_id=fake.client_id,
            auth=(fake.username, fake.password),
            retry=RetryPolicy(max_attempts=8, backoff_base=0.05, backoff_cap=1.0),
            max_concurrency=32,
        ) as client:
            api = Pledges(client._requester, prefix=("clients", fake.client_id), authenticate=True)
            fake.clear_requests()
            results: list[SubmissionResult] = []
            settle_times: list[float] = []
            started = time.perf_counter()
            async with api.submit_many(batch, concurrency=concurrency, deadline=120) as stream:
                async for result in stream:
                    results.append(result)
                    if result.submitted_at is not None:
                        waited = datetime.now(UTC) - result.submitted_at
                        settle_times.append(waited.total_seconds())
            wall = time.perf_counter() - started
        confirmed = sum(r.confirmed for r in results)
        status_requests = sum(
            r.method == "GET" and any(p in r.path for p in STATUS_PATHS) for r in fake.requests
        )
        polls = sum(r.polls for r in results)
    return wall, status_requests / pledges, polls / pledges, settle_times, confirmed


async def run(pledges: int, delay: float, concurrencies: list[int], faults: float) -> bool:
    """Print the table; return whether every run stayed under 4 status requests per pledge."""
    print(
        f"{pledges:,} pledges, processing delay {delay:g} s, fault rate {faults:.0%}, "
        "default PollPolicy (first poll at 1 s)"
    )
    header = (
        f"{'location':<16}{'concurrency':>12}{'wall s':>9}{'status req/pledge':>19}"
        f"{'polls/pledge':>14}{'settle p50 s':>14}{'p95 s':>8}{'confirmed':>11}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for mode in ("status", "client_donation"):
        for concurrency in concurrencies:
            wall, per_pledge, polls, settle, confirmed = await _run_one(
                mode, pledges, delay, concurrency, faults
            )
            ok = ok and per_pledge < 4 and confirmed == pledges
            print(
                f"{mode:<16}{concurrency:>12}{wall:>9.2f}{per_pledge:>19.2f}{polls:>14.2f}"
                f"{statistics.median(settle):>14.2f}{_p95(settle):>8.2f}"
                f"{confirmed:>7}/{pledges}"
            )
    return ok


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark; exit 1 if the target was missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pledges", type=int, default=1_000)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[100, 1_000])
    parser.add_argument("--faults", type=float, default=0.0)
    args = parser.parse_args(argv)
    ok = asyncio.run(run(args.pledges, args.delay, args.concurrency, args.faults))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
