"""Organisations: the registered charities that carry projects."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Contact, Links, Picture

__all__ = ["Organisation", "OrganisationImage"]


@attrs.frozen
class OrganisationImage:
    """An organisation image as an early (2013) API version sent it: sizes as links."""

    description: str | None = None
    links: Links = Links()


@attrs.frozen
class Organisation:
    """An organisation.

    ``description`` is HTML (line breaks as ``<br>``). ``latitude``/``longitude`` decode to
    float. ``picture`` is the logo and may be ``None``. ``website_url``,
    ``primary_language`` and ``image`` were sent only by an early (2013) API version.
    """

    id: int
    created_at: datetime | None = None
    updated_at: datetime | None = None
    content_updated_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None
    slug: str | None = None
    name: str | None = None
    description: str | None = None
    tax_deductible: bool | None = None
    contact: Contact | None = None
    picture: Picture | None = None
    website_url: str | None = None
    primary_language: str | None = None
    image: OrganisationImage | None = None
    links: Links = Links()
