"""Every namespace method reaches the documented URL with encoded parameters and decodes
the recorded sample for that endpoint into its model."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

from betterplace_async import BetterplaceClient, BoundingBox, InvalidParameterError
from betterplace_async import models as m
from tests.conftest import load_sample

API = "https://api.betterplace.org/de/api_v4"
AUTH = ("api-user", "api-pass")

Call = Callable[[BetterplaceClient], Awaitable[Any]]


def one(kind: str, name: str = "docs-flori_1") -> dict[str, Any]:
    return load_sample(kind, name)  # type: ignore[no-any-return]


def single_page(kind: str, name: str = "docs-flori_1") -> dict[str, Any]:
    body = dict(one(kind, name))
    count = len(body.get("data") or [])
    body.update(total_entries=count, total_pages=1, current_page=1, offset=0, per_page=200)
    return body


async def first(paginator: Any) -> Any:
    items = await paginator.collect()
    return items[0] if items else None


DETAILS: list[Any] = [
    pytest.param(
        lambda c: c.projects.get(1114),
        "/projects/1114.json",
        "project_details",
        m.Project,
        id="project",
    ),
    pytest.param(
        lambda c: c.needs.get(project_id=1114, need_id=7),
        "/projects/1114/needs/7.json",
        "need_details",
        m.Need,
        id="need",
    ),
    pytest.param(
        lambda c: c.blog_posts.get(88972, project_id=1114),
        "/projects/1114/blog_posts/88972.json",
        "blog_post_details",
        m.BlogPost,
        id="blog-post",
    ),
    pytest.param(
        lambda c: c.blog_posts.get(88972),
        "/blog_posts/88972.json",
        "blog_post_details",
        m.BlogPost,
        id="blog-post-short",
    ),
    pytest.param(
        lambda c: c.pictures.get(project_id=1114, picture_id=3),
        "/projects/1114/pictures/3.json",
        "project_picture_details",
        m.ProjectPicture,
        id="picture",
    ),
    pytest.param(
        lambda c: c.fundraising_events.get(19267),
        "/fundraising_events/19267.json",
        "fundraising_event_details",
        m.FundraisingEvent,
        id="fundraising-event",
    ),
    pytest.param(
        lambda c: c.organisations.get(1054),
        "/organisations/1054.json",
        "organisation_details",
        m.Organisation,
        id="organisation",
    ),
    pytest.param(
        lambda c: c.matching_funds.get(5),
        "/matching_funds/5.json",
        "matching_fund_details",
        m.MatchingFund,
        id="matching-fund",
    ),
    pytest.param(
        lambda c: c.users.contact_data(287126),
        "/users/287126/contact_data.json",
        "contact_data_details",
        m.ContactData,
        id="contact-data",
    ),
    pytest.param(
        lambda c: c.clients.details(),
        "/clients/acme.json",
        "client_details",
        m.Client,
        id="client",
    ),
    pytest.param(
        lambda c: c.clients.project_statistics(),
        "/clients/acme/project_statistics.json",
        "client_project_statistics",
        m.ClientProjectStatistics,
        id="client-project-stats",
    ),
    pytest.param(
        lambda c: c.clients.fundraising_event_statistics(),
        "/clients/acme/fundraising_event_statistics.json",
        "client_fundraising_event_statistics",
        m.ClientFundraisingEventStatistics,
        id="client-event-stats",
    ),
    pytest.param(
        lambda c: c.clients.pool(),
        "/clients/acme/pool.json",
        "pool_details",
        m.Pool,
        id="pool",
    ),
    pytest.param(
        lambda c: c.clients.projects.get(1114),
        "/clients/acme/projects/1114.json",
        "project_details",
        m.Project,
        id="client-project",
    ),
    pytest.param(
        lambda c: c.clients.fundraising_events.get(19267),
        "/clients/acme/fundraising_events/19267.json",
        "fundraising_event_details",
        m.FundraisingEvent,
        id="client-fundraising-event",
    ),
    pytest.param(
        lambda c: c.clients.donations.get("abc-123"),
        "/clients/acme/client_donations/abc-123.json",
        "client_donation_details",
        m.ClientDonation,
        id="client-donation",
    ),
]


@pytest.mark.parametrize(("call", "path", "kind", "model"), DETAILS)
async def test_detail_endpoints(
    mock_api: aioresponses, call: Call, path: str, kind: str, model: type
) -> None:
    mock_api.get(API + path, payload=one(kind))
    async with BetterplaceClient(client_id="acme", auth=AUTH) as client:
        result = await call(client)
    assert isinstance(result, model)
    (key,) = mock_api.requests
    authed = "Authorization" in mock_api.requests[key][0].kwargs["headers"]
    assert authed == path.startswith(("/clients/", "/users/"))


LISTS: list[Any] = [
    pytest.param(
        lambda c: first(c.projects.list(facets={"completed": False}, order={"rank": "DESC"})),
        "/projects.json",
        {"facets": "completed:false", "order": "rank:DESC"},
        "projects_list",
        m.Project,
        id="projects",
    ),
    pytest.param(
        lambda c: first(c.needs.list(project_id=1114, facets={"completed": False})),
        "/projects/1114/needs.json",
        {"facets": "completed:false"},
        "needs_list",
        m.Need,
        id="needs",
    ),
    pytest.param(
        lambda c: first(c.blog_posts.list(project_id=1114)),
        "/projects/1114/blog_posts.json",
        {},
        "blog_posts_list",
        m.BlogPost,
        id="project-blog-posts",
    ),
    pytest.param(
        lambda c: first(c.blog_posts.list(fundraising_event_id=19267)),
        "/fundraising_events/19267/blog_posts.json",
        {},
        "blog_posts_list",
        m.BlogPost,
        id="event-blog-posts",
    ),
    pytest.param(
        lambda c: first(c.categories.list(project_id=1114)),
        "/projects/1114/categories.json",
        {},
        "categories_list",
        m.Category,
        id="categories",
    ),
    pytest.param(
        lambda c: first(c.opinions.list(project_id=1114, facets={"has_message": True})),
        "/projects/1114/opinions.json",
        {"facets": "has_message:true"},
        "opinions_list",
        m.Opinion,
        id="project-opinions",
    ),
    pytest.param(
        lambda c: first(
            c.opinions.list(fundraising_event_id=19267, order={"confirmed_at": "DESC"})
        ),
        "/fundraising_events/19267/opinions.json",
        {"order": "confirmed_at:DESC"},
        "opinions_list",
        m.Opinion,
        id="event-opinions",
    ),
    pytest.param(
        lambda c: first(c.pictures.list(project_id=1114)),
        "/projects/1114/pictures.json",
        {},
        "project_pictures_list",
        m.ProjectPicture,
        id="pictures",
    ),
    pytest.param(
        lambda c: first(c.fundraising_events.list(q="Die Eckerts", facets={"closed": False})),
        "/fundraising_events.json",
        {"q": "Die Eckerts", "facets": "closed:false"},
        "fundraising_events_list",
        m.FundraisingEvent,
        id="fundraising-events",
    ),
    pytest.param(
        lambda c: first(c.fundraising_events.featured_projects(19267)),
        "/fundraising_events/19267/featured_projects.json",
        {},
        "fundraising_events_featured_projects_list",
        m.Project,
        id="featured-projects",
    ),
    pytest.param(
        lambda c: first(c.fundraising_events.forwardings(19267)),
        "/fundraising_events/19267/forwardings.json",
        {},
        "fundraising_event_forwardings_list",
        m.Forwarding,
        id="forwardings",
    ),
    pytest.param(
        lambda c: first(c.organisations.list()),
        "/organisations.json",
        {},
        "organisations_list",
        m.Organisation,
        id="organisations",
    ),
    pytest.param(
        lambda c: first(c.organisations.projects(1054)),
        "/organisations/1054/projects.json",
        {},
        "projects_list",
        m.Project,
        id="organisation-projects",
    ),
    pytest.param(
        lambda c: first(c.matching_funds.list(project_id=28013, facets={"state": "activated"})),
        "/matching_funds.json",
        {"project_id": "28013", "facets": "state:activated"},
        "matching_funds_list",
        m.MatchingFund,
        id="matching-funds",
    ),
    pytest.param(
        lambda c: first(c.matching_funds.projects(5)),
        "/matching_funds/5/projects.json",
        {},
        "matching_fund_projects_list",
        m.Project,
        id="matching-fund-projects",
    ),
    pytest.param(
        lambda c: first(
            c.search(
                "Katze",
                bounds=BoundingBox(
                    nelat=52.6754542, nelng=13.7611175, swlat=52.338234, swlng=13.08834
                ),
                facets={"state": "activated"},
            )
        ),
        "/search.json",
        {
            "q": "Katze",
            "bounds": "52.6754542,13.7611175,52.338234,13.08834",
            "facets": "state:activated",
        },
        "search",
        m.SearchResult,
        id="search",
    ),
    pytest.param(
        lambda c: first(c.clients.projects.list(facets={"closed": False})),
        "/clients/acme/projects.json",
        {"facets": "closed:false"},
        "projects_list",
        m.Project,
        id="client-projects",
    ),
    pytest.param(
        lambda c: first(c.clients.fundraising_events.list()),
        "/clients/acme/fundraising_events.json",
        {},
        "fundraising_events_list",
        m.FundraisingEvent,
        id="client-fundraising-events",
    ),
    pytest.param(
        lambda c: first(c.clients.blog_posts.list()),
        "/clients/acme/blog_posts.json",
        {},
        "blog_posts_list",
        m.BlogPost,
        id="client-blog-posts",
    ),
    pytest.param(
        lambda c: first(c.clients.donations.list(client_reference="ref-54")),
        "/clients/acme/client_donations.json",
        {"facets": "client_reference:ref-54"},
        "client_donations_list",
        m.ClientDonation,
        id="client-donations",
    ),
    pytest.param(
        lambda c: first(c.clients.tags.list(order={"projects_count": "DESC"})),
        "/clients/acme/tags.json",
        {"order": "projects_count:DESC"},
        "client_tags_list",
        m.Tag,
        id="client-tags",
    ),
    pytest.param(
        lambda c: first(c.clients.tags.projects("Bedürftige")),
        "/clients/acme/tags/Bed%C3%BCrftige/projects.json",
        {},
        "client_tag_projects_list",
        m.Project,
        id="client-tag-projects",
    ),
    pytest.param(
        lambda c: first(c.clients.tags.of_project(4425)),
        "/clients/acme/projects/4425/tags.json",
        {},
        "client_project_tags_list",
        m.Tag,
        id="client-project-tags",
    ),
]


@pytest.mark.parametrize(("call", "path", "query", "kind", "model"), LISTS)
async def test_list_endpoints(
    mock_api: aioresponses, call: Call, path: str, query: dict[str, str], kind: str, model: type
) -> None:
    url = URL(API + path, encoded="%" in path).with_query({**query, "page": 1, "per_page": 200})
    mock_api.get(url, payload=single_page(kind))
    async with BetterplaceClient(client_id="acme", auth=AUTH) as client:
        result = await call(client)
    assert isinstance(result, model)
    (key,) = mock_api.requests
    assert key[1].path == url.path
    assert dict(key[1].query) == dict(url.query)


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        pytest.param(lambda c: c.opinions.list(), "project_id", id="opinions-no-owner"),
        pytest.param(
            lambda c: c.opinions.list(project_id=1, fundraising_event_id=2),
            "project_id",
            id="opinions-two-owners",
        ),
        pytest.param(lambda c: c.blog_posts.list(), "project_id", id="public-blog-posts"),
        pytest.param(lambda c: c.needs.list(project_id=0), "project_id", id="need-id"),
        pytest.param(lambda c: c.clients.tags.projects(".."), "slug", id="slug-dotdot"),
        pytest.param(
            lambda c: c.clients.donations.list(client_reference="a b"),
            "client_reference",
            id="reference",
        ),
        pytest.param(lambda c: c.projects.list(per_page=500), "per_page", id="per-page"),
        pytest.param(lambda c: c.projects.list(concurrency=0), "concurrency", id="concurrency"),
        pytest.param(lambda c: c.projects.list(pages=3), "pages", id="unknown-option"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    mock_api: aioresponses, call: Callable[[BetterplaceClient], Any], parameter: str
) -> None:
    async def attempt(client: BetterplaceClient) -> None:
        result = call(client)
        if hasattr(result, "__await__"):
            await result

    async with BetterplaceClient(client_id="acme", auth=AUTH) as client:
        with pytest.raises(InvalidParameterError) as info:
            await attempt(client)
    assert info.value.parameter == parameter
    assert not mock_api.requests


async def test_raw_listing_yields_records_exactly_as_sent(mock_api: aioresponses) -> None:
    body = single_page("client_donations_list")
    url = URL(API + "/clients/acme/client_donations.json").with_query(page=1, per_page=200)
    mock_api.get(url, payload=body)
    async with BetterplaceClient(client_id="acme", auth=AUTH) as client:
        records = await client.clients.donations.list().raw().collect()
    assert records == body["data"]
    assert all(isinstance(r, dict) for r in records)
