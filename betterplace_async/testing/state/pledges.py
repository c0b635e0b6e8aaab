"""Donation pledges and forwarding requests: accepted now, processed once their delay is over.

Nothing runs in the background. Each pledge is due at ``submitted_at + delay`` (both readings
of the injectable clock); the server settles every due pledge, oldest first, before it answers
any request, and whenever a test reads the ledger.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Any, Literal

import attrs

from betterplace_async.testing.data.bodies import flag, is_country, text
from betterplace_async.testing.data.seed import timestamp
from betterplace_async.testing.state.ledger import Booking

if TYPE_CHECKING:
    from betterplace_async.testing.state.fake_state import FakeState

SubmissionKind = Literal["donation_pledge", "forwarding_request"]
FAILURE_CODES = (
    "pool_missing",
    "pool_empty",
    "receiver_prohibited_from_receiving_donations",
    "donation_invalid",
)
"""The failure codes the fake gives failed pledges; ``fail_pledge`` accepts these."""


@attrs.define
class Pledge:
    """One accepted submission; ``project_id`` None means a pledge to the client pool."""

    id: int
    kind: SubmissionKind
    client_reference: str
    amount_in_cents: int
    project_id: int | None
    body: dict[str, Any]
    locale: str
    submitted_at: float
    due_at: float
    state: str = "pending"
    failure_code: str | None = None
    failure_reason: str | None = None
    settled_at: float | None = None
    token: str | None = None

    def confirm(self, token: str, now: float) -> None:
        """Mark the pledge confirmed with the token of the booked donation."""
        self.state, self.token, self.settled_at = "confirmed", token, now

    def fail(self, code: str, reason: str, now: float) -> None:
        """Mark the pledge failed."""
        self.state, self.failure_code, self.failure_reason = "failed", code, reason
        self.settled_at = now

    def status(self, donation_href: str | None) -> dict[str, Any]:
        """Return the status document; ``donation_href`` links the booked donation."""
        settled = None if self.settled_at is None else timestamp(self.settled_at)
        return {
            "id": self.id,
            "created_at": timestamp(self.submitted_at),
            "updated_at": settled or timestamp(self.submitted_at),
            "confirmed_at": settled if self.state == "confirmed" else None,
            "failed_at": settled if self.state == "failed" else None,
            "state": self.state,
            "failure_code": self.failure_code,
            "failure_reason": self.failure_reason,
            "links": [{"rel": "donation", "href": donation_href}] if donation_href else [],
        }


class PledgeDesk:
    """Accept submissions once per ``client_reference`` and hand out the due ones."""

    def __init__(self) -> None:
        self._by_kind: dict[str, dict[int, Pledge]] = {
            "donation_pledge": {},
            "forwarding_request": {},
        }
        self._by_reference: dict[str, Pledge] = {}
        self._pending: list[tuple[float, int, Pledge]] = []
        self._order = 0
        self.forced: dict[str, tuple[str, str]] = {}

    def submit(
        self,
        *,
        kind: SubmissionKind,
        client_reference: str,
        amount_in_cents: int,
        project_id: int | None,
        body: dict[str, Any],
        locale: str,
        now: float,
        delay: float,
    ) -> tuple[Pledge, bool]:
        """Accept a submission; return the pledge and whether it is new (False for a repeat)."""
        existing = self._by_reference.get(client_reference)
        if existing is not None:
            return existing, False
        pledges = self._by_kind[kind]
        pledge = Pledge(
            id=len(pledges) + 1,
            kind=kind,
            client_reference=client_reference,
            amount_in_cents=amount_in_cents,
            project_id=project_id,
            body=body,
            locale=locale,
            submitted_at=now,
            due_at=now + max(0.0, delay),
        )
        pledges[pledge.id] = pledge
        self._by_reference[client_reference] = pledge
        self._order += 1
        heapq.heappush(self._pending, (pledge.due_at, self._order, pledge))
        return pledge, True

    def get(self, kind: SubmissionKind, pledge_id: int) -> Pledge | None:
        """Return a pledge or forwarding request by id."""
        return self._by_kind[kind].get(pledge_id)

    def by_reference(self, client_reference: str) -> Pledge | None:
        """Return the pledge that first used ``client_reference``."""
        return self._by_reference.get(client_reference)

    def pop_due(self, now: float) -> Pledge | None:
        """Remove and return the oldest pledge due at ``now``, if any."""
        if self._pending and self._pending[0][0] <= now:
            return heapq.heappop(self._pending)[2]
        return None

    def all(self) -> list[Pledge]:
        """Return every pledge and forwarding request in submission order."""
        return list(self._by_reference.values())


# -- processing ------------------------------------------------------------------------------


def process(state: FakeState, pledge: Pledge) -> None:
    """Decide the outcome of a due pledge or forwarding request and book it."""
    forced = state.desk.forced.pop(pledge.client_reference, None)
    if forced is not None:
        _fail(state, pledge, *forced)
    elif pledge.kind == "forwarding_request":
        _forwarding(state, pledge)
    else:
        _donation(state, pledge)


def _forwarding(state: FakeState, pledge: Pledge) -> None:
    pool, amount = state.pool, pledge.amount_in_cents
    project = state.catalog.project(pledge.project_id or 0)
    if not pool.exists:
        _fail(state, pledge, "pool_missing", "The client has no donation pool")
    elif project is None or project.prohibited:
        _fail(
            state,
            pledge,
            "receiver_prohibited_from_receiving_donations",
            f"Project {pledge.project_id} may not receive donations",
        )
    elif pool.balance_in_cents < amount:
        _fail(
            state,
            pledge,
            "pool_empty",
            f"Amount exceeds the pool balance of {pool.balance_in_cents} cents",
        )
    else:
        pool.forwarded_amount_in_cents += amount
        _book(state, pledge, "forwarding_request", "Project", pledge.project_id or 0)


def _donation(state: FakeState, pledge: Pledge) -> None:
    pool, body = state.pool, pledge.body
    country = text(body, "country_code")
    if not flag(body, "validate_address", True) and country and not is_country(country):
        _fail(state, pledge, "donation_invalid", f"Country code {country!r} is not valid")
        return
    if pledge.project_id is None:
        if not pool.exists:
            _fail(state, pledge, "pool_missing", "The client has no donation pool")
            return
        pool.donated_amount_in_cents += pledge.amount_in_cents
        _book(state, pledge, "pool_donation_pledge", "Pool", pool.id)
        return
    project = state.catalog.project(pledge.project_id)
    if project is not None and not project.prohibited:
        _book(state, pledge, "donation_pledge", "Project", project.id)
    elif not state.redirect_prohibited_pledges:
        _fail(
            state,
            pledge,
            "receiver_prohibited_from_receiving_donations",
            f"Project {pledge.project_id} may not receive donations",
        )
    elif not pool.exists:
        _fail(state, pledge, "pool_missing", "Receiver is closed and the client has no pool")
    else:
        pool.donated_amount_in_cents += pledge.amount_in_cents
        _book(state, pledge, "donation_pledge", "Pool", pool.id)


def _fail(state: FakeState, pledge: Pledge, code: str, reason: str) -> None:
    pledge.fail(code, reason, pledge.due_at)
    state.ledger_before_settling.failed[pledge.client_reference] = code


def _book(
    state: FakeState, pledge: Pledge, kind: str, receiver_type: str, receiver_id: int
) -> None:
    body = pledge.body
    first, last = text(body, "first_name"), text(body, "last_name")
    facts = state.donations.append(
        amount=pledge.amount_in_cents,
        receiver_type=receiver_type,
        receiver_id=receiver_id,
        created=pledge.due_at,
        client_reference=pledge.client_reference,
        message=text(body, "message") or None,
        donor=f"{first} {last[:1]}." if first and last else "Anonym",
    )
    pledge.confirm(facts.token, pledge.due_at)
    booking = Booking(
        kind=kind,
        client_reference=pledge.client_reference,
        amount_in_cents=pledge.amount_in_cents,
        receiver_type=receiver_type,
        receiver_id=receiver_id,
        token=facts.token,
        booked_at=pledge.due_at,
    )
    state.ledger_before_settling.bookings.append(booking)
