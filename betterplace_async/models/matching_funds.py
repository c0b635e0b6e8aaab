"""Matching funds: company budgets that add money on top of donations to chosen projects."""

from __future__ import annotations

from datetime import datetime
from typing import Final

import attrs

from betterplace_async.models.common import Links

__all__ = ["MatchingFund", "MatchingFundState"]


class MatchingFundState:
    """Known values of :attr:`MatchingFund.state`; any other value passes through unchanged."""

    ACTIVATED: Final = "activated"
    """The fund is matching donations."""
    CLOSED: Final = "closed"
    """The fund no longer matches."""
    KNOWN: Final = frozenset({ACTIVATED, CLOSED})


@attrs.frozen
class MatchingFund:
    """A matching fund.

    Amounts are integer cents: ``provided_amount_in_cents`` is the budget,
    ``donated_amount_in_cents`` what has been paid out so far, and
    ``maximum_matching_amount_in_cents`` the cap per matched donation. ``activated_at`` is
    ``None`` until the fund starts; ``client_id`` and ``logo_url`` are often ``None``.
    """

    id: int
    created_at: datetime | None = None
    updated_at: datetime | None = None
    activated_at: datetime | None = None
    title: str | None = None
    description: str | None = None
    company_name: str | None = None
    client_id: str | None = None
    provided_amount_in_cents: int | None = None
    donated_amount_in_cents: int | None = None
    state: str | None = None
    logo_url: str | None = None
    maximum_matching_amount_in_cents: int | None = None
    links: Links = Links()
