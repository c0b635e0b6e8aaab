"""Clients: the companies with API contracts, their statistics and their donation pool."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Links

__all__ = ["Client", "ClientFundraisingEventStatistics", "ClientProjectStatistics", "Pool"]


@attrs.frozen
class Client:
    """A client: today only links to its lists, statistics and templated subscription URL.

    The statistic fields (integer cents and counts) were removed from this endpoint in 2016
    and ``permalink`` even earlier; they are ``None`` in current responses. Use
    :class:`ClientProjectStatistics` instead.
    """

    permalink: str | None = None
    donated_amount_in_cents: int | None = None
    pool_balance_in_cents: int | None = None
    open_amount_in_cents: int | None = None
    requested_amount_in_cents: int | None = None
    projects_count: int | None = None
    client_donated_amount_in_cents: int | None = None
    client_matched_amount_in_cents: int | None = None
    client_donations_count: int | None = None
    links: Links = Links()


@attrs.frozen
class ClientProjectStatistics:
    """Totals over all of a client's projects (amounts in integer cents).

    ``client_donated_amount_in_cents`` and ``client_donations_count`` cover donations made
    through the client's own channels. ``external_donated_amount_in_cents`` is deprecated;
    ``open_amount_in_cents``, ``pool_balance_in_cents`` and ``client_matched_amount_in_cents``
    were removed in 2016 and are ``None`` in current responses.
    """

    donated_amount_in_cents: int | None = None
    external_donated_amount_in_cents: int | None = None
    requested_amount_in_cents: int | None = None
    projects_count: int | None = None
    client_donated_amount_in_cents: int | None = None
    client_donations_count: int | None = None
    open_amount_in_cents: int | None = None
    pool_balance_in_cents: int | None = None
    client_matched_amount_in_cents: int | None = None
    links: Links = Links()


@attrs.frozen
class ClientFundraisingEventStatistics:
    """Totals over all of a client's fundraising events (amounts in integer cents)."""

    donated_amount_in_cents: int | None = None
    fundraising_events_count: int | None = None
    client_donated_amount_in_cents: int | None = None
    client_donations_count: int | None = None
    links: Links = Links()


@attrs.frozen
class Pool:
    """A client's pool: money it received and how much of it went on to projects.

    Amounts are integer cents.
    """

    id: int
    created_at: datetime | None = None
    updated_at: datetime | None = None
    donated_amount_in_cents: int | None = None
    forwarded_amount_in_cents: int | None = None
    links: Links = Links()
