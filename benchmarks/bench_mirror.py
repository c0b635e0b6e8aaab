"""Row 8: the donation mirror (``betterplace_async.mirror``) against plain exports.

8a. Initial sync throughput: a first ``DonationMirror.sync`` into a fresh SQLite file against
    the SDK's plain export of the same list to a JSONL file (``.raw()`` records, one
    ``json.dumps`` line each), 100,000 client donations, fake server in its own process,
    each variant in a fresh child process, concurrency 8, at 0 and 50 ms latency. Target:
    the mirror keeps at least 0.7x the export's records per second.
8b. Incremental sync against a full re-export at 50 ms latency: one child holds a fake of
    100,000 donations 5 minutes apart (the newest now) in its own event loop, mirrors it
    once (at 0 ms, setup), then adds 150 donations and revokes 25 recent ones and sets 50 ms
    latency; it then times the incremental sync and a full JSONL re-export of the list.
    Requests and wall time of each; the ratio is incremental / re-export.

Run alone: ``python -m benchmarks.bench_mirror [--quick]``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ._common import (
    Row,
    Section,
    Server,
    at_least,
    at_most,
    fake_server,
    fmt,
    median,
    report,
    run_child,
    spread,
    standalone,
)

MODULE = "benchmarks.bench_mirror"
CONCURRENCY = 8
DAY = 86_400.0


def _client(server: Server, on_event: Any = None) -> Any:
    from betterplace_async import BetterplaceClient

    return BetterplaceClient(
        base_url=server.base_url,
        client_id=server.client_id,
        auth=(server.username, server.password),
        on_event=on_event,
    )


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


async def _export_jsonl(client: Any, path: Path) -> int:
    """The plain export: every record as sent, one JSON line each, a page per write (as
    ``betterplace export`` writes JSONL)."""
    count = 0
    listing = client.clients.donations.list(concurrency=CONCURRENCY)
    with path.open("wb") as out:
        async for page in listing.raw().pages():
            out.write("".join([_JSON.encode(r) + "\n" for r in page.data]).encode("utf-8"))
            count += len(page.data)
    return count


async def _mirror_once(client: Any, db: Path, counter: Any) -> int:
    from betterplace_async.mirror import DonationMirror

    async with DonationMirror(db) as mirror:
        result = await mirror.sync(client, counter=counter, concurrency=CONCURRENCY)
    return int(result.added)


async def _throughput_child(variant: str, server: Server) -> dict[str, Any]:
    from betterplace_async.mirror import RequestCounter

    counter = RequestCounter()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        async with _client(server, counter) as client:
            if variant == "mirror":
                count = await _mirror_once(client, Path(tmp) / "mirror.sqlite", counter)
            else:
                count = await _export_jsonl(client, Path(tmp) / "export.jsonl")
        wall = time.perf_counter() - started
    return {"count": count, "wall": wall, "requests": counter.requests}


async def _incremental_child(records: int) -> dict[str, Any]:
    from betterplace_async.mirror import DonationMirror, RequestCounter
    from betterplace_async.testing import FakeBetterplace, FakeClock

    clock = FakeClock(time.time())
    fake = FakeBetterplace(
        client_donations=records,
        client_donations_spacing=300,
        client_donations_newest_at=clock.now,
        clock=clock,
    )
    counter = RequestCounter()
    with tempfile.TemporaryDirectory() as tmp:
        async with fake:
            server = Server(fake.base_url, fake.client_id, fake.username, fake.password)
            async with (
                _client(server, counter) as client,
                DonationMirror(Path(tmp) / "mirror.sqlite") as mirror,
            ):
                await mirror.sync(client, counter=counter)
                clock.advance(3600)
                fake.insert_client_donations(150)
                fake.revoke_client_donations_aged(*(DAY * k / 3 for k in range(1, 26)))
                fake.latency = 0.05
                before, started = counter.requests, time.perf_counter()
                result = await mirror.sync(client, counter=counter)
                sync_wall, sync_requests = time.perf_counter() - started, counter.requests - before
                before, started = counter.requests, time.perf_counter()
                exported = await _export_jsonl(client, Path(tmp) / "export.jsonl")
                export_wall = time.perf_counter() - started
                export_requests = counter.requests - before
    return {
        "sync_wall": sync_wall,
        "sync_requests": sync_requests,
        "added": result.added,
        "revoked": result.revoked,
        "mode": result.mode,
        "export_wall": export_wall,
        "export_requests": export_requests,
        "exported": exported,
    }


def child(argv: list[str]) -> int:
    """Run one measured variant and print its JSON line."""
    if argv[0] == "incremental":
        report(**asyncio.run(_incremental_child(int(argv[1]))))
        return 0
    variant, line = argv[0], argv[1]
    report(**asyncio.run(_throughput_child(variant, Server.from_line(line))))
    return 0


def _throughput(records: int, latency: float, repeats: int) -> tuple[Row, list[str]]:
    rates: dict[str, list[float]] = {"mirror": [], "jsonl": []}
    with fake_server(client_donations=records, latency=latency) as server:
        for _ in range(repeats):
            for variant in rates:
                result = run_child(MODULE, [variant, server.line()])
                if result["count"] != records:
                    raise RuntimeError(f"{variant} stored {result['count']} of {records}")
                rates[variant].append(records / result["wall"])
    mirror, jsonl = median(rates["mirror"]), median(rates["jsonl"])
    ratio = mirror / jsonl
    target, met = at_least(ratio, 0.7)
    name = f"mirror {records:,} @{latency * 1000:.0f} ms: initial sync (SQLite) / JSONL export"
    row = Row("8", name, f"{fmt(mirror)} vs {fmt(jsonl)} rec/s", ratio, target, met)
    details = [
        f"- {name}: mirror {spread(rates['mirror']) or 'n=1'}, "
        f"jsonl {spread(rates['jsonl']) or 'n=1'} rec/s"
    ]
    return row, details


def run(quick: bool = False) -> Section:
    """Measure and return the rows of this benchmark."""
    records = 20_000 if quick else 100_000
    repeats = 1 if quick else 3
    section = Section()
    for latency in (0.0, 0.05):
        row, details = _throughput(records, latency, repeats)
        section.rows.append(row)
        section.details += details
    result = run_child(MODULE, ["incremental", str(records)])
    ratio = result["sync_wall"] / result["export_wall"]
    requests = result["sync_requests"] / result["export_requests"]
    target, met = at_most(requests, 0.15)
    section.rows.append(
        Row(
            "8",
            f"mirror {records:,} @50 ms: incremental sync (150 new, 25 revoked) / full re-export",
            f"{result['sync_requests']} vs {result['export_requests']} requests "
            f"({requests:.2f}x); {result['sync_wall']:.2f} vs {result['export_wall']:.2f} s",
            ratio,
            f"requests {target}",
            met and result["added"] == 150 and result["revoked"] == 25,
        )
    )
    section.details.append(f"- incremental run: {json.dumps(result)}")
    return section


def main(argv: list[str] | None = None) -> int:
    """Run this benchmark alone (or the measuring child with ``--child``)."""
    return standalone(argv, "donation mirror benchmark (row 8)", run, child)


if __name__ == "__main__":
    sys.exit(main())
