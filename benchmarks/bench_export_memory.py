"""Peak memory of ``betterplace export`` for 100,000 vs 1,000,000 client donations.

Run ``python benchmarks/bench_export_memory.py [--sizes 100000 1000000] [--format jsonl]``
(about 30 s on 2 cores); ``--quick`` compares 20,000 with 200,000 (about 8 s).

For each size a ``betterplace serve-fake`` process serves that many donations and the export
runs as its own process (``python -m betterplace_async export client-donations --out FILE``).
Its peak resident set size comes from ``os.wait4``, i.e. from the kernel's accounting of that
one child, so neither this script nor the server counts. A streaming export keeps the same
few pages in memory whatever the length of the list: the largest run may use at most
``--max-ratio`` (default 1.3) times the memory of the smallest. Exit status 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CLI = (sys.executable, "-m", "betterplace_async")


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BETTERPLACE_")}
    env.pop("PYTHONDEVMODE", None)  # debug mode would measure asyncio's bookkeeping too
    env.update(extra)
    return env


@contextmanager
def served(donations: int) -> Iterator[dict[str, str]]:
    """Run a fake API with ``donations`` client donations; yield the command's environment."""
    process = subprocess.Popen(
        [*CLI, "serve-fake", "--client-donations", str(donations)],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        fields = dict(part.split("=", 1) for part in process.stdout.readline().split())
        yield _env(
            BETTERPLACE_BASE_URL=fields["BASE_URL"],
            BETTERPLACE_CLIENT_ID=fields["CLIENT_ID"],
            BETTERPLACE_USERNAME=fields["USERNAME"],
            BETTERPLACE_PASSWORD=fields["PASSWORD"],
        )
    finally:
        process.terminate()
        process.communicate(timeout=30)


def peak_rss(command: list[str], env: dict[str, str]) -> tuple[int, float, int]:
    """Run ``command``; return its exit status, wall time and peak RSS in bytes."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    elapsed = time.perf_counter() - started
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return process.returncode, elapsed, usage.ru_maxrss * scale


def main(argv: list[str] | None = None) -> int:
    """Measure every size, print the table, return 0 when the ratio is within bounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument(
        "--quick", action="store_true", help="compare 20,000 with 200,000 records instead"
    )
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--max-ratio", type=float, default=1.3)
    args = parser.parse_args(argv)
    sizes = args.sizes or ([20_000, 200_000] if args.quick else [100_000, 1_000_000])
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as directory:
        for size in sorted(sizes):
            out = Path(directory) / f"donations-{size}.{args.format}"
            with served(size) as env:
                command = [*CLI, "export", "client-donations", "--out", str(out)]
                code, seconds, peak = peak_rss(command, env)
            if code != 0:
                print(f"export of {size:,} failed with exit status {code}", file=sys.stderr)
                return 1
            megabytes = out.stat().st_size / 1e6
            if args.format == "jsonl":
                with out.open("rb") as stream:
                    lines = sum(1 for _ in stream)
                if lines != size:
                    print(f"export of {size:,} wrote {lines:,} lines", file=sys.stderr)
                    return 1
            out.unlink()
            rows.append((size, seconds, megabytes, peak))
    base = rows[0][3]
    print(f"{'records':>10}  {'seconds':>8}  {'records/s':>10}  {'file MB':>8}  "
          f"{'peak RSS MB':>11}  {'ratio':>5}")  # fmt: skip
    for size, seconds, megabytes, peak in rows:
        print(
            f"{size:>10,}  {seconds:>8.1f}  {size / seconds:>10,.0f}  {megabytes:>8.0f}  "
            f"{peak / 1e6:>11.1f}  {peak / base:>5.2f}"
        )
    ratio = rows[-1][3] / base
    verdict = "ok" if ratio <= args.max_ratio else "TOO HIGH"
    print(f"peak RSS ratio largest/smallest: {ratio:.2f} (target <= {args.max_ratio}) {verdict}")
    return 0 if ratio <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
