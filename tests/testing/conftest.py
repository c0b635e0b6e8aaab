"""Fixtures for the fake server tests: a running fake on a fake clock and a raw HTTP helper."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from fake_server_helpers import Api

from betterplace_async.testing import FakeBetterplace, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def fake(clock: FakeClock) -> AsyncIterator[FakeBetterplace]:
    async with FakeBetterplace(seed=7, projects=60, client_donations=450, clock=clock) as server:
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def api(fake: FakeBetterplace, session: aiohttp.ClientSession) -> Api:
    return Api(fake, session)
