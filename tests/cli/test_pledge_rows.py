"""Reading pledge rows, deriving stable references, and the results journal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from betterplace_async.cli._common import UsageError
from betterplace_async.cli._pledge_rows import (
    Outcome,
    derive_reference,
    outcome_of,
    read_input,
    read_results,
    reconciliation_rows,
    reference_basis,
    write_results,
)
from betterplace_async.errors import APIConnectionError
from betterplace_async.models.submissions import SubmissionKind, SubmissionResult

HEADER = "amount_in_cents,project_id,first_name,last_name,email,street,city,zip,country_code\n"
ROW = "2500,7,Max,Muster,max@example.org,Hauptstr. 1,Berlin,10115,DE\n"


def _references(tmp_path: Path, text: str, batch_id: str = "") -> list[str]:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return [row.pledge.client_reference for row in read_input(path, batch_id=batch_id)]


def test_derived_references_are_stable_and_distinct_for_identical_rows(tmp_path: Path) -> None:
    first = _references(tmp_path, HEADER + ROW + ROW)
    assert first == _references(tmp_path, HEADER + ROW + ROW)
    assert len(set(first)) == 2
    assert all(ref.startswith("csv-") and len(ref) == 28 for ref in first)


def test_rows_added_elsewhere_do_not_change_references(tmp_path: Path) -> None:
    before = _references(tmp_path, HEADER + ROW)
    other = "100,8,Erika,Muster,e@example.org,Ring 2,Bonn,53111,DE\n"
    assert _references(tmp_path, HEADER + other + ROW)[1] == before[0]


def test_fixing_the_address_keeps_the_reference_but_the_amount_does_not(tmp_path: Path) -> None:
    before = _references(tmp_path, HEADER + ROW)
    fixed = ROW.replace("10115", "10117").replace("Hauptstr. 1", "Hauptstr. 2")
    assert _references(tmp_path, HEADER + fixed) == before
    assert _references(tmp_path, HEADER + ROW.replace("MAX@", "max@")) == before
    assert _references(tmp_path, HEADER + ROW.replace("2500", "2600")) != before


def test_a_batch_id_gives_new_references(tmp_path: Path) -> None:
    assert _references(tmp_path, HEADER + ROW) != _references(tmp_path, HEADER + ROW, "june")


def test_reference_basis_normalises_numbers_and_case() -> None:
    a = reference_basis({"project_id": "007", "amount_in_cents": "100", "email": "A@B.DE"})
    b = reference_basis({"project_id": "7", "amount_in_cents": "100 ", "email": "a@b.de"})
    assert a == b
    assert derive_reference(a, 0) != derive_reference(a, 1)


def test_rows_are_parsed_into_pledges(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "\ufeffamount_in_cents,project_id,client_reference,validate_address,earmark,tracking_via\n"
        "100,,ref-1,no,,camp_1\n"
        "200,12,, False ,5,\n",
        encoding="utf-8",
    )
    pool, project = read_input(path)
    assert (pool.line, pool.project_id, pool.generated) == (2, None, False)
    assert pool.pledge.client_reference == "ref-1"
    assert pool.pledge.tracking_via == "camp_1"
    assert pool.pledge.validate_address is False
    assert (project.project_id, project.pledge.earmark, project.generated) == (12, 5, True)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("amount_in_cents,validate_address\n100,maybe\n", "validate_address: must be true or"),
        ("amount_in_cents,project_id,validate_address\n100,0,false\n", "project_id"),
        ("amount_in_cents,validate_address\n0,false\n", "between 1 and"),
        ("amount_in_cents,validate_address\n1,false,extra\n", "more cells than header"),
        ("amount_in_cents,client_reference,validate_address\n1,a b,false\n", "client_reference"),
    ],
)
def test_bad_rows_name_line_and_field(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match="line 2") as caught:
        read_input(path)
    assert fragment in str(caught.value)


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read"):
        read_input(tmp_path / "nope.csv")


def _result(**changes: object) -> SubmissionResult:
    fields: dict[str, object] = {
        "kind": SubmissionKind.DONATION_PLEDGE,
        "client_reference": "ref",
        "amount_in_cents": 100,
        "project_id": 3,
        "state": "confirmed",
        "submitted_at": datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
    }
    fields.update(changes)
    return SubmissionResult(**fields)  # type: ignore[arg-type]


def test_outcomes_of_results() -> None:
    assert outcome_of(_result()).cells() == [
        "ref", "3", "confirmed", "", "100", "2024-05-01T12:00:00Z", ""
    ]  # fmt: skip
    failed = outcome_of(_result(state="failed", failure_code="pool_empty", project_id=None))
    assert (failed.state, failed.failure_code, failed.project_id, failed.final) == (
        "failed", "pool_empty", None, True
    )  # fmt: skip
    refused = outcome_of(_result(state=None, submitted_at=None, error=APIConnectionError("gone")))
    assert (refused.state, refused.error, refused.final) == ("error", "gone", False)


def test_results_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    outcomes = [
        Outcome("a", 3, 100, "confirmed", "", "2024-05-01T12:00:00Z", ""),
        Outcome("b", None, 200, "error", "", "", 'said "no", twice'),
    ]
    write_results(path, outcomes)
    assert read_results(path) == {"a": outcomes[0], "b": outcomes[1]}
    assert read_results(tmp_path / "none.csv") == {}
    (tmp_path / "other.csv").write_text("x,y\n1,2\n")
    with pytest.raises(UsageError, match="not a results file"):
        read_results(tmp_path / "other.csv")


def test_reconciliation_rows_of_confirmed_outcomes() -> None:
    outcomes = [
        Outcome("a", 3, 100, "confirmed", "", "2024-05-01T12:00:00Z", ""),
        Outcome("b", None, 200, "confirmed", "", "2024-05-01T12:00:01Z", ""),
        Outcome("c", 4, 300, "failed", "pool_empty", "2024-05-01T12:00:02Z", ""),
    ]
    rows = reconciliation_rows(outcomes, pool_id=9)
    assert [(r.receiver_type, r.receiver_id, r.client_reference) for r in rows] == [
        ("Project", 3, "a"),
        ("Pool", 9, "b"),
    ]
    assert rows[1].datetime == datetime(2024, 5, 1, 12, 0, 1, tzinfo=UTC)
