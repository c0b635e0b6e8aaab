"""Render organisations and matching funds."""

from __future__ import annotations

import attrs

from betterplace_async.testing.data.catalog import Catalog
from betterplace_async.testing.data.facts import (
    CITIES,
    FundFacts,
    OrganisationFacts,
)
from betterplace_async.testing.data.seed import DAY, slugify, timestamp
from betterplace_async.testing.render.common import (
    DOCS,
    ORGANISATION_PICTURE,
    PLATFORM,
    Json,
    Urls,
    link,
)
from betterplace_async.testing.render.people import PeopleRenderer


@attrs.frozen
class OrganisationRenderer:
    """Render organisations and matching funds."""

    catalog: Catalog
    people: PeopleRenderer

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
            "contact": self.people.contact(1 + (o.id - 1) % max(1, self.catalog.project_count), u),
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
