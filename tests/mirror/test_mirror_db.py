"""DonationMirror on SQLite and PostgreSQL: tables, guards, lock, schema version, rollback."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from betterplace_async import BetterplaceClient
from betterplace_async._core.retry import RetryPolicy
from betterplace_async.errors import ServerError
from betterplace_async.mirror import (
    SCHEMA_VERSION,
    DonationMirror,
    MassRevocationError,
    MirrorLockedError,
    RequestCounter,
    SchemaVersionError,
    SyncReport,
    client_donations,
    sync_runs,
)
from betterplace_async.testing import FakeClock

from ._helpers import DAY, client_for, fake, live_tokens, mirror_for, no_sleep, revoked_tokens


async def table_rows(mirror: DonationMirror, table: sa.Table) -> list[dict[str, Any]]:
    async with mirror.engine.connect() as connection:
        rows = await connection.execute(sa.select(table))
        return [dict(row._mapping) for row in rows]


async def snapshot(mirror: DonationMirror) -> tuple[Any, ...]:
    """What a failed run must leave unchanged."""
    donations = await table_rows(mirror, client_donations)
    runs = await table_rows(mirror, sync_runs)
    return tuple(sorted(json.dumps(r, default=str, sort_keys=True) for r in donations)), len(runs)


async def test_first_run_stores_every_record_as_sent(db_url: str) -> None:
    clock = FakeClock()
    events: list[object] = []
    server = fake(clock, client_donations=450, seed=2)
    async with server, client_for(server) as client, mirror_for(db_url, clock) as mirror:
        sent = {r["token"]: r async for r in client.clients.donations.list().raw()}
        report = await mirror.sync(client, on_event=events.append)
        assert (report.mode, report.added, report.live) == ("full", 450, 450)
        assert events == [report]
        rows = await table_rows(mirror, client_donations)
        assert {row["token"]: row["record"] for row in rows} == sent
        one = next(row for row in rows if row["token"] == next(iter(sent)))
        record = sent[one["token"]]
        assert one["client_id"] == server.client_id
        assert one["amount_in_cents"] == record["amount_in_cents"]
        assert one["created_at"].utcoffset() is not None
        assert one["revoked_at"] is None
        assert one["first_seen_at"] == one["last_seen_at"]
        runs = await table_rows(mirror, sync_runs)
        assert [(r["mode"], r["added"], r["live"]) for r in runs] == [("full", 450, 450)]
        async with mirror.engine.connect() as connection:
            version = await connection.execute(sa.text("SELECT version FROM mirror_schema"))
            assert version.scalar_one() == SCHEMA_VERSION
            kind = "jsonb_typeof(record)" if "postgresql" in db_url else "typeof(record)"
            query = sa.text(f"SELECT {kind} FROM client_donations LIMIT 1")
            stored = (await connection.execute(query)).scalar_one()
        assert stored == ("object" if "postgresql" in db_url else "text")


async def test_runs_reinstate_revoked_rows_that_come_back(db_url: str) -> None:
    clock = FakeClock()
    server = fake(clock, client_donations=300, seed=3)
    async with server, client_for(server) as client, mirror_for(db_url, clock) as mirror:
        await mirror.sync(client)
        token = next(iter(server.client_donation_tokens()))
        async with mirror.engine.begin() as connection:
            await connection.execute(
                sa.update(client_donations)
                .where(client_donations.c.token == token)
                .values(revoked_at=sa.func.now())
            )
        report = await mirror.sync(client)
        assert (report.reinstated, report.added, report.revoked) == (1, 0, 0)
        assert token in await live_tokens(mirror)


async def test_zero_lookback_still_finds_new_donations(db_url: str) -> None:
    clock = FakeClock()
    server = fake(clock, client_donations=1000, seed=4)
    counter = RequestCounter()
    async with server, client_for(server, counter) as client, mirror_for(db_url, clock) as mirror:
        await mirror.sync(client, counter=counter)
        clock.advance(60)
        new = set(server.insert_client_donations(3))
        report = await mirror.sync(client, lookback_days=0, counter=counter)
        assert (report.mode, report.added) == ("incremental", 3)
        assert report.requests == 1
        assert new <= await live_tokens(mirror)


async def test_mass_revocation_needs_the_override(db_url: str) -> None:
    clock = FakeClock()
    server = fake(clock, client_donations=300, seed=6)
    async with server, client_for(server) as client, mirror_for(db_url, clock) as mirror:
        await mirror.sync(client)
        before = await snapshot(mirror)
        gone = server.revoke_client_donations_at(*range(0, 120, 2))
        with pytest.raises(MassRevocationError, match="60 of 300"):
            await mirror.sync(client)
        assert await snapshot(mirror) == before
        report = await mirror.sync(client, allow_mass_revocation=True)
        assert report.revoked == 60
        assert await revoked_tokens(mirror) == set(gone)


@pytest.mark.parametrize("failing", ["list", "detail"])
async def test_a_failed_run_changes_nothing(db_url: str, failing: str) -> None:
    clock = FakeClock()
    server = fake(clock, client_donations=1200, seed=7)
    async with (
        server,
        mirror_for(db_url, clock) as mirror,
        BetterplaceClient(
            base_url=server.base_url,
            client_id=server.client_id,
            auth=(server.username, server.password),
            retry=RetryPolicy(max_attempts=2),
            sleep=no_sleep,
        ) as client,
    ):
        await mirror.sync(client)
        before = await snapshot(mirror)
        clock.advance(60)
        server.insert_client_donations(5)
        server.revoke_client_donations_aged(DAY, 2 * DAY)
        path = r"client_donations\.json" if failing == "list" else r"client_donations/"
        server.faults.set_rate(1.0, kinds=("500",), path=path)
        with pytest.raises(ServerError):
            await mirror.sync(client)
        assert await snapshot(mirror) == before


async def test_a_newer_schema_is_refused_untouched(db_url: str) -> None:
    clock = FakeClock()
    server = fake(clock, client_donations=10)
    async with server, client_for(server) as client, mirror_for(db_url, clock) as mirror:
        await mirror.sync(client)
        async with mirror.engine.begin() as connection:
            await connection.execute(sa.text("UPDATE mirror_schema SET version = 99"))
        before = await snapshot(mirror)
        server.clear_requests()
        with pytest.raises(SchemaVersionError, match="version 99, newer than the 1"):
            await mirror.sync(client)
        assert await snapshot(mirror) == before
        assert server.requests == []


async def test_a_second_run_at_the_same_time_is_refused(db_url: str) -> None:
    clock = FakeClock()
    server = fake(clock, client_donations=10)
    async with server, client_for(server) as client, mirror_for(db_url, clock) as mirror:
        await mirror.sync(client)
        before = await snapshot(mirror)
        other = DonationMirror(db_url)
        try:
            async with other.engine.connect() as holder:
                await holder.begin()
                if holder.dialect.name == "postgresql":
                    await holder.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK})
                else:
                    await holder.execute(sa.text("UPDATE mirror_schema SET version = version"))
                with pytest.raises(MirrorLockedError, match="another sync is running"):
                    await mirror.sync(client)
                await holder.rollback()
        finally:
            await other.close()
        assert await snapshot(mirror) == before
        assert isinstance(await mirror.sync(client), SyncReport)


LOCK = 0x6265_7474_6572_706C


def test_the_lock_key_is_the_one_the_mirror_takes() -> None:
    from betterplace_async.mirror._database import LOCK_KEY

    assert LOCK == LOCK_KEY


async def test_repr_hides_the_password() -> None:
    mirror = DonationMirror("postgresql://user:s3cret@db.example:5432/ledger")
    assert "s3cret" not in repr(mirror)
    assert "db.example" in repr(mirror)


async def test_runs_stamp_last_seen_and_keep_first_seen(db_url: str) -> None:
    clock = FakeClock()
    server = fake(clock, client_donations=300, seed=8)
    async with server, client_for(server) as client, mirror_for(db_url, clock) as mirror:
        await mirror.sync(client)
        first = {row["token"]: row for row in await table_rows(mirror, client_donations)}
        clock.advance(3600)
        await mirror.sync(client, full=True)
        rows = await table_rows(mirror, client_donations)
        assert {row["first_seen_at"] for row in rows} == {
            next(iter(first.values()))["first_seen_at"]
        }
        assert all(row["last_seen_at"] - first[row["token"]]["last_seen_at"] for row in rows)
        assert {(row["last_seen_at"] - row["first_seen_at"]).total_seconds() for row in rows} == {
            3600.0
        }
