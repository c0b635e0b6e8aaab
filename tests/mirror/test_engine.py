"""The mirror's I/O-free decisions: order, page sequence, cutoff, estimates, tallies, guards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from betterplace_async._core.converter import make_converter
from betterplace_async._engines.mirror import (
    DonationRow,
    Held,
    MassRevocationError,
    MirrorError,
    SyncReport,
    SyncSettings,
    Tally,
    check_share,
    cutoff_of,
    is_revoked,
    judge,
    order_of,
    page_numbers,
    pages_to_cutoff,
    reaches,
    row_of,
)
from betterplace_async.errors import InvalidParameterError

T0 = datetime(2025, 6, 1, tzinfo=UTC)


def row(token: str, minutes: float = 0, **record: object) -> DonationRow:
    return DonationRow(
        token=token,
        client_reference=None,
        amount_in_cents=100,
        state="confirmed",
        created_at=T0 + timedelta(minutes=minutes),
        receiver_type="Project",
        receiver_id=1,
        record={"token": token, **record},
    )


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (T0 + timedelta(1), T0, "newest_first"),
        (T0, T0 + timedelta(1), "oldest_first"),
        (T0, T0, None),
        (None, T0, None),
    ],
    ids=["newest-first", "oldest-first", "tie", "unknown"],
)
def test_order_of(first: datetime | None, last: datetime | None, expected: str | None) -> None:
    assert order_of(first, last) == expected


def test_page_numbers_start_at_the_newest_end() -> None:
    assert page_numbers("newest_first", 3) == [1, 2, 3]
    assert page_numbers("oldest_first", 3) == [3, 2, 1]


def test_cutoff_is_the_lookback_before_the_newest_held() -> None:
    assert cutoff_of(T0, timedelta(days=14)) == T0 - timedelta(days=14)


def test_pages_to_cutoff_estimates_from_the_page_density() -> None:
    rows = [row(str(i), minutes=-5 * i) for i in range(200)]  # 5 minutes apart
    cutoff = T0 - timedelta(days=14)
    # 14 days of 5-minute donations are 4032; 200 are read, so about 19 more pages
    assert pages_to_cutoff(rows, cutoff, 200) == 20
    assert pages_to_cutoff(rows[:1], cutoff, 200) == 1
    assert pages_to_cutoff([row("a"), row("b")], cutoff, 200) == 1  # no spread: one at a time


def test_reaches_looks_for_a_record_before_the_cutoff() -> None:
    assert reaches([row("a", minutes=-10)], T0 - timedelta(minutes=5))
    assert not reaches([row("a", minutes=-5)], T0 - timedelta(minutes=5))


def test_judge_counts_added_changed_and_reinstated() -> None:
    held = {
        "same": Held({"token": "same"}, revoked=False),
        "changed": Held({"token": "changed", "state": "old"}, revoked=False),
        "back": Held({"token": "back"}, revoked=True),
    }
    tally = Tally()
    writes = judge([row("same"), row("changed"), row("back"), row("new")], held, tally)
    assert (tally.added, tally.changed, tally.reinstated, tally.revoked) == (1, 1, 1, 0)
    assert [r.token for r in writes] == ["changed", "back", "new"]


@pytest.mark.parametrize(
    ("state", "revoked"),
    [(None, True), ("revoked", True), ("confirmed", False)],
    ids=["404", "revoked-state", "confirmed"],
)
def test_only_a_404_or_another_state_means_revoked(state: str | None, revoked: bool) -> None:
    assert is_revoked(state) is revoked


def test_share_guard_refuses_mass_revocations_unless_allowed() -> None:
    settings = SyncSettings(max_revoked_share=0.1)
    check_share(10, 100, settings)
    check_share(1, 2, settings)  # one revocation is always allowed
    with pytest.raises(MassRevocationError, match="11 of 100") as caught:
        check_share(11, 100, settings)
    assert caught.value.revoked == 11
    check_share(11, 100, SyncSettings(max_revoked_share=0.1, allow_mass_revocation=True))


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"lookback_days": -1}, "lookback_days"),
        ({"lookback_days": "14"}, "lookback_days"),
        ({"max_revoked_share": 1.5}, "max_revoked_share"),
        ({"per_page": 0}, "per_page"),
        ({"concurrency": True}, "concurrency"),
    ],
    ids=["negative-days", "text-days", "share-above-1", "per-page-0", "bool-concurrency"],
)
def test_settings_name_the_bad_value(options: dict[str, object], name: str) -> None:
    with pytest.raises(InvalidParameterError, match=name):
        SyncSettings(**options)  # type: ignore[arg-type]


def test_row_of_keeps_the_record_and_decodes_the_columns() -> None:
    record = {
        "token": "abc",
        "client_reference": "ref-1",
        "amount_in_cents": 2500,
        "state": "confirmed",
        "created_at": "2025-06-01T10:00:00+02:00",
        "receiver_type": "Project",
        "receiver_id": 7,
        "links": [],
    }
    decoded = row_of(record, make_converter())
    assert decoded.record is record
    assert decoded.created_at == datetime(2025, 6, 1, 8, tzinfo=UTC)
    assert (decoded.amount_in_cents, decoded.receiver_id) == (2500, 7)


def test_row_of_refuses_a_record_without_token() -> None:
    with pytest.raises(MirrorError, match="without a token"):
        row_of({"token": None, "amount_in_cents": 1}, make_converter())


def test_report_dict_has_exactly_the_public_keys() -> None:
    report = SyncReport(1, 2, 3, 4, 5, "full", 6, 1.23456)
    assert list(report.as_dict()) == [
        "added",
        "changed",
        "revoked",
        "reinstated",
        "live",
        "mode",
        "requests",
        "seconds",
    ]
