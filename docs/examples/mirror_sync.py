"""Keep a client's donations in SQLite and see a revocation on the next run."""

import sqlite3
import tempfile
from pathlib import Path

from betterplace_async import BetterplaceClient
from betterplace_async.mirror import DonationMirror, RequestCounter
from betterplace_async.testing import FakeBetterplace


async def main(fake: FakeBetterplace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "donations.sqlite"
        counter = RequestCounter()  # an on_event hook: the report counts requests with it
        async with (
            BetterplaceClient(
                base_url=fake.base_url,
                client_id=fake.client_id,
                auth=(fake.username, fake.password),
                on_event=counter,
            ) as client,
            DonationMirror(db) as mirror,
        ):
            first = await mirror.sync(client, counter=counter)  # the first run reads it all
            print(first.mode, first.added, "donations stored")

            [token] = fake.revoke_client_donations_at(2)  # a recent donation is revoked
            second = await mirror.sync(client, counter=counter)
            print(second.mode, second.revoked, "revoked with", second.requests, "requests")
            assert second.revoked == 1

        with sqlite3.connect(db) as conn:
            [(revoked,)] = conn.execute(
                "SELECT token FROM client_donations WHERE revoked_at IS NOT NULL"
            ).fetchall()
        assert revoked == token
