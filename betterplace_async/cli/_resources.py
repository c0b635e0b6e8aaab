"""Every list endpoint ``betterplace export`` can stream, and the options each one takes."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Final

import attrs

from .. import Listing
from ..client import BetterplaceClient
from ..models.blog_posts import BlogPost
from ..models.categories import Category
from ..models.donations import ClientDonation
from ..models.fundraising_events import Forwarding, FundraisingEvent
from ..models.matching_funds import MatchingFund
from ..models.needs import Need
from ..models.opinions import Opinion
from ..models.organisations import Organisation
from ..models.pictures import ProjectPicture
from ..models.projects import Project
from ..models.search import SearchResult
from ..models.tags import Tag
from ._common import UsageError

__all__ = ["OPTIONS", "RESOURCES", "Resource", "raw_identity", "resource_params"]

Params = Mapping[str, Any]
PageOptions = Mapping[str, Any]
"""``per_page``, ``concurrency``, ``start_page`` and ``limit`` for a listing."""
Identity = tuple[str | tuple[str, ...], ...] | None
"""Fields (or groups of fields) that tell records apart, tried in order; ``None``: all."""
Opener = Callable[[BetterplaceClient, Params, PageOptions], Listing[Any]]

OPTIONS: Final = {
    "q": "--query",
    "scope": "--scope",
    "around": "--around",
    "around_distance": "--around-distance",
    "facets": "--facet",
    "order": "--order",
    "project_id": "--project-id",
    "fundraising_event_id": "--fundraising-event-id",
    "organisation_id": "--organisation-id",
    "matching_fund_id": "--matching-fund-id",
    "slug": "--slug",
    "client_reference": "--client-reference",
}
"""Resource options: their argparse ``dest`` and the flag that sets them."""


@attrs.frozen
class Resource:
    """One list endpoint: its model (for CSV columns), options and how to open it.

    ``required`` holds groups of options of which at least one must be given.
    ``identity`` names the fields that tell records apart (as the SDK does).
    """

    name: str
    help: str
    model: type
    open: Opener
    options: frozenset[str] = frozenset()
    required: tuple[tuple[str, ...], ...] = ()
    client_api: bool = False
    identity: Identity = ("id",)


_SEARCH = frozenset({"q", "scope", "around", "around_distance", "facets", "order"})


def _search(p: Params) -> dict[str, Any]:
    return {key: p.get(key) for key in ("q", "scope", "around", "around_distance")} | {
        "facets": p.get("facets"),
        "order": p.get("order"),
    }


def _projects(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.projects.list(**_search(p), **o)


def _client_projects(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.clients.projects.list(**_search(p), **o)


def _events(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.fundraising_events.list(
        q=p.get("q"), scope=p.get("scope"), facets=p.get("facets"), order=p.get("order"), **o
    )


def _client_events(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.clients.fundraising_events.list(
        q=p.get("q"), scope=p.get("scope"), facets=p.get("facets"), order=p.get("order"), **o
    )


def _organisations(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.organisations.list(**o)


def _matching_funds(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.matching_funds.list(project_id=p.get("project_id"), facets=p.get("facets"), **o)


def _search_all(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.search(p.get("q"), facets=p.get("facets"), **o)


def _needs(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.needs.list(
        project_id=p["project_id"], facets=p.get("facets"), order=p.get("order"), **o
    )


def _opinions(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.opinions.list(
        project_id=p.get("project_id"),
        fundraising_event_id=p.get("fundraising_event_id"),
        facets=p.get("facets"),
        order=p.get("order"),
        **o,
    )


def _blog_posts(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.blog_posts.list(
        project_id=p.get("project_id"),
        fundraising_event_id=p.get("fundraising_event_id"),
        order=p.get("order"),
        **o,
    )


def _client_blog_posts(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.clients.blog_posts.list(
        project_id=p.get("project_id"),
        fundraising_event_id=p.get("fundraising_event_id"),
        order=p.get("order"),
        **o,
    )


def _categories(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.categories.list(project_id=p["project_id"], **o)


def _pictures(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.pictures.list(project_id=p["project_id"], **o)


def _featured(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.fundraising_events.featured_projects(p["fundraising_event_id"], **o)


def _forwardings(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.fundraising_events.forwardings(p["fundraising_event_id"], **o)


def _organisation_projects(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.organisations.projects(p["organisation_id"], **o)


def _matching_fund_projects(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.matching_funds.projects(p["matching_fund_id"], **o)


def _client_donations(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.clients.donations.list(
        client_reference=p.get("client_reference"),
        facets=p.get("facets"),
        order=p.get("order"),
        **o,
    )


def _client_tags(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.clients.tags.list(order=p.get("order"), **o)


def _client_tag_projects(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.clients.tags.projects(p["slug"], **o)


def _client_project_tags(c: BetterplaceClient, p: Params, o: PageOptions) -> Listing[Any]:
    return c.clients.tags.of_project(p["project_id"], order=p.get("order"), **o)


_OWNER = frozenset({"project_id", "fundraising_event_id"})
_TAG_IDENTITY: Identity = ("slug", "tag")

_ALL = (
    Resource("projects", "projects (public API)", Project, _projects, _SEARCH),
    Resource(
        "fundraising-events",
        "fundraising events (public API)",
        FundraisingEvent,
        _events,
        frozenset({"q", "scope", "facets", "order"}),
    ),
    Resource("organisations", "organisations", Organisation, _organisations),
    Resource(
        "matching-funds",
        "matching funds, optionally those of --project-id",
        MatchingFund,
        _matching_funds,
        frozenset({"project_id", "facets"}),
    ),
    Resource(
        "search",
        "projects and fundraising events matching --query",
        SearchResult,
        _search_all,
        frozenset({"q", "facets"}),
    ),
    Resource(
        "needs",
        "the needs of --project-id",
        Need,
        _needs,
        frozenset({"project_id", "facets", "order"}),
        (("project_id",),),
    ),
    Resource(
        "opinions",
        "opinions on --project-id or --fundraising-event-id",
        Opinion,
        _opinions,
        _OWNER | {"facets", "order"},
        (("project_id", "fundraising_event_id"),),
    ),
    Resource(
        "blog-posts",
        "blog posts of --project-id and/or --fundraising-event-id",
        BlogPost,
        _blog_posts,
        _OWNER | {"order"},
        (("project_id", "fundraising_event_id"),),
    ),
    Resource(
        "categories",
        "the categories of --project-id",
        Category,
        _categories,
        frozenset({"project_id"}),
        (("project_id",),),
    ),
    Resource(
        "pictures",
        "the pictures of --project-id",
        ProjectPicture,
        _pictures,
        frozenset({"project_id"}),
        (("project_id",),),
    ),
    Resource(
        "featured-projects",
        "projects featured by --fundraising-event-id",
        Project,
        _featured,
        frozenset({"fundraising_event_id"}),
        (("fundraising_event_id",),),
    ),
    Resource(
        "forwardings",
        "money --fundraising-event-id forwarded to projects",
        Forwarding,
        _forwardings,
        frozenset({"fundraising_event_id"}),
        (("fundraising_event_id",),),
        identity=None,
    ),
    Resource(
        "organisation-projects",
        "projects of --organisation-id",
        Project,
        _organisation_projects,
        frozenset({"organisation_id"}),
        (("organisation_id",),),
    ),
    Resource(
        "matching-fund-projects",
        "projects supported by --matching-fund-id",
        Project,
        _matching_fund_projects,
        frozenset({"matching_fund_id"}),
        (("matching_fund_id",),),
    ),
    Resource(
        "client-donations",
        "the client's donations (optionally one --client-reference)",
        ClientDonation,
        _client_donations,
        frozenset({"client_reference", "facets", "order"}),
        client_api=True,
        identity=("token", "client_reference"),
    ),
    Resource(
        "client-projects",
        "the client's projects",
        Project,
        _client_projects,
        _SEARCH,
        client_api=True,
    ),
    Resource(
        "client-fundraising-events",
        "the client's fundraising events",
        FundraisingEvent,
        _client_events,
        frozenset({"q", "scope", "facets", "order"}),
        client_api=True,
    ),
    Resource(
        "client-blog-posts",
        "blog posts of the client's projects",
        BlogPost,
        _client_blog_posts,
        _OWNER | {"order"},
        client_api=True,
    ),
    Resource(
        "client-tags",
        "the client's tags",
        Tag,
        _client_tags,
        frozenset({"order"}),
        client_api=True,
        identity=_TAG_IDENTITY,
    ),
    Resource(
        "client-tag-projects",
        "the client's projects tagged --slug",
        Project,
        _client_tag_projects,
        frozenset({"slug"}),
        (("slug",),),
        client_api=True,
    ),
    Resource(
        "client-project-tags",
        "the tags of the client's --project-id",
        Tag,
        _client_project_tags,
        frozenset({"project_id", "order"}),
        (("project_id",),),
        client_api=True,
        identity=_TAG_IDENTITY,
    ),
)

RESOURCES: Final[dict[str, Resource]] = {resource.name: resource for resource in _ALL}


def raw_identity(identity: Identity) -> Callable[[dict[str, Any]], Hashable]:
    """Return what tells raw records apart: the first group of fields all set, else the JSON."""
    groups = [(entry,) if isinstance(entry, str) else entry for entry in identity or ()]

    def key(record: dict[str, Any]) -> Hashable:
        for group in groups:
            values = [record.get(name) for name in group]
            if all(value is not None and value != "" for value in values):
                return values[0] if len(values) == 1 else tuple(values)
        return json.dumps(record, sort_keys=True)

    return key


def resource_params(resource: Resource, given: Mapping[str, Any]) -> dict[str, Any]:
    """Return the resource options that were given, after checking they fit ``resource``.

    ``given`` maps option dests to values (``None`` or empty means not given).
    """
    params = {key: value for key, value in given.items() if value not in (None, [], ())}
    for key in params:
        if key not in resource.options:
            raise UsageError(f"export {resource.name}: {OPTIONS[key]} does not apply here")
    for group in resource.required:
        if not any(key in params for key in group):
            flags = " or ".join(OPTIONS[key] for key in group)
            raise UsageError(f"export {resource.name}: give {flags}")
    return params
