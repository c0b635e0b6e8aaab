"""Row 4: peak RSS of a streamed SDK export, 100,000 and 1,000,000 client donations.

Each export runs in a fresh child process (the ``sdk`` and ``gather`` variants of
:mod:`benchmarks.bench_export`, at the SDK's default concurrency and 0 ms latency) that counts
the records it streams and keeps none. Peak RSS is the child's ``VmHWM``: interpreter,
imports and everything the export allocated. Streaming is flat when the 1,000,000 run peaks
no more than 1.3x the 100,000 run; gather-all at 100,000 shows what holding every page costs.

Run alone: ``python -m benchmarks.bench_memory [--quick]``.
"""

from __future__ import annotations

import sys

from ._common import Row, Section, at_most, fake_server, fmt, standalone
from .bench_export import run_variant


def run(quick: bool = False) -> Section:
    """Measure and return the rows of this benchmark."""
    small, large = (20_000, 200_000) if quick else (100_000, 1_000_000)
    with fake_server(client_donations=small) as server:
        streamed_small = run_variant(server, "sdk", 0, small)
        gathered = run_variant(server, "gather", 0, small)
    with fake_server(client_donations=large) as server:
        streamed_large = run_variant(server, "sdk", 0, large)
    ratio = streamed_large["peak_rss_mib"] / streamed_small["peak_rss_mib"]
    target, met = at_most(ratio, 1.3)
    section = Section()
    section.rows.append(
        Row(
            "4",
            f"peak RSS, SDK streamed export: {large:,} / {small:,} records",
            f"{fmt(streamed_large['peak_rss_mib'])} vs {fmt(streamed_small['peak_rss_mib'])} MiB",
            ratio,
            target,
            met,
        )
    )
    ratio = streamed_small["peak_rss_mib"] / gathered["peak_rss_mib"]
    section.rows.append(
        Row(
            "4",
            f"peak RSS, {small:,} records: SDK streamed / gather-all aiohttp",
            f"{fmt(streamed_small['peak_rss_mib'])} vs {fmt(gathered['peak_rss_mib'])} MiB",
            ratio,
        )
    )
    section.details.append(
        "memory (peak RSS of a fresh process; RSS after imports in brackets): "
        f"SDK {small:,} {streamed_small['peak_rss_mib']:.0f} MiB "
        f"({streamed_small['base_rss_mib']:.0f}), "
        f"SDK {large:,} {streamed_large['peak_rss_mib']:.0f} MiB "
        f"({streamed_large['base_rss_mib']:.0f}) at {fmt(streamed_large['rate'])} rec/s, "
        f"gather-all {small:,} {gathered['peak_rss_mib']:.0f} MiB "
        f"({gathered['base_rss_mib']:.0f})"
    )
    return section


def main(argv: list[str] | None = None) -> int:
    """Run this benchmark alone."""
    return standalone(argv, "streamed export memory benchmark (row 4)", run)


if __name__ == "__main__":
    sys.exit(main())
