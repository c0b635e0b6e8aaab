"""CSV columns come from the models; records are flattened under them."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from betterplace_async.cli._csv import Flattener, cell
from betterplace_async.models.donations import ClientDonation
from betterplace_async.models.fundraising_events import Forwarding

DONATION: dict[str, Any] = {
    "token": "t1",
    "client_reference": None,
    "state": "confirmed",
    "amount_in_cents": 2500,
    "created_at": "2021-02-04T18:19:46+01:00",
    "receiver_type": "Project",
    "receiver_id": 3,
    "receiver_title": 'Wells, "clean" water',
    "message": "line one\nline two",
    "donor": {"name": "Mira W.", "picture": {"fallback": True, "links": []}, "links": []},
    "links": [{"rel": "self", "href": "https://x/1.json"}],
}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (2.5, "2.5"),
        ("ä", "ä"),
        ([1, "b"], '[1,"b"]'),
        ({"k": None}, '{"k":null}'),
    ],
)
def test_cells(value: object, text: str) -> None:
    assert cell(value) == text


def test_nested_objects_become_dotted_columns() -> None:
    flattener = Flattener(ClientDonation)
    assert flattener.columns == [
        "token", "client_reference", "state", "amount_in_cents", "created_at",
        "receiver_type", "receiver_id", "receiver_title", "message", "donor.id", "donor.name",
        "donor.picture.links", "donor.picture.fallback", "donor.links", "links",
    ]  # fmt: skip
    row = dict(zip(flattener.columns, flattener.row(DONATION), strict=True))
    assert row["donor.name"] == "Mira W."
    assert row["donor.picture.fallback"] == "true"
    assert row["client_reference"] == ""
    assert row["links"] == '[{"rel":"self","href":"https://x/1.json"}]'
    assert flattener.left_out == set()


def test_rows_survive_a_csv_reader() -> None:
    flattener = Flattener(ClientDonation)
    text = (flattener.header() + flattener.rows([DONATION, {**DONATION, "donor": None}])).decode()
    assert text.endswith("\r\n")
    header, first, second = csv.reader(io.StringIO(text, newline=""))
    assert header == flattener.columns
    assert first[header.index("message")] == "line one\nline two"
    assert first[header.index("receiver_title")] == 'Wells, "clean" water'
    assert second[header.index("donor.name")] == ""


def test_unknown_fields_are_reported() -> None:
    flattener = Flattener(ClientDonation)
    record = {**DONATION, "new_field": 1, "donor": {**DONATION["donor"], "age": 3}}
    flattener.row(record)
    flattener.row({**DONATION, "donor": "anonymous"})
    assert flattener.left_out == {"new_field", "donor.age", "donor"}


def test_models_without_nesting() -> None:
    assert Flattener(Forwarding).columns == [
        "forwarded_amount_in_cents", "title", "project_id", "links",
    ]  # fmt: skip
