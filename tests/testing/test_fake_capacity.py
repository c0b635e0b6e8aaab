"""The capacity knob: K requests served at once, a bounded queue in order, 503 beyond it."""

from __future__ import annotations

import asyncio

from fake_server_helpers import Api

from betterplace_async.testing.http.responses import error_body
from betterplace_async.testing.state.capacity import Capacity


async def test_k_at_once_the_rest_queue_in_order_then_503() -> None:
    capacity = Capacity(limit=2, queue_limit=2)
    assert await capacity.enter()
    assert await capacity.enter()
    order: list[str] = []

    async def wait(name: str) -> None:
        assert await capacity.enter()
        order.append(name)

    first = asyncio.create_task(wait("first"))
    second = asyncio.create_task(wait("second"))
    await asyncio.sleep(0)
    assert (capacity.busy, capacity.waiting) == (2, 2)
    assert not await capacity.enter()  # the queue is full
    assert capacity.shed == 1
    capacity.leave()
    await first
    capacity.leave()
    await second
    assert order == ["first", "second"]
    assert (capacity.busy, capacity.waiting, capacity.max_busy, capacity.max_waiting) == (
        2,
        0,
        2,
        2,
    )


async def test_a_cancelled_waiter_gives_its_place_on() -> None:
    capacity = Capacity(limit=1)
    assert await capacity.enter()
    gone = asyncio.create_task(capacity.enter())
    stays = asyncio.create_task(capacity.enter())
    await asyncio.sleep(0)
    gone.cancel()
    capacity.leave()
    assert await stays
    assert gone.cancelled()
    assert capacity.busy == 1


async def test_no_limit_is_no_knob() -> None:
    capacity = Capacity()
    assert not capacity.active
    assert all([await capacity.enter() for _ in range(100)])


async def test_the_server_sheds_with_retry_after(api: Api) -> None:
    capacity = api.fake.capacity
    capacity.limit, capacity.queue_limit, capacity.retry_after = 1, 0, 3
    assert await capacity.enter()  # the one place is taken
    refused = await api.get("projects.json")
    assert refused.status == 503
    assert refused.headers["Retry-After"] == "3"
    assert refused.body == error_body(503)
    capacity.leave()
    assert (await api.get("projects.json")).status == 200
    assert capacity.shed == 1


async def test_queued_requests_are_served_once_a_place_frees(api: Api) -> None:
    capacity = api.fake.capacity
    capacity.limit = 1
    assert await capacity.enter()
    pending = asyncio.create_task(api.get("projects.json"))
    for _ in range(100_000):  # event-loop turns until the request reaches the queue
        if capacity.waiting:
            break
        await asyncio.sleep(0)
    assert capacity.waiting == 1
    assert not pending.done()
    capacity.leave()
    assert (await pending).status == 200
    assert api.fake.max_in_flight == 1
