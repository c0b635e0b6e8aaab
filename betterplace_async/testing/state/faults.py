"""Fault injection: which request gets which fault (delivery is ``http.faults``).

Precedence for each request: the script (first queued fault whose path pattern matches), then an
active burst, then the random rate. Randomness comes from a generator seeded with the fake's
seed, so a run with the same seed and the same requests fails the same way.
"""

from __future__ import annotations

import enum
import random
import re
from collections.abc import Callable, Sequence

import attrs


class FaultKind(enum.StrEnum):
    """What goes wrong with a request."""

    HTTP_500 = "500"
    HTTP_502 = "502"
    HTTP_503 = "503"
    HTTP_429 = "429"  #: with a ``Retry-After`` header
    RESET_BEFORE = "reset_before"  #: connection dropped before the handler runs
    RESET_AFTER = "reset_after"  #: handler runs (e.g. books a pledge), then the connection drops
    TRUNCATED = "truncated"  #: Content-Length promises more bytes than are sent
    INVALID_JSON = "invalid_json"  #: real status, body cut in half
    SLOW_BODY = "slow_body"  #: body trickles out in small chunks


STATUS_FAULTS = {
    FaultKind.HTTP_500: 500,
    FaultKind.HTTP_502: 502,
    FaultKind.HTTP_503: 503,
    FaultKind.HTTP_429: 429,
}


@attrs.frozen
class Fault:
    """One fault; ``path`` is a regex searched in the request path (None matches all).

    ``retry_after`` is the header value (seconds) of a 429; ``duration`` is how long a slow body
    takes in total.
    """

    kind: FaultKind = attrs.field(converter=FaultKind)
    path: str | None = None
    retry_after: int = 1
    duration: float = 0.2

    def matches(self, path: str) -> bool:
        """Return whether this fault applies to a request path."""
        return self.path is None or re.search(self.path, path) is not None


FaultLike = Fault | FaultKind | str


def as_fault(value: FaultLike) -> Fault:
    """Return ``value`` as a Fault (a kind or its string value is enough)."""
    return value if isinstance(value, Fault) else Fault(FaultKind(value))


@attrs.define
class FaultPlan:
    """The faults to inject; change it at any time, also while the server runs.

    ``clock`` is the fake's clock, so bursts measured in seconds follow a fake clock in tests.
    """

    rng: random.Random
    clock: Callable[[], float]
    rate: float = 0.0
    rate_kinds: tuple[Fault, ...] = (Fault(FaultKind.HTTP_500),)
    rate_path: str | None = None
    queued: list[Fault] = attrs.Factory(list)
    burst_fault: Fault | None = None
    burst_until: float | None = None
    burst_requests: int | None = None

    def script(self, *faults: FaultLike) -> None:
        """Queue faults for the next matching requests, one fault per request, in order."""
        self.queued.extend(as_fault(f) for f in faults)

    def set_rate(
        self, rate: float, kinds: Sequence[FaultLike] = ("500",), path: str | None = None
    ) -> None:
        """Fail a share ``rate`` (0..1) of requests (matching ``path``) with a random kind."""
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be between 0 and 1, got {rate}")
        if not kinds:
            raise ValueError("kinds must name at least one fault kind")
        self.rate, self.rate_kinds, self.rate_path = rate, tuple(map(as_fault, kinds)), path

    def burst(
        self, fault: FaultLike = "503", *, seconds: float | None = None, requests: int | None = None
    ) -> None:
        """Fail every request for the next ``seconds`` (on the clock) or ``requests`` requests."""
        if (seconds is None) == (requests is None):
            raise ValueError("give exactly one of seconds= or requests=")
        self.burst_fault = as_fault(fault)
        self.burst_until = None if seconds is None else self.clock() + seconds
        self.burst_requests = requests

    def clear(self) -> None:
        """Stop injecting faults."""
        self.rate = 0.0
        self.queued.clear()
        self.burst_fault = self.burst_until = self.burst_requests = None

    def choose(self, path: str) -> Fault | None:
        """Return the fault for a request to ``path`` (and consume it), or None."""
        for index, fault in enumerate(self.queued):
            if fault.matches(path):
                return self.queued.pop(index)
        burst = self._burst(path, self.clock())
        if burst is not None:
            return burst
        applies = self.rate_path is None or re.search(self.rate_path, path) is not None
        if self.rate and applies and self.rng.random() < self.rate:
            return self.rate_kinds[self.rng.randrange(len(self.rate_kinds))]
        return None

    def _burst(self, path: str, now: float) -> Fault | None:
        fault = self.burst_fault
        if fault is None or not fault.matches(path):
            return None
        if self.burst_until is not None and now >= self.burst_until:
            self.burst_fault = self.burst_until = None
            return None
        if self.burst_requests is not None:
            self.burst_requests -= 1
            if self.burst_requests <= 0:
                self.burst_fault = self.burst_requests = None
        return fault
