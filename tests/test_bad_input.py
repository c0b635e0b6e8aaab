"""Bad input of every kind gets a clear, typed error: before any request when it can be
detected locally, and never a hang or a bare exception from the SDK's internals."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from aioresponses import aioresponses

from betterplace_async import (
    BetterplaceClient,
    BetterplaceError,
    DecodeError,
    InvalidParameterError,
    NewDonationPledge,
    NewForwardingRequest,
    RetryPolicy,
)
from betterplace_async.errors import APIStatusError

API = "https://api.betterplace.org/de/api_v4"
AUTH = ("api-user", "api-pass")

GOOD_DONOR: dict[str, Any] = {
    "amount_in_cents": 1000,
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.org",
    "street": "Schlesische Str. 26",
    "zip": "10997",
    "city": "Berlin",
    "country_code": "DE",
}

BAD_IDS = [0, -1, True, "12", 1.5, None, 2**63, [1]]

ID_CALLS: dict[str, Callable[[BetterplaceClient, Any], Any]] = {
    "projects.get": lambda c, v: c.projects.get(v),
    "needs.get/project": lambda c, v: c.needs.get(project_id=v, need_id=1),
    "needs.get/need": lambda c, v: c.needs.get(project_id=1, need_id=v),
    "needs.list": lambda c, v: c.needs.list(project_id=v),
    "blog_posts.get": lambda c, v: c.blog_posts.get(v),
    "blog_posts.list": lambda c, v: c.blog_posts.list(project_id=v),
    "categories.list": lambda c, v: c.categories.list(project_id=v),
    "opinions.list": lambda c, v: c.opinions.list(fundraising_event_id=v),
    "pictures.get": lambda c, v: c.pictures.get(project_id=1, picture_id=v),
    "fundraising_events.get": lambda c, v: c.fundraising_events.get(v),
    "fundraising_events.forwardings": lambda c, v: c.fundraising_events.forwardings(v),
    "organisations.get": lambda c, v: c.organisations.get(v),
    "organisations.projects": lambda c, v: c.organisations.projects(v),
    "matching_funds.get": lambda c, v: c.matching_funds.get(v),
    "matching_funds.list": lambda c, v: c.matching_funds.list(project_id=v),
    "users.contact_data": lambda c, v: c.users.contact_data(v),
    "clients.projects.get": lambda c, v: c.clients.projects.get(v),
    "clients.tags.of_project": lambda c, v: c.clients.tags.of_project(v),
    "pledges.to-project": lambda c, v: c.clients.pledges.submit(
        NewDonationPledge(**GOOD_DONOR), project_id=v
    ),
    "forwarding.to-project": lambda c, v: c.clients.forwarding_requests.submit(
        NewForwardingRequest(amount_in_cents=100), project_id=v
    ),
}

BAD_SEGMENTS = ["", " ", ".", "..", "a\nb", "a\x00b", "x" * 300, 0, None, b"slug"]

SEGMENT_CALLS: dict[str, Callable[[BetterplaceClient, Any], Any]] = {
    "tags.projects": lambda c, v: c.clients.tags.projects(v),
    "donations.get": lambda c, v: c.clients.donations.get(v),
    "client(id)": lambda c, v: c.client(v),
}

BAD_PAIRS: list[Any] = [
    "completed:false",
    b"x:y",
    {"a": "x|y"},
    {"a": "b:c"},
    {"a b": 1},
    {"": 1},
    {"a": ""},
    {"a": None},
    {"a": [1, 2]},
    [("a",)],
    [("a", 1, 2)],
    42,
]

BAD_ORDERS: list[Any] = [{"rank": "UP"}, {"rank": 1}, [("rank", "")], "rank:DESC"]


def _cases() -> list[Any]:
    cases: list[Any] = []
    optional = {("matching_funds.list", None), ("client(id)", None)}  # None = not given
    for name, call in ID_CALLS.items():
        for value in BAD_IDS:
            if value is None and (name, None) in optional:
                continue
            cases.append(pytest.param(call, value, id=f"{name}={value!r:.20}"))
    for name, call in SEGMENT_CALLS.items():
        for value in BAD_SEGMENTS:
            if value is None and (name, None) in optional:
                continue
            cases.append(pytest.param(call, value, id=f"{name}={value!r:.20}"))
    for value in BAD_PAIRS:
        cases.append(
            pytest.param(lambda c, v: c.projects.list(facets=v), value, id=f"facets={value!r:.20}")
        )
        cases.append(
            pytest.param(
                lambda c, v: c.clients.donations.list(facets=v),
                value,
                id=f"donation-facets={value!r:.20}",
            )
        )
    for value in BAD_ORDERS:
        cases.append(
            pytest.param(
                lambda c, v: c.needs.list(project_id=1, order=v), value, id=f"order={value!r}"
            )
        )
    for value in [0, 201, -5, "200", 2.5, True]:
        cases.append(
            pytest.param(lambda c, v: c.projects.list(per_page=v), value, id=f"per_page={value!r}")
        )
        cases.append(
            pytest.param(
                lambda c, v: c.projects.page(2, per_page=v), value, id=f"page-per_page={value!r}"
            )
        )
    for value in [0, -1, "3", True]:
        cases.append(
            pytest.param(lambda c, v: c.projects.list(concurrency=v), value, id=f"conc={value!r}")
        )
        cases.append(
            pytest.param(lambda c, v: c.projects.list(start_page=v), value, id=f"start={value!r}")
        )
    for value in [-1, "10", 1.5]:
        cases.append(
            pytest.param(lambda c, v: c.projects.list(limit=v), value, id=f"limit={value!r}")
        )
    for value in ["everywhere", 1, ""]:
        cases.append(
            pytest.param(lambda c, v: c.projects.list(scope=v), value, id=f"scope={value!r}")
        )
    for value in ["25 km", "far", 0, -3, 1.5]:
        cases.append(
            pytest.param(
                lambda c, v: c.projects.list(around="Berlin", around_distance=v),
                value,
                id=f"around_distance={value!r}",
            )
        )
    for value in [5, b"q", "a\x01b"]:
        cases.append(pytest.param(lambda c, v: c.projects.list(q=v), value, id=f"q={value!r}"))
        cases.append(pytest.param(lambda c, v: c.search(v), value, id=f"search={value!r}"))
    for value in [(1, 2, 3, 4), "52,13,51,12", {"nelat": 1}]:
        cases.append(
            pytest.param(lambda c, v: c.projects.list(bounds=v), value, id=f"bounds={value!r:.20}")
        )
    for value in [None, 5, "https://evil.example/de/api_v4/projects/1.json", "/relative.json"]:
        cases.append(pytest.param(lambda c, v: c.follow(v), value, id=f"follow={value!r:.30}"))
    for value in [{"pages": 3}, {"per_pages": 3}]:
        cases.append(pytest.param(lambda c, v: c.projects.list(**v), value, id=f"option={value!r}"))
    return cases


@pytest.mark.parametrize(("call", "value"), _cases())
async def test_bad_call_arguments(mock_api: aioresponses, call: Any, value: Any) -> None:
    async def attempt(client: BetterplaceClient) -> None:
        async with asyncio.timeout(5):
            result = call(client, value)
            if asyncio.iscoroutine(result):
                await result

    async with BetterplaceClient(client_id="acme", auth=AUTH) as client:
        with pytest.raises(InvalidParameterError) as info:
            await attempt(client)
    assert info.value.parameter
    assert str(info.value).startswith(info.value.parameter)
    assert not mock_api.requests


PLEDGE_FIELD_CASES: list[tuple[str, Any]] = [
    *[("amount_in_cents", v) for v in [0, -1, 1_000_001, 10.5, "100", True, None, 10**12]],
    *[("client_reference", v) for v in ["", "a b", "ä", "x/y", "../", "a" * 201, 5, "a;b"]],
    *[("tracking_via", v) for v in ["a b", "ü", "x/y", 7]],
    *[("email", v) for v in ["", "a", "a@", "@b.de", "a b@c.de", "a@b", 5]],
    *[("country_code", v) for v in ["XX", "de", "DEU", "", 1]],
    *[("first_name", v) for v in ["", None, 5]],
    *[("last_name", v) for v in ["", None]],
    *[("street", v) for v in ["", None]],
    *[("zip", v) for v in ["", None]],
    *[("city", v) for v in ["", None]],
    *[("validate_address", v) for v in ["yes", 1, None]],
]


@pytest.mark.parametrize(
    ("field", "value"), [pytest.param(f, v, id=f"{f}={v!r:.20}") for f, v in PLEDGE_FIELD_CASES]
)
def test_bad_pledge_fields_are_named(field: str, value: Any) -> None:
    with pytest.raises(InvalidParameterError) as info:
        NewDonationPledge(**{**GOOD_DONOR, field: value})
    assert info.value.parameter == field


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        pytest.param({"locale": v}, "locale", id=f"locale={v!r}")
        for v in ["fr", "DE", "", None, 1, "de-DE"]
    ]
    + [
        pytest.param({"base_url": v}, "base_url", id=f"base_url={v!r}")
        for v in [
            "ftp://x",
            "",
            "//api.betterplace.org",
            "http://",
            "https://u:p@api.betterplace.org",
            "https://api.betterplace.org?x=1",
            "not a url",
            123,
            None,
        ]
    ]
    + [pytest.param({"timeouts": v}, "timeouts", id=f"timeouts={v!r}") for v in [5, "10s"]]
    + [pytest.param({"retry": v}, "retry", id=f"retry={v!r}") for v in [3, True]]
    + [
        pytest.param({"max_concurrency": v}, "max_concurrency", id=f"maxconc={v!r}")
        for v in [0, -1, True, 2.5]
    ]
    + [pytest.param({"rate_limit": v}, "rate", id=f"rate={v!r}") for v in [0, -2.0, "fast"]]
    + [pytest.param({"etag_cache": v}, "etag_cache", id=f"cache={v!r}") for v in [1, "yes"]]
    + [pytest.param({"on_event": v}, "on_event", id=f"on_event={v!r}") for v in [1, "log"]],
)
def test_bad_client_configuration(kwargs: dict[str, Any], parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        BetterplaceClient(**kwargs)
    assert info.value.parameter == parameter


HOSTILE_BODIES = [
    b"[]",
    b"null",
    b'"a string"',
    b"123",
    b"{",
    b"\xff\xfe\x00",
    b"[" * 100_000,
    b'{"id": "x"}',
    b'{"id": null}',
    b'{"id": 1, "created_at": "not a date"}',
    b'{"id": 1, "created_at": 12}',
    b'{"id": 1, "donated_amount_in_cents": 1.5}',
    b'{"id": 1, "donated_amount_in_cents": "lots"}',
    b'{"id": 1, "tax_deductible": "maybe"}',
    b'{"id": 1, "links": "x"}',
    b'{"id": 1, "links": [{"href": "x"}]}',
    b'{"id": 1, "links": [5]}',
    b'{"id": 1, "contact": []}',
    b'{"id": 1, "matching_events": {"id": 1}}',
    b'{"id": 1, "latitude": "north"}',
]


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=lambda b: repr(b[:24]))
async def test_hostile_detail_bodies_become_decode_errors(
    mock_api: aioresponses, body: bytes
) -> None:
    mock_api.get(f"{API}/projects/1.json", body=body, repeat=True)
    async with BetterplaceClient(retry=RetryPolicy.never()) as client:
        with pytest.raises(DecodeError):
            async with asyncio.timeout(5):
                await client.projects.get(1)


HOSTILE_PAGES: list[Any] = [
    {"data": "x"},
    {"data": [1, 2]},
    {"data": {"id": 1}},
    {"total_pages": "many", "data": []},
    {"total_entries": 1.5, "data": []},
    {"data": [{"id": "x"}]},
    [1, 2, 3],
    "envelope",
]


@pytest.mark.parametrize("body", HOSTILE_PAGES, ids=lambda b: repr(b)[:30])
async def test_hostile_list_bodies_become_decode_errors(mock_api: aioresponses, body: Any) -> None:
    mock_api.get(f"{API}/projects.json?page=1&per_page=200", payload=body, repeat=True)
    async with BetterplaceClient(retry=RetryPolicy.never()) as client:
        with pytest.raises(DecodeError):
            async with asyncio.timeout(5):
                await client.projects.list().collect()


@pytest.mark.parametrize("total_pages", [10**12, -5, 0])
async def test_lying_page_counts_end_without_hanging(
    mock_api: aioresponses, total_pages: int
) -> None:
    pattern = __import__("re").compile(rf"^{API}/projects\.json\?page=\d+&per_page=200$")
    empty = {"total_entries": 0, "total_pages": total_pages, "per_page": 200, "data": []}
    mock_api.get(pattern, payload=empty, repeat=True)
    async with BetterplaceClient(retry=RetryPolicy.never()) as client:
        async with asyncio.timeout(5):
            try:
                items = await client.projects.list().collect()
            except BetterplaceError:
                items = []
    assert items == []
    assert sum(len(calls) for calls in mock_api.requests.values()) <= 20


@pytest.mark.parametrize("status", [400, 401, 403, 404, 418, 422, 500, 501, 599])
async def test_error_statuses_with_garbage_bodies_stay_typed(
    mock_api: aioresponses, status: int
) -> None:
    mock_api.get(f"{API}/projects/1.json", status=status, body=b"<html>\xff", repeat=True)
    async with BetterplaceClient(retry=RetryPolicy.never()) as client:
        with pytest.raises(APIStatusError) as info:
            await client.projects.get(1)
    assert info.value.status == status
