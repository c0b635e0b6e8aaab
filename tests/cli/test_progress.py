"""Progress: a rich bar on a terminal, one summary line elsewhere."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from betterplace_async.cli._progress import Progress, duration


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _console(*, terminal: bool) -> tuple[Console, io.StringIO]:
    stream = io.StringIO()
    return Console(file=stream, force_terminal=terminal, width=120), stream


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.04, "0.0s"), (42.13, "42.1s"), (187, "3:07"), (3723, "1:02:03")]
)
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_summary_line_counts_only_this_runs_rate() -> None:
    clock = Clock()
    console, stream = _console(terminal=False)
    progress = Progress("donations", console, clock=clock)
    assert not progress.live
    progress.resume_from(1_000)
    progress.total = 11_000
    clock.now += 2
    progress.advance(4_000, pages=20)
    assert stream.getvalue() == ""  # nothing drawn while running
    progress.finish()
    assert stream.getvalue() == (
        "donations: 5,000 / 11,000 records (45%)  20 pages  2,000 records/s  2.0s\n"
    )


def test_bar_on_a_terminal_shows_counts_pages_and_rate() -> None:
    clock = Clock()
    console, stream = _console(terminal=True)
    progress = Progress("donations", console, clock=clock)
    assert progress.live
    progress.total = 10_000
    for _ in range(4):
        clock.now += 1
        progress.advance(1_000, pages=5)
    assert progress._bar is not None
    progress._bar.refresh()
    drawn = stream.getvalue()
    assert "donations" in drawn
    assert "━" in drawn  # the bar
    assert "4,000 / 10,000 records  20 pages  1,000 records/s" in drawn
    assert "0:00:06" in drawn  # time left: 6,000 records at 1,000 per second
    progress.finish("done")
    assert stream.getvalue().endswith("done\n")
    assert not progress.live


def test_clear_removes_the_bar_without_a_summary() -> None:
    console, stream = _console(terminal=False)
    progress = Progress("x", console, live=False)
    progress.advance(5)
    progress.clear()
    assert stream.getvalue() == ""
    assert progress.done == 5
