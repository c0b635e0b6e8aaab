"""Project pictures: the gallery images of a project."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Links

__all__ = ["ProjectPicture"]


@attrs.frozen
class ProjectPicture:
    """One gallery picture; its sizes are links (``image`` is the original upload).

    ``id`` is ``None`` in some older responses; ``width`` and ``height`` (pixels) were sent
    only by the oldest ones. ``description`` may be ``None``.
    """

    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    description: str | None = None
    width: int | None = None
    height: int | None = None
    links: Links = Links()
