"""Fundraising events: campaigns that collect money and forward it to projects."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Contact, Links, Picture

__all__ = ["Forwarding", "FundraisingEvent"]


@attrs.frozen
class FundraisingEvent:
    """A fundraising event.

    Amounts are integer cents. ``requested_amount_in_cents`` and ``progress_percentage`` are
    ``None`` for events without a goal. ``activate_donations_at`` is set while donations are
    scheduled to open later; ``closed_at`` once the event has ended. ``donor_count`` is
    deprecated (use ``donations_count``). ``latitude``/``longitude`` came only in the first
    (2015) version.
    """

    id: int
    created_at: datetime | None = None
    updated_at: datetime | None = None
    content_updated_at: datetime | None = None
    title: str | None = None
    description: str | None = None
    tax_deductible: bool | None = None
    donations_prohibited: bool | None = None
    closed_at: datetime | None = None
    activate_donations_at: datetime | None = None
    donations_count: int | None = None
    donor_count: int | None = None
    donated_amount_in_cents: int | None = None
    requested_amount_in_cents: int | None = None
    forwarded_amount_in_cents: int | None = None
    progress_percentage: float | None = None
    latitude: float | None = None
    longitude: float | None = None
    contact: Contact | None = None
    profile_picture: Picture | None = None
    links: Links = Links()


@attrs.frozen
class Forwarding:
    """Money a fundraising event passed on to one project (integer cents).

    ``title`` and ``project_id`` name the receiving project; older responses only had the
    amount and links.
    """

    forwarded_amount_in_cents: int | None = None
    title: str | None = None
    project_id: int | None = None
    links: Links = Links()
