"""Handlers of the client API that read: details, statistics, scoped lists, donations, status."""

from __future__ import annotations

from aiohttp import web

from betterplace_async.testing.data.facts import TAGS, ProjectFacts
from betterplace_async.testing.data.query import parse_pairs
from betterplace_async.testing.data.seed import timestamp
from betterplace_async.testing.handlers.public import (
    blog_posts,
    event_list,
    project_list,
    project_posts,
    sort_records,
)
from betterplace_async.testing.http.context import Ctx, authenticate, context
from betterplace_async.testing.http.paging import envelope, parse_page
from betterplace_async.testing.http.responses import json_response, not_found
from betterplace_async.testing.render.common import Json
from betterplace_async.testing.state.pledges import SubmissionKind


def client_context(request: web.Request) -> Ctx:
    """Return the context of an authenticated client request."""
    ctx = context(request)
    authenticate(ctx)
    return ctx


def client_project(ctx: Ctx, name: str = "project_id") -> ProjectFacts:
    """Return a project in the client's scope, or raise 404."""
    project = ctx.state.catalog.project(ctx.int_param(name))
    if project is None or not project.in_client:
        raise not_found("Project", ctx.request.match_info[name])
    return project


async def client_details(request: web.Request) -> web.Response:
    """Show the client's links."""
    ctx = client_context(request)
    return json_response(ctx.render.client.client_details(ctx.urls))


async def project_statistics(request: web.Request) -> web.Response:
    """Show totals over the client's projects and project donations."""
    ctx = client_context(request)
    found = ctx.state.catalog.client_projects()
    totals = ctx.state.donations.totals()
    return json_response(
        {
            "donated_amount_in_cents": sum(p.donated for p in found),
            "external_donated_amount_in_cents": 0,
            "requested_amount_in_cents": sum(p.requested for p in found),
            "projects_count": len(found),
            "client_donated_amount_in_cents": totals.amount - totals.event_amount,
            "client_donations_count": totals.count - totals.event_count,
            "links": [],
        }
    )


async def event_statistics(request: web.Request) -> web.Response:
    """Show totals over the client's fundraising events and event donations."""
    ctx = client_context(request)
    found = [e for e in ctx.state.catalog.events() if e.in_client]
    totals = ctx.state.donations.totals()
    return json_response(
        {
            "donated_amount_in_cents": sum(e.donated for e in found),
            "fundraising_events_count": len(found),
            "client_donated_amount_in_cents": totals.event_amount,
            "client_donations_count": totals.event_count,
            "links": [],
        }
    )


async def projects(request: web.Request) -> web.Response:
    """List the client's projects."""
    ctx = client_context(request)
    return project_list(ctx, "client", ctx.state.catalog.client_projects, churn=True)


async def project(request: web.Request) -> web.Response:
    """Show a project of the client."""
    ctx = client_context(request)
    return json_response(ctx.render.projects.project(client_project(ctx, "id"), ctx.urls))


async def events(request: web.Request) -> web.Response:
    """List the client's fundraising events."""
    return event_list(client_context(request), client_only=True)


async def event(request: web.Request) -> web.Response:
    """Show a fundraising event of the client."""
    ctx = client_context(request)
    found = ctx.state.catalog.event(ctx.int_param("id"))
    if found is None or not found.in_client:
        raise not_found("FundraisingEvent", request.match_info["id"])
    return json_response(ctx.render.events.event(found, ctx.urls))


async def client_blog_posts(request: web.Request) -> web.Response:
    """List the blog posts of all client projects."""
    ctx = client_context(request)
    refs = [ref for p in ctx.state.catalog.client_projects() for ref in project_posts(p)]
    return blog_posts(ctx, refs)


