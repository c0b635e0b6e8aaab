"""The reconciliation CSV a client sends betterplace.org along with the money it pledged.

One header row, then one row per booked pledge with the columns ``receiver_type``,
``receiver_id``, ``amount_in_cents``, ``client_reference`` and ``datetime`` (ISO 8601 in UTC,
e.g. ``2007-11-01T13:15:30Z``); UTF-8, comma-separated, every value in double quotes, lines
ending in CRLF as RFC 4180 has it.

Rows come from :class:`ReconciliationRow` objects or straight from
:class:`~betterplace_async.models.submissions.SubmissionResult` objects: only confirmed
donation pledges become rows (failed pledges moved no money; forwarding requests move money
already in the pool). The receiver is the one pledged to: the project, or the pool, whose id
must then be given as ``pool_id``. The time is when the API accepted the pledge unless
``timestamp="settled"``.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Final, Literal, TextIO

import attrs

from betterplace_async._core import params as _params
from betterplace_async._core.validate import MAX_AMOUNT_IN_CENTS
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.donations import ReceiverType
from betterplace_async.models.submissions import SubmissionKind, SubmissionResult

__all__ = [
    "COLUMNS",
    "ReconciliationRow",
    "render_csv",
    "rows_from_results",
    "write_csv",
]

COLUMNS: Final = ("receiver_type", "receiver_id", "amount_in_cents", "client_reference", "datetime")

Timestamp = Literal["submitted", "settled"]
Line = tuple[str, str, str, str, str]


def _iso_utc(value: object, name: str) -> str:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidParameterError(name, "must be a timezone-aware datetime")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@attrs.frozen(kw_only=True)
class ReconciliationRow:
    """One line of the CSV: ``amount_in_cents`` went to ``receiver_type`` ``receiver_id``.

    ``receiver_type`` is ``"Project"`` or ``"Pool"``; ``datetime`` must be timezone-aware.
    """

    receiver_type: str
    receiver_id: int
    amount_in_cents: int
    client_reference: str
    datetime: datetime

    def values(self) -> Line:
        """Return the row as the five checked strings written to the file."""
        kind = self.receiver_type
        if not isinstance(kind, str) or not kind.isascii() or not kind.isalpha():
            raise InvalidParameterError(
                "receiver_type", f"must be a word such as 'Project', got {kind!r}"
            )
        receiver = _params.positive_id(self.receiver_id, "receiver_id")
        amount = self.amount_in_cents
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise InvalidParameterError("amount_in_cents", "must be an int number of cents")
        if not 1 <= amount <= MAX_AMOUNT_IN_CENTS:
            raise InvalidParameterError(
                "amount_in_cents", f"must be between 1 and {MAX_AMOUNT_IN_CENTS}, got {amount}"
            )
        reference = _params.reference(self.client_reference)
        return kind, str(receiver), str(amount), reference, _iso_utc(self.datetime, "datetime")


def _row_of(
    result: object, name: str, pool_id: int | None, timestamp: Timestamp
) -> ReconciliationRow | None:
    if not isinstance(result, SubmissionResult):
        raise InvalidParameterError(
            name, f"must be a SubmissionResult, got {type(result).__name__}"
        )
    if result.kind != SubmissionKind.DONATION_PLEDGE or not result.confirmed:
        return None
    if result.project_id is None:
        if pool_id is None:
            raise InvalidParameterError(
                "pool_id", "is needed because a pledge went to the pool (see the Pool model)"
            )
        receiver_type, receiver_id = ReceiverType.POOL, _params.positive_id(pool_id, "pool_id")
    else:
        receiver_type, receiver_id = ReceiverType.PROJECT, result.project_id
    submitted, settled = result.submitted_at, result.settled_at
    when = (submitted or settled) if timestamp == "submitted" else (settled or submitted)
    if when is None:
        raise InvalidParameterError(name, f"{result.client_reference!r} carries no time")
    return ReconciliationRow(
        receiver_type=receiver_type,
        receiver_id=receiver_id,
        amount_in_cents=result.amount_in_cents,
        client_reference=result.client_reference,
        datetime=when,
    )


def _check_timestamp(timestamp: object) -> None:
    if timestamp not in ("submitted", "settled"):
        raise InvalidParameterError(
            "timestamp", f"must be 'submitted' or 'settled', got {timestamp!r}"
        )


def rows_from_results(
    results: Iterable[SubmissionResult],
    *,
    pool_id: int | None = None,
    timestamp: Timestamp = "submitted",
) -> list[ReconciliationRow]:
    """Return a row for every confirmed donation pledge among ``results``, in their order.

    ``pool_id`` (the id of the client's pool) is required when a pledge went to the pool.
    """
    _check_timestamp(timestamp)
    rows = []
    for index, result in enumerate(results):
        row = _row_of(result, f"results[{index}]", pool_id, timestamp)
        if row is not None:
            rows.append(row)
    return rows


def _rows(
    items: Iterable[ReconciliationRow | SubmissionResult], pool_id: int | None, timestamp: Timestamp
) -> list[ReconciliationRow]:
    _check_timestamp(timestamp)
    rows: list[ReconciliationRow] = []
    for index, item in enumerate(items):
        if isinstance(item, ReconciliationRow):
            rows.append(item)
            continue
        if not isinstance(item, SubmissionResult):
            raise InvalidParameterError(
                f"rows[{index}]",
                f"must be a ReconciliationRow or a SubmissionResult, got {type(item).__name__}",
            )
        row = _row_of(item, f"rows[{index}]", pool_id, timestamp)
        if row is not None:
            rows.append(row)
    return rows


def _lines(
    items: Iterable[ReconciliationRow | SubmissionResult], pool_id: int | None, timestamp: Timestamp
) -> list[Line]:
    """Check every row and return its strings, before anything is written."""
    return [row.values() for row in _rows(items, pool_id, timestamp)]


def _write(lines: list[Line], stream: TextIO) -> int:
    writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(lines)
    return len(lines)


def render_csv(
    rows: Iterable[ReconciliationRow | SubmissionResult],
    *,
    pool_id: int | None = None,
    timestamp: Timestamp = "submitted",
) -> str:
    """Return the whole CSV (header included) as a string."""
    buffer = io.StringIO(newline="")
    _write(_lines(rows, pool_id, timestamp), buffer)
    return buffer.getvalue()


def write_csv(
    rows: Iterable[ReconciliationRow | SubmissionResult],
    target: TextIO | str | os.PathLike[str],
    *,
    pool_id: int | None = None,
    timestamp: Timestamp = "submitted",
) -> int:
    """Write the CSV to a path (created or replaced, UTF-8) or an open text stream.

    Open a stream with ``newline=""`` so the CRLF line ends stay as they are. Every row is
    checked before anything is written. Returns the number of rows below the header.
    """
    checked = _lines(rows, pool_id, timestamp)
    if isinstance(target, str | os.PathLike):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            return _write(checked, stream)
    return _write(checked, target)
