"""Projects: list, search and details (public, or scoped to a client)."""

from __future__ import annotations

from typing import Literal, Unpack

from betterplace_async._core import params as _params
from betterplace_async._core.params import BoundingBox, PairsInput
from betterplace_async.models.common import Page
from betterplace_async.models.projects import Project
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["ProjectScope", "Projects"]

ProjectScope = Literal["location", "human_name"]


def search_params(
    *,
    q: str | None = None,
    scope: ProjectScope | None = None,
    around: str | None = None,
    around_distance: int | str | None = None,
    bounds: BoundingBox | None = None,
    facets: PairsInput = None,
    order: PairsInput = None,
) -> dict[str, object | None]:
    """Validate and encode the search parameters shared by project and event lists."""
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
        """Return one project by id.

        Args:
            project_id: The project's id, a positive int.

        Raises:
            NotFoundError: No such project, or (client API) it is outside the client's scope.
        """
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
        """Return one page of projects with its counts.

        Args:
            page: The page number, from 1.
            per_page: Records on the page, 1..200.
            q: Full-text search terms.
            scope: Restrict the search to an area type (see the API docs' ``scope``).
            around: A place name or ``"lat,lng"`` to search around.
            around_distance: Radius around ``around``, e.g. ``"10km"`` or metres as an int.
            bounds: Only projects inside this :class:`~betterplace_async.BoundingBox`.
            facets: Filters as a mapping or pairs, e.g. ``{"completed": False}``.
            order: Sort keys as a mapping or pairs, e.g. ``{"rank": "DESC"}``.
        """
        params = search_params(
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
        **options: Unpack[PageOptions],
    ) -> Listing[Project]:
        """Stream every matching project in the API's order.

        Args:
            q: Full-text search terms.
            scope: Restrict the search to an area type (see the API docs' ``scope``).
            around: A place name or ``"lat,lng"`` to search around.
            around_distance: Radius around ``around``, e.g. ``"10km"`` or metres as an int.
            bounds: Only projects inside this :class:`~betterplace_async.BoundingBox`.
            facets: Filters as a mapping or pairs, e.g. ``{"completed": False}``.
            order: Sort keys as a mapping or pairs, e.g. ``{"rank": "DESC"}``.
            **options: The list options: ``per_page``, ``limit``, ``start_page``,
                ``concurrency`` (see :class:`~betterplace_async.Listing`).
        """
        params = search_params(
            q=q,
            scope=scope,
            around=around,
            around_distance=around_distance,
            bounds=bounds,
            facets=facets,
            order=order,
        )
        return self._list(Project, ("projects",), options, params=params)
