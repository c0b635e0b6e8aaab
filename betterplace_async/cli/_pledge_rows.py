"""The files of ``betterplace pledges submit``: the input rows and the results journal.

Input: a UTF-8 CSV whose header names the API's pledge fields (``amount_in_cents``
required; ``client_reference``, ``first_name``, ``last_name``, ``email``, ``street``,
``city``, ``zip``, ``country_code``, ``validate_address``, ``tracking_via``, ``earmark``)
plus ``project_id`` (empty: the client pool).

A row without ``client_reference`` gets one derived from the row itself: a hash of the
receiver, the amount, the donor's name and e-mail, ``tracking_via``, the ``--batch-id``
and the how-manieth such row it is. The same input therefore yields the same references on
every run, so a rerun books nothing twice; identical rows still get distinct references;
fixing a donor's address (a common reason for a refused pledge) keeps the reference.

Results (``results.csv``): one line per input row, in input order, with the reference
used, the receiver, the state reached, the failure code, the amount, when the API accepted
the pledge and, for pledges that never got accepted, the error. A rerun reads it back and
skips rows that already reached a final state.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import attrs

from betterplace_async.cli._common import UsageError
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.donations import ReceiverType
from betterplace_async.models.pledges import PledgeState
from betterplace_async.models.requests import NewDonationPledge
from betterplace_async.models.submissions import SubmissionResult
from betterplace_async.reconciliation import ReconciliationRow

__all__ = [
    "INPUT_COLUMNS",
    "RESULT_COLUMNS",
    "TEXT_FIELDS",
    "Outcome",
    "PledgeRow",
    "derive_reference",
    "outcome_of",
    "read_input",
    "read_results",
    "reconciliation_rows",
    "reference_basis",
    "replace_file",
    "write_results",
]

TEXT_FIELDS: Final = (  # the pledge's text fields, as the API names them
    "first_name",
    "last_name",
    "email",
    "street",
    "city",
    "zip",
    "country_code",
    "tracking_via",
)
INPUT_COLUMNS: Final = frozenset(
    {"amount_in_cents", "client_reference", "project_id", "validate_address", "earmark"}
    | set(TEXT_FIELDS)
)
RESULT_COLUMNS: Final = (
    "client_reference",
    "project_id",
    "state",
    "failure_code",
    "amount_in_cents",
    "submitted_at",
    "error",
)
FINAL: Final = PledgeState.FINAL
_TRUE: Final = frozenset({"true", "yes", "1", "y"})
_FALSE: Final = frozenset({"false", "no", "0", "n"})


@attrs.frozen
class PledgeRow:
    """One input row: where it came from, its receiver (``None``: pool) and the pledge."""

    line: int
    project_id: int | None
    pledge: NewDonationPledge
    generated: bool


def reference_basis(row: Mapping[str, str | None], batch_id: str = "") -> tuple[str, ...]:
    """Return what a derived reference is made of: batch, receiver, amount, donor, campaign."""

    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    def number(name: str) -> str:
        text = cell(name)
        return str(int(text)) if text.isascii() and text.isdigit() else text

    return (
        batch_id,
        number("project_id") or "pool",
        number("amount_in_cents"),
        cell("first_name").casefold(),
        cell("last_name").casefold(),
        cell("email").casefold(),
        cell("tracking_via"),
    )


def derive_reference(basis: tuple[str, ...], occurrence: int) -> str:
    """Return the reference of the ``occurrence``-th row (from 0) with this ``basis``."""
    digest = hashlib.sha256("\x1f".join((*basis, str(occurrence))).encode("utf-8"))
    return f"csv-{digest.hexdigest()[:24]}"


def _whole(text: str, name: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise InvalidParameterError(name, f"must be a whole number, got {text!r}")
    return int(text)


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE or not value:
        return True
    if value in _FALSE:
        return False
    raise InvalidParameterError("validate_address", f"must be true or false, got {text!r}")


def _parse(raw: dict[str, str], reference: str) -> tuple[int | None, NewDonationPledge]:
    cells = {key: (value or "").strip() for key, value in raw.items()}
    project = cells.get("project_id", "")
    earmark = cells.get("earmark", "")
    texts: dict[str, Any] = {name: cells.get(name) or None for name in TEXT_FIELDS}
    pledge = NewDonationPledge(
        amount_in_cents=_whole(cells.get("amount_in_cents", ""), "amount_in_cents"),
        client_reference=reference,
        validate_address=_flag(cells.get("validate_address", "")),
        earmark=_whole(earmark, "earmark") if earmark else None,
        **texts,
    )
    project_id = _whole(project, "project_id") if project else None
    if project_id == 0:
        raise InvalidParameterError("project_id", "must be a positive id (or empty for the pool)")
    return project_id, pledge


def read_input(path: Path, *, batch_id: str = "") -> list[PledgeRow]:
    """Read and check every row; the first bad one raises :class:`UsageError`."""
    try:
        stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    with stream:
        reader = csv.DictReader(stream)
        header = reader.fieldnames or []
        unknown = [name for name in header if name not in INPUT_COLUMNS]
        if unknown:
            raise UsageError(
                f"{path}: unknown column {unknown[0]!r}; columns are the API's pledge fields: "
                + ", ".join(sorted(INPUT_COLUMNS))
            )
        if "amount_in_cents" not in header:
            raise UsageError(f"{path}: the header needs an amount_in_cents column")
        rows: list[PledgeRow] = []
        seen: Counter[tuple[str, ...]] = Counter()
        references: dict[str, int] = {}
        try:
            for raw in reader:
                line = reader.line_num
                if None in raw:
                    raise UsageError(f"{path}, line {line}: more cells than header columns")
                given = (raw.get("client_reference") or "").strip()
                if given:
                    reference = given
                else:
                    basis = reference_basis(raw, batch_id)
                    reference = derive_reference(basis, seen[basis])
                    seen[basis] += 1
                try:
                    project_id, pledge = _parse(raw, reference)
                except InvalidParameterError as exc:
                    raise UsageError(
                        f"{path}, line {line}: {exc.parameter}: {exc.problem}"
                    ) from None
                if reference in references:
                    raise UsageError(
                        f"{path}, line {line}: client_reference {reference!r} is used on line "
                        f"{references[reference]} too; the API would book only one of them"
                    )
                references[reference] = line
                rows.append(PledgeRow(line, project_id, pledge, not given))
        except csv.Error as exc:
            raise UsageError(f"{path}, line {reader.line_num}: {exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{path}: not UTF-8 text") from None
    if not rows:
        raise UsageError(f"{path}: no pledges in the file")
    return rows


@attrs.define
class Outcome:
    """What became of one row (one line of the results file)."""

    client_reference: str
    project_id: int | None
    amount_in_cents: int
    state: str = ""
    failure_code: str = ""
    submitted_at: str = ""
    error: str = ""

    @property
    def final(self) -> bool:
        """Whether the API settled it (confirmed or failed)."""
        return self.state in FINAL

    def cells(self) -> list[str]:
        """Return the row of the results file."""
        return [
            self.client_reference,
            "" if self.project_id is None else str(self.project_id),
            self.state,
            self.failure_code,
            str(self.amount_in_cents),
            self.submitted_at,
            self.error,
        ]


def _stamp(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def outcome_of(result: SubmissionResult) -> Outcome:
    """Turn a settled (or given up) pledge into its results line."""
    state = result.state or ""
    error = ""
    if result.error is not None and not result.failed:
        error = " ".join(str(result.error).split())
        if not state:
            state = "error"
    return Outcome(
        client_reference=result.client_reference,
        project_id=result.project_id,
        amount_in_cents=result.amount_in_cents,
        state=state,
        failure_code=result.failure_code or "",
        submitted_at=_stamp(result.submitted_at),
        error=error,
    )


def read_results(path: Path) -> dict[str, Outcome]:
    """Read an earlier run's results by reference (empty when there is no file)."""
    try:
        stream = open(path, encoding="utf-8", newline="")  # noqa: SIM115
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    found: dict[str, Outcome] = {}
    with stream:
        reader = csv.DictReader(stream)
        if tuple(reader.fieldnames or ()) != RESULT_COLUMNS:
            raise UsageError(
                f"{path} exists but is not a results file of this command; "
                "choose another --results file"
            )
        try:
            for raw in reader:
                project = raw["project_id"]
                found[raw["client_reference"]] = Outcome(
                    client_reference=raw["client_reference"],
                    project_id=int(project) if project else None,
                    amount_in_cents=int(raw["amount_in_cents"]),
                    state=raw["state"],
                    failure_code=raw["failure_code"],
                    submitted_at=raw["submitted_at"],
                    error=raw["error"],
                )
        except (ValueError, TypeError, csv.Error) as exc:
            raise UsageError(f"{path}, line {reader.line_num}: damaged ({exc})") from None
    return found


