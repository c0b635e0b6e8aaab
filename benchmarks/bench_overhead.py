"""Row 3: what one ``client.projects.get(id)`` costs over a bare aiohttp GET.

Against a fake server in its own process at 0 ms latency, one child process alternates
batches of sequential requests for the same project URL: the SDK (``projects.get`` returning
a typed ``Project``) and raw aiohttp (``session.get`` + ``await resp.json()``, a dict). Both
keep one connection alive. The row is the median time per SDK call over the median time per
raw call; the difference is the SDK's own cost per call (URL building, limiter, events,
retry bookkeeping, orjson and the typed decode).

Run alone: ``python -m benchmarks.bench_overhead [--quick]``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from ._common import Row, Section, Server, at_most, fake_server, median, run_child, standalone

MODULE = "benchmarks.bench_overhead"
PROJECT_ID = 7


async def _measure(server: Server, batches: int, size: int) -> dict[str, Any]:
    import aiohttp

    from betterplace_async import BetterplaceClient

    url = server.api_url(f"projects/{PROJECT_ID}.json")
    times: dict[str, list[float]] = {"sdk": [], "raw": [], "sdk_cpu": [], "raw_cpu": []}
    async with (
        aiohttp.ClientSession() as session,
        BetterplaceClient(base_url=server.base_url) as client,
    ):

        async def sdk() -> None:
            project = await client.projects.get(PROJECT_ID)
            assert project.id == PROJECT_ID

        async def raw() -> None:
            async with session.get(url) as resp:
                resp.raise_for_status()
                data = await resp.json()
            assert data["id"] == PROJECT_ID

        for call in (sdk, raw) * 20:  # warm up both connections and code paths
            await call()
        for batch in range(batches):
            order = (("sdk", sdk), ("raw", raw))
            for name, call in order if batch % 2 else order[::-1]:
                cpu, started = time.process_time(), time.perf_counter()
                for _ in range(size):
                    await call()
                times[name].append((time.perf_counter() - started) / size)
                times[f"{name}_cpu"].append((time.process_time() - cpu) / size)
    return times


def child(argv: list[str]) -> int:
    """Measure in this process and print the per-call times as JSON."""
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--size", type=int, default=50)
    args = parser.parse_args(argv)
    result = asyncio.run(_measure(Server.from_line(args.server), args.batches, args.size))
    print(json.dumps(result))
    return 0


def run(quick: bool = False) -> Section:
    """Measure and return the rows of this benchmark."""
    batches = 10 if quick else 40
    with fake_server(projects=40) as server:
        times = run_child(MODULE, [f"--server={server.line()}", f"--batches={batches}"])
    sdk, raw = median(times["sdk"]) * 1e6, median(times["raw"]) * 1e6
    sdk_cpu, raw_cpu = median(times["sdk_cpu"]) * 1e6, median(times["raw_cpu"]) * 1e6
    ratio = sdk / raw
    target, met = at_most(ratio, 1.3)
    section = Section()
    section.rows.append(
        Row(
            "3",
            "one projects.get(id) @0 ms: SDK / aiohttp get + resp.json()",
            f"{sdk:,.0f} vs {raw:,.0f} µs per call",
            ratio,
            target,
            met,
        )
    )
    section.details.append(
        f"per-request overhead: SDK {sdk:,.0f} µs, raw aiohttp {raw:,.0f} µs per call "
        f"(medians of {batches} batches of 50 sequential calls each); the SDK adds "
        f"{sdk - raw:,.0f} µs per call. Client CPU per call: SDK {sdk_cpu:,.0f} µs, raw "
        f"{raw_cpu:,.0f} µs (the rest of a round trip is the server's time)"
    )
    return section


def main(argv: list[str] | None = None) -> int:
    """Run this benchmark alone (or the measuring child with ``--child``)."""
    return standalone(argv, "per-request overhead benchmark (row 3)", run, child)


if __name__ == "__main__":
    sys.exit(main())
