"""pytest fixtures that serve the fake betterplace API (the ``betterplace_async`` plugin).

``fake_betterplace`` is a running ``FakeBetterplace`` with small default data, fresh for every
test. ``fake_betterplace_factory`` starts fakes with other options and stops them afterwards::

    async def test_export(fake_betterplace_factory):
        fake = await fake_betterplace_factory(client_donations=5_000, latency=0.001)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Unpack

from betterplace_async.testing.fake import FakeBetterplace
from betterplace_async.testing.state.fake_state import FakeOptions

if TYPE_CHECKING:
    from pytest_asyncio import fixture as _async_fixture
else:
    try:  # pytest-asyncio makes async fixtures work in its strict mode too
        from pytest_asyncio import fixture as _async_fixture
    except ImportError:  # pragma: no cover - other async plugins take plain fixtures
        import pytest

        _async_fixture = pytest.fixture

Factory = Callable[..., Awaitable[FakeBetterplace]]


@_async_fixture
async def fake_betterplace() -> AsyncIterator[FakeBetterplace]:
    """Serve a fake with seed 0, 40 projects and 250 client donations."""
    async with FakeBetterplace(seed=0, projects=40, client_donations=250) as fake:
        yield fake


@_async_fixture
async def fake_betterplace_factory() -> AsyncIterator[Factory]:
    """Return an async function that starts a fake with the given options."""
    started: list[FakeBetterplace] = []

    async def start(**options: Unpack[FakeOptions]) -> FakeBetterplace:
        fake = FakeBetterplace(**options)
        await fake.start()
        started.append(fake)
        return fake

    try:
        yield start
    finally:
        for fake in reversed(started):
            await fake.close()
