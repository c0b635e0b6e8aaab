"""Users: contact data a client may read for people who allowed it."""

from __future__ import annotations

import attrs

from betterplace_async.models.common import Links

__all__ = ["ContactData"]


@attrs.frozen
class ContactData:
    """A user's name and e-mail address (client API only, with the user's consent)."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    links: Links = Links()
