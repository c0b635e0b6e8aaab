"""Render people: the public face of a user, their contact data, donors."""

from __future__ import annotations

import attrs

from betterplace_async.testing.data.facts import person_name
from betterplace_async.testing.render.common import DONOR_PICTURE, USER_PICTURE, Json, Urls, link


@attrs.frozen
class PeopleRenderer:
    """Render the users and donors that other records embed."""

    seed: int

    def contact(self, user_id: int, u: Urls) -> Json:
        """Return the public face of a user (project manager, event owner, author)."""
        first, last = person_name(self.seed, user_id)
        return {
            "id": user_id,
            "name": f"{first} {last[0]}.",
            "picture": USER_PICTURE,
            "links": [
                link("platform", u.web(f"users/{user_id}")),
                link("contact_data", u.api(f"users/{user_id}/contact_data.json")),
            ],
        }

    def contact_data(self, user_id: int) -> Json:
        """Return name and e-mail of a user."""
        first, last = person_name(self.seed, user_id)
        email = f"{first}.{last}.{user_id}@example.org".lower()
        return {"first_name": first, "last_name": last, "email": email, "links": []}

    @staticmethod
    def donor(name: str | None) -> Json | None:
        """Return the donor/author object of a donation or opinion."""
        if name is None:
            return None
        return {"name": name, "picture": DONOR_PICTURE, "links": []}