def _replace(path: Path, write: Any) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8", newline="") as stream:
        write(stream)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)


def write_results(path: Path, outcomes: Iterable[Outcome]) -> None:
    """Replace the results file atomically."""

    def write(stream: Any) -> None:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(RESULT_COLUMNS)
        writer.writerows(outcome.cells() for outcome in outcomes)

    _replace(path, write)


def reconciliation_rows(
    outcomes: Iterable[Outcome], pool_id: int | None
) -> list[ReconciliationRow]:
    """Return a reconciliation row for every confirmed pledge, in input order."""
    rows = []
    for outcome in outcomes:
        if outcome.state != PledgeState.CONFIRMED:
            continue
        if outcome.project_id is None:
            if pool_id is None:
                raise InvalidParameterError("pool_id", "is needed for pledges to the pool")
            receiver = (ReceiverType.POOL, pool_id)
        else:
            receiver = (ReceiverType.PROJECT, outcome.project_id)
        when = datetime.fromisoformat(outcome.submitted_at) if outcome.submitted_at else None
        rows.append(
            ReconciliationRow(
                receiver_type=receiver[0],
                receiver_id=receiver[1],
                amount_in_cents=outcome.amount_in_cents,
                client_reference=outcome.client_reference,
                datetime=when or datetime.now(UTC),
            )
        )
    return rows


def replace_file(path: Path, write: Any) -> None:
    """Write ``path`` through a temporary file and an atomic rename."""
    _replace(path, write)
