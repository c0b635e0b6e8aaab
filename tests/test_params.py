"""Validation and encoding of caller input."""

from __future__ import annotations

import math
from typing import Any

import pytest

from betterplace_async import BoundingBox, InvalidParameterError
from betterplace_async._core import params as _params
from betterplace_async._engines.pagination import Paginator


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({"completed": False}, "completed:false", id="bool-lowercase"),
        pytest.param({"a": 1, "b": "x"}, "a:1|b:x", id="mapping-order-kept"),
        pytest.param(
            [("state", "active"), ("project_id", 7)], "state:active|project_id:7", id="pairs"
        ),
        pytest.param({}, None, id="empty-mapping"),
        pytest.param(None, None, id="none"),
    ],
)
def test_pairs_encode(value: object, expected: str | None) -> None:
    assert _params.pairs(value, "facets") == expected


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("completed:false", id="raw-string"),
        pytest.param(b"x:y", id="bytes"),
        pytest.param({"a": "x|b:y"}, id="pipe-in-value"),
        pytest.param({"a": "b:c"}, id="colon-in-value"),
        pytest.param({"a b": 1}, id="space-in-key"),
        pytest.param({"": 1}, id="empty-key"),
        pytest.param({"a": ""}, id="empty-value"),
        pytest.param({"a": None}, id="none-value"),
        pytest.param({"a": [1]}, id="list-value"),
        pytest.param([("a",)], id="short-pair"),
        pytest.param(5, id="int"),
    ],
)
def test_pairs_reject(value: object) -> None:
    with pytest.raises(InvalidParameterError, match="facets"):
        _params.pairs(value, "facets")


def test_order_normalises_direction() -> None:
    assert _params.order({"rank": "desc", "created_at": "ASC"}) == "rank:DESC|created_at:ASC"


def test_order_rejects_unknown_direction() -> None:
    with pytest.raises(InvalidParameterError, match="order: direction must be ASC or DESC"):
        _params.order({"rank": "UP"})


@pytest.mark.parametrize("value", [0, -1, True, 1.0, "12", None])
def test_positive_id_rejects(value: object) -> None:
    with pytest.raises(InvalidParameterError, match="project_id"):
        _params.positive_id(value, "project_id")


@pytest.mark.parametrize("value", ["", " ", ".", "..", "a\nb", "x" * 201, 0, False, 1.5, None])
def test_segment_rejects(value: object) -> None:
    with pytest.raises(InvalidParameterError, match="permalink"):
        _params.segment(value, "permalink")


@pytest.mark.parametrize("value", ["Bedürftige", "../x", "a/b", "a?b#c", 12])
def test_segment_accepts_and_leaves_encoding_to_url(value: object) -> None:
    assert _params.segment(value, "slug") == str(value)


@pytest.mark.parametrize("value", [0, 201, 1000, -5, True, "200"])
def test_per_page_refuses_beyond_cap(value: object) -> None:
    with pytest.raises(InvalidParameterError, match="per_page"):
        _params.per_page(value)


@pytest.mark.parametrize("value", ["fr", "DE", "", None, 1])
def test_locale_rejects(value: object) -> None:
    with pytest.raises(InvalidParameterError, match="locale"):
        _params.locale(value)


@pytest.mark.parametrize(
    ("value", "expected"), [(25, "25km"), ("500m", "500m"), ("3km", "3km"), (None, None)]
)
def test_around_distance(value: object, expected: str | None) -> None:
    assert _params.around_distance(value) == expected


@pytest.mark.parametrize("value", [0, "25 km", "km", "-1km", 2.5, True])
def test_around_distance_rejects(value: object) -> None:
    with pytest.raises(InvalidParameterError, match="around_distance"):
        _params.around_distance(value)


def test_bounding_box_params_and_range() -> None:
    box = BoundingBox(nelat=51.1, nelng=12.1, swlat=51.0, swlng=12.0)
    assert box.to_params() == {"nelat": 51.1, "nelng": 12.1, "swlat": 51.0, "swlng": 12.0}
    with pytest.raises(InvalidParameterError, match=r"bounds\.nelat"):
        BoundingBox(nelat=91, nelng=0, swlat=0, swlng=0).to_params()


@pytest.mark.parametrize("value", ["abc", "a-b_C9"])
def test_reference_accepts(value: str) -> None:
    assert _params.reference(value) == value


@pytest.mark.parametrize("value", ["", "a b", "ä", "a/b", "x" * 201, 5])
def test_reference_rejects(value: object) -> None:
    with pytest.raises(InvalidParameterError, match="client_reference"):
        _params.reference(value)


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        pytest.param(0, {}, 0, id="zero"),
        pytest.param(2.5, {"positive": True}, 2.5, id="positive"),
        pytest.param(math.inf, {"finite": False}, math.inf, id="unbounded-when-allowed"),
    ],
)
def test_seconds_accepts(value: float, options: dict[str, bool], expected: float) -> None:
    assert _params.seconds(value, "wait", **options) == expected


@pytest.mark.parametrize(
    ("value", "options", "message"),
    [
        pytest.param(-1, {}, ">= 0", id="negative"),
        pytest.param(0, {"positive": True}, "> 0", id="zero-when-positive"),
        pytest.param(math.nan, {"finite": False}, "seconds", id="nan"),
        pytest.param(math.inf, {}, "finite", id="infinite"),
        pytest.param(True, {}, "seconds", id="bool"),
        pytest.param("1", {}, "seconds", id="string"),
    ],
)
def test_seconds_rejects(value: object, options: dict[str, bool], message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message) as info:
        _params.seconds(value, "wait", **options)
    assert info.value.parameter == "wait"


@pytest.mark.parametrize("value", [-1, 1.5, True, "3"])
def test_the_paginator_checks_limit_with_params_limit(value: object) -> None:
    async def fetch_page(page: int, per_page: int) -> Any:
        raise AssertionError("never fetched")

    with pytest.raises(InvalidParameterError, match=r"^limit: must be an int >= 0 or None"):
        _params.limit(value)
    with pytest.raises(InvalidParameterError, match=r"^limit: must be an int >= 0 or None"):
        Paginator(fetch_page, limit=value)  # type: ignore[arg-type]
