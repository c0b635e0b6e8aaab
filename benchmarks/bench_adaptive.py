"""Row 7: the adaptive window (``concurrency="auto"``, the default) against fixed windows.

Three scenarios, each against a fake server in its own process, every run in a fresh
child process (client donations, ``per_page=200``, typed records):

(a) 50 ms latency, no capacity limit: auto against an unbounded ``asyncio.gather`` of
    every page (aiohttp), speed and peak RSS above a one-page loop (sequential aiohttp,
    measured at 0 ms: its memory does not depend on latency).
(b) 50 ms service time at capacity 8 (eight requests served at once, eight more queue,
    503 + ``Retry-After: 1`` beyond that): auto against fixed windows of 4, 8, 16 and 32;
    throughput and the share of requests answered 503 (shed).
(c) 0 ms: auto against a fixed window of 8 (the default before auto): no regression.

The child records the window over time (``ConcurrencyChanged`` events); the plot
``benchmarks/adaptive.png`` (matplotlib, Agg backend, the ``bench`` extra) shows it for (a)
and (b). Run alone: ``python -m benchmarks.bench_adaptive [--quick]``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
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
    machine_cpu_seconds,
    median,
    peak_rss_mib,
    report,
    run_child,
    spread,
    standalone,
)

MODULE = "benchmarks.bench_adaptive"
PER_PAGE = 200
PLOT = Path(__file__).resolve().parent / "adaptive.png"
FIXED_B = (4, 8, 16, 32)


# -- the child ----------------------------------------------------------------------------------


async def _sdk(server: Server, concurrency: int) -> dict[str, Any]:
    """Read the list; ``concurrency`` 0 is the default (auto). Trace the window."""
    from betterplace_async import BetterplaceClient
    from betterplace_async._core.params import DEFAULT_MAX_CONCURRENCY
    from betterplace_async._engines.adaptive import DEFAULT_INITIAL
    from betterplace_async.events import ConcurrencyChanged, ResponseReceived

    started = time.perf_counter()
    trace: list[tuple[float, int]] = []
    answers = {"requests": 0, "shed": 0}

    def hook(event: object) -> None:
        if isinstance(event, ConcurrencyChanged):
            trace.append((time.perf_counter() - started, event.new))
        elif isinstance(event, ResponseReceived):
            answers["requests"] += 1
            answers["shed"] += event.status == 503

    options: dict[str, Any] = {"per_page": PER_PAGE}
    if concurrency:
        options["concurrency"] = concurrency
    async with BetterplaceClient(
        base_url=server.base_url,
        client_id=server.client_id,
        auth=(server.username, server.password),
        # the client-wide cap must not hide a setting
        max_concurrency=max(DEFAULT_MAX_CONCURRENCY, concurrency),
        on_event=hook,
    ) as client:
        listing = client.clients.donations.list(**options)
        count = 0
        async for donation in listing:
            if donation.token:
                count += 1
    initial = DEFAULT_INITIAL if concurrency == 0 else concurrency
    return {
        "records": count,
        "trace": [(0.0, initial), *trace],
        "window_max": listing.stats.window_max,
        **answers,
    }


async def _plain(server: Server, variant: str) -> dict[str, Any]:
    from .bench_export import _gather, _sequential

    count = await (_gather if variant == "gather" else _sequential)(server, 1)
    return {"records": count, "trace": [], "window_max": None, "requests": 0, "shed": 0}


def child(argv: list[str]) -> int:
    """Run one variant once; print records, wall, CPU, peak RSS, trace and 503s as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--variant", choices=("sdk", "gather", "loop"), required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--concurrency", type=int, default=0)
    parser.add_argument("--expect", type=int, required=True)
    args = parser.parse_args(argv)
    import aiohttp  # noqa: F401  (imported before the baseline RSS, as every variant needs it)

    import betterplace_async  # noqa: F401

    server = Server.from_line(args.server)
    base = peak_rss_mib()
    cpu, started = time.process_time(), time.perf_counter()
    if args.variant == "sdk":
        result = asyncio.run(_sdk(server, args.concurrency))
    else:
        result = asyncio.run(_plain(server, args.variant))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if result["records"] != args.expect:
        raise AssertionError(f"counted {result['records']} records, expected {args.expect}")
    report(wall=wall, cpu=cpu, base_rss_mib=base, **result)
    return 0


