"""Search results: projects and fundraising events found by one full-text/geo search."""

from __future__ import annotations

from datetime import datetime
from typing import Final

import attrs

from betterplace_async.models.common import Carrier, Contact, Links, Picture
from betterplace_async.models.projects import MatchingEvent

__all__ = ["SearchResult", "SearchResultType"]


class SearchResultType:
    """Known values of :attr:`SearchResult.type`; any other value passes through unchanged."""

    PROJECT: Final = "Project"
    FUNDRAISING_EVENT: Final = "FundraisingEvent"
    KNOWN: Final = frozenset({PROJECT, FUNDRAISING_EVENT})


@attrs.frozen
class SearchResult:
    """One hit of ``/search``: a project or a fundraising event, told apart by ``type``.

    Amounts are integer cents; ``open_amount_in_cents`` is only meaningful for projects.
    ``carrier`` is ``None`` for fundraising events. Follow ``links["self"]`` for the full
    record.
    """

    id: int
    type: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    title: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    city: str | None = None
    country: str | None = None
    progress_percentage: float | None = None
    donated_amount_in_cents: int | None = None
    open_amount_in_cents: int | None = None
    donations_count: int | None = None
    matching_events: tuple[MatchingEvent, ...] = ()
    contact: Contact | None = None
    carrier: Carrier | None = None
    profile_picture: Picture | None = None
    links: Links = Links()
