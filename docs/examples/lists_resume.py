"""Read a list in pages with their counts, stop early, and resume from a later page."""

from betterplace_async import BetterplaceClient


async def main(client: BetterplaceClient) -> None:
    donations = client.clients.donations

    # .pages() yields pages with the counts the API sent along.
    last_page = 0
    async for page in donations.list(per_page=50).pages():
        print(f"page {page.current_page} of {page.total_pages}: {len(page.data)} donations")
        last_page = page.current_page
        if last_page == 2:
            break  # leaving the loop cancels every request in flight

    # Later (after a crash, say): carry on after the last page that was fully processed.
    rest = await donations.list(per_page=50, start_page=last_page + 1).collect()
    print(len(rest), "donations after page", last_page)

    # limit= reads only the pages it needs.
    newest = await donations.list(limit=10).collect()
    assert len(newest) == 10
