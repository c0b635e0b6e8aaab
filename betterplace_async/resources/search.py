"""Search across projects and fundraising events at once."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async._core.params import BoundingBox, PairsInput
from betterplace_async.models.search import SearchResult
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["Search"]


class Search(Namespace):
    """``/search``."""

    def __call__(
        self,
        q: str | None = None,
        *,
        bounds: BoundingBox | None = None,
        facets: PairsInput = None,
        **options: Unpack[PageOptions],
    ) -> Listing[SearchResult]:
        """Stream results for ``q``; ``bounds`` limits them to a map rectangle.

        E.g. ``facets={"state": "activated", "hidden_from_platform": False}``.
        """
        box = _params.bounds(bounds)
        params = {
            "q": _params.query_text(q, "q"),
            "bounds": ",".join(str(box[k]) for k in ("nelat", "nelng", "swlat", "swlng"))
            if box
            else None,
            "facets": _params.pairs(facets, "facets"),
        }
        # Projects and fundraising events share id ranges: a hit is keyed by type and id.
        return self._list(
            SearchResult, ("search",), options, params=params, identity=(("type", "id"),)
        )
