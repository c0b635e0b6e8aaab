"""The fake's clock: any ``() -> float`` of POSIX seconds, or a ``FakeClock`` moved by hand."""

from __future__ import annotations

from collections.abc import Callable

Clock = Callable[[], float]


class FakeClock:
    """A clock that only moves when told to; pass it as ``clock=`` and call ``advance``."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = float(start)

    def __call__(self) -> float:
        """Return the current reading in POSIX seconds."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds
