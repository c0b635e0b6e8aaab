"""Projects decode with real values: cents, aware datetimes, floats, links, old fields."""

from __future__ import annotations

from datetime import datetime, timedelta

from betterplace_async.models import ActiveMatchingFund, MatchingFundState, Page, Project

from .conftest import Decode


def test_current_project_details(decode: Decode) -> None:
    project: Project = decode("project_details/docs-flori_2")
    assert project.id == 1
    assert project.title == "Project - my little project"
    assert project.donated_amount_in_cents == 510000
    assert type(project.donated_amount_in_cents) is int
    assert project.open_amount_in_cents == 290100
    assert project.created_at == datetime.fromisoformat("2025-11-10T12:29:10+01:00")
    assert project.created_at is not None
    assert project.created_at.utcoffset() == timedelta(hours=1)
    assert project.street is None
    assert project.completed_at is None
    assert project.latitude == 52.49000000000001
    assert project.progress_percentage == 63.0
    assert project.tax_deductible is True
    assert project.donations_prohibited is False
    assert project.matching_events[0].matching_percentage == 50.0
    assert project.matching_events[0].banner_background_color == "#F6CE46"
    assert project.contact is not None
    assert project.contact.name == "u. X"
    assert project.contact.picture is not None
    assert project.contact.picture.fallback is True
    assert project.carrier is not None
    assert project.carrier.id == 1
    assert project.carrier.links.href("self") == (
        "https://api.betterplace.dev/de/api_v4/organisations/1.json"
    )
    assert project.profile_picture is not None
    assert "fill_960x500" in project.profile_picture.links
    assert project.active_matching_fund is None
    assert project.name is None  # a 2013-only field


def test_project_links_lookup_and_templated_donation_link(decode: Decode) -> None:
    project: Project = decode("project_details/docs-flori_2")
    assert project.links["self"].href == "https://api.betterplace.dev/de/api_v4/projects/1.json"
    assert project.links.get("video") is None
    donate = project.links["new_client_donation"]
    assert donate.templated
    expanded = donate.expand(client_id="ww-testclient")
    assert expanded.href == "https://www.betterplace.dev/de/donate/ww-testclient/projects/1"
    assert not expanded.templated
    assert not project.links["new_donation"].templated


def test_string_coordinates_become_floats(decode: Decode) -> None:
    page: Page[Project] = decode("projects_list/docs-bpdocs_2")
    first = page.data[0]
    assert first.latitude == 34.531617284782
    assert first.longitude == 69.13581752939456
    assert type(first.latitude) is float
    assert first.name == "Skateistan Afghanistan"
    assert first.title is None


def test_active_matching_fund(decode: Decode) -> None:
    project: Project = decode("project_details/docs-xijo_5")
    fund = project.active_matching_fund
    assert isinstance(fund, ActiveMatchingFund)
    assert fund.id == 27
    assert fund.state == MatchingFundState.ACTIVATED
    assert fund.provided_amount_in_cents == 123433
    assert fund.maximum_matching_amount_in_cents == 20000
    assert fund.logo_url is None
    assert (
        fund.links.href("projects")
        == "https://api.betterplace.org/de/api_v4/matching_funds/27/projects.json"
    )


def test_earliest_project_fields(decode: Decode) -> None:
    project: Project = decode("project_details/docs-jackk_8")
    assert project.outstanding_amount_in_cents == 19086
    assert project.news_count == 52
    assert project.number_of_all_unique_supporters == 282
    assert project.positive_opinions_with_donations_count == 357
    assert project.positive_opinions_without_donations_count == 17


def test_live_recording_uses_utc_and_keeps_counts(decode: Decode) -> None:
    page: Page[Project] = decode("projects_list/bettery_1")
    assert page.total_entries == 11149
    assert page.total_pages == 558
    assert page.per_page == 20
    project = page.data[0]
    assert project.id == 11135
    assert project.created_at == datetime.fromisoformat("2012-10-12T12:29:34+00:00")
    assert project.street is None
    assert project.positive_opinions_count == 1684
