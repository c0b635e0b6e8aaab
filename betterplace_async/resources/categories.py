"""The categories a project is filed under."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async.models.categories import Category
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["Categories"]


class Categories(Namespace):
    """``/projects/{project_id}/categories``."""

    def list(self, *, project_id: int, **options: Unpack[PageOptions]) -> Listing[Category]:
        """Stream a project's categories."""
        segments = ("projects", _params.positive_id(project_id, "project_id"), "categories")
        return self._list(Category, segments, options)
