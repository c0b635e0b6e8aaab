"""Render blog posts, opinions, fundraising events, organisations and matching funds."""

from __future__ import annotations

from betterplace_async.testing._facts import (
    CITIES,
    MESSAGE_TEXTS,
    EventFacts,
    FundFacts,
    OrganisationFacts,
    person_name,
)
from betterplace_async.testing._records import (
    DOCS,
    ORGANISATION_PICTURE,
    PLATFORM,
    BlogPostRef,
    Json,
    Urls,
    event_progress,
    link,
    profile_picture,
)
from betterplace_async.testing._records_projects import ProjectRecords
from betterplace_async.testing._seed import DAY, h64, pick, slugify, timestamp


class EventRecords(ProjectRecords):
    """Render the records around projects and fundraising events."""

    def blog_times(self, post: BlogPostRef, parent_created: int) -> tuple[int, int]:
        """Return when a blog post was created and published (POSIX seconds)."""
        h = h64(self.seed, "blog", post.id)
        created = parent_created + DAY * (5 + post.index * 20 + pick(h, 0, 15))
        return created, created + pick(h, 8, 7200)

    def blog_post(self, post: BlogPostRef, parent_created: int, author_id: int, u: Urls) -> Json:
        """Return a blog post of a project or fundraising event."""
        h = h64(self.seed, "blog", post.id)
        created, published = self.blog_times(post, parent_created)
        parent = "projects" if post.parent == "project" else "fundraising-events"
        return {
            "id": post.id,
            "created_at": timestamp(created),
            "updated_at": timestamp(published + pick(h, 20, 3) * DAY),
            "lang": "de" if pick(h, 24, 3) else "en",
            "type": "BlogPost",
            "title": f"News #{post.index + 1}: what your donations did",
            "published_at": timestamp(published),
            "body": "<p>Thank you! Here is what happened since our last update.</p>",
            "author": self.contact(author_id, u),
            "links": [
                link("self", u.api(f"blog_posts/{post.id}.json")),
                link("platform", u.web(f"{parent}/{post.parent_id}/news/{post.id}")),
                link("documentation", f"{DOCS}/blog_post_details.md"),
            ],
        }

    def opinion(self, parent: str, parent_id: int, index: int, created: int, u: Urls) -> Json:
        """Return opinion ``index`` of a project or fundraising event."""
        opinion_id = ((parent_id * 100 + index + 1) << 1) | (parent == "fundraising_event")
        h = h64(self.seed, "opinion", opinion_id)
        at = created + DAY * (1 + index) + pick(h, 0, 3600)
        first, last = person_name(self.seed, 1 + pick(h, 14, 97))
        name = "Anonym" if pick(h, 12, 3) == 0 else f"{first} {last[0]}."
        target = "projects" if parent == "project" else "fundraising_events"
        return {
            "id": opinion_id,
            "created_at": timestamp(at),
            "updated_at": timestamp(at + 60),
            "donated_amount_in_cents": (1 + pick(h, 20, 40)) * 500,
            "score": "positive",
            "author": self.donor(name),
            "message": None
            if pick(h, 30, 3) == 0
            else MESSAGE_TEXTS[pick(h, 34, len(MESSAGE_TEXTS))],
            "confirmed_at": timestamp(at + 30),
            "links": [link(parent, u.api(f"{target}/{parent_id}.json"))],
        }

    # -- events, organisations, funds -------------------------------------------------------------

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
            "contact": self.contact(e.contact_id, u),
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

    def organisation(self, o: OrganisationFacts, u: Urls) -> Json:
        """Return an organisation."""
        city = CITIES[o.city]
        return {
            "id": o.id,
            "created_at": timestamp(o.created),
            "updated_at": timestamp(o.created + 30 * DAY),
            "latitude": city[2],
            "longitude": city[3],
            "street": o.street,
            "zip": city[1],
            "city": city[0],
            "country": city[4] if u.locale == "de" else city[5],
            "content_updated_at": timestamp(o.created + 30 * DAY),
            "slug": slugify(o.name),
            "name": o.name,
            "description": f"{o.name} carries projects in {city[0]}.",
            "tax_deductible": True,
            "contact": self.contact(1 + (o.id - 1) % max(1, self.catalog.project_count), u),
            "picture": ORGANISATION_PICTURE,
            "links": [
                link("self", u.api(f"organisations/{o.id}.json")),
                link("platform", u.web(f"organisations/{o.id}-{slugify(o.name)}")),
                link("projects", u.api(f"organisations/{o.id}/projects.json")),
                link("website", o.website),
            ],
        }

    def fund(self, f: FundFacts, u: Urls) -> Json:
        """Return a matching fund."""
        return {
            "id": f.id,
            "created_at": timestamp(f.created),
            "updated_at": timestamp(f.created + 90 * DAY),
            "activated_at": timestamp(f.created + 7 * DAY),
            "title": f"{f.company} verdoppelt deine Spende",
            "description": f"{f.company} doubles every donation up to 100 Euro.",
            "company_name": f.company,
            "client_id": f.client_id,
            "provided_amount_in_cents": f.provided,
            "donated_amount_in_cents": f.donated,
            "state": f.state,
            "logo_url": f"{PLATFORM}/uploads/matching_fund/logo/{f.id:09d}/logo.png",
            "maximum_matching_amount_in_cents": 10_000,
            "links": [
                link("self", u.api(f"matching_funds/{f.id}.json")),
                link("platform", u.web(f"matching-funds/{f.id}-{slugify(f.company)}")),
                link("projects", u.api(f"matching_funds/{f.id}/projects.json")),
                link("documentation", f"{DOCS}/matching_fund_details.md"),
            ],
        }
