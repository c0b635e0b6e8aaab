"""Data that changes while a client pages, and determinism per seed."""

from __future__ import annotations

import aiohttp
from fake_server_helpers import Api

from betterplace_async.testing import Churn, FakeBetterplace


async def tokens(api: Api, page: int, per_page: int = 10) -> list[str]:
    reply = await api.get(
        api.client("/client_donations.json"), params={"page": page, "per_page": per_page}
    )
    return [d["token"] for d in reply.body["data"]]


async def test_insert_at_the_head_repeats_items_on_the_next_page(api: Api) -> None:
    first = await tokens(api, 1)
    new = api.fake.insert_client_donations(3, amount_in_cents=1234)
    second = await tokens(api, 2)
    assert second[:3] == first[-3:]
    head = await tokens(api, 1)
    assert head[:3] == new[::-1]
    assert head[3:] == first[:7]
    reply = await api.get(api.client(f"/client_donations/{new[0]}.json"))
    assert reply.body["amount_in_cents"] == 1234


async def test_revoke_skips_items_on_the_next_page(api: Api) -> None:
    first, following, third = await tokens(api, 1), await tokens(api, 2), await tokens(api, 3)
    assert api.fake.revoke_client_donations(first[0], "not-a-token") == 1
    second = await tokens(api, 2)
    assert second == following[1:] + third[:1]
    assert following[0] not in second, "it slid onto page 1: a client past page 1 never sees it"
    assert (await api.get(api.client(f"/client_donations/{first[0]}.json"))).status == 404
    total = (await api.get(api.client("/client_donations.json"))).body["total_entries"]
    assert total == 449
    assert api.fake.revoke_client_donations(first[0]) == 0


async def test_revoke_by_position_and_reference(api: Api) -> None:
    everything = list(api.fake.client_donation_tokens())
    assert api.fake.revoke_client_donations_at(0, 5) == [everything[0], everything[5]]
    facts = api.fake.state.donations.find(everything[7])
    assert facts is not None
    assert facts.client_reference is not None
    assert api.fake.revoke_client_donations(facts.client_reference) == 1
    remaining = list(api.fake.client_donation_tokens())
    assert remaining == [t for i, t in enumerate(everything) if i not in (0, 5, 7)]
    assert await tokens(api, 1, 200) == remaining[:200]
    assert await tokens(api, 3, 200) == remaining[400:]


async def test_churn_while_paging(api: Api) -> None:
    api.fake.client_donations_churn = Churn(inserts=2, revokes=1)
    totals = []
    for page in range(1, 4):
        reply = await api.get(api.client("/client_donations.json"), params={"page": page})
        totals.append(reply.body["total_entries"])
    assert totals == [450, 451, 452]


async def test_statistics_follow_the_donations(api: Api) -> None:
    path = api.client("/project_statistics.json")
    before = (await api.get(path)).body
    project = api.fake.projects_where(in_client_scope=True)[0]
    api.fake.insert_client_donations(2, amount_in_cents=500, project_id=project)
    after = (await api.get(path)).body
    assert after["client_donations_count"] == before["client_donations_count"] + 2
    assert (
        after["client_donated_amount_in_cents"] == before["client_donated_amount_in_cents"] + 1000
    )
    events = (await api.get(api.client("/fundraising_event_statistics.json"))).body
    all_pages = []
    for page in (1, 2, 3):
        reply = await api.get(
            api.client("/client_donations.json"), params={"page": page, "per_page": 200}
        )
        all_pages += reply.body["data"]
    to_events = [d for d in all_pages if d["receiver_type"] == "FundraisingEvent"]
    assert events["client_donations_count"] == len(to_events) > 0
    assert events["client_donated_amount_in_cents"] == sum(d["amount_in_cents"] for d in to_events)
    to_projects = [d for d in all_pages if d["receiver_type"] != "FundraisingEvent"]
    assert after["client_donated_amount_in_cents"] == sum(d["amount_in_cents"] for d in to_projects)


async def test_projects_inserted_and_revoked(api: Api) -> None:
    fake = api.fake
    [new] = fake.insert_projects()
    assert new == 61
    listed = (await api.get("projects.json")).body
    assert listed["data"][0]["id"] == new
    assert listed["total_entries"] == 61
    assert (await api.get(f"projects/{new}.json")).status == 200
    fake.revoke_projects(new, 60)
    listed = (await api.get("projects.json")).body
    assert listed["data"][0]["id"] == 59
    assert listed["total_entries"] == 59
    assert (await api.get("projects/60.json")).status == 404
    fake.projects_churn = Churn(inserts=1)
    await api.get("projects.json")
    assert (await api.get("projects.json")).body["data"][0]["id"] == 62


async def test_same_seed_same_bytes(session: aiohttp.ClientSession) -> None:
    paths = [
        "projects.json?per_page=200",
        "projects/7.json",
        "fundraising_events.json",
        "organisations.json",
        "search.json?per_page=50",
        "clients/fake-client/client_donations.json?per_page=200&page=2",
        "clients/fake-client/project_statistics.json",
    ]
    bodies = []
    for seed in (11, 11, 12):
        async with FakeBetterplace(seed=seed, projects=40, client_donations=1000) as fake:
            api = Api(fake, session)
            bodies.append(
                [(await api.get(p)).raw.replace(fake.base_url.encode(), b"BASE") for p in paths]
            )
    assert bodies[0] == bodies[1]
    assert all(a != b for a, b in zip(bodies[0], bodies[2], strict=True))


async def test_a_million_donations_are_cheap(session: aiohttp.ClientSession) -> None:
    async with FakeBetterplace(seed=2, projects=20, client_donations=1_000_000) as fake:
        api = Api(fake, session)
        last = await api.get(
            api.client("/client_donations.json"), params={"per_page": 200, "page": 5000}
        )
        assert last.body["total_entries"] == 1_000_000
        assert len(last.body["data"]) == 200
        token = last.body["data"][-1]["token"]
        reference = last.body["data"][-1]["client_reference"]
        assert (await api.get(api.client(f"/client_donations/{token}.json"))).body["token"] == token
        assert (await api.get(api.client(f"/client_donations/{reference}.json"))).status == 200
        projects = (await api.get(api.client("/project_statistics.json"))).body
        events = (await api.get(api.client("/fundraising_event_statistics.json"))).body
        count = projects["client_donations_count"] + events["client_donations_count"]
        assert count == 1_000_000
