"""``betterplace pledge`` and ``betterplace pledges submit`` against a fake in this process.

The fake runs in the test's event loop and the command in a subprocess awaited with
asyncio, so the fake keeps answering while the command runs and the test can read the
fake's ledger afterwards.
"""

from __future__ import annotations

import asyncio
import csv
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from betterplace_async.testing import FakeBetterplace

from ._helpers import CLI, Result, clean_stderr, fake_env, run_cli_async

DONOR = (
    "--first-name", "Max", "--last-name", "Muster", "--email", "max@example.org",
    "--street", "Hauptstr. 1", "--city", "Berlin", "--zip", "10115", "--country-code", "DE",
)  # fmt: skip


@pytest.fixture
async def fake() -> AsyncIterator[FakeBetterplace]:
    async with FakeBetterplace(seed=5, projects=30, client_donations=50) as server:
        yield server


def _open_projects(fake: FakeBetterplace) -> list[int]:
    return fake.projects_where(in_client_scope=True, prohibited=False, closed=False)


async def _cli(fake: FakeBetterplace, *args: str) -> Result:
    return await run_cli_async(*args, env=fake_env(fake))


def _fields(line: str) -> dict[str, str]:
    state, *pairs = line.split()
    return {"state": state, **dict(pair.split("=", 1) for pair in pairs)}


async def test_pledge_wait_exits_0_when_confirmed(fake: FakeBetterplace) -> None:
    project = _open_projects(fake)[0]
    result = await _cli(
        fake, "pledge", "--project-id", str(project), "--amount-in-cents", "2500", *DONOR, "--wait"
    )
    assert (result.code, result.err) == (0, "")
    accepted, confirmed = (_fields(line) for line in result.out.splitlines())
    assert accepted["state"] == "accepted"
    assert confirmed["state"] == "confirmed"
    reference = accepted["client_reference"]
    (booking,) = fake.ledger.booked(reference)
    assert (booking.amount_in_cents, booking.receiver_id) == (2500, project)


async def test_pledge_without_wait_prints_the_reference_and_exits_0(
    fake: FakeBetterplace,
) -> None:
    result = await _cli(
        fake, "pledge", "--pool", "--amount-cents", "700", "--no-validate-address",
        "--client-reference", "cli-test-1",
    )  # fmt: skip
    assert (result.code, result.err) == (0, "")
    (line,) = result.out.splitlines()
    assert _fields(line) | {"pledge_id": "x"} == {
        "state": "accepted",
        "client_reference": "cli-test-1",
        "receiver": "pool",
        "amount_in_cents": "700",
        "pledge_id": "x",
    }
    assert fake.ledger.times_seen("cli-test-1") == 1


async def test_pledge_wait_exits_1_when_failed(fake: FakeBetterplace) -> None:
    fake.fail_pledge("cli-test-2", "donation_invalid", "refused for the test")
    project = _open_projects(fake)[0]
    result = await _cli(
        fake, "pledge", "--project-id", str(project), "--amount-in-cents", "100", *DONOR,
        "--client-reference", "cli-test-2", "--wait",
    )  # fmt: skip
    assert result.code == 1
    assert _fields(result.out.splitlines()[-1])["failure_code"] == "donation_invalid"
    (line,) = result.err_lines
    assert "donation_invalid" in line
    assert fake.ledger.booked("cli-test-2") == []


async def test_pledge_outside_the_client_scope_exits_1(fake: FakeBetterplace) -> None:
    outside = fake.projects_where(in_client_scope=False)[0]
    result = await _cli(
        fake, "pledge", "--project-id", str(outside), "--amount-in-cents", "100", *DONOR
    )
    assert result.code == 1
    (line,) = result.err_lines
    assert "404" in line


INPUT_HEADER = (
    "amount_in_cents,project_id,client_reference,first_name,last_name,email,street,city,zip,"
    "country_code,validate_address,tracking_via\n"
)


