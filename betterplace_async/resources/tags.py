"""A client's tags and the projects behind them (client API)."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async._core.params import PairsInput
from betterplace_async.models.projects import Project
from betterplace_async.models.tags import Tag
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["Tags"]


class Tags(Namespace):
    """``/clients/{id}/tags``, ``/clients/{id}/tags/{slug}/projects``, project tags."""

    def list(self, *, order: PairsInput = None, **options: Unpack[PageOptions]) -> Listing[Tag]:
        """Stream the client's tags."""
        params = {"order": _params.order(order)}
        return self._list(Tag, ("tags",), options, params=params, identity=("slug", "tag"))

    def projects(self, slug: str, **options: Unpack[PageOptions]) -> Listing[Project]:
        """Stream the client's projects carrying the tag ``slug`` (e.g. ``"Bedürftige"``)."""
        return self._list(Project, ("tags", _params.segment(slug, "slug"), "projects"), options)

    def of_project(
        self, project_id: int, *, order: PairsInput = None, **options: Unpack[PageOptions]
    ) -> Listing[Tag]:
        """Stream the tags of one of the client's projects."""
        segments = ("projects", _params.positive_id(project_id, "project_id"), "tags")
        params = {"order": _params.order(order)}
        return self._list(Tag, segments, options, params=params, identity=("slug", "tag"))
