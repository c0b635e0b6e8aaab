"""A project's picture gallery."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async.models.pictures import ProjectPicture
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["Pictures"]


class Pictures(Namespace):
    """``/projects/{project_id}/pictures``."""

    async def get(self, *, project_id: int, picture_id: int) -> ProjectPicture:
        """Return one picture of a project."""
        return await self._get(
            ProjectPicture,
            "projects",
            _params.positive_id(project_id, "project_id"),
            "pictures",
            _params.positive_id(picture_id, "picture_id"),
        )

    def list(self, *, project_id: int, **options: Unpack[PageOptions]) -> Listing[ProjectPicture]:
        """Stream a project's pictures."""
        segments = ("projects", _params.positive_id(project_id, "project_id"), "pictures")
        return self._list(ProjectPicture, segments, options)