async def client_donations(request: web.Request) -> web.Response:
    """List client donations in the configured order (facet ``client_reference``)."""
    ctx = client_context(request)
    state = ctx.state
    facets = dict(parse_pairs(ctx.query.get("facets")))
    render = ctx.render.client.client_donation
    if "client_reference" in facets:
        reference = facets["client_reference"]
        found = state.donations.find(reference)
        matches = [found] if found is not None and found.client_reference == reference else []
        return ctx.page(matches, lambda d: render(d, ctx.urls))
    page = parse_page(ctx.query)
    chunk = state.donations.page(page.offset, page.per_page)
    body = envelope(state.donations.total, page, [render(d, ctx.urls) for d in chunk])
    response = json_response(body)
    state.apply_churn("client_donations")
    return response


async def client_donation(request: web.Request) -> web.Response:
    """Show a client donation by token or client reference (404 while a pledge is pending)."""
    ctx = client_context(request)
    identity = request.match_info["identity"]
    found = ctx.state.donations.find(identity)
    if found is None:
        raise not_found("ClientDonation", identity)
    return json_response(ctx.render.client.client_donation(found, ctx.urls))


def _status(request: web.Request, kind: SubmissionKind, what: str) -> web.Response:
    ctx = client_context(request)
    pledge = ctx.state.desk.get(kind, ctx.int_param("id"))
    if pledge is None:
        raise not_found(what, request.match_info["id"])
    href = None
    if pledge.token is not None:
        href = ctx.urls.api(f"clients/{ctx.client_id}/client_donations/{pledge.token}.json")
    return json_response(pledge.status(href))


async def pledge_status(request: web.Request) -> web.Response:
    """Show the state of a donation pledge."""
    return _status(request, "donation_pledge", "DonationPledge")


async def forwarding_status(request: web.Request) -> web.Response:
    """Show the state of a forwarding request."""
    return _status(request, "forwarding_request", "ForwardingRequest")


async def pool(request: web.Request) -> web.Response:
    """Show the client's donation pool (404 when the client has none)."""
    ctx = client_context(request)
    account = ctx.state.pool
    if not account.exists:
        raise not_found("Pool", ctx.client_id)
    created = ctx.state.pool_created
    return json_response(
        {
            "id": account.id,
            "created_at": timestamp(created),
            "updated_at": timestamp(created),
            "donated_amount_in_cents": account.donated_amount_in_cents,
            "forwarded_amount_in_cents": account.forwarded_amount_in_cents,
            "links": [{"rel": "self", "href": ctx.urls.api(f"clients/{ctx.client_id}/pool.json")}],
        }
    )


def _tags(ctx: Ctx, tag_ids: list[int]) -> list[Json]:
    catalog, render = ctx.state.catalog, ctx.render.client.tag
    records = [render(t, TAGS[t - 1], len(catalog.tag_projects(t)), ctx.urls) for t in tag_ids]
    records = sort_records(records, [("slug", "ASC")], {"slug": "slug"})
    keys = {"slug": "slug", "projects_count": "projects_count"}
    return sort_records(records, parse_pairs(ctx.query.get("order")), keys)


async def tags(request: web.Request) -> web.Response:
    """List the client's tags."""
    ctx = client_context(request)
    return ctx.page(_tags(ctx, list(range(1, len(TAGS) + 1))), lambda r: r)


async def tag_projects(request: web.Request) -> web.Response:
    """List the client's projects carrying a tag."""
    ctx = client_context(request)
    catalog = ctx.state.catalog
    tag_id = catalog.tag_id(request.match_info["slug"])
    if tag_id is None:
        raise not_found("Tag", request.match_info["slug"])
    return project_list(ctx, ("tag", tag_id), lambda: catalog.tag_projects(tag_id))


async def project_tags(request: web.Request) -> web.Response:
    """List the client tags of one client project."""
    ctx = client_context(request)
    return ctx.page(_tags(ctx, list(client_project(ctx).tag_ids)), lambda r: r)


async def contact_data(request: web.Request) -> web.Response:
    """Show a project manager's contact data (only managers of client projects)."""
    ctx = context(request)
    authenticate(ctx, check_client=False)
    user_id = ctx.int_param("user_id")
    if not ctx.state.catalog.user_in_scope(user_id):
        raise not_found("User", user_id)
    return json_response(ctx.render.people.contact_data(user_id))
