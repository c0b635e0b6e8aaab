"""The page hold: answer the first pages of a list, hold later pages until released.

A test that must interrupt a client part way through a list (Ctrl-C, SIGKILL) holds the list
after N pages, waits until the client has the N pages, interrupts it while the next requests
are held, and releases the hold for the resumed run: no timing decides where the cut falls.
"""

from __future__ import annotations

import asyncio


class PageHold:
    """Hold requests for list pages beyond ``limit`` (None: hold nothing) until released."""

    def __init__(self) -> None:
        self.limit: int | None = None
        self._waiters: list[asyncio.Future[None]] = []

    @property
    def held(self) -> int:
        """Return how many requests are waiting for the hold to be released."""
        return len(self._waiters)

    def hold_after(self, pages: int) -> None:
        """Answer pages 1 to ``pages`` of every list and hold requests for later pages."""
        if pages < 0:
            raise ValueError(f"pages must not be negative, got {pages}")
        self.limit = pages
        self._wake()

    def release(self, pages: int | None = None) -> None:
        """Let ``pages`` more pages through, or lift the hold (``None``, the default)."""
        if pages is not None and pages < 0:
            raise ValueError(f"pages must not be negative, got {pages}")
        if self.limit is not None:
            self.limit = None if pages is None else self.limit + pages
        self._wake()

    async def wait(self, page: int) -> None:
        """Return once ``page`` may be answered."""
        while self.limit is not None and page > self.limit:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
