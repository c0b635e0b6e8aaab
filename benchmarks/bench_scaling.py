"""Row 6: export throughput as concurrency goes 1, 2, 4, ... 64 at 50 ms latency.

Each point is a fresh child process (the ``sdk`` variant of :mod:`benchmarks.bench_export`,
``max_concurrency`` raised to the concurrency so the client-wide cap does not hide it) against
a fake server in its own process. Besides records/s, the child's CPU time per record and its
CPU use (CPU seconds / wall seconds, 1.0 = one busy core) show where the client itself becomes
the bound: throughput stops growing while the client's CPU use approaches one core (the event
loop is single-threaded).

The plot ``benchmarks/scaling.png`` is drawn by a small PNG writer below (no plotting
dependency). Run alone: ``python -m benchmarks.bench_scaling [--quick]``.
"""

from __future__ import annotations

import struct
import sys
import zlib
from itertools import pairwise
from pathlib import Path
from typing import Any

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
    label = f"KNEE C={bound}" if found is not None else "NO KNEE UP TO C=64"
    draw(points, bound, label, plot, records)
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


# -- a tiny PNG plot --------------------------------------------------------------------------

# 5x7 glyphs, one int per row, bit 4 = leftmost pixel.
_FONT = {
    " ": (0, 0, 0, 0, 0, 0, 0),
    "0": (14, 17, 19, 21, 25, 17, 14),
    "1": (4, 12, 4, 4, 4, 4, 14),
    "2": (14, 17, 1, 2, 4, 8, 31),
    "3": (31, 2, 4, 2, 1, 17, 14),
    "4": (2, 6, 10, 18, 31, 2, 2),
    "5": (31, 16, 30, 1, 1, 17, 14),
    "6": (6, 8, 16, 30, 17, 17, 14),
    "7": (31, 1, 2, 4, 8, 8, 8),
    "8": (14, 17, 17, 14, 17, 17, 14),
    "9": (14, 17, 17, 15, 1, 2, 12),
    "A": (14, 17, 17, 31, 17, 17, 17),
    "B": (30, 17, 17, 30, 17, 17, 30),
    "C": (14, 17, 16, 16, 16, 17, 14),
    "D": (28, 18, 17, 17, 17, 18, 28),
    "E": (31, 16, 16, 30, 16, 16, 31),
    "F": (31, 16, 16, 30, 16, 16, 16),
    "G": (14, 17, 16, 23, 17, 17, 15),
    "H": (17, 17, 17, 31, 17, 17, 17),
    "I": (14, 4, 4, 4, 4, 4, 14),
    "J": (7, 2, 2, 2, 2, 18, 12),
    "K": (17, 18, 20, 24, 20, 18, 17),
    "L": (16, 16, 16, 16, 16, 16, 31),
    "M": (17, 27, 21, 21, 17, 17, 17),
    "N": (17, 17, 25, 21, 19, 17, 17),
    "O": (14, 17, 17, 17, 17, 17, 14),
    "P": (30, 17, 17, 30, 16, 16, 16),
    "Q": (14, 17, 17, 17, 21, 18, 13),
    "R": (30, 17, 17, 30, 20, 18, 17),
    "S": (15, 16, 16, 14, 1, 1, 30),
    "T": (31, 4, 4, 4, 4, 4, 4),
    "U": (17, 17, 17, 17, 17, 17, 14),
    "V": (17, 17, 17, 17, 17, 10, 4),
    "W": (17, 17, 17, 21, 21, 21, 10),
    "X": (17, 17, 10, 4, 10, 17, 17),
    "Y": (17, 17, 10, 4, 4, 4, 4),
    "Z": (31, 1, 2, 4, 8, 16, 31),
    "/": (1, 1, 2, 4, 8, 16, 16),
    "%": (24, 25, 2, 4, 8, 19, 3),
    "=": (0, 0, 31, 0, 31, 0, 0),
    "@": (14, 17, 23, 21, 23, 16, 14),
    ",": (0, 0, 0, 0, 12, 4, 8),
    ".": (0, 0, 0, 0, 0, 12, 12),
    "-": (0, 0, 0, 31, 0, 0, 0),
    "(": (2, 4, 8, 8, 8, 4, 2),
    ")": (8, 4, 2, 2, 2, 4, 8),
    ":": (0, 12, 12, 0, 12, 12, 0),
}

Color = tuple[int, int, int]
BLACK: Color = (0, 0, 0)
GREY: Color = (215, 215, 215)
BLUE: Color = (31, 119, 180)
RED: Color = (214, 39, 40)


