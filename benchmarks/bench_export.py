"""Row 1: export throughput and peak memory, 100,000 client donations at 0 and 50 ms latency.

Every variant runs in a fresh child process (``--child``) against a fake server in another
process, reads every page of ``per_page=200``, decodes or parses every record, counts them and
fails unless the count is the list's total. The child reports wall time, its own CPU time and
its peak RSS (``VmHWM``: the whole process, interpreter and imports included; the RSS
right after the imports is reported too, as ``base``).

Variants:

``sdk``         ``client.clients.donations.list(per_page=200, concurrency=N)``; N=0 means the
                client's default (``"auto"``). ``ClientDonation`` records.
``sdk_raw``     the same list through ``.raw()``: plain dicts, no typed decode.
``sequential``  (a) aiohttp, one page after the other, ``json.loads`` of each body.
``gather``      (b) aiohttp, page 1 for the count, then ``asyncio.gather`` of every other page
                at once (connector without a connection limit), ``json.loads``; all parsed
                pages are held until the count, as such code does.
``httpx``       (c) ``httpx.AsyncClient`` with at most N requests in flight (a semaphore and
                ``max_connections=N``), each page parsed by pydantic v2
                ``model_validate_json`` into models mirroring ``ClientDonation``.

Run alone: ``python -m benchmarks.bench_export [--quick]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from . import _plots
from ._common import (
    Row,
    Section,
    Server,
    at_least,
    at_most,
    fake_server,
    fmt,
    machine_cpu_seconds,
    median,
    peak_rss_mib,
    report,
    run_child,
    spread,
    standalone,
)

PER_PAGE = 200
MODULE = "benchmarks.bench_export"
COUNTS = "SDK c=16, count strategy (before overlapping reads)"


# -- variants (run in the child) -------------------------------------------------------------


async def _sdk(server: Server, concurrency: int, raw: bool, counts: bool = False) -> int:
    from betterplace_async import BetterplaceClient

    if counts:  # the count-based strategy every list used before overlapping reads
        import betterplace_async._engines.pagination as engine

        engine.MIN_PAGE = PER_PAGE + 1  # type: ignore[misc]

    options: dict[str, Any] = {"per_page": PER_PAGE}
    if concurrency:
        options["concurrency"] = concurrency
    async with BetterplaceClient(
        base_url=server.base_url,
        client_id=server.client_id,
        auth=(server.username, server.password),
        max_concurrency=max(32, concurrency),  # the client-wide cap must not hide the setting
    ) as client:
        listing = client.clients.donations.list(**options)
        count = 0
        if raw:
            async for record in listing.raw():
                if record["token"]:
                    count += 1
        else:
            async for donation in listing:
                if donation.token:
                    count += 1
        return count


async def _sequential(server: Server, concurrency: int) -> int:
    import aiohttp

    url, headers = server.donations_url(), server.auth_headers()
    count = 0
    async with aiohttp.ClientSession(headers=headers) as session:
        page, last = 1, 1
        while page <= last:
            async with session.get(url, params={"per_page": PER_PAGE, "page": page}) as resp:
                resp.raise_for_status()
                body = json.loads(await resp.read())
            last = body["total_pages"]
            count += len(body["data"])
            page += 1
    return count


async def _gather(server: Server, concurrency: int) -> int:
    import aiohttp

    url, headers = server.donations_url(), server.auth_headers()

    async def fetch(session: aiohttp.ClientSession, page: int) -> Any:
        async with session.get(url, params={"per_page": PER_PAGE, "page": page}) as resp:
            resp.raise_for_status()
            return json.loads(await resp.read())

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:
        first = await fetch(session, 1)
        rest = await asyncio.gather(
            *(fetch(session, page) for page in range(2, first["total_pages"] + 1))
        )
        return sum(len(body["data"]) for body in [first, *rest])


async def _httpx(server: Server, concurrency: int) -> int:
    import httpx

    from .bench_decode import PDonationPage

    url, headers = server.donations_url(), server.auth_headers()
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=60) as client:

        async def fetch(page: int) -> PDonationPage:
            async with gate:
                resp = await client.get(url, params={"per_page": PER_PAGE, "page": page})
                resp.raise_for_status()
                return PDonationPage.model_validate_json(resp.content)

        async def count(page: int) -> int:
            return sum(1 for d in (await fetch(page)).data if d.token)

        first = await fetch(1)
        total_pages = first.total_pages or 1
        counts = await asyncio.gather(*(count(page) for page in range(2, total_pages + 1)))
        return sum(1 for d in first.data if d.token) + sum(counts)


VARIANTS: dict[str, Callable[[Server, int], Awaitable[int]]] = {
    "sdk": lambda server, n: _sdk(server, n, raw=False),
    "sdk_raw": lambda server, n: _sdk(server, n, raw=True),
    "sdk_counts": lambda server, n: _sdk(server, n, raw=False, counts=True),
    "sequential": _sequential,
    "gather": _gather,
    "httpx": _httpx,
}
IMPORTS = {
    "sdk": ["betterplace_async"],
    "sdk_raw": ["betterplace_async"],
    "sdk_counts": ["betterplace_async"],
    "sequential": ["aiohttp"],
    "gather": ["aiohttp"],
    "httpx": ["httpx", "benchmarks.bench_decode"],
}


def child(argv: list[str]) -> int:
    """Run one variant once and print its measurements as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--variant", choices=sorted(VARIANTS), required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--concurrency", type=int, default=0)
    parser.add_argument("--expect", type=int, required=True)
    args = parser.parse_args(argv)
    for module in IMPORTS[args.variant]:
        __import__(module)
    server = Server.from_line(args.server)
    base = peak_rss_mib()
    cpu, started = time.process_time(), time.perf_counter()
    count = asyncio.run(VARIANTS[args.variant](server, args.concurrency))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if count != args.expect:
        raise AssertionError(f"{args.variant}: counted {count} records, expected {args.expect}")
    report(records=count, wall=wall, cpu=cpu, base_rss_mib=base)
    return 0


