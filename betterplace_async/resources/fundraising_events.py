"""Fundraising events: campaigns that collect for one or more projects."""

from __future__ import annotations

from typing import Literal, Unpack

from betterplace_async._core import params as _params
from betterplace_async._core.params import PairsInput
from betterplace_async.models.fundraising_events import Forwarding, FundraisingEvent
from betterplace_async.models.projects import Project
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["FundraisingEvents"]


class FundraisingEvents(Namespace):
    """``/fundraising_events``, or a client's events with a client prefix."""

    async def get(self, fundraising_event_id: int) -> FundraisingEvent:
        """Return one fundraising event."""
        event = _params.positive_id(fundraising_event_id, "fundraising_event_id")
        return await self._get(FundraisingEvent, "fundraising_events", event)

    def list(
        self,
        *,
        q: str | None = None,
        scope: Literal["location", "human_name"] | None = None,
        facets: PairsInput = None,
        order: PairsInput = None,
        **options: Unpack[PageOptions],
    ) -> Listing[FundraisingEvent]:
        """Stream fundraising events; e.g. ``facets={"closed": False}``."""
        params = {
            "q": _params.query_text(q, "q"),
            "scope": _params.choice(scope, "scope", ("location", "human_name")),
            "facets": _params.pairs(facets, "facets"),
            "order": _params.order(order),
        }
        return self._list(FundraisingEvent, ("fundraising_events",), options, params=params)

    def featured_projects(
        self, fundraising_event_id: int, **options: Unpack[PageOptions]
    ) -> Listing[Project]:
        """Stream the projects an event features."""
        event = _params.positive_id(fundraising_event_id, "fundraising_event_id")
        return self._list(Project, ("fundraising_events", event, "featured_projects"), options)

    def forwardings(
        self, fundraising_event_id: int, **options: Unpack[PageOptions]
    ) -> Listing[Forwarding]:
        """Stream the money an event forwarded to projects (often one unpaginated page)."""
        event = _params.positive_id(fundraising_event_id, "fundraising_event_id")
        # Forwardings carry no id of their own; the whole (frozen) record is its identity.
        return self._list(
            Forwarding,
            ("fundraising_events", event, "forwardings"),
            options,
            identity=None,
        )