def _write_input(path: Path, fake: FakeBetterplace) -> list[int]:
    a, b = _open_projects(fake)[:2]
    rows = [
        f"2500,{a},,Max,Muster,max@example.org,Hauptstr. 1,Berlin,10115,DE,,",
        f"2500,{a},,Max,Muster,max@example.org,Hauptstr. 1,Berlin,10115,DE,,",  # twice: 2 gifts
        "1000,,,Erika,Muster,erika@example.org,Ring 2,Bonn,53111,DE,true,spring",  # the pool
        f"700,{b},explicit-ref-1,,,,,,,,false,",
        f"900,{b},doomed-ref-1,,,,,,,,false,",
    ]
    path.write_text(INPUT_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return [a, a, 0, b, b]


def _table(out: str) -> dict[str, int]:
    """Read the summary table the command prints: pledges per state."""
    rows = re.findall(r"^\W+([a-z][a-z ]*?)\s+\W\s+([\d,]+)\s+\W+$", out, re.MULTILINE)
    return {state: int(count.replace(",", "")) for state, count in rows}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


async def test_bulk_submit_settles_every_row_and_a_rerun_books_nothing_twice(
    fake: FakeBetterplace, tmp_path: Path
) -> None:
    source, results, reconciliation = (
        tmp_path / "pledges.csv",
        tmp_path / "results.csv",
        tmp_path / "reconciliation.csv",
    )
    receivers = _write_input(source, fake)
    fake.fail_pledge("doomed-ref-1", "receiver_prohibited_from_receiving_donations")
    args = (
        "pledges", "submit", "--from", str(source), "--results", str(results),
        "--reconciliation", str(reconciliation),
    )  # fmt: skip

    first = await _cli(fake, *args)
    assert (first.code, first.err) == (0, "")  # every pledge settled, one of them failed
    assert _table(first.out) == {
        "confirmed": 4, "failed": 1, "not settled": 0, "settled in earlier runs": 0
    }  # fmt: skip
    assert "5 pledges" in first.out
    rows = _read(results)
    assert [row["state"] for row in rows] == ["confirmed"] * 4 + ["failed"]
    assert rows[4]["failure_code"] == "receiver_prohibited_from_receiving_donations"
    assert [int(row["project_id"] or 0) for row in rows] == receivers
    references = [row["client_reference"] for row in rows]
    assert len(set(references)) == 5  # identical rows still get their own reference
    assert references[3:] == ["explicit-ref-1", "doomed-ref-1"]
    for reference in references[:4]:
        assert len(fake.ledger.booked(reference)) == 1

    lines = reconciliation.read_bytes().decode("utf-8").split("\r\n")
    assert (
        lines[0] == '"receiver_type","receiver_id","amount_in_cents","client_reference","datetime"'
    )
    booked = list(csv.DictReader(lines))
    assert [row["client_reference"] for row in booked] == references[:4]
    assert booked[2]["receiver_type"] == "Pool"

    # Rerun with the same files: every row is settled already, nothing is sent.
    submissions = len(fake.ledger.seen)
    again = await _cli(fake, *args)
    assert (again.code, again.err) == (0, "")
    assert _table(again.out)["settled in earlier runs"] == 5
    assert _read(results) == rows
    assert sum(fake.ledger.seen.values()) == sum(1 for _ in references)
    assert len(fake.ledger.seen) == submissions

    # Even without the results file, the same input yields the same references: the API
    # sees them again and books none of them a second time.
    results.unlink()
    third = await _cli(fake, *args)
    assert third.code == 0
    assert [row["client_reference"] for row in _read(results)] == references
    for reference in references[:4]:
        assert fake.ledger.times_seen(reference) == 2
        assert len(fake.ledger.booked(reference)) == 1
    assert len(fake.ledger.bookings) == 4


async def test_bulk_rows_that_cannot_be_sent_exit_1_and_are_retried(
    fake: FakeBetterplace, tmp_path: Path
) -> None:
    outside = fake.projects_where(in_client_scope=False)[0]
    source, results = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "amount_in_cents,project_id,client_reference,validate_address\n"
        f"100,{outside},outside-1,false\n"
        f"200,{_open_projects(fake)[0]},inside-1,false\n",
        encoding="utf-8",
    )
    result = await _cli(fake, "pledges", "submit", "--from", str(source), "--results", str(results))
    assert result.code == 1
    (line,) = result.err_lines
    assert "1 pledges did not settle" in line
    error, confirmed = _read(results)
    assert (error["state"], confirmed["state"]) == ("error", "confirmed")
    assert "404" in error["error"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("amount,project_id\n100,\n", "unknown column 'amount'"),
        ("project_id\n1\n", "needs an amount_in_cents column"),
        ("amount_in_cents,validate_address\n12.50,false\n", "line 2: amount_in_cents"),
        ("amount_in_cents,email\n100,x\n", "line 2: first_name: is required"),
        (
            "amount_in_cents,client_reference,validate_address\n1,a,false\n2,a,false\n",
            "used on line 2 too",
        ),
        ("amount_in_cents\n", "no pledges"),
    ],
    ids=["unknown-column", "no-amount", "fractional", "missing-donor", "same-ref", "empty"],
)
async def test_bad_input_exits_2_before_any_request(
    fake: FakeBetterplace, tmp_path: Path, content: str, fragment: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    fake.clear_requests()
    result = await _cli(
        fake, "pledges", "submit", "--from", str(source), "--results", str(tmp_path / "r.csv")
    )
    assert result.code == 2
    (line,) = result.err_lines
    assert fragment in line
    assert fake.requests == []


async def test_interrupted_batch_is_finished_by_a_rerun(
    fake: FakeBetterplace, tmp_path: Path
) -> None:
    fake.processing_delay = 1.5  # pledges stay pending long enough to interrupt the batch
    project = _open_projects(fake)[0]
    source, results = tmp_path / "in.csv", tmp_path / "results.csv"
    rows = [f"{100 + n},{project},,Max,Muster,max@example.org,S 1,Berlin,10115,DE,," for n in
            range(20)]  # fmt: skip
    source.write_text(INPUT_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    args = ("pledges", "submit", "--from", str(source), "--results", str(results))
    process = await asyncio.create_subprocess_exec(
        *CLI, *args, env=fake_env(fake), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    for _ in range(200):
        if len(fake.ledger.seen) == 20:  # every pledge submitted, none settled yet
            break
        await asyncio.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = await process.communicate()
    assert process.returncode == 130
    (line,) = clean_stderr(err.decode()).splitlines()
    assert "run the same command again" in line
    journal = _read(results)
    assert len(journal) == 20
    assert {row["state"] for row in journal} == {""}  # nothing had settled

    fake.processing_delay = 0.0
    again = await _cli(fake, *args)
    assert (again.code, again.err) == (0, "")
    finished = _read(results)
    assert [row["client_reference"] for row in finished] == [
        row["client_reference"] for row in journal
    ]
    assert {row["state"] for row in finished} == {"confirmed"}
    for row in finished:
        assert len(fake.ledger.booked(row["client_reference"])) == 1
    assert len(fake.ledger.bookings) == 20


async def test_rows_edited_after_booking_stay_on_record(
    fake: FakeBetterplace, tmp_path: Path
) -> None:
    project = _open_projects(fake)[0]
    source, results, reconciliation = (
        tmp_path / "in.csv",
        tmp_path / "results.csv",
        tmp_path / "reconciliation.csv",
    )
    source.write_text(
        "amount_in_cents,project_id,client_reference,email,validate_address\n"
        f"100,{project},,a@example.org,false\n"
        f"200,{project},fixed-ref,,false\n",
        encoding="utf-8",
    )
    args = ("pledges", "submit", "--from", str(source), "--results", str(results),
            "--reconciliation", str(reconciliation))  # fmt: skip
    assert (await _cli(fake, *args)).code == 0
    first = [row["client_reference"] for row in _read(results)]

    source.write_text(  # a new e-mail means a new derived reference; another amount does not
        "amount_in_cents,project_id,client_reference,email,validate_address\n"
        f"100,{project},,b@example.org,false\n"
        f"300,{project},fixed-ref,,false\n",
        encoding="utf-8",
    )
    again = await _cli(fake, *args)
    assert again.code == 0
    notes = again.err_lines
    assert len(notes) == 2
    assert "line 3: fixed-ref settled in an earlier run with another amount" in notes[0]
    assert "1 pledges confirmed in earlier runs are not in the input any more" in notes[1]
    rows = _read(results)
    assert [row["client_reference"] for row in rows][1:] == ["fixed-ref", first[0]]
    assert rows[1]["amount_in_cents"] == "200"  # what was booked, not what the row says now
    booked = [row["client_reference"] for row in _read(reconciliation)]
    assert sorted(booked) == sorted([rows[0]["client_reference"], "fixed-ref", first[0]])
    assert len(fake.ledger.bookings) == 3
