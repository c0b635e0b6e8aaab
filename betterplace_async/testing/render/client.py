"""Render the client API's own records: client donations, tags, the client entry point."""

from __future__ import annotations

import attrs

from betterplace_async.testing.data.catalog import Catalog
from betterplace_async.testing.data.donations import DonationFacts
from betterplace_async.testing.data.seed import slugify, timestamp
from betterplace_async.testing.render.common import Json, Urls, link
from betterplace_async.testing.render.people import PeopleRenderer


@attrs.frozen
class ClientRenderer:
    """Render the records only the client API serves."""

    catalog: Catalog
    people: PeopleRenderer
    client_id: str

    def client_donation(self, d: DonationFacts, u: Urls) -> Json:
        """Return a client donation."""
        title, receiver = self._receiver(d, u)
        self_link = link("self", u.api(f"clients/{self.client_id}/client_donations/{d.token}.json"))
        return {
            "amount_in_cents": d.amount,
            "state": "confirmed",
            "donor": self.people.donor(d.donor),
            "message": d.message,
            "token": d.token,
            "client_reference": d.client_reference,
            "created_at": timestamp(d.created),
            "receiver_type": d.receiver_type,
            "receiver_id": d.receiver_id,
            "receiver_title": title,
            "links": [self_link] if receiver is None else [receiver, self_link],
        }

    def _receiver(self, d: DonationFacts, u: Urls) -> tuple[str, Json | None]:
        if d.receiver_type == "Project":
            p = self.catalog.project(d.receiver_id, include_revoked=True)
            href = u.api(f"projects/{d.receiver_id}.json")
            return (p.title if p else f"Project {d.receiver_id}"), link("receiver", href)
        if d.receiver_type == "FundraisingEvent":
            e = self.catalog.event(d.receiver_id)
            href = u.api(f"fundraising_events/{d.receiver_id}.json")
            return (e.title if e else f"Event {d.receiver_id}"), link("receiver", href)
        return "Pool", None

    def tag(self, tag_id: int, name: str, count: int, u: Urls) -> Json:
        """Return a client tag."""
        slug = slugify(name)
        href = u.api(f"clients/{self.client_id}/tags/{slug}/projects.json")
        links = [link("projects", href)]
        return {"tag": name, "slug": slug, "projects_count": count, "links": links}

    def client_details(self, u: Urls) -> Json:
        """Return the client's entry point: links to its other resources."""

        def client(path: str) -> str:
            return u.api(f"clients/{self.client_id}{path}")

        return {
            "links": [
                link("projects", client("/projects.json")),
                link("client_donations", client("/client_donations.json")),
                link("client_project_tags", client("/tags.json")),
                link("client_fundraising_events", client("/fundraising_events.json")),
                link(
                    "project_mailing_subscriptions",
                    client("/projects/%7Bproject_id%7D/mailing_subscriptions.json"),
                    templated=True,
                ),
                link("project_statistics", client("/project_statistics.json")),
                link("fundraising_event_statistics", client("/fundraising_event_statistics.json")),
            ]
        }
