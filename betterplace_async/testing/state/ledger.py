"""What the fake booked and received, for tests to assert on."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs


@attrs.frozen
class Booking:
    """One donation booked for a pledge or forwarding request.

    ``kind`` is ``"donation_pledge"``, ``"pool_donation_pledge"`` or ``"forwarding_request"``;
    ``receiver_type`` is ``"Project"`` or ``"Pool"`` (a pledge to a closed project is redirected
    to the pool). ``booked_at`` is a reading of the fake's clock.
    """

    kind: str
    client_reference: str
    amount_in_cents: int
    receiver_type: str
    receiver_id: int
    token: str
    booked_at: float


@attrs.define
class Ledger:
    """Bookings plus every accepted submission, counted per ``client_reference``.

    ``seen`` counts accepted (202) submissions, repeats included; a repeat never books twice.
    The other lists hold the JSON bodies of accepted non-idempotent POSTs, in arrival order.
    """

    bookings: list[Booking] = attrs.Factory(list)
    seen: Counter[str] = attrs.Factory(Counter)
    failed: dict[str, str] = attrs.Factory(dict)
    direct_deposits: list[dict[str, Any]] = attrs.Factory(list)
    mailing_subscriptions: list[dict[str, Any]] = attrs.Factory(list)
    newsletter_opt_ins: list[dict[str, Any]] = attrs.Factory(list)

    def booked(self, client_reference: str) -> list[Booking]:
        """Return the bookings made for ``client_reference`` (at most one)."""
        return [b for b in self.bookings if b.client_reference == client_reference]

    def times_seen(self, client_reference: str) -> int:
        """Return how many accepted submissions used ``client_reference``."""
        return self.seen[client_reference]

    @property
    def total_in_cents(self) -> int:
        """Return the sum of all bookings."""
        return sum(b.amount_in_cents for b in self.bookings)


@attrs.define
class RequestRecord:
    """One request the server received.

    ``status`` is None when the connection was dropped without an answer. ``started`` and
    ``ended`` come from ``time.perf_counter()`` (real time, also under a fake clock).
    """

    method: str
    path: str
    query: dict[str, str]
    auth_sent: bool
    started: float
    ended: float | None = None
    status: int | None = None
    fault: str | None = None
