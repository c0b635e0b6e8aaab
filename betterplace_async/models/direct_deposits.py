"""Direct deposits: bank transfers a client announces so the money can be matched to it."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Links

__all__ = ["DirectDeposit"]


@attrs.frozen
class DirectDeposit:
    """The bank details for an announced transfer.

    Send the money to ``iban`` (account holder ``holder_name``) and put ``reference_id`` in
    the transfer's reference so it is matched to the pending donation.
    """

    id: int | None = None
    reference_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    iban: str | None = None
    holder_name: str | None = None
    links: Links = Links()
