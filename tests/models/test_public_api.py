"""Spot checks for the public API models: events, opinions, search, organisations, needs."""

from __future__ import annotations

from datetime import datetime

from betterplace_async.models import (
    BlogPost,
    Category,
    Forwarding,
    FundraisingEvent,
    MatchingFund,
    MatchingFundState,
    Need,
    Opinion,
    Organisation,
    Page,
    ProjectPicture,
    SearchResult,
    SearchResultType,
)

from .conftest import Decode


def test_fundraising_event_without_goal(decode: Decode) -> None:
    event: FundraisingEvent = decode("fundraising_event_details/docs-flori_1")
    assert event.id == 1
    assert event.donated_amount_in_cents == 80000
    assert event.forwarded_amount_in_cents == 20000
    assert event.requested_amount_in_cents is None
    assert event.progress_percentage is None
    assert event.activate_donations_at is None
    assert event.closed_at is None
    assert event.donations_count == 2
    assert event.updated_at == datetime.fromisoformat("2025-11-29T09:00:23+01:00")
    assert event.contact is not None
    assert event.contact.links.href("contact_data") == (
        "https://api.betterplace.dev/de/api_v4/users/3/contact_data.json"
    )


def test_unpaginated_forwardings_are_one_page(decode: Decode) -> None:
    page: Page[Forwarding] = decode("fundraising_event_forwardings_list/docs-flori_1")
    assert page.offset is None
    assert page.per_page is None
    assert page.total_entries == 2
    assert [f.project_id for f in page.data] == [1, 8]
    assert page.data[0].forwarded_amount_in_cents == 10000


def test_opinion(decode: Decode) -> None:
    page: Page[Opinion] = decode("opinions_list/docs-flori_1")
    opinion = page.data[0]
    assert opinion.donated_amount_in_cents == 50000
    assert opinion.confirmed_at == datetime.fromisoformat("2025-11-10T12:29:56+01:00")
    assert opinion.message == "with &lt;3"
    assert opinion.author is not None
    assert opinion.author.name == "Anonym"
    assert opinion.backed_by_fundraising_event is None
    assert opinion.matched_amount_in_cents is None


def test_null_data_is_an_empty_page(decode: Decode) -> None:
    page: Page[Opinion] = decode("opinions_list/docs-jackk_1")
    assert page.data == ()
    assert page.total_entries is None


def test_hidden_opinion_amount_is_none(decode: Decode) -> None:
    page: Page[Opinion] = decode("opinions_list/docs-xijo_4")
    shown, hidden = page.data[0], page.data[1]
    assert (shown.donated_amount_in_cents, shown.matched_amount_in_cents) == (2000, 0)
    assert shown.matched is False
    assert hidden.donated_amount_in_cents is None
    assert hidden.matched_amount_in_cents is None


def test_search_results(decode: Decode) -> None:
    page: Page[SearchResult] = decode("search/docs-flori_2")
    assert (page.total_entries, page.total_pages) == (6, 2)
    first = page.data[0]
    assert first.type == SearchResultType.PROJECT
    assert first.matching_events[0].id == 1
    assert first.latitude == 52.49000000000001
    assert {r.type for r in page.data} <= SearchResultType.KNOWN


def test_organisation(decode: Decode) -> None:
    organisation: Organisation = decode("organisation_details/docs-flori_1")
    assert organisation.id is not None
    assert isinstance(organisation.latitude, float)
    assert organisation.links.get("projects") is not None


def test_early_organisation_image(decode: Decode) -> None:
    organisation: Organisation = decode("organisation_details/docs-bpdocs_2")
    assert organisation.image is not None
    assert organisation.image.links.rels() == ("thumb", "medium")
    assert organisation.website_url == "http://www.lorem.com"
    # links with extra count fields from that draft still decode as plain links
    assert organisation.links.get("projects") is not None


def test_needs_progress_is_float(decode: Decode) -> None:
    page: Page[Need] = decode("needs_list/docs-flori_1")
    need = page.data[0]
    assert isinstance(need.progress_percentage, float)
    assert isinstance(need.requested_amount_in_cents, int)
    assert need.links.get("project") is not None


def test_matching_fund(decode: Decode) -> None:
    fund: MatchingFund = decode("matching_fund_details/docs-bpdocs_1")
    assert fund.state in MatchingFundState.KNOWN
    assert fund.activated_at is not None
    assert fund.activated_at.tzinfo is not None


def test_blog_post_payout(decode: Decode) -> None:
    page: Page[BlogPost] = decode("blog_posts_list/docs-bpdocs_5")
    payouts = [post.payout for post in page.data if post.payout is not None]
    assert payouts[0].needs[0].payout_amount_in_cents == 56050
    assert payouts[0].needs[0].need_title == "Heating costs for the Kabul skatepark for 2015"


def test_category_slug_may_be_null(decode: Decode) -> None:
    page: Page[Category] = decode("categories_list/docs-flori_1")
    assert page.data[0].slug is None
    assert page.data[0].name == "Highly interesting"


def test_picture_without_id(decode: Decode) -> None:
    picture: ProjectPicture = decode("project_pictures_list/docs-jackk_1")
    assert picture.id is None
    assert (picture.width, picture.height) == (132, 99)
    assert picture.links.href("image") is not None
