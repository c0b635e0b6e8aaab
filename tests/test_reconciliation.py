"""The reconciliation CSV: header, quoting, rows from results, refusals."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from betterplace_async import InvalidParameterError
from betterplace_async.models.submissions import SubmissionKind, SubmissionResult
from betterplace_async.reconciliation import (
    COLUMNS,
    ReconciliationRow,
    render_csv,
    rows_from_results,
    write_csv,
)

BERLIN = timezone(timedelta(hours=1))
SUBMITTED = datetime(2007, 11, 1, 14, 15, 30, 123456, tzinfo=BERLIN)
SETTLED = datetime(2007, 11, 1, 13, 16, 0, tzinfo=UTC)


def _result(**changes: Any) -> SubmissionResult:
    fields: dict[str, Any] = {
        "kind": SubmissionKind.DONATION_PLEDGE,
        "client_reference": "123123123123",
        "amount_in_cents": 12000,
        "project_id": 1114,
        "state": "confirmed",
        "submitted_at": SUBMITTED,
        "settled_at": SETTLED,
    }
    fields.update(changes)
    return SubmissionResult(**fields)


def test_renders_the_documented_columns_all_quoted() -> None:
    text = render_csv([_result()])
    assert text == (
        '"receiver_type","receiver_id","amount_in_cents","client_reference","datetime"\r\n'
        '"Project","1114","12000","123123123123","2007-11-01T13:15:30Z"\r\n'
    )
    assert tuple(next(csv.reader(io.StringIO(text)))) == COLUMNS


def test_only_confirmed_donation_pledges_become_rows() -> None:
    results = [
        _result(client_reference="a"),
        _result(client_reference="b", state="failed", failure_code="pool_empty"),
        _result(client_reference="c", state="pending"),
        _result(client_reference="d", kind=SubmissionKind.FORWARDING_REQUEST),
        _result(client_reference="e", project_id=None),
    ]
    rows = rows_from_results(results, pool_id=77)
    assert [(r.client_reference, r.receiver_type, r.receiver_id) for r in rows] == [
        ("a", "Project", 1114),
        ("e", "Pool", 77),
    ]


def test_pool_pledges_need_the_pool_id() -> None:
    with pytest.raises(InvalidParameterError, match="pool_id"):
        rows_from_results([_result(project_id=None)])


def test_settled_time_on_request() -> None:
    (row,) = rows_from_results([_result()], timestamp="settled")
    assert row.datetime == SETTLED
    (fallback,) = rows_from_results([_result(submitted_at=None)])
    assert fallback.datetime == SETTLED
    with pytest.raises(InvalidParameterError, match="no time"):
        rows_from_results([_result(submitted_at=None, settled_at=None)])
    with pytest.raises(InvalidParameterError, match="timestamp"):
        rows_from_results([_result()], timestamp="now")  # type: ignore[arg-type]


def test_rows_and_results_mix() -> None:
    own = ReconciliationRow(
        receiver_type="Project",
        receiver_id=5,
        amount_in_cents=1,
        client_reference="own_1",
        datetime=datetime(2024, 1, 1, tzinfo=UTC),
    )
    text = render_csv([own, _result()])
    assert text.splitlines()[1] == '"Project","5","1","own_1","2024-01-01T00:00:00Z"'
    assert len(text.splitlines()) == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"receiver_type": "Pro,ject"}, "receiver_type", id="type"),
        pytest.param({"receiver_id": 0}, "receiver_id", id="id"),
        pytest.param({"amount_in_cents": 0}, "amount_in_cents", id="amount"),
        pytest.param({"amount_in_cents": 1.5}, "amount_in_cents", id="float"),
        pytest.param({"client_reference": 'a"b'}, "client_reference", id="quote"),
        pytest.param({"datetime": datetime(2024, 1, 1)}, "datetime", id="naive"),
    ],
)
def test_bad_rows_are_refused_before_writing(
    changes: dict[str, Any], field: str, tmp_path: Path
) -> None:
    fields: dict[str, Any] = {
        "receiver_type": "Project",
        "receiver_id": 5,
        "amount_in_cents": 1,
        "client_reference": "r",
        "datetime": datetime(2024, 1, 1, tzinfo=UTC),
    }
    fields.update(changes)
    target = tmp_path / "out.csv"
    with pytest.raises(InvalidParameterError) as caught:
        write_csv([_result(), ReconciliationRow(**fields)], target)
    assert caught.value.parameter == field
    assert not target.exists()


def test_refuses_other_objects() -> None:
    with pytest.raises(InvalidParameterError, match=r"rows\[0\]"):
        render_csv([{"amount_in_cents": 1}])  # type: ignore[list-item]
    with pytest.raises(InvalidParameterError, match=r"results\[0\]"):
        rows_from_results(["x"])  # type: ignore[list-item]


def test_writes_utf8_to_a_path_and_to_a_stream(tmp_path: Path) -> None:
    target = tmp_path / "abgleich.csv"
    assert write_csv([_result(), _result(client_reference="zwei")], target) == 2
    raw = target.read_bytes()
    assert raw.startswith(b'"receiver_type"')  # no BOM
    assert raw.count(b"\r\n") == 3
    stream = io.StringIO(newline="")
    assert write_csv([_result()], stream) == 1
    assert stream.getvalue() == render_csv([_result()])


def test_header_only_when_nothing_was_booked() -> None:
    assert render_csv([_result(state="failed")]) == (
        '"receiver_type","receiver_id","amount_in_cents","client_reference","datetime"\r\n'
    )
