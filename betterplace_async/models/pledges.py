"""Donation pledges and forwarding requests: client submissions the API books asynchronously.

Submitting either answers with an :class:`~betterplace_async.models.common.Acknowledgement`
whose ``location`` link is polled until the state is final. Both share one state machine
and one set of failure codes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import attrs

from betterplace_async.models.common import Links

__all__ = ["FailureCode", "ForwardingRequest", "PledgeState", "PledgeStatus"]


class PledgeState:
    """Known values of ``state`` for pledges and forwarding requests.

    Unknown values pass through unchanged; treat them as not final.
    """

    PENDING: Final = "pending"
    """Still being processed: poll again."""
    CONFIRMED: Final = "confirmed"
    """Booked. Final."""
    FAILED: Final = "failed"
    """Not booked; see ``failure_code``. Final."""
    KNOWN: Final = frozenset({PENDING, CONFIRMED, FAILED})
    FINAL: Final = frozenset({CONFIRMED, FAILED})


class FailureCode:
    """Known values of ``failure_code``.

    The API may add codes at any time and retire old ones, so unknown codes pass through
    unchanged. ``failure_reason`` explains a failure for developers; its wording changes.
    """

    POOL_MISSING: Final = "pool_missing"
    """The client has no pool to take the money from."""
    POOL_EMPTY: Final = "pool_empty"
    """The pool holds less than the amount."""
    RECEIVER_PROHIBITED_FROM_RECEIVING_DONATIONS: Final = (
        "receiver_prohibited_from_receiving_donations"
    )
    """The receiving project may not take donations at the moment."""
    DONATION_INVALID: Final = "donation_invalid"
    """Any other validation problem; the reason says which."""
    KNOWN: Final = frozenset(
        {POOL_MISSING, POOL_EMPTY, RECEIVER_PROHIBITED_FROM_RECEIVING_DONATIONS, DONATION_INVALID}
    )


@attrs.frozen
class _Processing:
    """Fields shared by :class:`PledgeStatus` and :class:`ForwardingRequest`."""

    id: int
    state: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    confirmed_at: datetime | None = None
    failed_at: datetime | None = None
    failure_code: str | None = None
    failure_reason: str | None = None
    links: Links = Links()

    @property
    def is_final(self) -> bool:
        """Whether the state is confirmed or failed (polling can stop)."""
        return self.state in PledgeState.FINAL


@attrs.frozen
class PledgeStatus(_Processing):
    """The processing state of a donation pledge.

    ``state`` is one of :class:`PledgeState` (kept as ``str``); decide on it, not on the
    timestamps: ``confirmed_at`` and the ``donation`` link may be missing even once confirmed.
    ``failed_at``, ``failure_code`` and ``failure_reason`` are set once failed.
    """


@attrs.frozen
class ForwardingRequest(_Processing):
    """The processing state of a request to forward pool money to a project.

    Same fields and states as :class:`PledgeStatus`.
    """