class Canvas:
    """An RGB raster with just enough drawing for a line chart."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(b"\xff" * (width * height * 3))

    def dot(self, x: int, y: int, color: Color, radius: int = 0) -> None:
        """Paint a square of side ``2 * radius + 1`` centred on ``(x, y)``."""
        for yy in range(y - radius, y + radius + 1):
            for xx in range(x - radius, x + radius + 1):
                if 0 <= xx < self.width and 0 <= yy < self.height:
                    i = (yy * self.width + xx) * 3
                    self.pixels[i : i + 3] = bytes(color)

    def line(self, x0: int, y0: int, x1: int, y1: int, color: Color, radius: int = 0) -> None:
        """Draw a straight line (Bresenham)."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            self.dot(x0, y0, color, radius)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy

    def text(self, x: int, y: int, text: str, color: Color = BLACK, scale: int = 2) -> None:
        """Write ``text`` (upper-cased; unknown characters as blanks) from ``(x, y)``."""
        for ch in text.upper():
            for row, bits in enumerate(_FONT.get(ch, _FONT[" "])):
                for col in range(5):
                    if bits & (16 >> col):
                        for dy in range(scale):
                            for dx in range(scale):
                                self.dot(x + col * scale + dx, y + row * scale + dy, color)
            x += 6 * scale

    def png(self) -> bytes:
        """Encode as an 8-bit RGB PNG."""
        stride = self.width * 3
        raw = b"".join(
            b"\x00" + bytes(self.pixels[y * stride : (y + 1) * stride]) for y in range(self.height)
        )

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def draw(points: list[dict[str, float]], bound: int, label: str, path: Path, records: int) -> None:
    """Plot records/s (blue) and client CPU use (red, 0-100% of one core) per concurrency."""
    width, height = 760, 460
    left, right, top, bottom = 110, 90, 60, 80
    canvas = Canvas(width, height)
    plot_w, plot_h = width - left - right, height - top - bottom
    top_rate = max(p["rate"] for p in points)
    step = 10 ** (len(str(int(top_rate))) - 1)
    y_max = (int(top_rate // step) + 1) * step

    def px(index: int) -> int:
        return left + round(index * plot_w / (len(points) - 1))

    def py(fraction: float) -> int:
        return top + plot_h - round(min(max(fraction, 0.0), 1.0) * plot_h)

    for tick in range(6):  # horizontal grid, rate labels left, CPU labels right
        y = py(tick / 5)
        canvas.line(left, y, left + plot_w, y, GREY)
        canvas.text(8, y - 7, f"{y_max * tick / 5:,.0f}", BLUE)
        canvas.text(left + plot_w + 8, y - 7, f"{tick * 20}%", RED)
    for i, p in enumerate(points):
        x = px(i)
        canvas.line(x, top, x, top + plot_h, GREY)
        tick = f"{p['level']:.0f}"
        canvas.text(x - 6 * len(tick), top + plot_h + 10, tick)
    canvas.line(left, top, left, top + plot_h, BLACK)
    canvas.line(left, top + plot_h, left + plot_w, top + plot_h, BLACK)
    index = [int(p["level"]) for p in points].index(bound)
    canvas.line(px(index), top, px(index), top + plot_h, BLACK)
    for key, color, scale in (("rate", BLUE, y_max), ("busy", RED, 1.0)):
        xy = [(px(i), py(p[key] / scale)) for i, p in enumerate(points)]
        for (x0, y0), (x1, y1) in pairwise(xy):
            canvas.line(x0, y0, x1, y1, color, radius=1)
        for x, y in xy:
            canvas.dot(x, y, color, radius=4)
    canvas.text(left, 14, f"SDK EXPORT @50 MS, {records:,} RECORDS:", BLACK)
    canvas.text(left, 36, "RECORDS/S", BLUE)
    canvas.text(left + 130, 36, "CLIENT CPU USE (% OF A CORE)", RED)
    canvas.text(left + plot_w // 2 - 70, height - 40, "CONCURRENCY")
    x = px(index) + 8
    if x + 12 * len(label) > left + plot_w:  # no room right of the marker: write it left
        x = px(index) - 8 - 12 * len(label)
    canvas.text(x, top + plot_h - 26, label, BLACK)
    path.write_bytes(canvas.png())


def main(argv: list[str] | None = None) -> int:
    """Run this benchmark alone."""
    code = standalone(argv, "concurrency scaling benchmark (row 6)", run)
    print(f"plot: {PLOT}")
    return code


if __name__ == "__main__":
    sys.exit(main())
