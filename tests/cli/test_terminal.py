"""On a terminal (a pseudo-terminal here) ``export`` draws a rich progress bar on stderr."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._helpers import CLI, ServedFake, clean_stderr, serve_fake


@pytest.fixture(scope="module")
def fake() -> Iterator[ServedFake]:
    # 100 pages of 50, 8 at a time, each answered after 50 ms: the bar is drawn for 0.6 s+.
    with serve_fake("--client-donations", "5000", "--latency", "0.05") as served:
        yield served


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the command with stderr on a pseudo-terminal; return status and what it drew.

    asyncio's slow-step reports (debug mode under PYTHONDEVMODE) are removed, as for stderr.
    """
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(
        [*CLI, *args], env=env | {"TERM": "xterm-256color"}, stdout=subprocess.DEVNULL,
        stderr=follower, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(follower)
    drawn = bytearray()
    try:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the command closed the terminal
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(leader)
        code = process.wait(timeout=60)
    return code, clean_stderr(drawn.decode("utf-8", errors="replace"))


def test_export_draws_a_progress_bar_on_a_terminal(fake: ServedFake, tmp_path: Path) -> None:
    out = tmp_path / "donations.jsonl"
    code, drawn = _run_on_a_terminal(
        ["export", "client-donations", "--out", str(out), "--per-page", "50"], fake.env()
    )
    assert code == 0, drawn
    assert "━" in drawn  # the bar
    assert "/ 5,000 records" in drawn  # records of the total
    assert " pages " in drawn
    assert "records/s" in drawn
    assert "\x1b[" in drawn  # redrawn in place with terminal control sequences
    last = drawn.rstrip().splitlines()[-1]  # the bar is wiped, the summary stays
    assert last.split("\x1b[2K")[-1].startswith("exported 5,000 client-donations records")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5_000


def test_no_progress_draws_nothing_even_on_a_terminal(fake: ServedFake, tmp_path: Path) -> None:
    out = tmp_path / "few.jsonl"
    args = ["export", "client-donations", "--out", str(out), "--limit", "300", "--no-progress"]
    code, drawn = _run_on_a_terminal(args, fake.env())
    assert (code, drawn) == (0, "")