# -- the driver ---------------------------------------------------------------------------------


def _run(server: Server, variant: str, concurrency: int, expect: int) -> dict[str, Any]:
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
    busy_after, total_after = machine_cpu_seconds()
    result["machine_busy"] = (busy_after - busy) / max(total_after - total, 1e-9)
    result["rate"] = result["records"] / result["wall"]
    return result


Plan = list[tuple[str, str, int]]  # (label, variant, concurrency); 0 = the default (auto)

PLAN_A: Plan = [
    ("auto (default)", "sdk", 0),
    ("gather-all aiohttp", "gather", 0),
    ("fixed 8", "sdk", 8),
    ("fixed 16", "sdk", 16),
    ("fixed 32", "sdk", 32),
    ("fixed 64", "sdk", 64),
]
PLAN_B: Plan = [("auto (default)", "sdk", 0)] + [(f"fixed {n}", "sdk", n) for n in FIXED_B]
PLAN_C: Plan = [("auto (default)", "sdk", 0), ("fixed 8", "sdk", 8), ("one-page loop", "loop", 1)]


def _scenario(
    plan: Plan, records: int, repeat: int, **server_options: Any
) -> dict[str, list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in plan}
    with fake_server(client_donations=records, **server_options) as server:
        _run(server, "sdk", 8, records)  # warm up the server's code paths
        for _ in range(repeat):
            for label, variant, concurrency in plan:
                runs[label].append(_run(server, variant, concurrency, records))
    return runs


