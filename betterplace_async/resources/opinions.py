"""Opinions: the messages and ratings donors leave with a donation."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async._core.params import PairsInput
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.opinions import Opinion
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["Opinions"]


class Opinions(Namespace):
    """``/projects/{id}/opinions`` and ``/fundraising_events/{id}/opinions``."""

    def list(
        self,
        *,
        project_id: int | None = None,
        fundraising_event_id: int | None = None,
        facets: PairsInput = None,
        order: PairsInput = None,
        **options: Unpack[PageOptions],
    ) -> Listing[Opinion]:
        """Stream the opinions of exactly one project or fundraising event.

        E.g. ``facets={"has_message": True}, order={"confirmed_at": "DESC"}``.
        """
        if (project_id is None) == (fundraising_event_id is None):
            raise InvalidParameterError(
                "project_id", "give exactly one of project_id and fundraising_event_id"
            )
        if project_id is not None:
            owner: tuple[str, int] = ("projects", _params.positive_id(project_id, "project_id"))
        else:
            owner = (
                "fundraising_events",
                _params.positive_id(fundraising_event_id, "fundraising_event_id"),
            )
        params = {"facets": _params.pairs(facets, "facets"), "order": _params.order(order)}
        return self._list(Opinion, (*owner, "opinions"), options, params=params)