# -- driver (runs in the parent) -------------------------------------------------------------


def run_variant(server: Server, variant: str, concurrency: int, expect: int) -> dict[str, Any]:
    """Run one variant in a fresh child; add the server's and the machine's CPU meanwhile.

    ``machine_busy`` is the share of all CPUs busy during the run (every process, ours or
    not): near 1.0 the machine, not the client, was the bound.
    """
    before = server.cpu_seconds()
    busy, total = machine_cpu_seconds()
    result = run_child(
        MODULE,
        [
            f"--variant={variant}",
            f"--server={server.line()}",
            f"--concurrency={concurrency}",
            f"--expect={expect}",
        ],
    )
    result["server_cpu"] = server.cpu_seconds() - before
    busy_after, total_after = machine_cpu_seconds()
    result["machine_busy"] = (busy_after - busy) / max(total_after - total, 1e-9)
    result["rate"] = result["records"] / result["wall"]
    return result


# (label, variant, concurrency): concurrency 0 is the SDK's default
PLAN = [
    ("SDK auto (default)", "sdk", 0),
    ("SDK c=16", "sdk", 16),
    ("SDK .raw() c=16", "sdk_raw", 16),
    (COUNTS, "sdk_counts", 16),
    ("(a) sequential aiohttp", "sequential", 1),
    ("(b) gather-all aiohttp", "gather", 0),
    ("(c) httpx+pydantic c=16", "httpx", 16),
]


def measure(records: int, latencies: list[float], repeat: int) -> dict[float, dict[str, list]]:
    """Return every run per latency and label; variants take turns within each repeat."""
    results: dict[float, dict[str, list[dict[str, Any]]]] = {}
    for latency in latencies:
        runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in PLAN}
        with fake_server(client_donations=records, latency=latency) as server:
            run_variant(server, "sdk_raw", 16, records)  # warm up the server's code paths
            for _ in range(repeat):
                for label, variant, concurrency in PLAN:
                    runs[label].append(run_variant(server, variant, concurrency, records))
        results[latency] = runs
    return results


