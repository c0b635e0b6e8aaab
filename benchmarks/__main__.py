"""Run every benchmark, print one table and write ``benchmarks/results.md``.

``python -m benchmarks`` (what ``nox -s bench`` runs) takes about 15 minutes on 2 cores;
``--quick`` runs smaller sizes once each in under 2 minutes (a smoke test: its numbers are
noisier). ``--only export decode ...`` runs a subset. The scripts other people maintain
(``bench_pledges.py``, ``bench_export_memory.py``) run as subprocesses when present.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from ._common import PYTHON, ROOT, Row, Section, child_env, machine_info

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.md"
EXTERNAL_TIMEOUT = 600.0


def _export(quick: bool, out: Path) -> Section:
    from . import bench_export

    return bench_export.run(quick, out / "export.png")


def _decode(quick: bool, out: Path) -> Section:
    from . import bench_decode

    return bench_decode.run(quick)


def _overhead(quick: bool, out: Path) -> Section:
    from . import bench_overhead

    return bench_overhead.run(quick)


def _memory(quick: bool, out: Path) -> Section:
    from . import bench_memory

    return bench_memory.run(quick)


def _adaptive(quick: bool, out: Path) -> Section:
    from . import bench_adaptive

    return bench_adaptive.run(quick, out / "adaptive.png")


def _scaling(quick: bool, out: Path) -> Section:
    from . import bench_scaling

    return bench_scaling.run(quick, out / "scaling.png")


_PLEDGE_LINE = re.compile(
    r"^(?P<mode>\w+)\s+(?P<concurrency>\d+)\s+(?P<wall>[\d.]+)\s+(?P<status>[\d.]+)\s+"
    r"(?P<polls>[\d.]+)\s+[\d.]+\s+[\d.]+\s+(?P<confirmed>\d+)/(?P<total>\d+)\s*$"
)


def _run_external(name: str, args: list[str]) -> tuple[int | None, str, float]:
    """Run ``python -m benchmarks.<name> args``; return exit status, output and seconds."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [PYTHON, "-m", f"benchmarks.{name}", *args],
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=EXTERNAL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout if isinstance(exc.stdout, str) else ""
        return None, out + f"\n(timed out after {EXTERNAL_TIMEOUT:.0f} s)", EXTERNAL_TIMEOUT
    output = done.stdout + (f"\n[stderr]\n{done.stderr[-3000:]}" if done.returncode else "")
    return done.returncode, output, time.perf_counter() - started