def measure(quick: bool) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Run the three scenarios; variants take turns within each repeat (five: the
    adaptive window's runs spread more than a fixed window's, so three medians wobble).

    (c) takes nine: at 0 ms a run lasts about 1.5 s and runs of the same code spread by
    +-10% on a shared machine, so five medians cannot tell a 5% difference from noise.
    """
    repeat = 1 if quick else 5
    big = 20_000 if quick else 100_000
    return {
        "a": _scenario(PLAN_A, big, repeat, latency=0.05),
        "b": _scenario(
            PLAN_B,
            10_000 if quick else 100_000,
            repeat,
            capacity=8,
            queue_limit=8,
            service_time=0.05,
        ),
        "c": _scenario(PLAN_C, big, 1 if quick else 9),
    }


def _med(runs: list[dict[str, Any]], key: str) -> float:
    return median([float(r[key]) for r in runs])


def _shed(runs: list[dict[str, Any]]) -> float:
    return median([r["shed"] / max(1, r["requests"]) for r in runs])


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: r["rate"])
    return ordered[len(ordered) // 2]


def rows(results: dict[str, dict[str, list[dict[str, Any]]]], quick: bool) -> Section:
    """Turn the runs into table rows and detail tables."""
    section = Section()
    a, b, c = results["a"], results["b"], results["c"]
    loop_rss = _med(c["one-page loop"], "peak_rss_mib")

    auto, gather = a["auto (default)"], a["gather-all aiohttp"]
    ratio = _med(auto, "rate") / _med(gather, "rate")
    target, met = at_least(ratio, 1.0)
    section.rows.append(
        Row(
            "7",
            "(a) 50 ms, no capacity limit: auto (default) / gather-all aiohttp, records/s",
            f"{fmt(_med(auto, 'rate'))} vs {fmt(_med(gather, 'rate'))} rec/s",
            ratio,
            target,
            met,
        )
    )
    above = (_med(auto, "peak_rss_mib") - loop_rss) / max(
        _med(gather, "peak_rss_mib") - loop_rss, 1e-9
    )
    target, met = at_most(above, 0.25)
    section.rows.append(
        Row(
            "7",
            "(a) peak RSS above a one-page loop: auto / gather-all",
            f"{fmt(_med(auto, 'peak_rss_mib') - loop_rss)} vs "
            f"{fmt(_med(gather, 'peak_rss_mib') - loop_rss)} MiB "
            f"(loop {fmt(loop_rss)} MiB)",
            above,
            target,
            met,
        )
    )

    fixed = {label: runs for label, runs in b.items() if label.startswith("fixed")}
    best_label = max(fixed, key=lambda label: _med(fixed[label], "rate"))
    auto_b = b["auto (default)"]
    ratio = _med(auto_b, "rate") / _med(fixed[best_label], "rate")
    shed = _shed(auto_b)
    target, met = at_least(ratio, 0.85)
    section.rows.append(
        Row(
            "7",
            f"(b) 50 ms service, capacity 8: auto / best fixed window ({best_label}), records/s",
            f"{fmt(_med(auto_b, 'rate'))} vs {fmt(_med(fixed[best_label], 'rate'))} rec/s",
            ratio,
            target,
            met,
        )
    )
    section.rows.append(
        Row(
            "7",
            "(b) requests shed (503) by the server: auto",
            f"{shed:.2%} of {fmt(_med(auto_b, 'requests'))} requests",
            None,
            "≤1%",
            shed <= 0.01,
        )
    )
    auto_c, fixed_c = c["auto (default)"], c["fixed 8"]
    ratio = _med(auto_c, "rate") / _med(fixed_c, "rate")
    section.rows.append(
        Row(
            "7",
            "(c) 0 ms: auto (default) / fixed 8 (the default before auto), records/s",
            f"{fmt(_med(auto_c, 'rate'))} vs {fmt(_med(fixed_c, 'rate'))} rec/s",
            ratio,
            "≥0.95x",
            ratio >= 0.95,
        )
    )
    for key, title in (
        ("a", "(a) 50 ms latency, no capacity limit"),
        ("b", "(b) 50 ms service time, capacity 8, queue 8, 503 beyond"),
        ("c", "(c) 0 ms"),
    ):
        section.details += [
            f"{title} (median of runs):",
            "| variant | records/s | runs | wall s | peak RSS MiB | window max | 503s / requests |",
            "|---|---|---|---|---|---|---|",
        ]
        for label, runs in results[key].items():
            peak = [r["window_max"] for r in runs if r["window_max"] is not None]
            section.details.append(
                f"| {label} | {fmt(_med(runs, 'rate'))} | {spread([r['rate'] for r in runs])} "
                f"| {_med(runs, 'wall'):.2f} | {fmt(_med(runs, 'peak_rss_mib'))} "
                f"| {median(peak) if peak else '—'} "
                f"| {_med(runs, 'shed'):.0f} / {_med(runs, 'requests'):.0f} |"
            )
        section.details.append("")
    return section


def draw(results: dict[str, dict[str, list[dict[str, Any]]]], plot: Path) -> bool:
    """Plot the window over time of the median auto run of (a) and (b); False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True)
    for axis, key, title, knee in (
        (axes[0], "a", "(a) 50 ms latency, no capacity limit", None),
        (axes[1], "b", "(b) 50 ms service time, capacity 8 (+8 queued)", 8),
    ):
        run = _median_run(results[key]["auto (default)"])
        trace = run["trace"] or [(0.0, 2)]
        times = [t for t, _ in trace] + [run["wall"]]
        sizes = [w for _, w in trace] + [trace[-1][1]]
        axis.step(times, sizes, where="post", label="auto window")
        if knee is not None:
            axis.axhline(knee, color="grey", linestyle="--", label=f"capacity {knee}")
        axis.set_title(title)
        axis.set_xlabel("seconds since the start")
        axis.set_ylabel("pages in flight allowed")
        axis.set_ylim(0, max(sizes) + 4)
        axis.legend(loc="lower right")
    figure.savefig(plot, dpi=90)
    plt.close(figure)
    return True


def run(quick: bool = False, plot: Path = PLOT) -> Section:
    """Measure, plot and return the rows of this benchmark."""
    results = measure(quick)
    section = rows(results, quick)
    if draw(results, plot):
        section.details.append(f"![the adaptive window over time]({plot.name})")
    else:
        section.details.append("(no plot: matplotlib missing; install the bench extra)")
    return section


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.bench_adaptive [--quick]``."""
    return standalone(argv, __doc__ or "", run, child)


if __name__ == "__main__":
    sys.exit(main())
