"""Basic auth, client scope, locales and error bodies."""

from __future__ import annotations

import pytest
from fake_server_helpers import Api, basic_auth, pledge_body

CLIENT_PATHS = [
    "",
    "/project_statistics",
    "/client_donations",
    "/pool",
    "/tags",
    "/projects",
    "/fundraising_events",
    "/blog_posts",
]


@pytest.mark.parametrize("path", CLIENT_PATHS)
async def test_client_api_needs_credentials(api: Api, path: str) -> None:
    reply = await api.get(api.client(f"{path}.json"), auth=False)
    assert reply.status == 403
    assert reply.body["status"] == "forbidden"
    assert reply.body["links"] == []


@pytest.mark.parametrize(
    "header",
    [
        basic_auth("fake-user", "wrong"),
        basic_auth("someone", "fake-password"),
        {"Authorization": "Bearer abc"},
        {"Authorization": "Basic !!!"},
    ],
    ids=["password", "user", "scheme", "garbage"],
)
async def test_wrong_credentials_are_401(api: Api, header: dict[str, str]) -> None:
    reply = await api.get(api.client("/client_donations.json"), auth=False, headers=header)
    assert reply.status == 401
    assert reply.body["status_code"] == 401
    assert reply.headers["WWW-Authenticate"].startswith("Basic")


async def test_other_client_is_404(api: Api) -> None:
    reply = await api.get("clients/someone-else/client_donations.json")
    assert reply.status == 404
    assert reply.body["status"] == "not_found"


async def test_posts_check_auth_before_body(api: Api) -> None:
    project = api.fake.state.catalog.client_projects()[0].id
    path = api.client(f"/projects/{project}/donation_pledges.json")
    assert (await api.post(path, {}, auth=False)).status == 403
    assert api.fake.ledger.seen == {}


async def test_projects_outside_the_client_scope_are_404(api: Api) -> None:
    fake = api.fake
    outside = fake.projects_where(in_client_scope=False)[0]
    inside = fake.projects_where(in_client_scope=True)[0]
    assert (await api.get(f"projects/{outside}.json", auth=False)).status == 200
    assert (await api.get(api.client(f"/projects/{outside}.json"))).status == 404
    assert (await api.get(api.client(f"/projects/{inside}.json"))).status == 200
    assert (await api.get(api.client(f"/projects/{outside}/tags.json"))).status == 404
    pledge = await api.post(
        api.client(f"/projects/{outside}/donation_pledges.json"), pledge_body("x")
    )
    assert pledge.status == 404
    assert (await api.get(f"users/{outside}/contact_data.json")).status == 404
    assert (await api.get(f"users/{inside}/contact_data.json")).status == 200
    assert (await api.get(f"users/{inside}/contact_data.json", auth=False)).status == 403


async def test_public_api_needs_no_credentials(api: Api) -> None:
    assert (await api.get("projects.json", auth=False)).status == 200


@pytest.mark.parametrize("locale", ["de", "en"])
async def test_both_locales(api: Api, locale: str) -> None:
    reply = await api.get("projects/1.json", locale=locale)
    assert reply.status == 200
    assert f"/{locale}/api_v4/projects/1.json" in reply.body["links"][0]["href"]


@pytest.mark.parametrize(
    "url_path",
    [
        "/fr/api_v4/projects.json",
        "/de/api_v4/projects",
        "/de/api_v4/nothing.json",
        "/de/api_v4/projects/abc.json",
    ],
)
async def test_unknown_paths_are_json_404(api: Api, url_path: str) -> None:
    async with api.session.get(api.fake.base_url + url_path) as response:
        body = await response.json()
    assert response.status == 404
    assert set(body) == {"name", "status", "status_code", "reason", "message", "links"}


async def test_wrong_method_is_405_with_error_body(api: Api) -> None:
    async with api.session.post(api.fake.api_url("projects.json"), json={}) as response:
        body = await response.json()
    assert response.status == 405
    assert body["status_code"] == 405


async def test_missing_records_are_404(api: Api) -> None:
    missing = [
        "projects/99999.json",
        "projects/1/needs/99999.json",
        "projects/1/pictures/1.json",
        "blog_posts/3.json",
        "fundraising_events/999.json",
        "organisations/999.json",
        "matching_funds/999.json",
        api.client("/client_donations/no-such-token.json"),
        api.client("/donation_pledges/1.json"),
        api.client("/forwarding_requests/1.json"),
        api.client("/tags/nope/projects.json"),
    ]
    for path in missing:
        reply = await api.get(path)
        assert reply.status == 404, path
        assert reply.body["reason"] == "Record Not Found"
