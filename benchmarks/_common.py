"""What every benchmark shares: the fake server subprocess, child runs, timing and rows.

Throughput and memory are measured in *child* processes (``python -m benchmarks.<module>
--child ...``): each run starts a fresh interpreter, so its peak RSS (``VmHWM``) belongs to
that one variant, and the fake server runs in a process of its own so its CPU time never
shares the measured client's event loop.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER_START_TIMEOUT = 60.0
CHILD_TIMEOUT = 300.0


@dataclass(frozen=True)
class Server:
    """A running fake server: where it listens and the client credentials it accepts."""

    base_url: str
    client_id: str
    username: str
    password: str
    pid: int = 0

    @classmethod
    def from_line(cls, line: str, pid: int = 0) -> Server:
        """Parse the ``BASE_URL=... CLIENT_ID=... USERNAME=... PASSWORD=...`` line."""
        values = dict(part.split("=", 1) for part in line.split())
        return cls(
            values["BASE_URL"], values["CLIENT_ID"], values["USERNAME"], values["PASSWORD"], pid
        )

    def line(self) -> str:
        """Return the line :meth:`from_line` parses (what children are given)."""
        return (
            f"BASE_URL={self.base_url} CLIENT_ID={self.client_id} "
            f"USERNAME={self.username} PASSWORD={self.password}"
        )

    def api_url(self, path: str, locale: str = "de") -> str:
        """Return the absolute URL of an API path such as ``projects/1.json``."""
        return f"{self.base_url}/{locale}/api_v4/{path.lstrip('/')}"

    def donations_url(self) -> str:
        """Return the client donations list URL."""
        return self.api_url(f"clients/{self.client_id}/client_donations.json")

    def auth_headers(self) -> dict[str, str]:
        """Return the Basic auth header of the client API."""
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def cpu_seconds(self) -> float:
        """Return the CPU time (user + system) the server process has used so far."""
        return process_cpu_seconds(self.pid)


def process_cpu_seconds(pid: int) -> float:
    """Return user + system CPU seconds of process ``pid`` (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> tuple[float, float]:
    """Return ``(busy, total)`` CPU seconds of the whole machine since boot (all CPUs)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    tick = os.sysconf("SC_CLK_TCK")
    return (total - idle) / tick, total / tick


@contextmanager
def fake_server(
    *,
    client_donations: int = 250,
    latency: float = 0.0,
    projects: int = 40,
    seed: int = 1,
    capacity: int | None = None,
    queue_limit: int | None = None,
    service_time: float = 0.0,
) -> Iterator[Server]:
    """Run ``python -m betterplace_async.testing.serve`` in its own process while open.

    ``capacity``/``queue_limit``/``service_time``: the fake's capacity knob (K requests
    served at once for ``service_time`` each, a bounded queue, 503 beyond it).
    """
    command = [
        PYTHON,
        "-m",
        "betterplace_async.testing.serve",
        "--port=0",
        f"--seed={seed}",
        f"--projects={projects}",
        f"--client-donations={client_donations}",
        f"--latency={latency}",
        f"--service-time={service_time}",
        *([f"--capacity={capacity}"] if capacity is not None else []),
        *([f"--queue-limit={queue_limit}"] if queue_limit is not None else []),
    ]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=child_env())
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("BASE_URL="):
            raise RuntimeError(f"fake server did not start (exit {proc.poll()}): {line!r}")
        yield Server.from_line(line.strip(), proc.pid)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def child_env() -> dict[str, str]:
    """Return the environment for child processes: the repository first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTHONDEVMODE", None)  # debug mode would slow every variant differently
    return env


def run_child(module: str, args: Sequence[str], timeout: float = CHILD_TIMEOUT) -> dict[str, Any]:
    """Run ``python -m module --child args...`` and return the JSON object it prints last."""
    done = subprocess.run(
        [PYTHON, "-m", module, "--child", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"{module} {' '.join(args)} failed (exit {done.returncode}):\n{done.stderr[-2000:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def peak_rss_mib() -> float:
    """Return this process's peak resident set size in MiB.

    On Linux this is ``VmHWM`` from ``/proc/self/status``: the high-water mark of this
    process's own memory. ``ru_maxrss`` is not used there because it survives ``exec``: a
    child started by ``subprocess`` (vfork + exec) reports at least its parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def report(**values: Any) -> None:
    """Print one JSON line for :func:`run_child`, with the peak RSS of this process added."""
    print(json.dumps({**values, "peak_rss_mib": peak_rss_mib()}), flush=True)


def median(values: Sequence[float]) -> float:
    """Return the median."""
    return statistics.median(values)


def spread(values: Sequence[float]) -> str:
    """Describe the runs behind a median: ``n=3, 1.2-1.4``-style, or empty for one run."""
    if len(values) < 2:
        return ""
    return f"n={len(values)}, {fmt(min(values))}-{fmt(max(values))}"


def fmt(value: float) -> str:
    """Format a measurement with about three significant digits and thousands separators."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


@dataclass
class Row:
    """One line of the results table: ``measured`` against ``baseline``."""

    section: str
    name: str
    measured: str
    ratio: float | None
    target: str = "—"
    met: bool | None = None
    note: str = ""

    def met_text(self) -> str:
        """Return ``yes``, ``NO`` or ``—`` (no target)."""
        if self.met is None:
            return "—"
        return "yes" if self.met else "NO"

    def ratio_text(self) -> str:
        """Return the ratio as ``1.23x`` or ``—``."""
        return "—" if self.ratio is None else f"{self.ratio:.2f}x"


def at_least(ratio: float, bound: float) -> tuple[str, bool]:
    """Return the target text and verdict for ``ratio >= bound``."""
    return f"≥{bound:g}x", ratio >= bound


def at_most(ratio: float, bound: float) -> tuple[str, bool]:
    """Return the target text and verdict for ``ratio <= bound``."""
    return f"≤{bound:g}x", ratio <= bound


@dataclass
class Section:
    """What one benchmark module hands back: table rows, detail lines and extra Markdown."""

    rows: list[Row] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


def machine_info() -> dict[str, str]:
    """Describe the machine and the library versions the numbers were taken with."""
    from importlib import metadata

    versions = []
    for name in ("aiohttp", "attrs", "cattrs", "yarl", "orjson", "pydantic", "pydantic-core"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    try:
        versions.append(f"httpx {metadata.version('httpx')}")
    except metadata.PackageNotFoundError:
        versions.append("httpx (not installed)")
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpus": f"{os.cpu_count()} ({cpu})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "libraries": ", ".join(versions),
        "load average at start": load,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def standalone(
    argv: list[str] | None,
    description: str,
    run: Callable[[bool], Section],
    child: Callable[[list[str]], int] | None = None,
) -> int:
    """Run one benchmark module on its own: ``--quick``, or ``--child ...`` for its worker."""
    argv = sys.argv[1:] if argv is None else argv
    if child is not None and argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    section = run(args.quick)
    for row in section.rows:
        print(f"{row.name}: {row.measured}  {row.ratio_text()}  {row.target}  {row.met_text()}")
    print("\n".join(section.details))
    return 0
