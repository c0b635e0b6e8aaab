"""Each endpoint answers the keys, nesting, JSON types and link rels of its newest doc example."""

from __future__ import annotations

from typing import Any

import pytest
from fake_server_helpers import Api, pledge_body, sample

from betterplace_async.testing import FakeBetterplace, FakeClock


def _links(value: list[Any]) -> set[tuple[str, bool]]:
    return {(link["rel"], link.get("templated", False)) for link in value}


def shape_errors(actual: Any, expected: Any, where: str = "$") -> list[str]:
    """Compare JSON shapes; null on either side matches anything."""
    if actual is None or expected is None:
        return []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {type(actual).__name__}"]
        errors = []
        if set(actual) != set(expected):
            missing, extra = set(expected) - set(actual), set(actual) - set(expected)
            errors.append(f"{where}: missing {sorted(missing)}, extra {sorted(extra)}")
        for key in set(actual) & set(expected):
            if key == "links" and isinstance(expected[key], list):
                if _links(actual[key]) != _links(expected[key]):
                    errors.append(
                        f"{where}.links: {_links(actual[key])} != {_links(expected[key])}"
                    )
                continue
            errors += shape_errors(actual[key], expected[key], f"{where}.{key}")
        return errors
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {type(actual).__name__}"]
        if not expected:
            return []
        return [
            e
            for i, item in enumerate(actual)
            for e in shape_errors(item, expected[0], f"{where}[{i}]")
        ]
    if type(actual) is not type(expected):
        return [f"{where}: {type(actual).__name__} {actual!r} != {type(expected).__name__}"]
    return []


def expected(kind: str) -> Any:
    """Return the documented example of ``kind``; ``event_opinions`` adapts the opinion links."""
    if kind == "event_opinions":  # documented rel for opinions of a fundraising event
        document = sample("opinions_list")
        for item in document["data"]:
            item["links"] = [{"rel": "fundraising_event", "href": "..."}]
        return document
    return sample(kind)


def assert_shape(actual: Any, kind: str) -> None:
    errors = shape_errors(actual, expected(kind))
    assert not errors, "\n".join(errors[:10])


def _ids(fake: FakeBetterplace) -> dict[str, Any]:
    """Pick ids that have every kind of sub-resource."""
    projects = fake.state.catalog.client_projects()
    project = next(p for p in projects if p.blog_posts and p.pictures and p.opinions)
    event = next(
        e
        for e in fake.state.catalog.events()
        if e.in_client and e.blog_posts and e.forwardings and e.opinions
    )
    tagged = next(p for p in projects if p.tag_ids)
    fund = next(f for f in fake.state.catalog.funds() if fake.state.catalog.fund_projects(f))
    org = next(p.carrier_id for p in projects if p.carrier_id)
    return {
        "p": project.id,
        "need": project.needs[0].id,
        "picture": project.id * 10 + 1,
        "post": ((project.id * 10 + 1) << 1),
        "e": event.id,
        "tagged": tagged.id,
        "fund": fund.id,
        "org": org,
    }


PUBLIC = [
    ("projects.json", "projects_list"),
    ("projects/{p}.json", "project_details"),
    ("projects/{p}/needs.json", "needs_list"),
    ("projects/{p}/needs/{need}.json", "need_details"),
    ("projects/{p}/blog_posts.json", "blog_posts_list"),
    ("projects/{p}/blog_posts/{post}.json", "blog_post_details"),
    ("blog_posts/{post}.json", "blog_post_details"),
    ("projects/{p}/categories.json", "categories_list"),
    ("projects/{p}/opinions.json", "opinions_list"),
    ("projects/{p}/pictures.json", "project_pictures_list"),
    ("projects/{p}/pictures/{picture}.json", "project_picture_details"),
    ("fundraising_events.json", "fundraising_events_list"),
    ("fundraising_events/{e}.json", "fundraising_event_details"),
    ("fundraising-events/{e}.json", "fundraising_event_details"),
    ("fundraising_events/{e}/opinions.json", "event_opinions"),
    ("fundraising_events/{e}/featured_projects.json", "fundraising_events_featured_projects_list"),
    ("fundraising_events/{e}/forwardings.json", "fundraising_event_forwardings_list"),
    ("fundraising_events/{e}/blog_posts.json", "blog_posts_list"),
    ("organisations.json", "organisations_list"),
    ("organisations/{org}.json", "organisation_details"),
    ("organisations/{org}/projects.json", "projects_list"),
    ("matching_funds.json", "matching_funds_list"),
    ("matching_funds/{fund}.json", "matching_fund_details"),
    ("matching_funds/{fund}/projects.json", "projects_list"),
]
CLIENT = [
    (".json", "client_details"),
    ("/project_statistics.json", "client_project_statistics"),
    ("/fundraising_event_statistics.json", "client_fundraising_event_statistics"),
    ("/projects.json", "projects_list"),
    ("/projects/{p}.json", "project_details"),
    ("/fundraising_events.json", "fundraising_events_list"),
    ("/fundraising-events.json", "fundraising_events_list"),
    ("/fundraising_events/{e}.json", "fundraising_event_details"),
    ("/blog_posts.json", "blog_posts_list"),
    ("/client_donations.json", "client_donations_list"),
    ("/pool.json", "pool_details"),
    ("/tags.json", "client_tags_list"),
    ("/tags/bildung/projects.json", "projects_list"),
    ("/projects/{tagged}/tags.json", "client_project_tags_list"),
]


