"""Conditional GETs through the ETag cache, and the on_event hook."""

from __future__ import annotations

import logging

import pytest
from aioresponses import aioresponses
from yarl import URL

from betterplace_async import BetterplaceClient, ETagCache, RetryPolicy
from betterplace_async.events import Event, RequestSent, ResponseReceived, RetryScheduled
from tests.conftest import FakeClock, load_sample

PROJECT = "https://api.betterplace.org/de/api_v4/projects/1114.json"


def test_cache_is_bounded_by_entries_and_bytes() -> None:
    cache = ETagCache(max_entries=2, max_bytes=10)
    cache.put("a", '"1"', b"aaaa")
    cache.put("b", '"2"', b"bbbb")
    cache.put("c", '"3"', b"cc")
    assert len(cache) == 2
    assert cache.etag("a") is None
    cache.put("d", '"4"', b"dddddddd")
    assert cache.etag("b") is None
    assert cache.etag("c") == '"3"'
    cache.put("huge", '"5"', b"x" * 11)
    assert cache.etag("huge") is None
    assert cache.body("d") == b"dddddddd"


async def test_304_serves_cached_body(mock_api: aioresponses) -> None:
    body = load_sample("project_details", "docs-flori_1")
    mock_api.get(PROJECT, payload=body, headers={"ETag": '"v1"'})
    mock_api.get(PROJECT, status=304, body=b"")
    events: list[Event] = []
    async with BetterplaceClient(etag_cache=True, on_event=events.append) as client:
        first = await client.projects.get(1114)
        second = await client.projects.get(1114)
        assert client.etag_cache is not None
        assert client.etag_cache.hits == 1
    assert first == second
    sent = mock_api.requests[("GET", URL(PROJECT))]
    assert "If-None-Match" not in sent[0].kwargs["headers"]
    assert sent[1].kwargs["headers"]["If-None-Match"] == '"v1"'
    responses = [e for e in events if isinstance(e, ResponseReceived)]
    assert [r.from_cache for r in responses] == [False, True]


async def test_events_cover_request_response_and_retry(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, status=500, payload={})
    mock_api.get(PROJECT, payload=load_sample("project_details", "docs-flori_1"))
    events: list[Event] = []
    clock = FakeClock()
    async with BetterplaceClient(on_event=events.append, clock=clock, sleep=clock.sleep) as c:
        await c.projects.get(1114)
    kinds = [type(e).__name__ for e in events]
    assert kinds == [
        "RequestSent",
        "ResponseReceived",
        "RetryScheduled",
        "RequestSent",
        "ResponseReceived",
    ]
    retry = events[2]
    assert isinstance(retry, RetryScheduled)
    assert retry.error == "ServerError"
    assert not retry.client_wide
    assert isinstance(events[3], RequestSent)
    assert events[3].attempt == 2


async def test_overload_pauses_whole_client(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, status=503, payload={}, headers={"Retry-After": "3"})
    mock_api.get(PROJECT, payload=load_sample("project_details", "docs-flori_1"))
    events: list[Event] = []
    clock = FakeClock()
    async with BetterplaceClient(on_event=events.append, clock=clock, sleep=clock.sleep) as c:
        await c.projects.get(1114)
        assert c.limiter.pauses == 1
    retry = next(e for e in events if isinstance(e, RetryScheduled))
    assert retry.client_wide
    assert clock.sleeps == [3.0]


async def test_failing_hook_is_logged_not_raised(
    mock_api: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    mock_api.get(PROJECT, payload=load_sample("project_details", "docs-flori_1"))

    def broken(event: Event) -> None:
        raise RuntimeError("metrics backend down")

    caplog.set_level(logging.ERROR)
    async with BetterplaceClient(on_event=broken, retry=RetryPolicy.never()) as client:
        assert (await client.projects.get(1114)).id == 1114
    assert any("on_event hook raised" in r.getMessage() for r in caplog.records)
