"""A project's needs: the items its budget is made of."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async._core.params import PairsInput
from betterplace_async.models.needs import Need
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["Needs"]


class Needs(Namespace):
    """``/projects/{project_id}/needs``."""

    async def get(self, *, project_id: int, need_id: int) -> Need:
        """Return one need of a project."""
        return await self._get(
            Need,
            "projects",
            _params.positive_id(project_id, "project_id"),
            "needs",
            _params.positive_id(need_id, "need_id"),
        )

    def list(
        self,
        *,
        project_id: int,
        facets: PairsInput = None,
        order: PairsInput = None,
        **options: Unpack[PageOptions],
    ) -> Listing[Need]:
        """Stream a project's needs; e.g. ``facets={"completed": False}``."""
        segments = ("projects", _params.positive_id(project_id, "project_id"), "needs")
        params = {"facets": _params.pairs(facets, "facets"), "order": _params.order(order)}
        return self._list(Need, segments, options, params=params)
