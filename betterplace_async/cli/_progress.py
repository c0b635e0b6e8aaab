"""Progress of long runs: a rich bar on a terminal, one summary line elsewhere.

The bar shows records (of the total once known), pages, the rate and the time left. When
the console is not a terminal nothing is drawn while running, and :meth:`Progress.finish`
prints one line.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.progress import Progress as Bar
from rich.text import Text

__all__ = ["Progress", "duration"]


def duration(seconds: float) -> str:
    """Format seconds as ``42.1s``, ``3:07`` or ``1:02:03``."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class _Counts(ProgressColumn):
    """``12,000 / 100,000 records  60 pages  4,000 records/s``."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        done = f"{task.completed:,.0f}"
        if task.total is not None:
            done += f" / {task.total:,.0f}"
        pages = task.fields.get("pages", 0)
        rate = f"{task.speed or 0:,.0f} {self.unit}/s"
        return Text(f"{done} {self.unit}  {pages:,} pages  {rate}" if pages else f"{done}  {rate}")


class Progress:
    """Track and show how far a stream of records has come.

    ``done`` counts records already there before this run (a resumed export); the rate
    only counts this run's records. ``total`` may be learned late (from the first page).
    ``live`` draws the bar (default: when ``console`` is a terminal).
    """

    def __init__(
        self,
        label: str,
        console: Console,
        *,
        live: bool | None = None,
        unit: str = "records",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.unit = unit
        self.console = console
        self._clock = clock
        self._started = clock()
        self.done = 0
        self.done_before = 0
        self.pages = 0
        self._total: int | None = None
        self._bar: Bar | None = None
        if console.is_terminal if live is None else live:
            self._bar = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                _Counts(unit),
                TimeRemainingColumn(),
                console=console,
                transient=True,
                get_time=clock,
            )
            self._task = self._bar.add_task(label, total=None, pages=0)
            self._bar.start()

    @property
    def live(self) -> bool:
        """Whether the bar is being drawn."""
        return self._bar is not None

    @property
    def total(self) -> int | None:
        """How many records there will be, when known."""
        return self._total

    @total.setter
    def total(self, value: int | None) -> None:
        self._total = value
        if self._bar is not None:
            self._bar.update(self._task, total=value)

    def resume_from(self, done: int) -> None:
        """Start counting at ``done`` records written by an earlier run."""
        self.done = self.done_before = done
        if self._bar is not None:
            self._bar.update(self._task, completed=done)

    def advance(self, records: int, pages: int = 0) -> None:
        """Count newly written records and pages."""
        self.done += records
        self.pages += pages
        if self._bar is not None:
            self._bar.update(self._task, advance=records, pages=self.pages)

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
        """Return the status as one line."""
        parts = [f"{self.label}: {self.done:,}"]
        if self.total is not None:
            share = 100.0 * self.done / self.total if self.total else 100.0
            parts[0] += f" / {self.total:,} {self.unit} ({share:.0f}%)"
        else:
            parts[0] += f" {self.unit}"
        if self.pages:
            parts.append(f"{self.pages:,} pages")
        parts.append(f"{self.rate:,.0f} {self.unit}/s")
        parts.append(duration(self.elapsed))
        return "  ".join(parts)

    def clear(self) -> None:
        """Remove the bar (before printing something else)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def finish(self, summary: str | None = None) -> None:
        """Remove the bar and print ``summary`` (default: the status) as one line."""
        self.clear()
        text = summary if summary is not None else self.line()
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)
