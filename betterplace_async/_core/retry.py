"""When and how long to wait before trying a failed request again."""

from __future__ import annotations

import random
from collections.abc import Callable, Collection
from typing import Any

import attrs

from betterplace_async._core import params as _params
from betterplace_async.errors import (
    APIStatusError,
    BetterplaceError,
    DecodeError,
    InsecureTransportError,
    InvalidParameterError,
    ResponseTooLargeError,
    TransportError,
)

__all__ = ["RetryPolicy", "is_transient"]


def is_transient(
    exc: BaseException, *, statuses: Collection[int] | None = None, decode_errors: bool = True
) -> bool:
    """Tell whether the failure may pass if the same request is made again later.

    Connection trouble and timeouts may pass, so may a body that could not be decoded
    (unless ``decode_errors`` is false) and the answers with a status in ``statuses``
    (``None``: 429 and every 5xx). A refused plain-http origin and a body over the size
    limit never change.
    """
    if isinstance(exc, InsecureTransportError | ResponseTooLargeError):
        return False
    if isinstance(exc, TransportError):
        return True
    if isinstance(exc, DecodeError):
        return decode_errors
    if isinstance(exc, APIStatusError):
        if statuses is None:
            return exc.status == 429 or exc.status >= 500
        return exc.status in statuses
    return False


def _seconds(name: str, *, optional: bool = False) -> Callable[[Any, Any, Any], None]:
    def check(_: Any, __: Any, value: Any) -> None:
        if value is not None or not optional:
            _params.seconds(value, f"retry.{name}", finite=False)

    return check


@attrs.frozen
class RetryPolicy:
    """Retry settings shared by every request of a client.

    Waits grow exponentially from ``backoff_base`` up to ``backoff_cap`` seconds with full
    jitter (a uniform draw between 0 and the exponential step); a server's ``Retry-After``
    is a floor. ``deadline`` bounds the whole call, waits included (``None``: no bound).
    The defaults ride out about a minute of overload before giving up.
    ``max_attempts=1`` turns retries off.
    """

    max_attempts: int = attrs.field(default=8)
    backoff_base: float = attrs.field(default=0.5, validator=_seconds("backoff_base"))
    backoff_cap: float = attrs.field(default=30.0, validator=_seconds("backoff_cap"))
    deadline: float | None = attrs.field(
        default=120.0, validator=_seconds("deadline", optional=True)
    )
    statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    retry_decode_errors: bool = True

    @max_attempts.validator
    def _check_attempts(self, _: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidParameterError("retry.max_attempts", f"must be an int >= 1, got {value!r}")

    @classmethod
    def never(cls) -> RetryPolicy:
        """Return a policy that never retries."""
        return cls(max_attempts=1)

    def should_retry(self, exc: BetterplaceError, *, attempt: int, idempotent: bool) -> bool:
        """Tell whether ``exc`` on attempt number ``attempt`` deserves another try."""
        if attempt >= self.max_attempts or not is_transient(
            exc, statuses=self.statuses, decode_errors=self.retry_decode_errors
        ):
            return False
        if isinstance(exc, TransportError):  # safe to repeat when it never reached the server
            return idempotent or not exc.request_sent
        return idempotent

    def delay(
        self,
        attempt: int,
        *,
        retry_after: float | None = None,
        rng: random.Random | None = None,
        overload: bool = False,
    ) -> float:
        """Return seconds to wait after failed attempt number ``attempt`` (1-based).

        ``overload`` (429/503, which pause the whole client) draws from the upper half of
        the step, so the shared pause really grows while the server stays overloaded.
        """
        step = min(self.backoff_cap, self.backoff_base * (2 ** (attempt - 1)))
        wait = (rng or random).uniform(step / 2 if overload else 0, step)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return wait
