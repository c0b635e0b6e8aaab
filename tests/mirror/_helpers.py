"""What the mirror tests share: a fake with an injected clock, a client on it, table reads."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from betterplace_async import BetterplaceClient
from betterplace_async.mirror import DonationMirror, RequestCounter, client_donations
from betterplace_async.testing import FakeBetterplace, FakeClock

MINUTE = 60.0
DAY = 86_400.0


async def no_sleep(_seconds: float) -> None:
    """Stand in for ``asyncio.sleep`` in retries: yield once, never wait."""
    await asyncio.sleep(0)


def fake(clock: FakeClock, **options: Any) -> FakeBetterplace:
    """Return a fake whose seeded donations are 5 minutes apart, the newest at ``clock.now``."""
    settings: dict[str, Any] = {
        "client_donations": 250,
        "client_donations_spacing": 5 * MINUTE,
        "client_donations_newest_at": clock.now,
        "clock": clock,
        **options,
    }
    return FakeBetterplace(**settings)


@asynccontextmanager
async def client_for(
    server: FakeBetterplace, counter: RequestCounter | None = None
) -> AsyncIterator[BetterplaceClient]:
    """A client of the fake's client API whose retries never wait."""
    async with BetterplaceClient(
        base_url=server.base_url,
        client_id=server.client_id,
        auth=(server.username, server.password),
        on_event=counter,
        sleep=no_sleep,
    ) as client:
        yield client


def mirror_for(db: str, clock: FakeClock) -> DonationMirror:
    """A mirror whose timestamps follow the fake's clock."""
    return DonationMirror(db, now=lambda: datetime.fromtimestamp(clock.now, UTC))


async def revoked_tokens(mirror: DonationMirror) -> set[str]:
    """Return the tokens marked revoked."""
    query = sa.select(client_donations.c.token).where(client_donations.c.revoked_at.is_not(None))
    async with mirror.engine.connect() as connection:
        return set((await connection.execute(query)).scalars())


async def live_tokens(mirror: DonationMirror) -> set[str]:
    """Return the tokens held live."""
    query = sa.select(client_donations.c.token).where(client_donations.c.revoked_at.is_(None))
    async with mirror.engine.connect() as connection:
        return set((await connection.execute(query)).scalars())
