"""The status line: counts, rate and time left, redrawn only on a terminal."""

from __future__ import annotations

import io

import pytest

from betterplace_async.cli._progress import Progress, duration


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.04, "0.0s"), (42.13, "42.1s"), (187, "3:07"), (3723, "1:02:03")]
)
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_live_line_shows_rate_and_eta() -> None:
    clock, stream = Clock(), io.StringIO()
    progress = Progress("donations", stream, live=True, clock=clock)
    progress.resume_from(1_000)
    progress.total = 11_000
    clock.now += 2
    progress.advance(4_000, pages=20)
    assert progress.line() == (
        "donations: 5,000 / 11,000 records (45%)  20 pages  2,000 records/s  ETA 3.0s"
    )
    assert stream.getvalue() == "\r" + progress.line()
    progress.finish("done")
    assert stream.getvalue().endswith("\rdone" + " " * (len(progress.line()) - 4) + "\n")


def test_not_live_writes_only_the_summary() -> None:
    clock, stream = Clock(), io.StringIO()
    progress = Progress("x", stream, live=False, clock=clock)
    clock.now += 1
    progress.advance(10, pages=1)
    assert stream.getvalue() == ""
    progress.finish()
    assert stream.getvalue() == "x: 10 records  1 pages  10 records/s  1.0s\n"


def test_no_stream_is_silent() -> None:
    progress = Progress("x", None, live=True)
    progress.advance(5)
    progress.finish()
    progress.clear()
    assert progress.done == 5
