"""Tags: the labels a client files its projects under."""

from __future__ import annotations

import attrs

from betterplace_async.models.common import Links

__all__ = ["Tag"]


@attrs.frozen
class Tag:
    """A client tag with the number of projects carrying it.

    ``tag`` is the display name, ``slug`` its URL form (sent only since 2019); the
    ``projects`` link lists the tagged projects.
    """

    tag: str | None = None
    slug: str | None = None
    projects_count: int | None = None
    links: Links = Links()
