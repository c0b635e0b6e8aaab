"""Pagination arithmetic at the edges, and the documented facets and orders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import aiohttp
import pytest
from fake_server_helpers import Api

from betterplace_async.testing import FakeBetterplace


@pytest.fixture
async def sized_api() -> AsyncIterator[tuple[aiohttp.ClientSession, list[Api]]]:
    """Start fakes with 0, 200 and 201 client donations."""
    async with (
        aiohttp.ClientSession() as session,
        FakeBetterplace(seed=1, projects=10, client_donations=0) as empty,
        FakeBetterplace(seed=1, projects=10, client_donations=200) as exact,
        FakeBetterplace(seed=1, projects=10, client_donations=201) as over,
    ):
        yield session, [Api(f, session) for f in (empty, exact, over)]


def meta(body: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("total_entries", "offset", "total_pages", "current_page", "per_page")
    return (*(body[k] for k in keys), len(body["data"]))


CASES = [
    # (fake index, params, total, offset, pages, page, per_page, items)
    (0, {}, 0, 0, 0, 1, 20, 0),
    (0, {"page": 3}, 0, 40, 0, 3, 20, 0),
    (1, {"per_page": 200}, 200, 0, 1, 1, 200, 200),
    (1, {"per_page": 200, "page": 2}, 200, 200, 1, 2, 200, 0),
    (2, {"per_page": 200}, 201, 0, 2, 1, 200, 200),
    (2, {"per_page": 200, "page": 2}, 201, 200, 2, 2, 200, 1),
    (2, {"per_page": 1000, "page": 2}, 201, 200, 2, 2, 200, 1),
    (2, {}, 201, 0, 11, 1, 20, 20),
    (2, {"page": 11}, 201, 200, 11, 11, 20, 1),
    (2, {"page": 12}, 201, 220, 11, 12, 20, 0),
    (2, {"per_page": 7, "page": 29}, 201, 196, 29, 29, 7, 5),
    (2, {"per_page": "x", "page": "0"}, 201, 0, 11, 1, 20, 20),
]


@pytest.mark.parametrize(
    ("index", "params", "total", "offset", "pages", "page", "per_page", "items"),
    CASES,
    ids=[f"{[0, 200, 201][c[0]]}-{c[1]}" for c in CASES],
)
async def test_pagination_edges(
    sized_api: tuple[aiohttp.ClientSession, list[Api]],
    index: int,
    params: dict[str, int | str],
    total: int,
    offset: int,
    pages: int,
    page: int,
    per_page: int,
    items: int,
) -> None:
    api = sized_api[1][index]
    reply = await api.get(api.client("/client_donations.json"), params=params)
    assert reply.status == 200
    assert meta(reply.body) == (total, offset, pages, page, per_page, items)


async def test_pages_cover_every_donation_once(api: Api) -> None:
    tokens: list[str] = []
    for page in range(1, 4):
        reply = await api.get(
            api.client("/client_donations.json"), params={"per_page": 200, "page": page}
        )
        tokens += [d["token"] for d in reply.body["data"]]
    assert len(tokens) == len(set(tokens)) == 450
    assert tokens == list(api.fake.client_donation_tokens())
    times = [datetime.fromisoformat(d) for d in [await _created(api, t) for t in tokens[:3]]]
    assert times == sorted(times, reverse=True), "newest first"


async def _created(api: Api, token: str) -> str:
    reply = await api.get(api.client(f"/client_donations/{token}.json"))
    return str(reply.body["created_at"])


async def test_forwardings_are_unpaginated(api: Api) -> None:
    event = next(e for e in api.fake.state.catalog.events() if e.forwardings)
    reply = await api.get(f"fundraising_events/{event.id}/forwardings.json", params={"page": 5})
    assert reply.body["offset"] is None
    assert reply.body["per_page"] is None
    assert reply.body["total_entries"] == len(reply.body["data"]) == len(event.forwardings)


async def all_projects(
    api: Api, path: str = "projects.json", **params: str
) -> list[dict[str, Any]]:
    reply = await api.get(path, params={"per_page": 200, **params})
    assert reply.body["total_entries"] == len(reply.body["data"])
    return list(reply.body["data"])


@pytest.mark.parametrize(
    ("facet", "field", "value"),
    [
        ("completed:true", "completed_at", True),
        ("completed:false", "completed_at", False),
        ("closed:true", "closed_at", True),
        ("closed:false", "closed_at", False),
        ("prohibit_donations:true", "donations_prohibited", True),
        ("prohibit_donations:false", "donations_prohibited", False),
    ],
)
async def test_project_facets(api: Api, facet: str, field: str, value: bool) -> None:
    everything = await all_projects(api)
    found = await all_projects(api, facets=facet)
    assert 0 < len(found) < len(everything)
    assert all((p[field] not in (None, False)) == value for p in found)


async def test_project_facets_combine_and_categories(api: Api) -> None:
    facts = {p.id: p for p in api.fake.state.catalog.projects()}
    found = await all_projects(api, facets="closed:false|prohibit_donations:false|category_ids:2")
    assert found
    for p in found:
        assert p["closed_at"] is None
        assert not p["donations_prohibited"]
        assert 2 in facts[p["id"]].category_ids
    either = await all_projects(api, facets="category_ids[,]:1,2")
    assert len(either) >= len(found)


@pytest.mark.parametrize(
    ("order", "field", "descending"),
    [
        ("progress_percentage:DESC", "progress_percentage", True),
        ("progress_percentage:ASC", "progress_percentage", False),
        ("created_at:ASC", "id", False),
        ("id:DESC", "id", True),
    ],
)
async def test_project_order(api: Api, order: str, field: str, descending: bool) -> None:
    values = [p[field] for p in await all_projects(api, order=order)]
    assert values == sorted(values, reverse=descending)


async def test_rank_order_then_id(api: Api) -> None:
    ranked = await all_projects(api, order="rank:DESC|id:ASC")
    facts = {p.id: p for p in api.fake.state.catalog.projects()}
    ranks = [facts[p["id"]].rank for p in ranked]
    assert ranks == sorted(ranks, reverse=True)


async def test_default_project_order_is_newest_first_and_unknown_params_ignored(api: Api) -> None:
    ids = [p["id"] for p in await all_projects(api, order="nonsense:DESC", facets="foo:bar", x="1")]
    assert ids == sorted(ids, reverse=True)


async def test_needs_completed_facet_and_position_order(api: Api) -> None:
    project = next(
        p for p in api.fake.state.catalog.projects() if len({n.completed for n in p.needs}) == 2
    )
    path = f"projects/{project.id}/needs.json"
    done = (await api.get(path, params={"facets": "completed:true"})).body["data"]
    open_ = (await api.get(path, params={"facets": "completed:false"})).body["data"]
    assert {n["completed"] for n in done} == {True}
    assert {n["completed"] for n in open_} == {False}
    assert len(done) + len(open_) == len(project.needs)
    desc = (await api.get(path, params={"order": "position:DESC"})).body["data"]
    assert [n["id"] for n in desc] == sorted((n.id for n in project.needs), reverse=True)


async def test_opinions_has_message_facet_and_order(api: Api) -> None:
    project = max(api.fake.state.catalog.projects(), key=lambda p: p.opinions)
    path = f"projects/{project.id}/opinions.json"
    default = (await api.get(path, params={"per_page": 200})).body["data"]
    assert len(default) == project.opinions
    confirmed = [datetime.fromisoformat(o["confirmed_at"]) for o in default]
    assert confirmed == sorted(confirmed, reverse=True)
    with_message = (
        await api.get(path, params={"facets": "has_message:true", "per_page": 200})
    ).body
    assert all(o["message"] for o in with_message["data"])
    without = (await api.get(path, params={"facets": "has_message:false", "per_page": 200})).body
    assert all(o["message"] is None for o in without["data"])
    assert with_message["total_entries"] + without["total_entries"] == project.opinions
    by_amount = (await api.get(path, params={"order": "amount_in_cents:ASC", "per_page": 200})).body
    amounts = [o["donated_amount_in_cents"] for o in by_amount["data"]]
    assert amounts == sorted(amounts)


async def test_matching_fund_facets(api: Api) -> None:
    funds = (await api.get("matching_funds.json")).body["data"]
    for state in ("activated", "closed"):
        found = (await api.get("matching_funds.json", params={"facets": f"state:{state}"})).body
        assert found["total_entries"] == sum(f["state"] == state for f in funds)
    project = next(
        p for p in api.fake.state.catalog.projects() if api.fake.state.catalog.matching_funds_of(p)
    )
    by_facet = await api.get("matching_funds.json", params={"facets": f"project_id:{project.id}"})
    by_param = await api.get("matching_funds.json", params={"project_id": project.id})
    expected = {f.id for f in api.fake.state.catalog.funds() if f.member(project.id)}
    assert {f["id"] for f in by_facet.body["data"]} == expected
    assert {f["id"] for f in by_param.body["data"]} == expected


async def test_client_reference_facet(api: Api) -> None:
    donation = (await api.get(api.client("/client_donations.json"), params={"page": 3})).body[
        "data"
    ][4]
    reference = donation["client_reference"]
    found = await api.get(
        api.client("/client_donations.json"), params={"facets": f"client_reference:{reference}"}
    )
    assert found.body["total_entries"] == 1
    assert found.body["data"] == [donation]
    missing = await api.get(
        api.client("/client_donations.json"), params={"facets": "client_reference:nope"}
    )
    assert (missing.body["total_entries"], missing.body["total_pages"], missing.body["data"]) == (
        0,
        0,
        [],
    )


async def test_client_scope_lists(api: Api) -> None:
    client = await all_projects(
        api, api.client("/projects.json"), facets="closed:false", order="rank:DESC"
    )
    in_scope = {p.id for p in api.fake.state.catalog.client_projects() if p.closed_at is None}
    assert {p["id"] for p in client} == in_scope
    tag_projects = await all_projects(api, api.client("/tags/umwelt/projects.json"))
    assert {p["id"] for p in tag_projects} == {p.id for p in api.fake.state.catalog.tag_projects(2)}
    tags = (await api.get(api.client("/tags.json"), params={"order": "projects_count:DESC"})).body
    counts = [t["projects_count"] for t in tags["data"]]
    assert counts == sorted(counts, reverse=True)


async def test_search_filters(api: Api) -> None:
    everything = (await api.get("search.json", params={"per_page": 200})).body
    assert everything["total_entries"] == len(api.fake.state.catalog.projects()) + len(
        api.fake.state.catalog.events()
    )
    berlin = (await api.get("search.json", params={"q": "berlin", "per_page": 200})).body["data"]
    assert berlin
    assert all("berlin" in item["title"].lower() for item in berlin)
    boxed = (
        await api.get("search.json", params={"bounds": "52.6,13.7,52.3,13.1", "per_page": 200})
    ).body
    assert boxed["data"]
    assert all(item["city"] == "Berlin" for item in boxed["data"])
    active = (
        await api.get("search.json", params={"facets": "state:activated", "per_page": 200})
    ).body
    assert active["total_entries"] < everything["total_entries"]


async def test_blog_posts_newest_first_and_order(api: Api) -> None:
    path = api.client("/blog_posts.json")
    newest = (await api.get(path, params={"per_page": 200})).body
    published = [datetime.fromisoformat(p["published_at"]) for p in newest["data"]]
    assert len(published) == newest["total_entries"] > 20
    assert published == sorted(published, reverse=True)
    oldest = (await api.get(path, params={"per_page": 200, "order": "published_at:ASC"})).body
    assert oldest["data"] == newest["data"][::-1]


async def test_head_requests(api: Api) -> None:
    async with api.session.head(api.fake.api_url("projects.json")) as response:
        assert response.status == 200
        assert response.headers["ETag"]
