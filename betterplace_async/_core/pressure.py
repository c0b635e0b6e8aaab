"""Back-pressure signals from the transport to the window of the request being sent.

The transport calls :func:`note_pressure` for every attempt the server pushed back on (429,
503, a timeout), retried or not; an adaptive window sets :data:`PRESSURE` for the task of
each request it tracks. A context variable keeps the two layers apart: neither imports the
other.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable

__all__ = ["PRESSURE", "note_pressure"]

PRESSURE: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "betterplace_async_window_pressure", default=None
)
"""The hook of the adaptive window tracking the current request, if any."""


def note_pressure() -> None:
    """Tell the window of the current request that the server pushed back.

    A no-op outside a request tracked by an adaptive window.
    """
    hook = PRESSURE.get()
    if hook is not None:
        hook()
