"""Share one client across the requests of a FastAPI app, opened in its lifespan."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, HTTPException, Request

from betterplace_async import BetterplaceClient, NotFoundError


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with BetterplaceClient(
        base_url=os.environ["BETTERPLACE_BASE_URL"],
        client_id=os.environ["BETTERPLACE_CLIENT_ID"],
        auth=(os.environ["BETTERPLACE_USERNAME"], os.environ["BETTERPLACE_PASSWORD"]),
    ) as client:
        app.state.betterplace = client
        yield


def betterplace(request: Request) -> BetterplaceClient:
    client: BetterplaceClient = request.app.state.betterplace
    return client


app = FastAPI(lifespan=lifespan)


@app.get("/projects/{project_id}")
async def project(
    project_id: int, client: Annotated[BetterplaceClient, Depends(betterplace)]
) -> dict[str, object]:
    try:
        found = await client.clients.projects.get(project_id)
    except NotFoundError:
        raise HTTPException(status_code=404) from None
    return {"id": found.id, "title": found.title}


async def main() -> None:
    # Run the lifespan and call the app in-process (uvicorn runs it in production).
    async with lifespan(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
            response = await http.get("/projects/1")
            print(response.status_code, response.json())
