"""Client donations: donations made through a client's own donation channels."""

from __future__ import annotations

from datetime import datetime
from typing import Final

import attrs

from betterplace_async.models.common import Contact, Links

__all__ = ["ClientDonation", "ClientDonationState", "ReceiverType"]


class ClientDonationState:
    """Known values of :attr:`ClientDonation.state`; any other value passes through unchanged.

    Only confirmed donations are listed today. A ``"revoked"`` state has been announced as
    possible, so compare with :attr:`CONFIRMED` rather than assuming it.
    """

    CONFIRMED: Final = "confirmed"
    KNOWN: Final = frozenset({CONFIRMED})


class ReceiverType:
    """Known values of :attr:`ClientDonation.receiver_type`; others pass through unchanged."""

    PROJECT: Final = "Project"
    FUNDRAISING_EVENT: Final = "FundraisingEvent"
    POOL: Final = "Pool"
    KNOWN: Final = frozenset({PROJECT, FUNDRAISING_EVENT, POOL})


@attrs.frozen
class ClientDonation:
    """One client donation, identified by ``token`` (or by the client's ``client_reference``).

    ``amount_in_cents`` is integer cents. ``receiver_type``/``receiver_id``/``receiver_title``
    name what the money went to; the ``receiver`` link points at it. ``donor`` and
    ``message`` exist since 2020 and may be ``None``; ``client_reference`` is ``None`` or
    ``""`` when the client gave none. No field is guaranteed: older responses lack ``token``.
    """

    token: str | None = None
    client_reference: str | None = None
    state: str | None = None
    amount_in_cents: int | None = None
    created_at: datetime | None = None
    receiver_type: str | None = None
    receiver_id: int | None = None
    receiver_title: str | None = None
    message: str | None = None
    donor: Contact | None = None
    links: Links = Links()
