"""Scalar hooks of the converter: accept real-world spellings, refuse lossy ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import cattrs
import pytest

from betterplace_async import make_converter
from betterplace_async.models import Link, Links


@attrs.frozen
class Sample:
    when: datetime | None = None
    cents: int | None = None
    ratio: float | None = None
    flag: bool | None = None
    text: str | None = None
    links: Links = Links()


@pytest.mark.parametrize(
    ("raw", "offset"),
    [
        ("2021-06-02T12:05:02+02:00", timedelta(hours=2)),
        ("1994-11-05T13:15:30Z", timedelta(0)),
        ("2021-06-02T12:05:02.123+01:00", timedelta(hours=1)),
        ("2021-06-02T12:05:02", timedelta(0)),
    ],
)
def test_datetimes_are_timezone_aware(raw: str, offset: timedelta) -> None:
    value = make_converter().structure({"when": raw}, Sample).when
    assert value is not None
    assert value.utcoffset() == offset


def test_naive_datetime_is_read_as_utc() -> None:
    value = make_converter().structure({"when": "2021-06-02T12:05:02"}, Sample).when
    assert value == datetime(2021, 6, 2, 12, 5, 2, tzinfo=UTC)


@pytest.mark.parametrize(("raw", "expected"), [(150, 150), ("150", 150), (150.0, 150)])
def test_cents_accept_whole_numbers(raw: object, expected: int) -> None:
    assert make_converter().structure({"cents": raw}, Sample).cents == expected


@pytest.mark.parametrize("raw", [150.5, "1.5", True, "abc", [1]])
def test_cents_refuse_lossy_values(raw: object) -> None:
    with pytest.raises(Exception, match="whole number"):
        make_converter().structure({"cents": raw}, Sample)


@pytest.mark.parametrize(("raw", "expected"), [(True, True), ("false", False), (1, True)])
def test_bools(raw: object, expected: bool) -> None:
    assert make_converter().structure({"flag": raw}, Sample).flag is expected


@pytest.mark.parametrize("raw", ["yes", 2, 1.0, None.__class__])
def test_bools_refuse_ambiguous(raw: object) -> None:
    with pytest.raises(Exception, match="boolean"):
        make_converter().structure({"flag": raw}, Sample)


def test_string_numbers_become_floats() -> None:
    assert make_converter().structure({"ratio": "52.5"}, Sample).ratio == 52.5


def test_links_lookup_and_templating() -> None:
    sample = make_converter().structure(
        {
            "links": [
                {"rel": "self", "href": "https://api.betterplace.org/de/api_v4/projects/1.json"},
                {
                    "rel": "new_client_donation",
                    "href": "https://www.betterplace.org/de/donate/%7Bclient_id%7D/projects/1",
                    "templated": True,
                },
            ]
        },
        Sample,
    )
    assert "self" in sample.links
    assert sample.links.href("missing") is None
    assert sample.links.rels() == ("self", "new_client_donation")
    link = sample.links["new_client_donation"]
    assert link.templated
    expanded = link.expand(client_id="acme corp")
    assert expanded.href == "https://www.betterplace.org/de/donate/acme%20corp/projects/1"
    assert not expanded.templated
    with pytest.raises(KeyError, match="client_id"):
        link.expand()
    assert Link("x", "https://a/{id}.json", templated=True).expand(id=5).href == "https://a/5.json"


def test_strict_converter_refuses_unknown_keys_lenient_ignores() -> None:
    assert make_converter().structure({"surprise": 1}, Sample) == Sample()
    with pytest.raises(cattrs.ClassValidationError) as info:
        make_converter(strict=True).structure({"surprise": 1}, Sample)
    assert "surprise" in " ".join(cattrs.transform_error(info.value))


def test_links_round_trip() -> None:
    converter = make_converter()
    raw = [{"rel": "a", "href": "h"}, {"rel": "b", "href": "{x}", "templated": True}]
    links = converter.structure(raw, Links)
    assert converter.unstructure(links) == raw
