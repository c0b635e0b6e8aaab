"""Render projects and their parts: needs, categories, pictures, search hits."""

from __future__ import annotations

import attrs

from betterplace_async.testing.data.catalog import Catalog
from betterplace_async.testing.data.facts import (
    CATEGORIES,
    CITIES,
    EventFacts,
    NeedFacts,
    ProjectFacts,
)
from betterplace_async.testing.data.seed import DAY, slugify, timestamp
from betterplace_async.testing.render.common import (
    ASSETS,
    CARRIER_PICTURE,
    Json,
    Urls,
    event_progress,
    link,
    profile_picture,
)
from betterplace_async.testing.render.people import PeopleRenderer


@attrs.frozen
class ProjectRenderer:
    """Render projects and their parts."""

    catalog: Catalog
    people: PeopleRenderer

    def _project_links(self, p: ProjectFacts, u: Urls) -> list[Json]:
        slug = f"{p.id}-{slugify(p.title)}"
        return [
            link("self", u.api(f"projects/{p.id}.json")),
            link("platform", u.web(f"projects/{slug}")),
            link("opinions", u.api(f"projects/{p.id}/opinions.json")),
            link("pictures", u.api(f"projects/{p.id}/pictures.json")),
            link("needs", u.api(f"projects/{p.id}/needs.json")),
            link("blog_posts", u.api(f"projects/{p.id}/blog_posts.json")),
            link("categories", u.api(f"projects/{p.id}/categories.json")),
            link(
                "new_client_donation",
                u.web(f"donate/%7Bclient_id%7D/projects/{p.id}"),
                templated=True,
            ),
            link("new_donation", u.web(f"donate/platform/projects/{p.id}")),
        ]

    def _carrier(self, p: ProjectFacts, u: Urls) -> Json | None:
        org = self.catalog.organisation(p.carrier_id) if p.carrier_id else None
        if org is None:
            return None
        city = CITIES[org.city]
        return {
            "id": org.id,
            "name": org.name,
            "city": city[0],
            "country": city[4] if u.locale == "de" else city[5],
            "picture": CARRIER_PICTURE,
            "links": [link("self", u.api(f"organisations/{org.id}.json"))],
        }

    def _matching_events(self, p: ProjectFacts) -> list[Json]:
        return [
            {
                "id": f.id,
                "matching_percentage": 50.0 if f.id % 2 else 100.0,
                "banner_background_color": "#F6CE46",
                "banner_text_color": "#282828",
                "links": [],
            }
            for f in self.catalog.matching_funds_of(p)
        ]

    def project(self, p: ProjectFacts, u: Urls) -> Json:
        """Return a project as the list and detail endpoints show it."""
        city = CITIES[p.city]
        completed = sum(1 for n in p.needs if n.completed)
        return {
            "id": p.id,
            "created_at": timestamp(p.created),
            "updated_at": timestamp(p.updated),
            "latitude": p.latitude,
            "longitude": p.longitude,
            "street": p.street,
            "zip": city[1],
            "city": city[0],
            "country": city[4] if u.locale == "de" else city[5],
            "content_updated_at": timestamp(p.updated),
            "matching_events": self._matching_events(p),
            "activated_at": timestamp(p.created + 3600),
            "title": p.title,
            "description": f"<p>{p.title}: every donation goes straight to the work.</p>",
            "summary": f"Help us with {p.title.lower()}",
            "tax_deductible": p.carrier_id is not None,
            "donations_prohibited": p.prohibited,
            "completed_at": None if p.completed_at is None else timestamp(p.completed_at),
            "closed_at": None if p.closed_at is None else timestamp(p.closed_at),
            "open_amount_in_cents": max(0, p.requested - p.donated),
            "donated_amount_in_cents": p.donated,
            "positive_opinions_count": p.opinions,
            "negative_opinions_count": 0,
            "donations_count": p.donations_count,
            "newsletter_subscriptions_count": p.id % 7,
            "comments_count": 0,
            "donor_count": p.donor_count,
            "progress_percentage": p.progress,
            "incomplete_need_count": len(p.needs) - completed,
            "completed_need_count": completed,
            "blog_post_count": p.blog_posts,
            "contact": self.people.contact(p.contact_id, u),
            "carrier": self._carrier(p, u),
            "profile_picture": profile_picture(
                "project", p.id if p.has_picture else None, limits=True
            ),
            "links": self._project_links(p, u),
        }

    def search_item(self, entity: ProjectFacts | EventFacts, u: Urls) -> Json:
        """Return a search hit (a project or a fundraising event)."""
        if isinstance(entity, ProjectFacts):
            city = CITIES[entity.city]
            slug = f"projects/{entity.id}-{slugify(entity.title)}"
            return {
                "id": entity.id,
                "created_at": timestamp(entity.created),
                "updated_at": timestamp(entity.updated),
                "latitude": entity.latitude,
                "longitude": entity.longitude,
                "matching_events": self._matching_events(entity),
                "title": entity.title,
                "type": "Project",
                "contact": self.people.contact(entity.contact_id, u),
                "progress_percentage": entity.progress,
                "profile_picture": profile_picture(
                    "project", entity.id if entity.has_picture else None, limits=False
                ),
                "donated_amount_in_cents": entity.donated,
                "country": city[4] if u.locale == "de" else city[5],
                "city": city[0],
                "carrier": self._carrier(entity, u),
                "donations_count": entity.donations_count,
                "open_amount_in_cents": max(0, entity.requested - entity.donated),
                "links": [
                    link("platform", u.web(slug)),
                    link("self", u.api(f"projects/{entity.id}.json")),
                    link("pictures", u.api(f"projects/{entity.id}/pictures.json")),
                ],
            }
        e = entity
        return {
            "id": e.id,
            "created_at": timestamp(e.created),
            "updated_at": timestamp(e.updated),
            "latitude": None,
            "longitude": None,
            "matching_events": [],
            "title": e.title,
            "type": "FundraisingEvent",
            "contact": self.people.contact(e.contact_id, u),
            "progress_percentage": event_progress(e),
            "profile_picture": profile_picture(
                "fundraising_event", e.id if e.has_picture else None, limits=False
            ),
            "donated_amount_in_cents": e.donated,
            "country": None,
            "city": None,
            "carrier": None,
            "donations_count": e.donations_count,
            "open_amount_in_cents": max(0, (e.requested or 0) - e.donated),
            "links": [
                link("platform", u.web(f"fundraising-events/{e.id}-{slugify(e.title)}")),
                link("self", u.api(f"fundraising_events/{e.id}.json")),
            ],
        }

    def need(self, p: ProjectFacts, n: NeedFacts, u: Urls) -> Json:
        """Return one need of a project."""
        return {
            "id": n.id,
            "created_at": timestamp(n.created),
            "updated_at": timestamp(n.updated),
            "title": n.title,
            "description": f"{n.title} for {p.title.lower()}",
            "completed": n.completed,
            "progress_percentage": round(n.donated * 100 / n.requested, 2),
            "donated_amount_in_cents": n.donated,
            "open_amount_in_cents": max(0, n.requested - n.donated),
            "requested_amount_in_cents": n.requested,
            "links": [
                link("self", u.api(f"projects/{p.id}/needs/{n.id}.json")),
                link("project", u.api(f"projects/{p.id}.json")),
                link(
                    "new_client_donation",
                    u.web(f"donate/%7Bclient_id%7D/projects/{p.id}?need_id={n.id}"),
                    templated=True,
                ),
                link("new_donation", u.web(f"donate/platform/projects/{p.id}?need_id={n.id}")),
            ],
        }

    def category(self, category_id: int, u: Urls) -> Json:
        """Return a project category."""
        return {
            "id": category_id,
            "created_at": timestamp(1_400_000_000 + category_id * DAY),
            "updated_at": timestamp(1_400_000_000 + category_id * DAY),
            "name": CATEGORIES[category_id - 1],
            "slug": None,
            "links": [link("platform", u.web(f"discover/{category_id}"))],
        }

    def picture(self, p: ProjectFacts, picture_id: int, u: Urls) -> Json:
        """Return a project picture."""
        base = f"{ASSETS}/uploads/project/image/{p.id:09d}/{picture_id}"
        sizes = ("limit_620x323", "limit_620x323_2x", "limit_450x235", "limit_450x235_2x")
        created = p.created + (picture_id % 10) * 3600
        return {
            "id": picture_id,
            "created_at": timestamp(created),
            "updated_at": timestamp(created),
            "description": None if picture_id % 2 else f"Picture {picture_id % 10}",
            "links": [
                link("image", f"{base}/image.jpg"),
                *(link(size, f"{base}/{size}_image.jpg") for size in sizes),
                link("self", u.api(f"projects/{p.id}/pictures/{picture_id}.json")),
                link("parent", u.api(f"projects/{p.id}.json")),
            ],
        }