def _summary(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {
        "rate": median([r["rate"] for r in runs]),
        "rss": max(r["peak_rss_mib"] for r in runs),
        "base": median([r["base_rss_mib"] for r in runs]),
        "cpu_us": median([r["cpu"] / r["records"] * 1e6 for r in runs]),
        "server_us": median([r["server_cpu"] / r["records"] * 1e6 for r in runs]),
        "wall": median([r["wall"] for r in runs]),
        "machine": median([r["machine_busy"] for r in runs]),
    }


def rows(results: dict[float, dict[str, list]], records: int) -> Section:
    """Turn the runs into table rows and detail lines."""
    section = Section()
    for latency, runs in results.items():
        ms = f"{latency * 1000:g} ms"
        s = {label: _summary(r) for label, r in runs.items()}
        slow = latency > 0
        for sdk in ("SDK auto (default)", "SDK c=16"):
            for base, bound in (
                ("(a) sequential aiohttp", 10.0),
                ("(b) gather-all aiohttp", 0.9),
                ("(c) httpx+pydantic c=16", 1.0),
            ):
                ratio = s[sdk]["rate"] / s[base]["rate"]
                has_target = slow or base.startswith("(c)")
                target, met = at_least(ratio, bound) if has_target else ("—", None)
                note = ""
                if slow and base.startswith("(b)"):
                    window = sdk.split("c=")[1] if "c=" in sdk else "an adaptive window of"
                    note = f"{window} pages in flight vs all of them"
                section.rows.append(
                    Row(
                        "1",
                        f"export {records:,} @{ms}: {sdk} / {base}",
                        f"{fmt(s[sdk]['rate'])} vs {fmt(s[base]['rate'])} rec/s",
                        ratio,
                        target,
                        met,
                        note,
                    )
                )
        ratio = s["SDK c=16"]["rate"] / s[COUNTS]["rate"]
        target, met = at_least(ratio, 0.9) if slow else ("—", None)
        section.rows.append(
            Row(
                "1",
                f"export {records:,} @{ms}: SDK c=16 (overlapping reads) / {COUNTS}",
                f"{fmt(s['SDK c=16']['rate'])} vs {fmt(s[COUNTS]['rate'])} rec/s",
                ratio,
                target,
                met,
                "exactly once at either end costs ~10% more requests",
            )
        )
        if slow:
            gather = s["(b) gather-all aiohttp"]
            for sdk in ("SDK auto (default)", "SDK c=16"):
                ratio = s[sdk]["rss"] / gather["rss"]
                target, met = at_most(ratio, 0.2)
                section.rows.append(
                    Row(
                        "1",
                        f"export {records:,} @{ms}: peak RSS {sdk} / (b) gather-all",
                        f"{fmt(s[sdk]['rss'])} vs {fmt(gather['rss'])} MiB",
                        ratio,
                        target,
                        met,
                    )
                )
        section.details.append(f"export {records:,} client donations @{ms} (median of runs):")
        section.details.append(
            "| variant | records/s | runs | wall s | client CPU µs/rec | server CPU µs/rec "
            "| machine busy | peak RSS MiB | RSS after imports MiB |"
        )
        section.details.append("|---|---|---|---|---|---|---|---|---|")
        for label, r in runs.items():
            v = s[label]
            section.details.append(
                f"| {label} | {fmt(v['rate'])} | {spread([x['rate'] for x in r]) or 'n=1'} "
                f"| {v['wall']:.2f} | {v['cpu_us']:.1f} | {v['server_us']:.1f} "
                f"| {v['machine'] * 100:.0f}% | {v['rss']:.0f} | {v['base']:.0f} |"
            )
        section.details.append("")
    return section


PLOT = Path(__file__).resolve().parent / "export.png"


def run(quick: bool = False, plot: Path = PLOT) -> Section:
    """Measure, plot the variants' rates to ``plot`` and return the rows of this benchmark."""
    records = 20_000 if quick else 100_000
    results = measure(records, [0.0, 0.05], 1 if quick else 3)
    rates = {
        f"{latency * 1000:g} ms": {label: _summary(r)["rate"] for label, r in runs.items()}
        for latency, runs in results.items()
    }
    _plots.export_comparison(rates, records, plot)
    return rows(results, records)


def main(argv: list[str] | None = None) -> int:
    """Run this benchmark alone (or the measuring child with ``--child``)."""
    return standalone(argv, "export throughput benchmark (row 1)", run, child)


if __name__ == "__main__":
    sys.exit(main())