def _help_mentions(name: str, option: str) -> bool:
    done = subprocess.run(
        [PYTHON, "-m", f"benchmarks.{name}", "--help"],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return option in done.stdout


def _pledges(quick: bool, out: Path) -> Section:
    """Row 5: run ``bench_pledges.py`` (not ours) and read its table."""
    section = Section()
    if not (HERE / "bench_pledges.py").exists():
        section.rows.append(Row("5", "pledges: benchmarks/bench_pledges.py not present", "—", None))
        return section
    args = ["--pledges", "200"] if quick and _help_mentions("bench_pledges", "--pledges") else []
    status, output, seconds = _run_external("bench_pledges", args)
    parsed = [m for line in output.splitlines() if (m := _PLEDGE_LINE.match(line.strip()))]
    for m in parsed:
        per_pledge = float(m["status"])
        confirmed = m["confirmed"] == m["total"]
        section.rows.append(
            Row(
                "5",
                f"pledges ({m['mode']} location, concurrency {m['concurrency']}): "
                "status requests per pledge",
                f"{per_pledge:.2f} req/pledge; {m['total']} pledges in {float(m['wall']):.2f} s; "
                f"{m['confirmed']}/{m['total']} confirmed",
                None,
                "<4 req/pledge",
                per_pledge < 4 and confirmed,
            )
        )
    if not parsed:
        section.rows.append(
            Row(
                "5",
                "pledges: bench_pledges.py output not recognised",
                f"exit status {status}",
                None,
                "<4 req/pledge",
                None,
            )
        )
    section.details.append(
        f"bench_pledges.py {' '.join(args)} (exit status {status}, {seconds:.0f} s):"
    )
    section.details += ["```", output.strip(), "```", ""]
    return section


def _export_memory(quick: bool, out: Path) -> Section:
    """Run ``bench_export_memory.py`` (not ours) when present and keep its output."""
    section = Section()
    if not (HERE / "bench_export_memory.py").exists():
        return section
    args = ["--quick"] if quick and _help_mentions("bench_export_memory", "--quick") else []
    status, output, seconds = _run_external("bench_export_memory", args)
    lines = [line for line in output.strip().splitlines() if line.strip()]
    section.rows.append(
        Row(
            "4",
            "export memory (bench_export_memory.py, its own check)",
            lines[-1][:120] if lines else "no output",
            None,
            "its exit status",
            status == 0 if status is not None else False,
        )
    )
    section.details.append(
        f"bench_export_memory.py {' '.join(args)} (exit status {status}, {seconds:.0f} s):"
    )
    section.details += ["```", output.strip(), "```", ""]
    return section


def _mirror(quick: bool, out: Path) -> Section:
    from . import bench_mirror

    return bench_mirror.run(quick)


BENCHMARKS: dict[str, tuple[str, Callable[[bool, Path], Section]]] = {
    "export": ("1. Export throughput and memory", _export),
    "decode": ("2. Typed decode", _decode),
    "overhead": ("3. Per-request overhead", _overhead),
    "memory": ("4. Streamed export memory", _memory),
    "export_memory": ("4b. Export memory (bench_export_memory.py)", _export_memory),
    "pledges": ("5. Pledges (bench_pledges.py)", _pledges),
    "scaling": ("6. Concurrency scaling", _scaling),
    "adaptive": ("7. Adaptive concurrency (the default)", _adaptive),
    "mirror": ("8. Donation mirror", _mirror),
}


def table(rows: list[Row]) -> list[str]:
    """Return the rows as a Markdown table."""
    lines = ["| # | row | measured | ratio | target | met? |", "|---|---|---|---|---|---|"]
    for row in rows:
        name = f"{row.name} ({row.note})" if row.note else row.name
        lines.append(
            f"| {row.section} | {name} | {row.measured} | {row.ratio_text()} | {row.target} "
            f"| {row.met_text()} |"
        )
    return lines


def markdown(
    rows: list[Row], details: list[str], info: dict[str, str], wall: float, quick: bool
) -> str:
    """Return the contents of ``results.md``."""
    command = "python -m benchmarks" + (" --quick" if quick else "")
    missed = [row for row in rows if row.met is False]
    out = [
        "# Benchmark results",
        "",
        f"`{command}` (= `nox -s bench`), whole run {wall:.0f} s. "
        "What each row means and how it is measured: [README.md](README.md).",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        "- setup: the fake server runs in its own process (`python -m "
        "betterplace_async.testing.serve`); every export variant runs in a fresh child "
        "process, so peak RSS is that process's own high-water mark (`VmHWM`); values are "
        "medians of the runs shown, variants taking turns within each repeat.",
        "",
        *table(rows),
        "",
        f"Targets missed: {len(missed)} of {sum(row.met is not None for row in rows)}.",
        "",
        "## Details",
        "",
        *details,
        "",
        "![records/s of each export variant at 0 and 50 ms](export.png)",
        "",
        "![throughput and client CPU use against concurrency](scaling.png)",
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return 1 if one of them crashed (a missed target is a result)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run a subset")
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS,
        help="Markdown file to write; export.png and scaling.png go beside it",
    )
    args = parser.parse_args(argv)
    info = machine_info()
    started = time.perf_counter()
    rows: list[Row] = []
    details: list[str] = []
    crashed = False
    for key, (title, bench) in BENCHMARKS.items():
        if args.only and key not in args.only:
            continue
        print(f"running {title} ...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        try:
            section = bench(args.quick, args.output.parent)
        except Exception:
            crashed = True
            error = traceback.format_exc()
            print(error, file=sys.stderr)
            section = Section([Row(title[0], f"{title}: FAILED", "see details", None)])
            section.details += ["```", error.strip(), "```"]
        took = time.perf_counter() - began
        print(f"  done in {took:.0f} s", file=sys.stderr, flush=True)
        rows += section.rows
        details += [f"### {title} ({took:.0f} s)", "", *section.details, ""]
    wall = time.perf_counter() - started
    print("\n".join(table(rows)))
    print(f"\nwhole run: {wall:.0f} s; written to {args.output}")
    args.output.write_text(markdown(rows, details, info, wall, args.quick))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
