"""Every namespace against the fake server on loopback: real HTTP, real decoding."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from betterplace_async import (
    AuthenticationError,
    BetterplaceClient,
    InvalidParameterError,
    NotFoundError,
)
from betterplace_async import models as m
from betterplace_async.testing import FakeBetterplace


@pytest.fixture
async def client(fake_betterplace: FakeBetterplace) -> AsyncIterator[BetterplaceClient]:
    fake = fake_betterplace
    async with BetterplaceClient(
        base_url=fake.base_url, client_id=fake.client_id, auth=(fake.username, fake.password)
    ) as client:
        yield client


async def test_public_projects_and_their_sub_resources(client: BetterplaceClient) -> None:
    projects = await client.projects.list(limit=5).collect()
    assert len(projects) == 5
    assert all(isinstance(p, m.Project) for p in projects)
    project = await client.projects.get(projects[0].id)
    assert project.id == projects[0].id
    needs = await client.needs.list(project_id=project.id).collect()
    assert all(isinstance(n, m.Need) for n in needs)
    if needs:
        need = await client.needs.get(project_id=project.id, need_id=needs[0].id)
        assert need.id == needs[0].id
    assert all(
        isinstance(o, m.Opinion)
        for o in await client.opinions.list(project_id=project.id, limit=20).collect()
    )
    pictures = await client.pictures.list(project_id=project.id).collect()
    assert all(isinstance(p, m.ProjectPicture) for p in pictures)
    categories = await client.categories.list(project_id=project.id).collect()
    assert all(isinstance(c, m.Category) for c in categories)
    posts = await client.blog_posts.list(project_id=project.id).collect()
    if posts:
        post = await client.blog_posts.get(posts[0].id, project_id=project.id)
        assert post.id == posts[0].id
        assert (await client.blog_posts.get(posts[0].id)).id == posts[0].id


async def test_links_are_followed_into_the_right_models(client: BetterplaceClient) -> None:
    (project,) = await client.projects.list(limit=1).collect()
    same = await client.follow(project.links["self"])
    assert same == await client.projects.get(project.id)
    for rel, model in [
        ("needs", m.Need),
        ("opinions", m.Opinion),
        ("pictures", m.ProjectPicture),
        ("blog_posts", m.BlogPost),
        ("categories", m.Category),
    ]:
        if rel in project.links:
            items = await client.follow_list(project.links[rel], limit=5).collect()
            assert all(isinstance(item, model) for item in items), rel
    if project.carrier is not None and "self" in project.carrier.links:
        assert isinstance(await client.follow(project.carrier.links["self"]), m.Organisation)


async def test_links_outside_the_api_are_refused(client: BetterplaceClient) -> None:
    (project,) = await client.projects.list(limit=1).collect()
    with pytest.raises(InvalidParameterError, match="outside the configured API"):
        await client.follow(project.links["platform"])
    with pytest.raises(InvalidParameterError, match="outside the configured API"):
        await client.follow("https://evil.example/de/api_v4/clients/x/pool.json")


async def test_fundraising_events_organisations_matching_funds_search(
    client: BetterplaceClient,
) -> None:
    events = await client.fundraising_events.list(facets={"closed": False}).collect()
    assert events
    assert all(isinstance(e, m.FundraisingEvent) for e in events)
    event = await client.fundraising_events.get(events[0].id)
    assert event.id == events[0].id
    for listing, model in [
        (client.fundraising_events.featured_projects(event.id), m.Project),
        (client.fundraising_events.forwardings(event.id), m.Forwarding),
        (client.opinions.list(fundraising_event_id=event.id), m.Opinion),
        (client.blog_posts.list(fundraising_event_id=event.id), m.BlogPost),
    ]:
        assert all(isinstance(item, model) for item in await listing.collect())
    organisations = await client.organisations.list().collect()
    assert organisations
    org = await client.organisations.get(organisations[0].id)
    assert isinstance(org, m.Organisation)
    assert all(
        isinstance(p, m.Project) for p in await client.organisations.projects(org.id).collect()
    )
    funds = await client.matching_funds.list().collect()
    assert funds
    fund = await client.matching_funds.get(funds[0].id)
    assert isinstance(fund, m.MatchingFund)
    assert all(
        isinstance(p, m.Project) for p in await client.matching_funds.projects(fund.id).collect()
    )
    results = await client.search(facets={"state": "activated"}, limit=10).collect()
    assert all(isinstance(r, m.SearchResult) for r in results)


async def test_client_api_endpoints(client: BetterplaceClient) -> None:
    api = client.clients
    assert isinstance(await api.details(), m.Client)
    assert isinstance(await api.project_statistics(), m.ClientProjectStatistics)
    assert isinstance(await api.fundraising_event_statistics(), m.ClientFundraisingEventStatistics)
    assert isinstance(await api.pool(), m.Pool)
    projects = await api.projects.list().collect()
    assert projects
    assert (await api.projects.get(projects[0].id)).id == projects[0].id
    events = await api.fundraising_events.list().collect()
    if events:
        assert (await api.fundraising_events.get(events[0].id)).id == events[0].id
    assert all(isinstance(p, m.BlogPost) for p in await api.blog_posts.list(limit=10).collect())
    donations = await api.donations.list(limit=30).collect()
    assert len(donations) == 30
    assert len({d.token for d in donations}) == 30
    by_token = await api.donations.get(donations[0].token or "")
    assert by_token.token == donations[0].token
    ref = donations[1].client_reference
    assert ref
    found = await api.donations.list(client_reference=ref).collect()
    assert [d.token for d in found] == [donations[1].token]
    tags = await api.tags.list().collect()
    assert tags
    slug = tags[0].slug or tags[0].tag or ""
    assert all(isinstance(p, m.Project) for p in await api.tags.projects(slug).collect())
    assert all(isinstance(t, m.Tag) for t in await api.tags.of_project(projects[0].id).collect())
    contact = projects[0].contact
    if contact is not None and contact.id is not None:
        assert isinstance(await client.users.contact_data(contact.id), m.ContactData)


async def test_project_outside_client_scope_is_404(
    client: BetterplaceClient, fake_betterplace: FakeBetterplace
) -> None:
    outside = fake_betterplace.projects_where(in_client_scope=False)
    assert outside
    with pytest.raises(NotFoundError):
        await client.clients.projects.get(outside[0])


async def test_wrong_or_missing_credentials(fake_betterplace: FakeBetterplace) -> None:
    fake = fake_betterplace
    async with BetterplaceClient(
        base_url=fake.base_url, client_id=fake.client_id, auth=(fake.username, "wrong")
    ) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.clients.details()
    assert "wrong" not in str(info.value)
    # No credentials at all: the SDK refuses before sending anything.
    with pytest.raises(InvalidParameterError, match="auth"):
        BetterplaceClient(base_url=fake.base_url, client_id=fake.client_id).client()
    fake.clear_requests()
    async with BetterplaceClient(base_url=fake.base_url) as client:
        with pytest.raises(InvalidParameterError, match="auth"):
            await client.follow(f"{fake.base_url}/de/api_v4/clients/{fake.client_id}/pool.json")
    assert not fake.requests


async def test_english_locale(fake_betterplace: FakeBetterplace) -> None:
    async with BetterplaceClient(base_url=fake_betterplace.base_url, locale="en") as client:
        (project,) = await client.projects.list(limit=1).collect()
        assert "/en/api_v4/" in (project.links.href("self") or "")
