"""The route table and ``make_app``."""

from __future__ import annotations

from aiohttp import web

from betterplace_async.testing.handlers import client as client
from betterplace_async.testing.handlers import public as public
from betterplace_async.testing.handlers import submissions as submit
from betterplace_async.testing.http.context import RENDERER, STATE
from betterplace_async.testing.http.faults import Handler
from betterplace_async.testing.http.middleware import MIDDLEWARES
from betterplace_async.testing.render import Renderer
from betterplace_async.testing.state.fake_state import FakeState

PREFIX = "/{locale:de|en}/api_v4"
CLIENT = PREFIX + "/clients/{client_id:[^/]+}"
ID = "{id:\\d+}"
PID = "{project_id:\\d+}"

# (method, path, handler); "fundraising_events" paths are also served as "fundraising-events"
ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", f"{PREFIX}/projects.json", public.projects),
    ("GET", f"{PREFIX}/projects/{ID}.json", public.project),
    ("GET", f"{PREFIX}/projects/{PID}/needs.json", public.needs),
    ("GET", f"{PREFIX}/projects/{PID}/needs/{ID}.json", public.need),
    ("GET", f"{PREFIX}/projects/{PID}/blog_posts.json", public.project_blog_posts),
    ("GET", f"{PREFIX}/projects/{PID}/blog_posts/{ID}.json", public.blog_post),
    ("GET", f"{PREFIX}/blog_posts/{ID}.json", public.blog_post),
    ("GET", f"{PREFIX}/projects/{PID}/categories.json", public.categories),
    ("GET", f"{PREFIX}/projects/{PID}/opinions.json", public.project_opinions),
    ("GET", f"{PREFIX}/projects/{PID}/pictures.json", public.pictures),
    ("GET", f"{PREFIX}/projects/{PID}/pictures/{ID}.json", public.picture),
    ("GET", f"{PREFIX}/fundraising_events.json", public.events),
    ("GET", f"{PREFIX}/fundraising_events/{ID}.json", public.event),
    ("GET", f"{PREFIX}/fundraising_events/{ID}/opinions.json", public.event_opinions),
    ("GET", f"{PREFIX}/fundraising_events/{ID}/featured_projects.json", public.featured_projects),
    ("GET", f"{PREFIX}/fundraising_events/{ID}/forwardings.json", public.forwardings),
    ("GET", f"{PREFIX}/fundraising_events/{ID}/blog_posts.json", public.event_blog_posts),
    ("GET", f"{PREFIX}/organisations.json", public.organisations),
    ("GET", f"{PREFIX}/organisations/{ID}.json", public.organisation),
    ("GET", f"{PREFIX}/organisations/{ID}/projects.json", public.organisation_projects),
    ("GET", f"{PREFIX}/matching_funds.json", public.matching_funds),
    ("GET", f"{PREFIX}/matching_funds/{ID}.json", public.matching_fund),
    ("GET", f"{PREFIX}/matching_funds/{ID}/projects.json", public.matching_fund_projects),
    ("GET", f"{PREFIX}/search.json", public.search),
    ("GET", f"{CLIENT}.json", client.client_details),
    ("GET", f"{CLIENT}/project_statistics.json", client.project_statistics),
    ("GET", f"{CLIENT}/fundraising_event_statistics.json", client.event_statistics),
    ("GET", f"{CLIENT}/projects.json", client.projects),
    ("GET", f"{CLIENT}/projects/{ID}.json", client.project),
    ("GET", f"{CLIENT}/fundraising_events.json", client.events),
    ("GET", f"{CLIENT}/fundraising_events/{ID}.json", client.event),
    ("GET", f"{CLIENT}/blog_posts.json", client.client_blog_posts),
    ("GET", f"{CLIENT}/client_donations.json", client.client_donations),
    ("GET", f"{CLIENT}/client_donations/{{identity:[^/]+}}.json", client.client_donation),
    ("POST", f"{CLIENT}/projects/{PID}/donation_pledges.json", submit.project_pledge),
    ("POST", f"{CLIENT}/pool/donation_pledges.json", submit.pool_pledge),
    ("GET", f"{CLIENT}/donation_pledges/{ID}.json", client.pledge_status),
    ("POST", f"{CLIENT}/projects/{PID}/forwarding_requests.json", submit.forwarding_request),
    ("GET", f"{CLIENT}/forwarding_requests/{ID}.json", client.forwarding_status),
    ("GET", f"{CLIENT}/pool.json", client.pool),
    ("GET", f"{CLIENT}/tags.json", client.tags),
    ("GET", f"{CLIENT}/tags/{{slug:[^/]+}}/projects.json", client.tag_projects),
    ("GET", f"{CLIENT}/projects/{PID}/tags.json", client.project_tags),
    ("POST", f"{CLIENT}/projects/{PID}/mailing_subscriptions.json", submit.mailing_subscription),
    ("POST", f"{CLIENT}/newsletter_opt_ins.json", submit.newsletter_opt_in),
    ("POST", f"{CLIENT}/projects/{PID}/direct_deposits.json", submit.direct_deposit),
    ("GET", PREFIX + "/users/{user_id:\\d+}/contact_data.json", client.contact_data),
]


def make_app(state: FakeState | None = None) -> web.Application:
    """Return the fake API as an aiohttp application (e.g. for ``aiohttp.test_utils``).

    The state is available as ``app[STATE]``; a default ``FakeState()`` is made if none is given.
    """
    app = web.Application(middlewares=MIDDLEWARES)
    state = state if state is not None else FakeState()
    app[STATE] = state
    app[RENDERER] = Renderer(state.catalog, state.client_id)
    for method, path, handler in ROUTES:
        paths = [path]
        if "/fundraising_events" in path:
            paths.append(path.replace("/fundraising_events", "/fundraising-events"))
        for spelling in paths:
            if method == "GET":
                app.router.add_get(spelling, handler)
            else:
                app.router.add_post(spelling, handler)
    return app
