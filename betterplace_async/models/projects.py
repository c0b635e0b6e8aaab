"""Projects: the fundraising pages donors give to, with their matching and closing details."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Carrier, Contact, Links, Picture
from betterplace_async.models.matching_funds import MatchingFund

__all__ = ["ActiveMatchingFund", "ClosedNotice", "MatchingEvent", "Project"]


@attrs.frozen
class MatchingEvent:
    """A matching campaign the project takes part in; ``matching_percentage`` as sent."""

    id: int
    matching_percentage: float | None = None
    banner_background_color: str | None = None
    banner_text_color: str | None = None
    links: Links = Links()


@attrs.frozen
class ActiveMatchingFund(MatchingFund):
    """The matching fund that currently adds money to the project's donations.

    The same fields as :class:`~betterplace_async.models.matching_funds.MatchingFund`.
    """


@attrs.frozen
class ClosedNotice:
    """Why a closed project takes no more donations (``text`` may be ``None``).

    Its ``call_to_action`` link, when present, points at where to give instead.
    """

    text: str | None = None
    links: Links = Links()


@attrs.frozen
class Project:
    """A betterplace.org project.

    Amounts are integer cents. ``latitude``/``longitude`` arrive as numbers or strings and
    decode to float. ``progress_percentage`` is a float because real data sends both
    ``96`` and ``96.5``. ``around_distance`` (meters) is only set on searches with ``around``.
    Fields a response lacks are ``None``. Deprecated: ``donor_count`` (use
    ``donations_count``), ``comments_count``, ``positive_opinions_count`` and
    ``negative_opinions_count``. Only the earliest (2013) responses sent ``name`` (instead of
    ``title``), ``picture``, ``outstanding_amount_in_cents``, ``news_count``,
    ``number_of_all_unique_supporters`` and the opinion counts split by donation.
    """

    id: int
    title: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    content_updated_at: datetime | None = None
    activated_at: datetime | None = None
    completed_at: datetime | None = None
    closed_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None
    description: str | None = None
    summary: str | None = None
    tax_deductible: bool | None = None
    donations_prohibited: bool | None = None
    open_amount_in_cents: int | None = None
    donated_amount_in_cents: int | None = None
    positive_opinions_count: int | None = None
    negative_opinions_count: int | None = None
    donations_count: int | None = None
    newsletter_subscriptions_count: int | None = None
    comments_count: int | None = None
    donor_count: int | None = None
    progress_percentage: float | None = None
    incomplete_need_count: int | None = None
    completed_need_count: int | None = None
    blog_post_count: int | None = None
    around_distance: float | None = None
    matching_events: tuple[MatchingEvent, ...] = ()
    contact: Contact | None = None
    carrier: Carrier | None = None
    profile_picture: Picture | None = None
    active_matching_fund: ActiveMatchingFund | None = None
    closed_notice: ClosedNotice | None = None
    name: str | None = None
    picture: Picture | None = None
    outstanding_amount_in_cents: int | None = None
    news_count: int | None = None
    number_of_all_unique_supporters: int | None = None
    positive_opinions_with_donations_count: int | None = None
    positive_opinions_without_donations_count: int | None = None
    links: Links = Links()
