"""The converter hooks the models rely on: null lists, object-only models, fast optionals."""

from __future__ import annotations

from typing import Any

import attrs
import cattrs
import pytest

from betterplace_async._core.converter import make_converter
from betterplace_async.models import ClientDonation, Links, Page, Project, SearchResult

BOTH = [pytest.param(False, id="lenient"), pytest.param(True, id="strict")]


@pytest.mark.parametrize("strict", BOTH)
def test_null_or_missing_lists_are_empty(strict: bool) -> None:
    converter = make_converter(strict=strict)
    assert converter.structure({"data": None}, Page[Project]).data == ()
    assert converter.structure({}, Page[Project]).data == ()
    result = converter.structure({"id": 1, "matching_events": None, "links": None}, SearchResult)
    assert result.matching_events == ()
    assert result.links == Links()


@pytest.mark.parametrize("strict", BOTH)
@pytest.mark.parametrize("bad", ["abc", {"id": 1}, 5])
def test_a_list_field_refuses_other_values(strict: bool, bad: Any) -> None:
    with pytest.raises((TypeError, cattrs.BaseValidationError)):
        make_converter(strict=strict).structure({"data": bad}, Page[Project])


@pytest.mark.parametrize("strict", BOTH)
@pytest.mark.parametrize("bad", [["a backtrace line"], "text", 3, None])
def test_models_are_built_only_from_objects(strict: bool, bad: Any) -> None:
    converter = make_converter(strict=strict)
    with pytest.raises((TypeError, cattrs.BaseValidationError)):
        converter.structure(bad, ClientDonation)
    with pytest.raises((TypeError, cattrs.BaseValidationError)):
        converter.structure({"data": [bad]}, Page[ClientDonation])


def test_nested_non_object_is_refused_not_emptied() -> None:
    with pytest.raises((TypeError, cattrs.BaseValidationError)):
        make_converter().structure({"amount_in_cents": 1, "donor": []}, ClientDonation)


def test_strict_errors_name_the_path() -> None:
    raw = {"data": [{"id": 1}, {"id": 2, "donated_amount_in_cents": 1.5}]}
    with pytest.raises(cattrs.BaseValidationError) as info:
        make_converter(strict=True).structure(raw, Page[Project])
    assert any("$.data[1].donated_amount_in_cents" in m for m in cattrs.transform_error(info.value))


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("donated_amount_in_cents", "1200", 1200),
        ("donated_amount_in_cents", 1200.0, 1200),
        ("latitude", "52.5", 52.5),
        ("latitude", 52, 52.0),
        ("tax_deductible", "false", False),
        ("zip", 10997, "10997"),
        ("title", None, None),
    ],
)
def test_optional_scalars_keep_the_scalar_rules(field: str, raw: Any, expected: Any) -> None:
    value = getattr(make_converter().structure({"id": 1, field: raw}, Project), field)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("donated_amount_in_cents", 12.5),
        ("donated_amount_in_cents", True),
        ("donations_prohibited", "yes"),
    ],
)
def test_optional_scalars_refuse_lossy_values(field: str, raw: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        make_converter().structure({"id": 1, field: raw}, Project)


@pytest.mark.parametrize(("raw", "expected"), [(True, True), (False, False), ("false", False)])
def test_templated_flag_is_read_strictly(raw: Any, expected: bool) -> None:
    links = make_converter().structure([{"rel": "a", "href": "{x}", "templated": raw}], Links)
    assert links["a"].templated is expected


def test_templated_flag_refuses_nonsense() -> None:
    with pytest.raises(TypeError, match="boolean"):
        make_converter().structure([{"rel": "a", "href": "h", "templated": "yes"}], Links)


@attrs.frozen
class _Node:
    id: int
    child: _Node | None = None
    children: tuple[_Node, ...] = ()


@pytest.mark.parametrize("strict", BOTH)
def test_self_referencing_models_decode(strict: bool) -> None:
    raw = {"id": 1, "child": {"id": 2, "children": [{"id": 3}]}}
    node = make_converter(strict=strict).structure(raw, _Node)
    assert node.child is not None
    assert node.child.children[0].id == 3
