"""The sender's policy driven by a scripted adapter: no sockets, no aiohttp."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from betterplace_async import (
    APIConnectionError,
    DecodeError,
    ETagCache,
    RetryPolicy,
    ServiceUnavailableError,
    Timeouts,
)
from betterplace_async._http.response import Response
from betterplace_async._http.sender import Sender
from betterplace_async.events import Event, ResponseReceived, RetryScheduled
from tests.conftest import FakeClock

ORIGIN = URL("https://api.betterplace.org")
PROJECT = ORIGIN / "de/api_v4/projects/1.json"
PLEDGES = ORIGIN / "de/api_v4/clients/acme/donation_pledges.json"


def _response(
    status: int, body: bytes, *, method: str = "GET", url: URL = PROJECT, **headers: str
) -> Response:
    return Response(method, url, status, CIMultiDictProxy(CIMultiDict(headers)), body)


class ScriptedAdapter:
    """Answer each attempt with the next scripted response or error; record what was sent."""

    def __init__(self, *answers: Response | Exception) -> None:
        self.answers = deque(answers)
        self.sent: list[tuple[str, URL, dict[str, str]]] = []

    async def send(
        self,
        method: str,
        url: URL,
        *,
        json: Any,
        headers: Mapping[str, str],
        timeouts: Timeouts,
    ) -> Response:
        self.sent.append((method, url, dict(headers)))
        answer = self.answers.popleft()
        if isinstance(answer, Exception):
            raise answer
        return answer


def _sender(adapter: ScriptedAdapter, clock: FakeClock, **options: Any) -> Sender:
    options.setdefault("retry", RetryPolicy(max_attempts=3))
    return Sender(
        adapter,
        origin=ORIGIN,
        credentials=None,
        timeouts=Timeouts(),
        user_agent="test",
        sleep=clock.sleep,
        clock=clock,
        **options,
    )


async def test_garbled_get_body_is_retried_and_the_good_one_parsed_once(
    clock: FakeClock,
) -> None:
    adapter = ScriptedAdapter(_response(200, b'{"id": 1, "tit'), _response(200, b'{"id": 1}'))
    events: list[Event] = []
    response = await _sender(adapter, clock, on_event=events.append).request("GET", PROJECT)
    assert len(adapter.sent) == 2
    assert [e.error for e in events if isinstance(e, RetryScheduled)] == ["DecodeError"]
    data = response.json()
    assert data == {"id": 1}
    assert response.json() is data  # parsed in the loop, kept for the caller


async def test_garbled_post_body_is_handed_over_never_resent(clock: FakeClock) -> None:
    adapter = ScriptedAdapter(
        _response(202, b'{"status_code": 2', method="POST", url=PLEDGES, Location="/x")
    )
    sender = _sender(adapter, clock)
    response = await sender.request("POST", PLEDGES, json={"amount_in_cents": 100})
    assert len(adapter.sent) == 1
    assert response.status == 202
    assert response.headers["location"] == "/x"
    with pytest.raises(DecodeError):
        response.json()


async def test_error_status_is_mapped_after_retries_are_spent(clock: FakeClock) -> None:
    adapter = ScriptedAdapter(*(_response(503, b"") for _ in range(3)))
    with pytest.raises(ServiceUnavailableError):
        await _sender(adapter, clock).request("GET", PROJECT)
    assert len(adapter.sent) == 3


@pytest.mark.parametrize(
    ("request_sent", "attempts"),
    [pytest.param(False, 2, id="never-sent-is-retried"), pytest.param(True, 1, id="sent-is-not")],
)
async def test_non_idempotent_post_is_retried_only_when_it_never_left(
    clock: FakeClock, request_sent: bool, attempts: int
) -> None:
    failure = APIConnectionError("boom", method="POST", url=PLEDGES, request_sent=request_sent)
    ok = _response(201, b"{}", method="POST", url=PLEDGES)
    adapter = ScriptedAdapter(failure, ok)
    sender = _sender(adapter, clock)
    if request_sent:
        with pytest.raises(APIConnectionError):
            await sender.request("POST", PLEDGES, json={}, idempotent=False)
    else:
        assert (await sender.request("POST", PLEDGES, json={}, idempotent=False)).status == 201
    assert len(adapter.sent) == attempts


async def test_304_is_answered_from_the_etag_cache(clock: FakeClock) -> None:
    adapter = ScriptedAdapter(_response(200, b'{"id": 1}', ETag='"v1"'), _response(304, b""))
    events: list[Event] = []
    sender = _sender(adapter, clock, cache=ETagCache(), on_event=events.append)
    await sender.request("GET", PROJECT)
    second = await sender.request("GET", PROJECT)
    assert adapter.sent[1][2]["If-None-Match"] == '"v1"'
    assert (second.status, second.json()) == (200, {"id": 1})
    received = [e for e in events if isinstance(e, ResponseReceived)]
    assert [e.from_cache for e in received] == [False, True]
