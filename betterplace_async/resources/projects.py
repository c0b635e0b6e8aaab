"""Projects: list, search and details (public, or scoped to a client)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal

from .. import _params
from .._params import BoundingBox, PairsInput
from ..models.common import Page
from ..models.projects import Project
from ._base import Namespace

__all__ = ["Projects"]

ProjectScope = Literal["location", "human_name"]


def _list_params(
    *,
    q: str | None,
    scope: ProjectScope | None,
    around: str | None,
    around_distance: int | str | None,
    bounds: BoundingBox | None,
    facets: PairsInput,
    order: PairsInput,
) -> dict[str, object | None]:
    return {
        "q": _params.query_text(q, "q"),
        "scope": _params.choice(scope, "scope", ("location", "human_name")),
        "around": _params.query_text(around, "around"),
        "around_distance": _params.around_distance(around_distance),
        **_params.bounds(bounds),
        "facets": _params.pairs(facets, "facets"),
        "order": _params.order(order),
    }


class Projects(Namespace):
    """``/projects``: every project, or with a client prefix only the client's projects."""

    async def get(self, project_id: int) -> Project:
        """Return one project by id (404 outside a client's scope)."""
        return await self._get(Project, "projects", _params.positive_id(project_id, "project_id"))

    async def page(
        self,
        page: int = 1,
        *,
        per_page: int = 20,
        q: str | None = None,
        scope: ProjectScope | None = None,
        around: str | None = None,
        around_distance: int | str | None = None,
        bounds: BoundingBox | None = None,
        facets: PairsInput = None,
        order: PairsInput = None,
    ) -> Page[Project]:
        """Return one page of projects with its counts."""
        params = _list_params(
            q=q,
            scope=scope,
            around=around,
            around_distance=around_distance,
            bounds=bounds,
            facets=facets,
            order=order,
        )
        return await self._page(Project, ("projects",), page=page, per_page=per_page, params=params)

    def list(
        self,
        *,
        q: str | None = None,
        scope: ProjectScope | None = None,
        around: str | None = None,
        around_distance: int | str | None = None,
        bounds: BoundingBox | None = None,
        facets: PairsInput = None,
        order: PairsInput = None,
        per_page: int = _params.PER_PAGE_CAP,
        limit: int | None = None,
        start_page: int = 1,
    ) -> AsyncIterator[Project]:
        """Iterate over every matching project, in the API's order.

        ``facets={"completed": False}`` and ``order={"rank": "DESC"}`` are encoded for you.
        ``limit`` stops after that many projects; ``start_page`` resumes mid-list.
        """
        params = _list_params(
            q=q,
            scope=scope,
            around=around,
            around_distance=around_distance,
            bounds=bounds,
            facets=facets,
            order=order,
        )
        return self._iterate(
            Project,
            ("projects",),
            per_page=per_page,
            limit=limit,
            start_page=start_page,
            params=params,
        )
