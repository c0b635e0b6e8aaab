"""The projects namespace: decoding real samples, query encoding, sequential paging."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

from betterplace_async import BetterplaceClient, BoundingBox, InvalidParameterError
from betterplace_async.models import Project
from tests.conftest import load_sample, sample_files, sample_id

BASE = "https://api.betterplace.org/de/api_v4"
LIST_URL = f"{BASE}/projects.json"


def _list_url(**query: Any) -> URL:
    return URL(LIST_URL).with_query({k: str(v) for k, v in query.items()})


@pytest.mark.parametrize("path", sample_files("project_details"), ids=sample_id)
async def test_project_details_sample_decodes(mock_api: aioresponses, path: Path) -> None:
    body = load_sample("project_details", path.stem)
    mock_api.get(f"{BASE}/projects/{body['id']}.json", payload=body)
    async with BetterplaceClient() as client:
        project = await client.projects.get(body["id"])
    assert isinstance(project, Project)
    assert project.id == body["id"]
    assert project.title == body.get("title")
    for name in ("created_at", "updated_at", "activated_at", "closed_at"):
        value = getattr(project, name)
        assert value is None or (isinstance(value, datetime) and value.tzinfo is not None)
    if body.get("donated_amount_in_cents") is not None:
        assert project.donated_amount_in_cents == body["donated_amount_in_cents"]
        assert type(project.donated_amount_in_cents) is int
    if body.get("latitude") is not None:
        assert project.latitude == pytest.approx(float(body["latitude"]))


@pytest.mark.parametrize("path", sample_files("projects_list"), ids=sample_id)
async def test_projects_list_sample_decodes(mock_api: aioresponses, path: Path) -> None:
    body = load_sample("projects_list", path.stem)
    mock_api.get(_list_url(page=1, per_page=20), payload=body)
    async with BetterplaceClient() as client:
        page = await client.projects.page()
    assert page.total_entries == body["total_entries"]
    assert page.total_pages == body["total_pages"]
    assert page.current_page == body["current_page"]
    assert [p.id for p in page.data] == [item["id"] for item in body["data"]]


def test_string_coordinates_become_floats() -> None:
    from betterplace_async import make_converter

    project = make_converter().structure(
        {"id": 1, "latitude": "52.499007", "longitude": "13.44947", "progress_percentage": 96},
        Project,
    )
    assert project.latitude == pytest.approx(52.499007)
    assert project.longitude == pytest.approx(13.44947)
    assert project.progress_percentage == 96.0


async def test_query_parameters_are_encoded_as_documented(mock_api: aioresponses) -> None:
    body = load_sample("projects_list", "docs-flori_1")
    expected = _list_url(
        q="Skateistan",
        scope="location",
        around="10997 Berlin",
        around_distance="25km",
        nelat=51.123,
        nelng=12.123,
        swlat=51.001,
        swlng=12.001,
        facets="completed:false|prohibited:false",
        order="rank:DESC|created_at:ASC",
        page=2,
        per_page=3,
    )
    mock_api.get(expected, payload=body)
    async with BetterplaceClient() as client:
        await client.projects.page(
            2,
            per_page=3,
            q="Skateistan",
            scope="location",
            around="10997 Berlin",
            around_distance=25,
            bounds=BoundingBox(nelat=51.123, nelng=12.123, swlat=51.001, swlng=12.001),
            facets={"completed": False, "prohibited": False},
            order=[("rank", "desc"), ("created_at", "ASC")],
        )
    (request_key,) = mock_api.requests
    assert "facets=completed:false%7Cprohibited:false" in str(request_key[1])


def _page_body(ids: list[int], page: int, per_page: int, total: int) -> dict[str, Any]:
    return {
        "total_entries": total,
        "offset": (page - 1) * per_page,
        "total_pages": -(-total // per_page),
        "current_page": page,
        "per_page": per_page,
        "data": [{"id": i, "title": f"p{i}"} for i in ids],
    }


async def test_list_iterates_every_page_in_order(mock_api: aioresponses) -> None:
    mock_api.get(_list_url(page=1, per_page=2), payload=_page_body([1, 2], 1, 2, 5))
    mock_api.get(_list_url(page=2, per_page=2), payload=_page_body([3, 4], 2, 2, 5))
    mock_api.get(_list_url(page=3, per_page=2), payload=_page_body([5], 3, 2, 5))
    async with BetterplaceClient() as client:
        ids = [p.id async for p in client.projects.list(per_page=2)]
    assert ids == [1, 2, 3, 4, 5]


async def test_list_limit_fetches_only_needed_pages(mock_api: aioresponses) -> None:
    mock_api.get(_list_url(page=1, per_page=2), payload=_page_body([1, 2], 1, 2, 5))
    mock_api.get(_list_url(page=2, per_page=2), payload=_page_body([3, 4], 2, 2, 5))
    async with BetterplaceClient() as client:
        ids = [p.id async for p in client.projects.list(per_page=2, limit=3)]
    assert ids == [1, 2, 3]
    assert len(mock_api.requests) == 2


async def test_empty_list_with_null_data(mock_api: aioresponses) -> None:
    body = {"total_entries": 0, "offset": 0, "total_pages": 0, "current_page": 1, "data": None}
    mock_api.get(_list_url(page=1, per_page=200), payload=body)
    async with BetterplaceClient() as client:
        assert [p async for p in client.projects.list()] == []


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        pytest.param({"per_page": 201}, "per_page", id="per-page-cap"),
        pytest.param({"facets": "completed:false"}, "facets", id="facets-string"),
        pytest.param({"order": {"rank": "sideways"}}, "order", id="order-direction"),
        pytest.param({"scope": "everything"}, "scope", id="scope"),
        pytest.param({"limit": -1}, "limit", id="limit"),
        pytest.param({"start_page": 0}, "start_page", id="start-page"),
        pytest.param({"around_distance": "far"}, "around_distance", id="around-distance"),
    ],
)
async def test_bad_list_arguments_fail_before_any_request(
    mock_api: aioresponses, kwargs: dict[str, Any], parameter: str
) -> None:
    async with BetterplaceClient() as client:
        with pytest.raises(InvalidParameterError) as info:
            client.projects.list(**kwargs)
    assert info.value.parameter == parameter
    assert not mock_api.requests


@pytest.mark.parametrize("project_id", [0, -3, "1114", 1.5, True, None])
async def test_bad_project_id_fails_before_any_request(
    mock_api: aioresponses, project_id: Any
) -> None:
    async with BetterplaceClient() as client:
        with pytest.raises(InvalidParameterError, match="project_id"):
            await client.projects.get(project_id)
    assert not mock_api.requests
