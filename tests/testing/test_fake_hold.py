"""The page hold: the first pages of a list are answered, later ones wait for a release."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from fake_server_helpers import basic_auth

from betterplace_async.testing import FakeBetterplace


async def _held(fake: FakeBetterplace, count: int) -> None:
    """Let the loop run until ``count`` requests wait on the hold."""
    while fake.state.hold.held != count:  # noqa: ASYNC110 (the hold offers no event to wait on)
        await asyncio.sleep(0)


async def test_pages_after_the_limit_wait_until_released() -> None:
    async with FakeBetterplace(seed=1, projects=100) as fake, aiohttp.ClientSession() as session:
        fake.hold_after(pages=2)

        async def page(number: int) -> int:
            url = fake.api_url("projects.json")
            params = {"page": number, "per_page": 10}
            async with session.get(url, params=params) as response:
                body = await response.json()
                return int(body["current_page"])

        assert [await page(1), await page(2)] == [1, 2]
        third, fourth = asyncio.create_task(page(3)), asyncio.create_task(page(4))
        await _held(fake, 2)
        fake.release(1)  # one more page: the third, not the fourth
        assert await third == 3
        await _held(fake, 1)
        assert not fourth.done()
        fake.release()
        assert await fourth == 4
        assert await page(9) == 9  # the hold is lifted


async def test_a_hold_after_zero_pages_holds_detail_requests_too() -> None:
    async with FakeBetterplace(seed=1) as fake, aiohttp.ClientSession() as session:
        fake.hold_after(pages=0)
        url = fake.api_url(f"clients/{fake.client_id}.json")

        async def details() -> int:
            headers = basic_auth(fake.username, fake.password)
            async with session.get(url, headers=headers) as response:
                return response.status

        request = asyncio.create_task(details())
        await _held(fake, 1)
        fake.release()
        assert await request == 200


def test_bad_hold_arguments_are_refused() -> None:
    fake = FakeBetterplace()
    with pytest.raises(ValueError, match="pages must not be negative"):
        fake.hold_after(pages=-1)
    with pytest.raises(ValueError, match="pages must not be negative"):
        fake.release(-2)


def test_serve_refuses_a_negative_hold() -> None:
    from betterplace_async.testing.serve import main

    assert main(["--hold-after-pages", "-1"]) == 2
