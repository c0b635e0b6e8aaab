"""The seeded world of projects, events, organisations, funds and tags, with live changes.

Facts are generated once per id on first use. Filtered and sorted id lists are cached per
query and dropped whenever projects are inserted or revoked (``version`` changes).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from betterplace_async.testing.data.facts import (
    TAGS,
    EventFacts,
    FundFacts,
    OrganisationFacts,
    ProjectFacts,
    make_event,
    make_fund,
    make_organisation,
    make_project,
)
from betterplace_async.testing.data.query import parse_bool, sort_by
from betterplace_async.testing.data.seed import DAY, slugify

PROJECT_ORDERS: dict[str, Callable[[ProjectFacts], Any]] = {
    "rank": lambda p: p.rank,
    "progress_percentage": lambda p: p.progress,
    "completed": lambda p: p.completed_at is not None,
    "created_at": lambda p: p.created,
    "updated_at": lambda p: p.updated,
    "last_donation_at": lambda p: p.last_donation_at,
    "id": lambda p: p.id,
}
EVENT_ORDERS: dict[str, Callable[[EventFacts], Any]] = {
    "rank": lambda e: e.rank,
    "last_donation_at": lambda e: e.last_donation_at,
    "completed": lambda e: e.requested is not None and e.donated >= e.requested,
    "closed": lambda e: e.closed_at is not None,
    "created_at": lambda e: e.created,
    "id": lambda e: e.id,
}


def _project_matches(p: ProjectFacts, key: str, value: str) -> bool:
    flag = parse_bool(value)
    if key == "completed" and flag is not None:
        return (p.completed_at is not None) == flag
    if key == "closed" and flag is not None:
        return (p.closed_at is not None) == flag
    if key == "prohibit_donations" and flag is not None:
        return p.prohibited == flag
    if key == "category_ids":
        return value.strip().isdigit() and int(value) in p.category_ids
    if key == "category_ids[,]":
        wanted = {int(v) for v in value.split(",") if v.strip().isdigit()}
        return bool(wanted & set(p.category_ids))
    return True  # unknown facets are ignored


def _event_matches(e: EventFacts, key: str, value: str) -> bool:
    flag = parse_bool(value)
    if flag is None:
        return True
    if key == "closed":
        return (e.closed_at is not None) == flag
    if key == "prohibit_donations":
        return e.prohibited == flag
    if key == "completed":
        return (e.requested is not None and e.donated >= e.requested) == flag
    return True


def _in_bounds(lat: float, lng: float, bounds: tuple[float, float, float, float]) -> bool:
    sw_lat, sw_lng, ne_lat, ne_lng = bounds
    return sw_lat <= lat <= ne_lat and sw_lng <= lng <= ne_lng


class Catalog:
    """Hold every seeded entity except client donations."""

    def __init__(
        self,
        *,
        seed: int,
        projects: int,
        organisations: int,
        fundraising_events: int,
        matching_funds: int,
        client_id: str,
    ) -> None:
        self.seed = seed
        self.organisation_count = organisations
        self.event_count = fundraising_events
        self.fund_count = matching_funds
        self.client_id = client_id
        self.version = 0
        self._project_count = projects
        self._spacing = max(120, 6 * 365 * DAY // max(1, projects))
        self._projects: dict[int, ProjectFacts] = {}
        self._revoked_projects: set[int] = set()
        self._events: dict[int, EventFacts] = {}
        self._funds = [make_fund(seed, i, client_id) for i in range(1, matching_funds + 1)]
        self._cache: dict[Hashable, list[Any]] = {}

    # -- projects -----------------------------------------------------------------------------

    @property
    def project_count(self) -> int:
        """Return how many project ids were ever issued (revoked ones included)."""
        return self._project_count

    def project(self, project_id: int, *, include_revoked: bool = False) -> ProjectFacts | None:
        """Return a visible (or, if asked, revoked) project, or None."""
        if not 1 <= project_id <= self._project_count:
            return None
        if project_id in self._revoked_projects and not include_revoked:
            return None
        facts = self._projects.get(project_id)
        if facts is None:
            facts = make_project(
                self.seed, project_id, organisations=self.organisation_count, spacing=self._spacing
            )
            self._projects[project_id] = facts
        return facts

    def projects(self) -> list[ProjectFacts]:
        """Return every visible project, newest first (the default order)."""

        def build() -> list[ProjectFacts]:
            found = (self.project(i) for i in range(self._project_count, 0, -1))
            return [p for p in found if p is not None]

        return self._cached(("projects",), build)

    def insert_projects(self, count: int, now: float) -> list[int]:
        """Add ``count`` new projects at the head of the default order; return their ids."""
        ids = []
        for _ in range(count):
            self._project_count += 1
            pid = self._project_count
            newest = self.project(pid - 1) if pid > 1 else None
            created = max(int(now), newest.created + 1 if newest else 0)
            self._projects[pid] = make_project(
                self.seed,
                pid,
                organisations=self.organisation_count,
                spacing=self._spacing,
                created=created,
            )
            ids.append(pid)
        self._changed()
        return ids

    def revoke_projects(self, ids: Iterable[int]) -> None:
        """Remove projects from every list and detail endpoint."""
        self._revoked_projects.update(ids)
        self._changed()

    def query_projects(
        self,
        scope: Hashable,
        base: Callable[[], list[ProjectFacts]],
        facets: list[tuple[str, str]],
        order: list[tuple[str, str]],
        q: str = "",
        bounds: tuple[float, float, float, float] | None = None,
    ) -> list[ProjectFacts]:
        """Filter and sort the projects ``base`` returns; ``scope`` names ``base`` in the cache."""

        def build() -> list[ProjectFacts]:
            needle = q.strip().lower()
            items = [
                p
                for p in base()
                if all(_project_matches(p, k, v) for k, v in facets)
                and (not needle or needle in p.title.lower())
                and (bounds is None or _in_bounds(p.latitude, p.longitude, bounds))
            ]
            return sort_by(items, order, PROJECT_ORDERS)

        key = ("query", scope, tuple(facets), tuple(order), q, bounds)
        return self._cached(key, build)

    def client_projects(self) -> list[ProjectFacts]:
        """Return the visible projects in the client's scope, newest first."""
        return self._cached(("client",), lambda: [p for p in self.projects() if p.in_client])

    def organisation_projects(self, org_id: int) -> list[ProjectFacts]:
        """Return the projects an organisation carries."""
        return self._cached(
            ("org", org_id), lambda: [p for p in self.projects() if p.carrier_id == org_id]
        )

    def fund_projects(self, fund: FundFacts) -> list[ProjectFacts]:
        """Return the projects taking part in a matching fund."""
        return self._cached(
            ("fund", fund.id), lambda: [p for p in self.projects() if fund.member(p.id)]
        )

    def tag_projects(self, tag_id: int) -> list[ProjectFacts]:
        """Return the client projects carrying a client tag."""
        return self._cached(
            ("tag", tag_id), lambda: [p for p in self.client_projects() if tag_id in p.tag_ids]
        )

    def featured_projects(self, event: EventFacts) -> list[ProjectFacts]:
        """Return the visible projects an event features."""
        found = (self.project(pid) for pid in event.featured)
        return [p for p in found if p is not None]

    def matching_funds_of(self, project: ProjectFacts) -> list[FundFacts]:
        """Return the active matching funds a project takes part in."""
        return [f for f in self._funds if f.state == "activated" and f.member(project.id)]

    # -- other entities -----------------------------------------------------------------------

    def event(self, event_id: int) -> EventFacts | None:
        """Return a fundraising event, or None."""
        if not 1 <= event_id <= self.event_count:
            return None
        facts = self._events.get(event_id)
        if facts is None:
            facts = make_event(self.seed, event_id, projects=self._project_count)
            self._events[event_id] = facts
        return facts

    def events(self) -> list[EventFacts]:
        """Return every fundraising event, newest first."""
        found = (self.event(i) for i in range(self.event_count, 0, -1))
        return [e for e in found if e is not None]

    def query_events(
        self, client_only: bool, facets: list[tuple[str, str]], order: list[tuple[str, str]], q: str
    ) -> list[EventFacts]:
        """Filter and sort fundraising events."""
        needle = q.strip().lower()
        items = [
            e
            for e in self.events()
            if (e.in_client or not client_only)
            and all(_event_matches(e, k, v) for k, v in facets)
            and (not needle or needle in e.title.lower())
        ]
        return sort_by(items, order, EVENT_ORDERS)

    def organisation(self, org_id: int) -> OrganisationFacts | None:
        """Return an organisation, or None."""
        if not 1 <= org_id <= self.organisation_count:
            return None
        return make_organisation(self.seed, org_id)

    def fund(self, fund_id: int) -> FundFacts | None:
        """Return a matching fund, or None."""
        return self._funds[fund_id - 1] if 1 <= fund_id <= len(self._funds) else None

    def funds(self) -> list[FundFacts]:
        """Return every matching fund, newest first."""
        return list(reversed(self._funds))

    def tag_id(self, slug: str) -> int | None:
        """Return the id of the client tag with ``slug``, or None."""
        for index, name in enumerate(TAGS, start=1):
            if tag_slug(name) == slug:
                return index
        return None

    def user_in_scope(self, user_id: int) -> bool:
        """Return whether a user manages one of the client's projects."""
        project = self.project(user_id)
        return project is not None and project.in_client

    # -- cache --------------------------------------------------------------------------------

    def _changed(self) -> None:
        self.version += 1
        self._cache.clear()

    def _cached(self, key: Hashable, build: Callable[[], list[Any]]) -> list[Any]:
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > 256:
                self._cache.clear()
            found = self._cache[key] = build()
        return found


def tag_slug(name: str) -> str:
    """Return the slug of a client tag name."""
    return slugify(name)