@pytest.mark.parametrize(("path", "kind"), PUBLIC, ids=[p for p, _ in PUBLIC])
@pytest.mark.parametrize("locale", ["de", "en"])
async def test_public_endpoint_shapes(api: Api, path: str, kind: str, locale: str) -> None:
    reply = await api.get(path.format(**_ids(api.fake)), auth=False, locale=locale)
    assert reply.status == 200
    if "data" in reply.body:
        assert reply.body["data"], "pick ids with data so the items are compared too"
    assert_shape(reply.body, kind)


@pytest.mark.parametrize(("path", "kind"), CLIENT, ids=[p for p, _ in CLIENT])
async def test_client_endpoint_shapes(api: Api, path: str, kind: str) -> None:
    reply = await api.get(api.client(path.format(**_ids(api.fake))))
    assert reply.status == 200
    if "data" in reply.body:
        assert reply.body["data"]
    assert_shape(reply.body, kind)


async def test_search_shape(api: Api) -> None:
    reply = await api.get("search.json", auth=False, params={"per_page": 200})
    items = reply.body["data"]
    projects = [item for item in items if item["type"] == "Project"]
    events = [item for item in items if item["type"] == "FundraisingEvent"]
    assert projects
    assert events
    assert_shape({**reply.body, "data": projects}, "search")
    for event in events:  # events have no pictures endpoint, hence no "pictures" link
        assert not shape_errors(
            {**event, "links": []}, {**sample("search")["data"][0], "links": []}
        )


async def test_contact_data_shape(api: Api) -> None:
    user = api.fake.state.catalog.client_projects()[0].contact_id
    reply = await api.get(f"users/{user}/contact_data.json")
    assert reply.status == 200
    assert_shape(reply.body, "contact_data_details")


async def test_client_donation_details_shape(api: Api) -> None:
    token = next(api.fake.client_donation_tokens())
    reply = await api.get(api.client(f"/client_donations/{token}.json"))
    assert_shape(reply.body, "client_donation_details")


async def test_write_endpoint_shapes(api: Api, clock: FakeClock) -> None:
    fake = api.fake
    fake.processing_delay = 60
    project = fake.state.catalog.client_projects()[0].id
    person = {"email": "a@example.org", "first_name": "A", "last_name": "B"}

    pledge = await api.post(
        api.client(f"/projects/{project}/donation_pledges.json"), pledge_body("s1")
    )
    assert pledge.status == 202
    assert_shape(pledge.body, "client_donation_pledges_creation")
    status = await api.get(api.client("/donation_pledges/1.json"))
    assert_shape(status.body, "client_donation_pledge_status")

    fake.pool.forwarded_amount_in_cents = fake.pool.donated_amount_in_cents  # empty the pool
    body = {"amount_in_cents": 500, "client_reference": "s2"}
    forwarding = await api.post(api.client(f"/projects/{project}/forwarding_requests.json"), body)
    assert forwarding.status == 202
    assert_shape(forwarding.body, "client_forwarding_requests_list")
    clock.advance(60)
    status = await api.get(api.client("/forwarding_requests/1.json"))
    assert status.body["failure_code"] == "pool_empty"
    assert_shape(status.body, "client_forwarding_request_details")

    subscription = {**person, "active": True}
    created = await api.post(
        api.client(f"/projects/{project}/mailing_subscriptions.json"), subscription
    )
    assert created.status == 201
    assert_shape(created.body, "client_mailing_subscriptions")
    opt_in = await api.post(api.client("/newsletter_opt_ins.json"), {**person, "wording": "Yes"})
    assert opt_in.status == 201
    assert_shape(opt_in.body, "client_newsletter_opt_ins")

    deposit = {
        **person,
        "amount_cents": 100,
        "client_reference": "d1",
        "validate_address": False,
    }
    reply = await api.post(api.client(f"/projects/{project}/direct_deposits.json"), deposit)
    assert reply.status == 202
    assert_shape(reply.body, "client_direct_deposit_create")


@pytest.mark.parametrize(
    ("status", "kind"), [(404, "errors_404"), (422, "errors_422")], ids=["404", "422"]
)
async def test_error_shapes(api: Api, status: int, kind: str) -> None:
    if status == 404:
        reply = await api.get("projects/999999.json")
    else:
        project = api.fake.state.catalog.client_projects()[0].id
        bad = pledge_body("ok", first_name="")
        reply = await api.post(api.client(f"/projects/{project}/donation_pledges.json"), bad)
    assert reply.status == status
    documented = {k: v for k, v in sample(kind).items() if k != "backtrace"}  # staging only
    assert not shape_errors(reply.body, documented)
    assert reply.body["status_code"] == status
