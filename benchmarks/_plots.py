"""The benchmark plots, drawn with matplotlib (the ``bench`` extra) on the Agg backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def scaling(
    points: list[dict[str, float]], bound: int, label: str, path: Path, records: int
) -> None:
    """Plot records/s and the client's CPU use (share of one core) against concurrency."""
    plt = _pyplot()
    levels = [int(p["level"]) for p in points]
    fig, rate_axis = plt.subplots(figsize=(7.6, 4.6), dpi=100)
    rate_axis.plot(levels, [p["rate"] for p in points], "o-", color="tab:blue", label="records/s")
    rate_axis.set_xscale("log", base=2)
    rate_axis.set_xticks(levels, [str(level) for level in levels])
    rate_axis.set_xlabel("concurrency (pages in flight)")
    rate_axis.set_ylabel("records/s", color="tab:blue")
    rate_axis.set_ylim(bottom=0)
    rate_axis.grid(True, alpha=0.3)
    cpu_axis = rate_axis.twinx()
    cpu_axis.plot(levels, [p["busy"] * 100 for p in points], "s--", color="tab:red",
                  label="client CPU use")  # fmt: skip
    cpu_axis.set_ylabel("client CPU use (% of one core)", color="tab:red")
    cpu_axis.set_ylim(0, 100)
    rate_axis.axvline(bound, color="black", linewidth=1)
    rate_axis.annotate(label, (bound, 0), xytext=(-6, 8), textcoords="offset points",
                       ha="right", fontsize=9)  # fmt: skip
    rate_axis.set_title(f"SDK export at 50 ms latency, {records:,} client donations")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def export_comparison(rates: dict[str, dict[str, float]], records: int, path: Path) -> None:
    """Plot records/s per export variant (bars), one group per server latency."""
    plt = _pyplot()
    latencies = list(rates)
    variants = list(next(iter(rates.values())))
    fig, axis = plt.subplots(figsize=(8.4, 4.6), dpi=100)
    width = 0.8 / len(variants)
    for i, variant in enumerate(variants):
        xs = [j + (i - (len(variants) - 1) / 2) * width for j in range(len(latencies))]
        axis.bar(xs, [rates[latency][variant] for latency in latencies], width, label=variant)
    axis.set_xticks(range(len(latencies)), latencies)
    axis.set_xlabel("latency the fake server adds per request")
    axis.set_ylabel("records/s (median)")
    axis.set_title(f"Exporting {records:,} client donations")
    axis.grid(True, axis="y", alpha=0.3)
    axis.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
