"""Handlers of the public API: projects and their parts, events, organisations, funds, search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

from aiohttp import web

from betterplace_async.testing.data.facts import EventFacts, ProjectFacts
from betterplace_async.testing.data.query import parse_bool, parse_pairs, sort_by
from betterplace_async.testing.http.context import Ctx, context
from betterplace_async.testing.http.paging import unpaginated
from betterplace_async.testing.http.responses import json_response, not_found
from betterplace_async.testing.render.common import BlogPostRef, Json

# -- shared helpers ---------------------------------------------------------------------------


def _comparable(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 25 and value[10] == "T":
        return dt.datetime.fromisoformat(value)  # offsets differ across DST: compare instants
    return value


def sort_records(
    items: list[Json], order: list[tuple[str, str]], keys: dict[str, str]
) -> list[Json]:
    """Sort rendered records by ``order``; ``keys`` maps order names to record fields."""

    def getter(field: str) -> Callable[[Json], Any]:
        return lambda record: _comparable(record.get(field))

    return sort_by(items, order, {name: getter(field) for name, field in keys.items()})


def _bounds(values: list[str | None]) -> tuple[float, float, float, float] | None:
    """Return ``(south, west, north, east)`` from two corners given in either order."""
    try:
        lat1, lng1, lat2, lng2 = (float(v) for v in values if v is not None)
    except ValueError:
        return None
    return min(lat1, lat2), min(lng1, lng2), max(lat1, lat2), max(lng1, lng2)


def project_list(
    ctx: Ctx, scope: Hashable, base: Callable[[], list[ProjectFacts]], *, churn: bool = False
) -> web.Response:
    """Answer a project list, applying the documented facets, order, q and bounds."""
    q = ctx.query
    found = ctx.state.catalog.query_projects(
        scope,
        base,
        parse_pairs(q.get("facets")),
        parse_pairs(q.get("order")),
        q.get("q", ""),
        _bounds([q.get(name) for name in ("swlat", "swlng", "nelat", "nelng")]),
    )
    response = ctx.page(found, lambda p: ctx.render.projects.project(p, ctx.urls))
    if churn:
        ctx.state.apply_churn("projects")
    return response


def project_of(ctx: Ctx, name: str = "project_id") -> ProjectFacts:
    """Return the project a path parameter names, or raise 404."""
    project = ctx.state.catalog.project(ctx.int_param(name))
    if project is None:
        raise not_found("Project", ctx.request.match_info[name])
    return project


def event_of(ctx: Ctx, name: str = "id") -> EventFacts:
    """Return the fundraising event a path parameter names, or raise 404."""
    event = ctx.state.catalog.event(ctx.int_param(name))
    if event is None:
        raise not_found("FundraisingEvent", ctx.request.match_info[name])
    return event


def event_list(ctx: Ctx, *, client_only: bool) -> web.Response:
    """Answer a fundraising event list with facets, order and q applied."""
    q = ctx.query
    found = ctx.state.catalog.query_events(
        client_only, parse_pairs(q.get("facets")), parse_pairs(q.get("order")), q.get("q", "")
    )
    return ctx.page(found, lambda e: ctx.render.events.event(e, ctx.urls))


def blog_posts(ctx: Ctx, refs: list[tuple[BlogPostRef, int, int]]) -> web.Response:
    """Answer blog posts given as ``(ref, parent created, author id)``, newest first."""
    posts = ctx.render.posts
    times = {ref.id: posts.blog_times(ref, created) for ref, created, _ in refs}
    keys: dict[str, Callable[[tuple[BlogPostRef, int, int]], Any]] = {
        "published_at": lambda item: times[item[0].id][1],
        "created_at": lambda item: times[item[0].id][0],
        "id": lambda item: item[0].id,
    }
    items = sort_by(refs, [("published_at", "DESC")], keys)
    items = sort_by(items, parse_pairs(ctx.query.get("order")), keys)
    return ctx.page(items, lambda item: posts.blog_post(*item, ctx.urls))


def project_posts(p: ProjectFacts) -> list[tuple[BlogPostRef, int, int]]:
    """Return the blog post references of a project."""
    return [
        (BlogPostRef.make("project", p.id, j), p.created, p.contact_id) for j in range(p.blog_posts)
    ]


def opinions(ctx: Ctx, parent: str, parent_id: int, count: int, created: int) -> web.Response:
    """Answer the opinions of a project or event (default: newest confirmation first)."""
    render = ctx.render.posts.opinion
    records = [render(parent, parent_id, j, created, ctx.urls) for j in range(count)]
    for key, value in parse_pairs(ctx.query.get("facets")):
        flag = parse_bool(value)
        if key == "has_message" and flag is not None:
            records = [r for r in records if (r["message"] is not None) == flag]
    records = sort_records(records, [("confirmed_at", "DESC")], {"confirmed_at": "confirmed_at"})
    keys = {name: name for name in ("created_at", "updated_at", "confirmed_at", "id")} | {
        "amount_in_cents": "donated_amount_in_cents"
    }
    return ctx.page(sort_records(records, parse_pairs(ctx.query.get("order")), keys), lambda r: r)


# -- projects -----------------------------------------------------------------------------------


async def projects(request: web.Request) -> web.Response:
    """List projects (newest first unless ``order`` says otherwise)."""
    ctx = context(request)
    return project_list(ctx, "all", ctx.state.catalog.projects, churn=True)


async def project(request: web.Request) -> web.Response:
    """Show one project."""
    ctx = context(request)
    return json_response(ctx.render.projects.project(project_of(ctx, "id"), ctx.urls))


async def needs(request: web.Request) -> web.Response:
    """List the needs of a project (facet ``completed``; order ``position``/``created_at``)."""
    ctx = context(request)
    p = project_of(ctx)
    records = [ctx.render.projects.need(p, n, ctx.urls) for n in p.needs]
    for key, value in parse_pairs(ctx.query.get("facets")):
        flag = parse_bool(value)
        if key == "completed" and flag is not None:
            records = [r for r in records if r["completed"] == flag]
    positions = {n.id: n.position for n in p.needs}
    order = parse_pairs(ctx.query.get("order"))
    keys: dict[str, Callable[[Json], Any]] = {
        "position": lambda r: positions[r["id"]],
        "created_at": lambda r: _comparable(r["created_at"]),
    }
    records = sort_by(records, order, keys)
    return ctx.page(records, lambda r: r)


async def need(request: web.Request) -> web.Response:
    """Show one need of a project."""
    ctx = context(request)
    p = project_of(ctx)
    need_id = ctx.int_param("id")
    for n in p.needs:
        if n.id == need_id:
            return json_response(ctx.render.projects.need(p, n, ctx.urls))
    raise not_found("Need", need_id)


async def project_blog_posts(request: web.Request) -> web.Response:
    """List the blog posts of a project."""
    ctx = context(request)
    return blog_posts(ctx, project_posts(project_of(ctx)))


async def blog_post(request: web.Request) -> web.Response:
    """Show one blog post (under a project, or by id alone)."""
    ctx = context(request)
    ref = BlogPostRef.parse(ctx.int_param("id"))
    catalog = ctx.state.catalog
    wanted = request.match_info.get("project_id")
    if (
        ref is not None
        and wanted is not None
        and (ref.parent, str(ref.parent_id))
        != (
            "project",
            wanted,
        )
    ):
        ref = None
    parent: ProjectFacts | EventFacts | None = None
    if ref is not None and ref.parent == "project":
        parent = catalog.project(ref.parent_id)
    elif ref is not None:
        parent = catalog.event(ref.parent_id)
    if ref is None or parent is None or ref.index >= parent.blog_posts:
        raise not_found("BlogPost", request.match_info["id"])
    record = ctx.render.posts.blog_post(ref, parent.created, parent.contact_id, ctx.urls)
    return json_response(record)


async def categories(request: web.Request) -> web.Response:
    """List the categories of a project."""
    ctx = context(request)
    p = project_of(ctx)
    return ctx.page(list(p.category_ids), lambda c: ctx.render.projects.category(c, ctx.urls))


async def project_opinions(request: web.Request) -> web.Response:
    """List the opinions of a project."""
    ctx = context(request)
    p = project_of(ctx)
    return opinions(ctx, "project", p.id, p.opinions, p.created)


def _picture_ids(p: ProjectFacts) -> list[int]:
    return [p.id * 10 + j + 1 for j in range(p.pictures)]


async def pictures(request: web.Request) -> web.Response:
    """List the pictures of a project."""
    ctx = context(request)
    p = project_of(ctx)
    return ctx.page(_picture_ids(p), lambda i: ctx.render.projects.picture(p, i, ctx.urls))


async def picture(request: web.Request) -> web.Response:
    """Show one picture of a project."""
    ctx = context(request)
    p = project_of(ctx)
    picture_id = ctx.int_param("id")
    if picture_id not in _picture_ids(p):
        raise not_found("Picture", picture_id)
    return json_response(ctx.render.projects.picture(p, picture_id, ctx.urls))


# -- fundraising events -------------------------------------------------------------------------


async def events(request: web.Request) -> web.Response:
    """List fundraising events."""
    return event_list(context(request), client_only=False)


async def event(request: web.Request) -> web.Response:
    """Show one fundraising event."""
    ctx = context(request)
    return json_response(ctx.render.events.event(event_of(ctx), ctx.urls))


async def event_opinions(request: web.Request) -> web.Response:
    """List the opinions of a fundraising event."""
    ctx = context(request)
    e = event_of(ctx)
    return opinions(ctx, "fundraising_event", e.id, e.opinions, e.created)


async def featured_projects(request: web.Request) -> web.Response:
    """List the projects a fundraising event features."""
    ctx = context(request)
    found = ctx.state.catalog.featured_projects(event_of(ctx))
    return ctx.page(found, lambda p: ctx.render.projects.project(p, ctx.urls))


async def forwardings(request: web.Request) -> web.Response:
    """List the forwardings of a fundraising event, unpaginated as the real API does."""
    ctx = context(request)
    render = ctx.render.events.forwarding
    data = [render(pid, amount, ctx.urls) for pid, amount in event_of(ctx).forwardings]
    return json_response(unpaginated(data))


async def event_blog_posts(request: web.Request) -> web.Response:
    """List the blog posts of a fundraising event."""
    ctx = context(request)
    e = event_of(ctx)
    refs = [
        (BlogPostRef.make("fundraising_event", e.id, j), e.created, e.contact_id)
        for j in range(e.blog_posts)
    ]
    return blog_posts(ctx, refs)


# -- organisations and matching funds -----------------------------------------------------------


async def organisations(request: web.Request) -> web.Response:
    """List organisations by id."""
    ctx = context(request)
    catalog = ctx.state.catalog
    ids = range(1, catalog.organisation_count + 1)

    def render(org_id: int) -> Json:
        org = catalog.organisation(org_id)
        assert org is not None
        return ctx.render.organisations.organisation(org, ctx.urls)

    return ctx.page(ids, render)


async def organisation(request: web.Request) -> web.Response:
    """Show one organisation."""
    ctx = context(request)
    org = ctx.state.catalog.organisation(ctx.int_param("id"))
    if org is None:
        raise not_found("Organisation", request.match_info["id"])
    return json_response(ctx.render.organisations.organisation(org, ctx.urls))


async def organisation_projects(request: web.Request) -> web.Response:
    """List the projects an organisation carries."""
    ctx = context(request)
    catalog = ctx.state.catalog
    org_id = ctx.int_param("id")
    if catalog.organisation(org_id) is None:
        raise not_found("Organisation", org_id)
    return project_list(ctx, ("org", org_id), lambda: catalog.organisation_projects(org_id))


async def matching_funds(request: web.Request) -> web.Response:
    """List matching funds (facet ``state``; ``project_id`` as facet or parameter)."""
    ctx = context(request)
    catalog = ctx.state.catalog
    found = catalog.funds()
    facets = dict(parse_pairs(ctx.query.get("facets")))
    project_id = facets.get("project_id", ctx.query.get("project_id", ""))
    if "state" in facets:
        found = [f for f in found if f.state == facets["state"]]
    if project_id.strip().isdigit():
        found = [f for f in found if f.member(int(project_id))]
    return ctx.page(found, lambda f: ctx.render.organisations.fund(f, ctx.urls))


async def matching_fund(request: web.Request) -> web.Response:
    """Show one matching fund."""
    ctx = context(request)
    fund = ctx.state.catalog.fund(ctx.int_param("id"))
    if fund is None:
        raise not_found("MatchingFund", request.match_info["id"])
    return json_response(ctx.render.organisations.fund(fund, ctx.urls))


async def matching_fund_projects(request: web.Request) -> web.Response:
    """List the projects taking part in a matching fund."""
    ctx = context(request)
    catalog = ctx.state.catalog
    fund = catalog.fund(ctx.int_param("id"))
    if fund is None:
        raise not_found("MatchingFund", request.match_info["id"])
    return project_list(ctx, ("fund", fund.id), lambda: catalog.fund_projects(fund))


# -- search -------------------------------------------------------------------------------------


def _search_matches(entity: ProjectFacts | EventFacts, key: str, value: str) -> bool:
    flag = parse_bool(value)
    if key == "state":
        return value != "activated" or not entity.prohibited
    if key == "min_activity_threshold_reached" and flag is not None:
        return (entity.donations_count >= 3) == flag
    if key == "hidden_from_platform" and flag is not None:
        return not flag
    return True


async def search(request: web.Request) -> web.Response:
    """Search projects and fundraising events (q, bounds, facets; best ranked first)."""
    ctx = context(request)
    catalog = ctx.state.catalog
    entities: list[ProjectFacts | EventFacts] = [*catalog.projects(), *catalog.events()]
    needle = ctx.query.get("q", "").strip().lower()
    facets = parse_pairs(ctx.query.get("facets"))
    bounds: list[str | None] = list(ctx.query.get("bounds", "").split(","))
    box = _bounds(bounds) if len(bounds) == 4 else None
    found = [
        e
        for e in entities
        if (not needle or needle in e.title.lower())
        and all(_search_matches(e, k, v) for k, v in facets)
        and (
            box is None
            or (
                isinstance(e, ProjectFacts)
                and box[0] <= e.latitude <= box[2]
                and box[1] <= e.longitude <= box[3]
            )
        )
    ]
    found.sort(key=lambda e: e.rank, reverse=True)
    return ctx.page(found, lambda e: ctx.render.projects.search_item(e, ctx.urls))
