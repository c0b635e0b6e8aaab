"""Every list endpoint ``betterplace export`` can stream, and the options each one takes."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Final

import attrs

from betterplace_async.cli._common import UsageError
from betterplace_async.client import BetterplaceClient
from betterplace_async.models.blog_posts import BlogPost
from betterplace_async.models.categories import Category
from betterplace_async.models.donations import ClientDonation
from betterplace_async.models.fundraising_events import Forwarding, FundraisingEvent
from betterplace_async.models.matching_funds import MatchingFund
from betterplace_async.models.needs import Need
from betterplace_async.models.opinions import Opinion
from betterplace_async.models.organisations import Organisation
from betterplace_async.models.pictures import ProjectPicture
from betterplace_async.models.projects import Project
from betterplace_async.models.search import SearchResult
from betterplace_async.models.tags import Tag

__all__ = ["OPTIONS", "RESOURCES", "Resource", "raw_identity", "resource_params"]

Params = Mapping[str, Any]
PageOptions = Mapping[str, Any]
"""``per_page``, ``concurrency``, ``start_page`` and ``limit`` for a listing."""
Identity = tuple[str | tuple[str, ...], ...] | None
"""Fields (or groups of fields) that tell records apart, tried in order; ``None``: all."""

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
"""Resource options: their parameter names and the flags that set them."""


@attrs.frozen
class Resource:
    """One list endpoint: its model (for CSV columns), options and the SDK method to call.

    ``method`` is the dotted path of the SDK method from the client; it is called with the
    ``first`` option (if any) as its argument and the ``keys`` options by name, and those are
    the options the resource accepts. ``required`` holds groups of options of which at
    least one must be given. ``identity`` names the fields that tell records apart.
    """

    name: str
    help: str
    model: type
    method: str
    keys: tuple[str, ...] = ()
    required: tuple[tuple[str, ...], ...] = ()
    client_api: bool = False
    identity: Identity = ("id",)
    first: str | None = None

    @property
    def options(self) -> frozenset[str]:
        """Every option this resource accepts."""
        return frozenset(self.keys) | ({self.first} if self.first else set())

    def open(self, client: BetterplaceClient, params: Params, options: PageOptions) -> Any:
        """Return the SDK's listing for ``params`` (checked by :func:`resource_params`)."""
        method: Any = client
        for part in self.method.split("."):
            method = getattr(method, part)
        first = (params.get(self.first),) if self.first else ()
        return method(*first, **{key: params.get(key) for key in self.keys}, **options)


_SEARCH = ("q", "scope", "around", "around_distance", "facets", "order")
_EVENTS = ("q", "scope", "facets", "order")
_OWNERS = ("project_id", "fundraising_event_id")
_PROJECT = (("project_id",),)
_EVENT = (("fundraising_event_id",),)
_TAG_IDENTITY: Identity = ("slug", "tag")

_ALL = (
    Resource("projects", "projects (public API)", Project, "projects.list", _SEARCH),
    Resource("fundraising-events", "fundraising events (public API)", FundraisingEvent,
             "fundraising_events.list", _EVENTS),
    Resource("organisations", "organisations", Organisation, "organisations.list"),
    Resource("matching-funds", "matching funds, optionally those of --project-id", MatchingFund,
             "matching_funds.list", ("project_id", "facets")),
    Resource("search", "projects and fundraising events matching --query", SearchResult,
             "search", ("facets",), first="q"),
    Resource("needs", "the needs of --project-id", Need, "needs.list",
             ("project_id", "facets", "order"), _PROJECT),
    Resource("opinions", "opinions on --project-id or --fundraising-event-id", Opinion,
             "opinions.list", (*_OWNERS, "facets", "order"), (_OWNERS,)),
    Resource("blog-posts", "blog posts of --project-id and/or --fundraising-event-id", BlogPost,
             "blog_posts.list", (*_OWNERS, "order"), (_OWNERS,)),
    Resource("categories", "the categories of --project-id", Category, "categories.list",
             ("project_id",), _PROJECT),
    Resource("pictures", "the pictures of --project-id", ProjectPicture, "pictures.list",
             ("project_id",), _PROJECT),
    Resource("featured-projects", "projects featured by --fundraising-event-id", Project,
             "fundraising_events.featured_projects", (), _EVENT, first="fundraising_event_id"),
    Resource("forwardings", "money --fundraising-event-id forwarded to projects", Forwarding,
             "fundraising_events.forwardings", (), _EVENT, identity=None,
             first="fundraising_event_id"),
    Resource("organisation-projects", "projects of --organisation-id", Project,
             "organisations.projects", (), (("organisation_id",),), first="organisation_id"),
    Resource("matching-fund-projects", "projects supported by --matching-fund-id", Project,
             "matching_funds.projects", (), (("matching_fund_id",),), first="matching_fund_id"),
    Resource("client-donations", "the client's donations (optionally one --client-reference)",
             ClientDonation, "clients.donations.list", ("client_reference", "facets", "order"),
             client_api=True, identity=("token", "client_reference")),
    Resource("client-projects", "the client's projects", Project, "clients.projects.list",
             _SEARCH, client_api=True),
    Resource("client-fundraising-events", "the client's fundraising events", FundraisingEvent,
             "clients.fundraising_events.list", _EVENTS, client_api=True),
    Resource("client-blog-posts", "blog posts of the client's projects", BlogPost,
             "clients.blog_posts.list", (*_OWNERS, "order"), client_api=True),
    Resource("client-tags", "the client's tags", Tag, "clients.tags.list", ("order",),
             client_api=True, identity=_TAG_IDENTITY),
    Resource("client-tag-projects", "the client's projects tagged --slug", Project,
             "clients.tags.projects", (), (("slug",),), client_api=True, first="slug"),
    Resource("client-project-tags", "the tags of the client's --project-id", Tag,
             "clients.tags.of_project", ("order",), _PROJECT, client_api=True,
             identity=_TAG_IDENTITY, first="project_id"),
)  # fmt: skip

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
