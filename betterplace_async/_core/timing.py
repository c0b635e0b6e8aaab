"""Where async code gets time from: a sleep, a monotonic clock and a random source.

Engines take a :class:`Timing` instead of calling :func:`asyncio.sleep` or
:func:`time.monotonic` themselves, so tests can hand them a fake clock whose sleep only
moves the clock.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable

import attrs

__all__ = ["Clock", "Sleep", "Timing"]

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


@attrs.frozen
class Timing:
    """The ``sleep``, the monotonic ``clock`` and the ``rng`` of random draws to use."""

    sleep: Sleep = asyncio.sleep
    clock: Clock = time.monotonic
    rng: random.Random = attrs.field(factory=random.Random)
