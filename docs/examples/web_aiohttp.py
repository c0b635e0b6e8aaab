"""Share one client (and one aiohttp session) across the requests of an aiohttp.web app."""

import os
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from betterplace_async import BetterplaceClient, NotFoundError

BETTERPLACE = web.AppKey("betterplace", BetterplaceClient)


async def betterplace_client(app: web.Application) -> AsyncIterator[None]:
    """Open the client at startup and close it at shutdown (a cleanup context)."""
    # One aiohttp session for the whole app; the client borrows it and never closes it.
    async with aiohttp.ClientSession() as session:
        client = BetterplaceClient(
            base_url=os.environ["BETTERPLACE_BASE_URL"],
            client_id=os.environ["BETTERPLACE_CLIENT_ID"],
            auth=(os.environ["BETTERPLACE_USERNAME"], os.environ["BETTERPLACE_PASSWORD"]),
            session=session,
        )
        await client.open()
        app[BETTERPLACE] = client
        yield
        await client.close()


async def project(request: web.Request) -> web.Response:
    client = request.app[BETTERPLACE]
    try:
        found = await client.clients.projects.get(int(request.match_info["id"]))
    except NotFoundError:
        raise web.HTTPNotFound() from None
    return web.json_response({"id": found.id, "title": found.title})


def make_app() -> web.Application:
    app = web.Application()
    app.cleanup_ctx.append(betterplace_client)
    app.router.add_get("/projects/{id}", project)
    return app


async def main() -> None:
    # Serve the app on loopback and call it once (web.run_app(make_app()) in production).
    async with TestClient(TestServer(make_app())) as http:
        response = await http.get("/projects/1")
        print(response.status, await response.json())
