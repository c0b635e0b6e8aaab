"""Opinions: the messages donors leave with a donation to a project or fundraising event."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Contact, Links

__all__ = ["BackedByFundraisingEvent", "Opinion"]


@attrs.frozen
class BackedByFundraisingEvent:
    """The fundraising event a donation came through.

    ``sponsoring_name`` is the sponsor company, if any; its logo is the ``sponsoring_logo``
    link.
    """

    id: int | None = None
    url: str | None = None
    title: str | None = None
    donor_count: int | None = None
    sponsoring_name: str | None = None
    links: Links = Links()


@attrs.frozen
class Opinion:
    """A donor's opinion (usually with a donation).

    ``donated_amount_in_cents`` is ``None`` when the donor hid the amount (and, a known API
    bug, for money forwarded from a fundraising event). ``matched_amount_in_cents`` is what
    a matching fund added. ``author`` is ``None`` for anonymous donors. ``score`` is
    deprecated and always ``"positive"``. Two undocumented flags show up in some responses:
    ``company_donation`` (2022) and ``with_donation`` (2013 only).
    """

    id: int
    created_at: datetime | None = None
    updated_at: datetime | None = None
    confirmed_at: datetime | None = None
    donated_amount_in_cents: int | None = None
    matched_amount_in_cents: int | None = None
    matched: bool | None = None
    client_name: str | None = None
    score: str | None = None
    message: str | None = None
    author: Contact | None = None
    backed_by_fundraising_event: BackedByFundraisingEvent | None = None
    with_donation: bool | None = None
    company_donation: bool | None = None
    links: Links = Links()
