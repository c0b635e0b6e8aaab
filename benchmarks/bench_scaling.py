"""Row 6: export throughput as concurrency goes 1, 2, 4, ... 64 at 50 ms latency.

Each point is a fresh child process (the ``sdk`` variant of :mod:`benchmarks.bench_export`,
``max_concurrency`` raised to the concurrency so the client-wide cap does not hide it) against
a fake server in its own process. Besides records/s, the child's CPU time per record and its
CPU use (CPU seconds / wall seconds, 1.0 = one busy core) show where the client itself becomes
the bound: throughput stops growing while the client's CPU use approaches one core (the event
loop is single-threaded).

The plot ``benchmarks/scaling.png`` is drawn with matplotlib (:mod:`benchmarks._plots`).
Run alone: ``python -m benchmarks.bench_scaling [--quick]``.
"""

from __future__ import annotations

import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

from . import _plots
from ._common import Row, Section, fake_server, fmt, median, standalone
from .bench_export import run_variant

LEVELS = (1, 2, 4, 8, 16, 32, 64)
LATENCY = 0.05
PLOT = Path(__file__).resolve().parent / "scaling.png"


def measure(records: int, repeat: int) -> dict[int, list[dict[str, Any]]]:
    """Return every run per concurrency level; levels take turns within each repeat."""
    runs: dict[int, list[dict[str, Any]]] = {level: [] for level in LEVELS}
    with fake_server(client_donations=records, latency=LATENCY) as server:
        for _ in range(repeat):
            for level in LEVELS:
                runs[level].append(run_variant(server, "sdk", level, records))
    return runs


def knee(points: list[dict[str, float]]) -> int | None:
    """Return the first level after which a doubling adds less than 15%, or ``None``."""
    for here, after in pairwise(points):
        if after["rate"] < 1.15 * here["rate"]:
            return int(here["level"])
    return None


def verdict(point: dict[str, float]) -> str:
    """Say what bounds throughput at ``point``: the client's CPU, the machine, or neither."""
    where = f"c={point['level']:.0f}"
    if point["busy"] >= 0.8:
        return f"client CPU-bound at {where}"
    if point["machine"] >= 0.85:
        return f"machine CPU-bound at {where} (client below one core)"
    return f"no CPU saturated at {where}: latency and the server bound it"


def run(quick: bool = False, plot: Path = PLOT) -> Section:
    """Measure, draw the plot to ``plot`` and return the rows of this benchmark."""
    records = 20_000 if quick else 50_000
    runs = measure(records, 1 if quick else 3)
    points = [
        {
            "level": level,
            "rate": median([r["rate"] for r in rs]),
            "cpu_us": median([r["cpu"] / r["records"] * 1e6 for r in rs]),
            "busy": median([r["cpu"] / r["wall"] for r in rs]),
            "server_busy": median([r["server_cpu"] / r["wall"] for r in rs]),
            "machine": median([r["machine_busy"] for r in rs]),
        }
        for level, rs in runs.items()
    ]
    found = knee(points)
    bound = found if found is not None else int(points[-1]["level"])
    best = max(points, key=lambda p: p["rate"])
    label = f"knee c={bound}" if found is not None else "no knee up to c=64"
    _plots.scaling(points, bound, label, plot, records)
    section = Section()
    section.rows.append(
        Row(
            "6",
            f"scaling @50 ms, {records:,} records: c={best['level']:.0f} (best) / c=1",
            f"{fmt(best['rate'])} vs {fmt(points[0]['rate'])} rec/s",
            best["rate"] / points[0]["rate"],
            "report",
        )
    )
    knee_text = (
        f"knee at c={bound} (a doubling adds <15% after it)"
        if found is not None
        else "no knee up to c=64"
    )
    section.rows.append(
        Row(
            "6",
            f"scaling: {verdict(best)}; {knee_text}",
            f"client {best['busy'] * 100:.0f}% of a core, {best['cpu_us']:.1f} µs CPU/rec; "
            f"machine {best['machine'] * 100:.0f}% busy",
            None,
            "report",
        )
    )
    section.details.append(f"scaling @50 ms latency, {records:,} client donations, SDK typed:")
    section.details.append(
        "| concurrency | records/s | client CPU µs/rec | client CPU use | server CPU use "
        "| machine busy (all CPUs) |"
    )
    section.details.append("|---|---|---|---|---|---|")
    for p in points:
        section.details.append(
            f"| {p['level']:.0f} | {fmt(p['rate'])} | {p['cpu_us']:.1f} "
            f"| {p['busy'] * 100:.0f}% | {p['server_busy'] * 100:.0f}% "
            f"| {p['machine'] * 100:.0f}% |"
        )
    section.details.append("")
    return section


def main(argv: list[str] | None = None) -> int:
    """Run this benchmark alone."""
    code = standalone(argv, "concurrency scaling benchmark (row 6)", run)
    print(f"plot: {PLOT}")
    return code


if __name__ == "__main__":
    sys.exit(main())
