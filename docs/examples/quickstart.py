"""Quick start: one client, a few single calls and one streamed list."""

import asyncio
import os

from betterplace_async import BetterplaceClient, NotFoundError


async def main() -> None:
    # Public API: no credentials needed. base_url defaults to https://api.betterplace.org.
    base_url = os.environ.get("BETTERPLACE_BASE_URL", "https://api.betterplace.org")
    async with BetterplaceClient(base_url=base_url, locale="en") as client:
        project = await client.projects.get(1)
        print(project.title, project.donated_amount_in_cents, "cents")

        # Every list is streamed page by page; limit= stops early.
        async for open_project in client.projects.list(facets={"completed": False}, limit=5):
            print(open_project.id, open_project.title)

    # Client API: credentials and client id from your betterplace contract.
    async with BetterplaceClient(
        base_url=base_url,
        client_id=os.environ["BETTERPLACE_CLIENT_ID"],
        auth=(os.environ["BETTERPLACE_USERNAME"], os.environ["BETTERPLACE_PASSWORD"]),
    ) as client:
        statistics = await client.clients.project_statistics()
        print(statistics)
        try:
            await client.clients.projects.get(999_999)
        except NotFoundError as exc:
            print("not in this client's scope:", exc.status)


if __name__ == "__main__":
    asyncio.run(main())
