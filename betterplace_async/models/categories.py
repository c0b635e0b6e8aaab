"""Categories: the topics (education, environment, ...) a project is filed under."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Links

__all__ = ["Category"]


@attrs.frozen
class Category:
    """A project category.

    ``slug`` may be ``None``. ``position``, ``page_title`` and ``social_media_description``
    were sent only by older API versions.
    """

    id: int
    created_at: datetime | None = None
    updated_at: datetime | None = None
    name: str | None = None
    slug: str | None = None
    position: int | None = None
    page_title: str | None = None
    social_media_description: str | None = None
    links: Links = Links()
