"""Export every client donation to JSON Lines, streaming, with bounded memory."""

import io
import json

from betterplace_async import BetterplaceClient


async def main(client: BetterplaceClient) -> None:
    out = io.StringIO()  # a file opened for writing in real code
    # `async with` makes sure every request still in flight is finished when the block ends,
    # also when the loop body raises.
    # .raw() streams each record as the JSON object the API sent (no decoding).
    async with client.clients.donations.list(concurrency=16).raw() as donations:
        async for donation in donations:
            out.write(json.dumps(donation) + "\n")
    print(donations.stats)  # pages fetched, duplicates dropped, drift events ...
    assert donations.stats.items_yielded == len(out.getvalue().splitlines())
