"""The cost of exactly-once at either end: overlapping reads against the count strategy.

``python -m benchmarks.bench_exactly_once [RUNS]`` exports 100,000 client donations at 50 ms
latency with concurrency 16, the two strategies taking turns on one fake server, and prints
each run and the ratio of the medians (the README quotes it).
"""

from __future__ import annotations

import sys

from ._common import fake_server, median
from .bench_export import run_variant

RECORDS = 100_000
LATENCY = 0.05
CONCURRENCY = 16


def main(argv: list[str] | None = None) -> int:
    """Run the comparison ``RUNS`` times (default 7) and print the ratio."""
    args = sys.argv[1:] if argv is None else argv
    runs = int(args[0]) if args else 7
    rates: dict[str, list[float]] = {"sdk": [], "sdk_counts": []}
    with fake_server(client_donations=RECORDS, latency=LATENCY) as server:
        run_variant(server, "sdk_raw", CONCURRENCY, RECORDS)  # warm up the server
        for _ in range(runs):
            for variant, found in rates.items():
                result = run_variant(server, variant, CONCURRENCY, RECORDS)
                found.append(result["rate"])
                print(f"{variant} {result['rate']:,.0f} rec/s", flush=True)
    overlap, counts = median(rates["sdk"]), median(rates["sdk_counts"])
    print(
        f"@{LATENCY * 1000:g} ms c={CONCURRENCY}: overlapping reads {overlap:,.0f} vs "
        f"count strategy {counts:,.0f} rec/s -> {overlap / counts:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
