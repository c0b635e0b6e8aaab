"""Client API models: client links, statistics, pool, tags, contact data, direct deposits."""

from __future__ import annotations

from datetime import datetime

from betterplace_async.models import (
    Client,
    ClientFundraisingEventStatistics,
    ClientProjectStatistics,
    ContactData,
    DirectDeposit,
    Page,
    Pool,
    Tag,
)

from .conftest import Decode


def test_client_links_and_templated_subscription_link(decode: Decode) -> None:
    client: Client = decode("client_details/docs-flori_1")
    assert client.projects_count is None  # statistics left this endpoint in 2016
    assert client.links.href("projects") is not None
    subscribe = client.links["project_mailing_subscriptions"]
    assert subscribe.templated
    assert "%7Bproject_id%7D" in subscribe.href
    assert subscribe.expand(project_id=4425).href.endswith(
        "/projects/4425/mailing_subscriptions.json"
    )


def test_old_client_statistics(decode: Decode) -> None:
    client: Client = decode("client_details/docs-flori_2")
    assert client.donated_amount_in_cents == 142538660
    assert client.pool_balance_in_cents == 8292137
    assert client.client_matched_amount_in_cents == 0
    assert client.projects_count == 323
    assert len(client.links) > 0


def test_statistics(decode: Decode) -> None:
    projects: ClientProjectStatistics = decode("client_project_statistics/docs-flori_1")
    assert projects.donated_amount_in_cents == 0
    assert type(projects.donated_amount_in_cents) is int
    assert projects.external_donated_amount_in_cents == 0
    assert projects.open_amount_in_cents is None
    events: ClientFundraisingEventStatistics = decode(
        "client_fundraising_event_statistics/docs-flori_1"
    )
    assert events.fundraising_events_count == 0


def test_pool(decode: Decode) -> None:
    pool: Pool = decode("pool_details/docs-flori_1")
    assert pool.id == 2
    assert pool.created_at == datetime.fromisoformat("2025-11-10T12:29:55+01:00")
    assert (pool.donated_amount_in_cents, pool.forwarded_amount_in_cents) == (0, 0)
    self_link = pool.links.href("self")
    assert self_link == "https://api.betterplace.dev/de/api_v4/clients/ww-testclient/pool.json"


def test_tags(decode: Decode) -> None:
    page: Page[Tag] = decode("client_tags_list/docs-flori_1")
    tag = page.data[0]
    assert (tag.tag, tag.slug, tag.projects_count) == ("client-tag-1", "client-tag-1", 1)
    old: Page[Tag] = decode("client_tags_list/docs-averell23_1")
    assert all(t.slug is None for t in old.data)


def test_contact_data_and_direct_deposit(decode: Decode) -> None:
    contact: ContactData = decode("contact_data_details/docs-flori_1")
    assert (contact.first_name, contact.last_name) == ("Katherine", "Catson")
    assert contact.email == "user2@betterplace.org"
    deposit: DirectDeposit = decode("client_direct_deposit_create/docs-flori_1")
    assert deposit.reference_id == 1
    assert deposit.iban == "DE61100500000191399744"
    assert deposit.holder_name == "betterplace.org"
    assert deposit.created_at is not None
    assert deposit.created_at.tzinfo is not None
