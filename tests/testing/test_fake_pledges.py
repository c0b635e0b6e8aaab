"""Pledges and forwarding requests: 202 + location, delayed outcome, idempotency, ledger."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from fake_server_helpers import Api, pledge_body

from betterplace_async.testing import FakeBetterplace, FakeClock


def open_project(fake: FakeBetterplace) -> int:
    return fake.projects_where(in_client_scope=True, prohibited=False)[0]


def closed_project(fake: FakeBetterplace) -> int:
    return fake.projects_where(in_client_scope=True, prohibited=True)[0]


async def pledge(api: Api, reference: str, project: int | None = None, **extra: Any) -> str:
    """Submit a pledge (to the pool when ``project`` is None); return the location href."""
    target = "/pool" if project is None else f"/projects/{project}"
    reply = await api.post(
        api.client(f"{target}/donation_pledges.json"), pledge_body(reference, **extra)
    )
    assert reply.status == 202, reply.body
    assert reply.body["status"] == "accepted"
    [location] = [link for link in reply.body["links"] if link["rel"] == "location"]
    assert reply.headers["Location"] == location["href"]
    return str(location["href"])


async def follow(api: Api, href: str) -> tuple[int, Any]:
    async with api.session.get(href, headers=api.auth) as response:
        return response.status, await response.json()


async def test_pledge_lifecycle_status_location(api: Api, clock: FakeClock) -> None:
    fake = api.fake
    fake.processing_delay = 30
    project = open_project(fake)
    before = fake.state.donations.total
    href = await pledge(api, "ref-1", project, amount=4200)
    assert href == fake.api_url(f"clients/{fake.client_id}/donation_pledges/1.json")

    status, body = await follow(api, href)
    assert (status, body["state"], body["links"]) == (200, "pending", [])
    assert (await api.get(api.client("/client_donations/ref-1.json"))).status == 404
    clock.advance(29)
    assert (await follow(api, href))[1]["state"] == "pending"
    assert fake.ledger.bookings == []

    clock.advance(1)
    status, body = await follow(api, href)
    assert body["state"] == "confirmed"
    assert body["confirmed_at"] is not None
    assert body["failed_at"] is None
    [donation_link] = body["links"]
    assert donation_link["rel"] == "donation"
    status, donation = await follow(api, donation_link["href"])
    assert status == 200
    assert donation["client_reference"] == "ref-1"
    assert (donation["amount_in_cents"], donation["receiver_id"]) == (4200, project)
    assert donation["donor"]["name"] == "Max M."

    by_reference = await api.get(api.client("/client_donations/ref-1.json"))
    assert by_reference.body == donation
    found = await api.get(
        api.client("/client_donations.json"), params={"facets": "client_reference:ref-1"}
    )
    assert found.body["data"] == [donation]
    head = await api.get(api.client("/client_donations.json"), params={"per_page": 1})
    assert head.body["data"] == [donation]
    assert fake.state.donations.total == before + 1
    [booking] = fake.ledger.booked("ref-1")
    assert (booking.kind, booking.amount_in_cents, booking.receiver_type) == (
        "donation_pledge",
        4200,
        "Project",
    )
    assert booking.token == donation["token"]


async def test_pledge_lifecycle_client_donation_location(api: Api, clock: FakeClock) -> None:
    fake = api.fake
    fake.location_mode = "client_donation"
    fake.processing_delay = 5
    href = await pledge(api, "by-ref", open_project(fake))
    assert href == fake.api_url(f"clients/{fake.client_id}/client_donations/by-ref.json")
    assert (await follow(api, href))[0] == 404
    clock.advance(5)
    status, body = await follow(api, href)
    assert (status, body["state"], body["client_reference"]) == (200, "confirmed", "by-ref")


async def test_forwarding_location_in_both_modes(api: Api) -> None:
    fake = api.fake
    path = api.client(f"/projects/{open_project(fake)}/forwarding_requests.json")
    first = await api.post(path, {"amount_in_cents": 100, "client_reference": "fw-1"})
    assert first.body["links"][0]["href"].endswith(
        f"clients/{fake.client_id}/forwarding_requests/1.json"
    )
    fake.location_mode = "client_donation"
    second = await api.post(path, {"amount_in_cents": 100, "client_reference": "fw-2"})
    assert second.body["links"][0]["href"].endswith("client_donations/fw-2.json")


async def test_repeated_reference_is_accepted_but_booked_once(api: Api, clock: FakeClock) -> None:
    fake = api.fake
    fake.processing_delay = 1
    project = open_project(fake)
    hrefs = {await pledge(api, "same", project) for _ in range(3)}
    assert len(hrefs) == 1
    clock.advance(1)
    hrefs.add(await pledge(api, "same", project, amount=999))
    assert len(hrefs) == 1
    ledger = fake.ledger
    assert [p.client_reference for p in fake.pledges] == ["same"]
    assert ledger.times_seen("same") == 4
    assert len(ledger.booked("same")) == 1
    assert ledger.booked("same")[0].amount_in_cents == 1000
    found = await api.get(
        api.client("/client_donations.json"), params={"facets": "client_reference:same"}
    )
    assert found.body["total_entries"] == 1


async def test_pool_pledge_goes_to_the_pool(api: Api) -> None:
    fake = api.fake
    before = fake.pool.donated_amount_in_cents
    href = await pledge(api, "pool-1", amount=700)
    _status, body = await follow(api, href)
    assert body["state"] == "confirmed"
    [booking] = fake.ledger.booked("pool-1")
    assert (booking.kind, booking.receiver_type) == ("pool_donation_pledge", "Pool")
    pool = await api.get(api.client("/pool.json"))
    assert pool.body["donated_amount_in_cents"] == before + 700


async def test_closed_project_pledge_is_redirected_to_the_pool() -> None:
    async with FakeBetterplace(seed=7, projects=200) as fake, aiohttp.ClientSession() as session:
        api = Api(fake, session)
        href = await pledge(api, "closed-1", closed_project(fake))
        assert (await follow(api, href))[1]["state"] == "confirmed"
        assert fake.ledger.booked("closed-1")[0].receiver_type == "Pool"


FAILURES = [
    # (fake options, kind, receiver, body, failure code)
    ({"has_pool": False}, "pledge", "pool", {}, "pool_missing"),
    ({"has_pool": False}, "pledge", "closed", {}, "pool_missing"),
    (
        {"redirect_prohibited_pledges": False},
        "pledge",
        "closed",
        {},
        "receiver_prohibited_from_receiving_donations",
    ),
    ({}, "pledge", "open", {"validate_address": False, "country_code": "XX"}, "donation_invalid"),
    ({"has_pool": False}, "forwarding", "open", {}, "pool_missing"),
    ({}, "forwarding", "closed", {}, "receiver_prohibited_from_receiving_donations"),
    ({"pool_balance_in_cents": 999}, "forwarding", "open", {}, "pool_empty"),
]


@pytest.mark.parametrize(
    ("options", "kind", "receiver", "extra", "code"),
    FAILURES,
    ids=[f"{k}-{r}-{c}" for _, k, r, _, c in FAILURES],
)
async def test_failure_codes(
    options: dict[str, Any], kind: str, receiver: str, extra: dict[str, Any], code: str
) -> None:
    clock = FakeClock()
    async with (
        FakeBetterplace(seed=7, projects=200, processing_delay=10, clock=clock, **options) as fake,
        aiohttp.ClientSession() as session,
    ):
        api = Api(fake, session)
        project = {"open": open_project(fake), "closed": closed_project(fake), "pool": None}[
            receiver
        ]
        if kind == "pledge":
            href = await pledge(api, "f-1", project, **extra)
        else:
            body = {"amount_in_cents": 1000, "client_reference": "f-1"}
            reply = await api.post(
                api.client(f"/projects/{project}/forwarding_requests.json"), body
            )
            href = reply.body["links"][0]["href"]
        assert (await follow(api, href))[1]["state"] == "pending"
        clock.advance(10)
        _status, body = await follow(api, href)
        assert (body["state"], body["failure_code"]) == ("failed", code)
        assert body["failed_at"] is not None
        assert body["failure_reason"]
        assert fake.ledger.failed == {"f-1": code}
        assert fake.ledger.bookings == []
        assert (await api.get(api.client("/client_donations/f-1.json"))).status == 404


async def test_forwarding_moves_pool_money(api: Api) -> None:
    fake = api.fake
    balance = fake.pool.balance_in_cents
    project = open_project(fake)
    body = {"amount_in_cents": 2500, "client_reference": "fw", "tracking_via": "campaign-1"}
    reply = await api.post(api.client(f"/projects/{project}/forwarding_requests.json"), body)
    _status, state = await follow(api, reply.body["links"][0]["href"])
    assert state["state"] == "confirmed"
    assert fake.pool.balance_in_cents == balance - 2500
    [booking] = fake.ledger.booked("fw")
    assert (booking.kind, booking.receiver_id) == ("forwarding_request", project)


async def test_forced_failure(api: Api) -> None:
    api.fake.fail_pledge("doomed", "donation_invalid", "card declined")
    href = await pledge(api, "doomed", open_project(api.fake))
    body = (await follow(api, href))[1]
    assert (body["failure_code"], body["failure_reason"]) == ("donation_invalid", "card declined")
    with pytest.raises(ValueError, match="unknown failure code"):
        api.fake.fail_pledge("x", "nope")


INVALID = [
    ({"amount_in_cents": 0}, "amount_in_cents"),
    ({"amount_in_cents": 1_000_001}, "amount_in_cents"),
    ({"amount_in_cents": "ten"}, "amount_in_cents"),
    ({"amount_in_cents": None}, "amount_in_cents"),
    ({"client_reference": "has space"}, "client_reference"),
    ({"client_reference": ""}, "client_reference"),
    ({"tracking_via": "a/b"}, "tracking_via"),
    ({"email": "not-an-email"}, "email"),
    ({"first_name": ""}, "first_name"),
    ({"street": None}, "street"),
    ({"country_code": "XX"}, "country_code"),
]


@pytest.mark.parametrize(("change", "field"), INVALID, ids=[f"{f}={c[f]!r}" for c, f in INVALID])
async def test_invalid_pledges_are_422(api: Api, change: dict[str, Any], field: str) -> None:
    path = api.client(f"/projects/{open_project(api.fake)}/donation_pledges.json")
    reply = await api.post(path, {**pledge_body("v-1"), **change})
    assert reply.status == 422
    assert field in reply.body["errors"]
    assert reply.body["status"] == "unprocessable_entity"
    assert api.fake.ledger.seen == {}


async def test_validate_address_false_makes_donor_optional(api: Api) -> None:
    body = {"amount_in_cents": 100, "client_reference": "anon", "validate_address": False}
    reply = await api.post(
        api.client(f"/projects/{open_project(api.fake)}/donation_pledges.json"), body
    )
    assert reply.status == 202
    assert api.fake.ledger.booked("anon")[0].amount_in_cents == 100


async def test_bad_bodies(api: Api) -> None:
    path = api.client("/pool/donation_pledges.json")
    async with api.session.post(
        api.fake.api_url(path), data=b"{nope", headers=api.auth
    ) as response:
        assert response.status == 400
    assert (await api.post(path, [1, 2])).status == 400
    empty = await api.post(path, None)
    assert empty.status == 422
    assert {"amount_in_cents", "client_reference"} <= set(empty.body["errors"])


async def test_forwarding_validation(api: Api) -> None:
    path = api.client(f"/projects/{open_project(api.fake)}/forwarding_requests.json")
    reply = await api.post(path, {"amount_in_cents": 5})
    assert reply.status == 422
    assert set(reply.body["errors"]) == {"client_reference"}


async def test_subscriptions_opt_ins_and_deposits(api: Api) -> None:
    fake = api.fake
    project = open_project(fake)
    person = {"email": "p@example.org", "first_name": "Peter", "last_name": "Paul"}
    subscribe = api.client(f"/projects/{project}/mailing_subscriptions.json")
    assert (await api.post(subscribe, {**person, "active": True})).status == 201
    assert (await api.post(subscribe, {**person, "active": False})).status == 201
    assert (await api.post(subscribe, person)).status == 422
    opt_in = api.client("/newsletter_opt_ins.json")
    assert (await api.post(opt_in, {**person, "wording": "Yes please"}, locale="en")).status == 201
    missing_wording = await api.post(opt_in, person)
    assert (missing_wording.status, list(missing_wording.body["errors"])) == (422, ["wording"])
    deposit = {
        **person,
        "amount_cents": 5000,
        "client_reference": "dd-1",
        "street": "Weg 1",
        "city": "Köln",
        "zip": "50667",
        "country_alpha2": "DE",
    }
    path = api.client(f"/projects/{project}/direct_deposits.json")
    first, second = await api.post(path, deposit), await api.post(path, deposit)
    assert (first.status, second.status) == (202, 202)
    assert first.body["iban"].startswith("DE")
    assert first.body["reference_id"] != second.body["reference_id"]
    assert (await api.post(path, {**deposit, "amount_cents": 0})).status == 422
    ledger = fake.ledger
    assert [s["active"] for s in ledger.mailing_subscriptions] == [True, False]
    assert ledger.newsletter_opt_ins[0]["locale"] == "en"
    assert len(ledger.direct_deposits) == 2
