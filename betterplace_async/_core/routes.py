"""Which model an API URL returns: the table behind ``client.follow(link)``.

Paths are matched after ``/{locale}/api_v4/`` and without ``.json``. Each route says the
model, whether the endpoint is a list, and whether it needs client credentials.
:func:`status_location` reads the ``location`` a submission is answered with.
"""

from __future__ import annotations

import re
from typing import Any, Final, TypeAlias

import attrs
from yarl import URL

from betterplace_async._core.identity import Identity
from betterplace_async.models import (
    BlogPost,
    Category,
    Client,
    ClientDonation,
    ClientFundraisingEventStatistics,
    ClientProjectStatistics,
    ContactData,
    Forwarding,
    ForwardingRequest,
    FundraisingEvent,
    MatchingFund,
    Need,
    Opinion,
    Organisation,
    PledgeStatus,
    Pool,
    Project,
    ProjectPicture,
    SearchResult,
    Tag,
)

__all__ = ["STATUS_RESOURCES", "Route", "StatusLocation", "match", "status_location"]

_ID = r"[1-9][0-9]*"
_SEG = r"[^/]+"


@attrs.frozen
class Route:
    """What a matched path returns."""

    model: type[Any]
    is_list: bool
    authenticate: bool
    identity: Identity = ("id",)


def _r(
    pattern: str,
    model: type[Any],
    *,
    many: bool = False,
    identity: Identity = ("id",),
) -> tuple[re.Pattern[str], Route]:
    full = pattern.replace("{id}", _ID).replace("{seg}", _SEG)
    auth = pattern.startswith(("clients/", "users/"))
    return re.compile(f"^{full}$"), Route(model, many, auth, identity)


StatusModel: TypeAlias = type[PledgeStatus] | type[ForwardingRequest]

STATUS_RESOURCES: Final[dict[str, StatusModel]] = {
    "donation_pledges": PledgeStatus,
    "forwarding_requests": ForwardingRequest,
}
"""The status endpoints of submissions under a client, by resource name."""

_CLIENT = "clients/{seg}"
_DONATION_KEY: Final = ("token", "client_reference")

ROUTES: Final = [
    _r("projects", Project, many=True),
    _r("projects/{id}", Project),
    _r("projects/{id}/needs", Need, many=True),
    _r("projects/{id}/needs/{id}", Need),
    _r("projects/{id}/blog_posts", BlogPost, many=True),
    _r("projects/{id}/blog_posts/{id}", BlogPost),
    _r("blog_posts/{id}", BlogPost),
    _r("projects/{id}/categories", Category, many=True),
    _r("projects/{id}/opinions", Opinion, many=True),
    _r("projects/{id}/pictures", ProjectPicture, many=True),
    _r("projects/{id}/pictures/{id}", ProjectPicture),
    _r("fundraising_events", FundraisingEvent, many=True),
    _r("fundraising_events/{id}", FundraisingEvent),
    _r("fundraising_events/{id}/opinions", Opinion, many=True),
    _r("fundraising_events/{id}/featured_projects", Project, many=True),
    _r("fundraising_events/{id}/forwardings", Forwarding, many=True, identity=None),
    _r("fundraising_events/{id}/blog_posts", BlogPost, many=True),
    _r("organisations", Organisation, many=True),
    _r("organisations/{id}", Organisation),
    _r("organisations/{id}/projects", Project, many=True),
    _r("matching_funds", MatchingFund, many=True),
    _r("matching_funds/{id}", MatchingFund),
    _r("matching_funds/{id}/projects", Project, many=True),
    _r("search", SearchResult, many=True, identity=(("type", "id"),)),
    _r("users/{id}/contact_data", ContactData),
    _r(_CLIENT, Client),
    _r(f"{_CLIENT}/project_statistics", ClientProjectStatistics),
    _r(f"{_CLIENT}/fundraising_event_statistics", ClientFundraisingEventStatistics),
    _r(f"{_CLIENT}/projects", Project, many=True),
    _r(f"{_CLIENT}/projects/{{id}}", Project),
    _r(f"{_CLIENT}/projects/{{id}}/tags", Tag, many=True, identity=("slug", "tag")),
    _r(f"{_CLIENT}/fundraising[_-]events", FundraisingEvent, many=True),
    _r(f"{_CLIENT}/fundraising[_-]events/{{id}}", FundraisingEvent),
    _r(f"{_CLIENT}/blog_posts", BlogPost, many=True),
    _r(f"{_CLIENT}/client_donations", ClientDonation, many=True, identity=_DONATION_KEY),
    _r(f"{_CLIENT}/client_donations/{{seg}}", ClientDonation),
    *(_r(f"{_CLIENT}/{name}/{{seg}}", model) for name, model in STATUS_RESOURCES.items()),
    _r(f"{_CLIENT}/pool", Pool),
    _r(f"{_CLIENT}/tags", Tag, many=True, identity=("slug", "tag")),
    _r(f"{_CLIENT}/tags/{{seg}}/projects", Project, many=True),
]


def match(path: str) -> Route | None:
    """Return the route for an API path such as ``projects/1114/needs`` (no ``.json``)."""
    for pattern, route in ROUTES:
        if pattern.match(path):
            return route
    return None


@attrs.frozen
class StatusLocation:
    """A submission's status endpoint: ``clients/{id}/{resource}/{id}``."""

    resource: str
    id: int

    @property
    def model(self) -> StatusModel:
        """The model the status endpoint returns."""
        return STATUS_RESOURCES[self.resource]


def status_location(location: str | None) -> StatusLocation | None:
    """Return the status endpoint ``location`` names, or ``None`` when it names none.

    Only the last two path segments count (``.../donation_pledges/17.json``): the host
    and client id of a location are never followed. A location naming the client
    donation (``.../client_donations/<client_reference>``) or anything else gives ``None``.
    """
    if not location:
        return None
    try:
        parts = [part for part in URL(location).path.split("/") if part]
    except (TypeError, ValueError):
        return None
    if len(parts) < 2 or parts[-2] not in STATUS_RESOURCES:
        return None
    ident = parts[-1].removesuffix(".json")
    if not ident.isascii() or not ident.isdigit() or int(ident) < 1:
        return None
    return StatusLocation(parts[-2], int(ident))
