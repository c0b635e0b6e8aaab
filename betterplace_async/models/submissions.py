"""How a submission ended: the result of a donation pledge or a forwarding request."""

from __future__ import annotations

from datetime import datetime
from typing import Final

import attrs

from betterplace_async.errors import BetterplaceError
from betterplace_async.models.donations import ClientDonation
from betterplace_async.models.pledges import ForwardingRequest, PledgeState, PledgeStatus

__all__ = ["SubmissionKind", "SubmissionResult"]


class SubmissionKind:
    """What a :class:`SubmissionResult` is about."""

    DONATION_PLEDGE: Final = "donation_pledge"
    FORWARDING_REQUEST: Final = "forwarding_request"


@attrs.frozen(kw_only=True)
class SubmissionResult:
    """How a donation pledge or forwarding request ended, or where it stood when waiting ended.

    ``kind`` is a :class:`SubmissionKind` value. ``project_id`` is ``None`` for a pledge to the
    client pool. ``state`` is the last state seen (``"confirmed"``, ``"failed"``,
    ``"pending"``, a state this SDK does not know yet, or ``None`` when none was seen).
    ``error`` says why the result is not confirmed: :class:`PledgeFailedError`,
    :class:`WaitTimeoutError`, or the error that stopped the submission (e.g. a 422).

    ``status`` is the last status document when the status endpoint was polled;
    ``donation`` the client donation when that was polled instead. ``submitted_at`` is when
    the API accepted the submission (this machine's clock, UTC); ``settled_at`` when it
    settled (the server's timestamp when it sent one). ``polls`` counts status requests.
    """

    kind: str
    client_reference: str
    amount_in_cents: int
    project_id: int | None
    state: str | None
    failure_code: str | None = None
    failure_reason: str | None = None
    pledge_id: int | None = None
    status: PledgeStatus | ForwardingRequest | None = None
    donation: ClientDonation | None = None
    submitted_at: datetime | None = None
    settled_at: datetime | None = None
    polls: int = 0
    error: BetterplaceError | None = attrs.field(default=None, eq=False)

    @property
    def confirmed(self) -> bool:
        """Whether the money was booked."""
        return self.state == PledgeState.CONFIRMED

    @property
    def failed(self) -> bool:
        """Whether the API settled it as failed (see ``failure_code``)."""
        return self.state == PledgeState.FAILED

    @property
    def to_pool(self) -> bool:
        """Whether it went to the client pool rather than a project."""
        return self.project_id is None
