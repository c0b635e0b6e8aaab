"""One status line for long runs: records, pages, rate and time left.

On a terminal the line is redrawn in place a few times a second; elsewhere nothing is drawn
while running and :meth:`Progress.finish` writes one summary line (when a stream is given).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress", "duration"]


def duration(seconds: float) -> str:
    """Format seconds as ``42.1s``, ``3:07`` or ``1:02:03``."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Track and show how far a stream of records has come.

    ``done`` counts records already there before this run (a resumed export); the rate
    only counts this run's records. ``total`` may be learned late (from the first page).
    """

    def __init__(
        self,
        label: str,
        stream: TextIO | None,
        *,
        live: bool,
        unit: str = "records",
        interval: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.unit = unit
        self._stream = stream
        self._live = live and stream is not None
        self._interval = interval
        self._clock = clock
        self._started = clock()
        self._drawn_at = -interval
        self._width = 0
        self.done = 0
        self.done_before = 0
        self.pages = 0
        self.total: int | None = None

    def resume_from(self, done: int) -> None:
        """Start counting at ``done`` records written by an earlier run."""
        self.done = self.done_before = done

    def advance(self, records: int, pages: int = 0) -> None:
        """Count newly written records and pages; redraw when it is time."""
        self.done += records
        self.pages += pages
        now = self._clock()
        if self._live and now - self._drawn_at >= self._interval:
            self._drawn_at = now
            self._draw(self.line())

    @property
    def elapsed(self) -> float:
        """Seconds since this run started."""
        return self._clock() - self._started

    @property
    def rate(self) -> float:
        """Records per second in this run."""
        elapsed = self.elapsed
        return (self.done - self.done_before) / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        """Return the status line as it stands."""
        parts = [f"{self.label}: {self.done:,}"]
        if self.total is not None:
            share = 100.0 * self.done / self.total if self.total else 100.0
            parts[0] += f" / {self.total:,} {self.unit} ({share:.0f}%)"
        else:
            parts[0] += f" {self.unit}"
        if self.pages:
            parts.append(f"{self.pages:,} pages")
        rate = self.rate
        parts.append(f"{rate:,.0f} {self.unit}/s")
        if self.total is not None and rate > 0 and self.done < self.total:
            parts.append(f"ETA {duration((self.total - self.done) / rate)}")
        else:
            parts.append(duration(self.elapsed))
        return "  ".join(parts)

    def finish(self, summary: str | None = None) -> None:
        """End the line (terminal) or write ``summary`` (or the status) as one line."""
        if self._stream is None:
            return
        text = summary if summary is not None else self.line()
        if self._live:
            self._draw(text)
            self._stream.write("\n")
        else:
            self._stream.write(text + "\n")
        self._stream.flush()

    def clear(self) -> None:
        """Wipe the live line (before printing something else below it)."""
        if self._live and self._stream is not None and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0

    def _draw(self, text: str) -> None:
        assert self._stream is not None
        pad = max(0, self._width - len(text))
        self._stream.write("\r" + text + " " * pad)
        self._stream.flush()
        self._width = len(text)
