"""Render fundraising events and their forwardings."""

from __future__ import annotations

import attrs

from betterplace_async.testing.data.catalog import Catalog
from betterplace_async.testing.data.facts import (
    EventFacts,
)
from betterplace_async.testing.data.seed import DAY, slugify, timestamp
from betterplace_async.testing.render.common import (
    Json,
    Urls,
    event_progress,
    link,
    profile_picture,
)
from betterplace_async.testing.render.people import PeopleRenderer


@attrs.frozen
class EventRenderer:
    """Render fundraising events."""

    catalog: Catalog
    people: PeopleRenderer

    def event(self, e: EventFacts, u: Urls) -> Json:
        """Return a fundraising event."""
        api = f"fundraising_events/{e.id}"
        return {
            "id": e.id,
            "created_at": timestamp(e.created),
            "updated_at": timestamp(e.updated),
            "content_updated_at": timestamp(e.created + DAY),
            "title": e.title,
            "description": f"Description of {e.title}",
            "tax_deductible": True,
            "donations_prohibited": e.prohibited,
            "closed_at": None if e.closed_at is None else timestamp(e.closed_at),
            "activate_donations_at": None,
            "donations_count": e.donations_count,
            "donor_count": max(0, e.donations_count - 1),
            "donated_amount_in_cents": e.donated,
            "requested_amount_in_cents": e.requested,
            "forwarded_amount_in_cents": e.forwarded,
            "progress_percentage": event_progress(e),
            "contact": self.people.contact(e.contact_id, u),
            "profile_picture": profile_picture(
                "fundraising_event", e.id if e.has_picture else None, limits=False
            ),
            "links": [
                link("self", u.api(f"{api}.json")),
                link("featured_projects", u.api(f"{api}/featured_projects.json")),
                link("blog_posts", u.api(f"{api}/blog_posts.json")),
                link("forwardings", u.api(f"{api}/forwardings.json")),
                link("platform", u.web(f"fundraising-events/{e.id}-{slugify(e.title)}")),
                link("opinions", u.api(f"{api}/opinions.json")),
                link(
                    "new_client_donation",
                    u.web(f"donate/%7Bclient_id%7D/fundraising-events/{e.id}"),
                    templated=True,
                ),
                link("new_donation", u.web(f"donate/platform/fundraising-events/{e.id}")),
                link("new_message", u.web(f"messages/new?recipient={e.contact_id}")),
            ],
        }

    def forwarding(self, project_id: int, amount: int, u: Urls) -> Json:
        """Return one forwarding of a fundraising event to a project."""
        p = self.catalog.project(project_id, include_revoked=True)
        title = p.title if p else f"Project {project_id}"
        return {
            "forwarded_amount_in_cents": amount,
            "title": title,
            "project_id": project_id,
            "links": [
                link("project", u.api(f"projects/{project_id}.json")),
                link("platform", u.web(f"projects/{project_id}-{slugify(title)}")),
            ],
        }
