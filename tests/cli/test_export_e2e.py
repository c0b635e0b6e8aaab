"""``betterplace export`` as a user runs it, against a ``serve-fake`` process.

One fake with 20,000 client donations (100 full pages) serves the whole module; exports of
100,000 records are measured in ``benchmarks/``. What the server holds is read straight over
HTTP (no SDK) and compared line by line with what the command wrote.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from betterplace_async.cli._csv import Flattener
from betterplace_async.models.donations import ClientDonation

from ._helpers import (
    CLI,
    ServedFake,
    clean_stderr,
    file_digests,
    record_digest,
    run_cli,
    serve_fake,
    summary_of,
)

DONATIONS = 20_000
DONATIONS_PATH = "clients/fake-client/client_donations.json"


@pytest.fixture(scope="module")
def fake() -> Iterator[ServedFake]:
    with serve_fake("--seed", "3", "--client-donations", str(DONATIONS)) as served:
        yield served


@pytest.fixture(scope="module")
def server_digests(fake: ServedFake) -> list[bytes]:
    """The expected line of every donation, in the server's order (as digests)."""
    return [record_digest(record) for record in fake.records(DONATIONS_PATH)]


def test_jsonl_export_equals_the_server_data(
    fake: ServedFake, server_digests: list[bytes], tmp_path: Path
) -> None:
    out = tmp_path / "donations.jsonl"
    result = run_cli("export", "client-donations", "--out", str(out), env=fake.env())
    assert (result.code, result.out) == (0, "")
    summary = f"exported {DONATIONS:,} client-donations records to {out}"
    assert summary_of(result).startswith(summary)
    lines = file_digests(out)
    assert len(lines) == DONATIONS
    assert lines == server_digests  # same records, same order, nothing twice
    assert not (tmp_path / "donations.jsonl.checkpoint.json").exists()


def test_export_to_stdout_with_limit_and_small_pages(fake: ServedFake) -> None:
    result = run_cli(
        "export", "client-donations", "--limit", "450", "--per-page", "100", "--no-progress",
        env=fake.env(),
    )  # fmt: skip
    assert (result.code, result.err) == (0, "")
    records = [json.loads(line) for line in result.out.splitlines()]
    assert records == list(fake.records(DONATIONS_PATH, limit=450))


def test_csv_export_flattens_the_records(fake: ServedFake, tmp_path: Path) -> None:
    out = tmp_path / "donations.csv"
    result = run_cli(
        "export", "client-donations", "--out", str(out), "--limit", "3000", env=fake.env()
    )
    assert result.code == 0
    assert summary_of(result).startswith("exported 3,000 client-donations records")
    with out.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    header, body = rows[0], rows[1:]
    assert header == Flattener(ClientDonation).columns
    assert len(body) == 3000
    expected = list(fake.records(DONATIONS_PATH, limit=3000))
    for row, record in zip(body, expected, strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["token"] == record["token"]
        assert cells["amount_in_cents"] == str(record["amount_in_cents"])
        assert cells["message"] == (record["message"] or "")
        donor = record.get("donor") or {}
        assert cells["donor.name"] == (donor.get("name") or "")
        assert json.loads(cells["links"]) == record["links"]


# The interrupted exports read a fake that answers the first HELD_AFTER pages of a list and
# holds every later page (``--hold-after-pages``): the export cannot finish, so the signal,
# sent once records are on disk, always lands part way through, however fast the machine.
# The hold is lifted before the resumed run, which must then write every record exactly once.
HELD_DONATIONS = 20_000
SMALL_PAGES = ("--per-page", "50")
HELD_AFTER = 4


@pytest.fixture
def held_fake() -> Iterator[ServedFake]:
    options = ("--client-donations", str(HELD_DONATIONS), "--hold-after-pages", str(HELD_AFTER))
    with serve_fake("--seed", "4", *options) as served:
        yield served


@contextmanager
def _exporting(fake: ServedFake, out: Path, *options: str) -> Iterator[subprocess.Popen[str]]:
    """Run an export of client donations into ``out``; kill it if the block fails."""
    process = subprocess.Popen(
        [*CLI, "export", "client-donations", "--out", str(out), *SMALL_PAGES, *options],
        env=fake.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=60)


def _wait_for(process: subprocess.Popen[str], done: Callable[[], bool]) -> None:
    """Poll until ``done()``; the export must still be running (it waits on a held page)."""
    deadline = time.monotonic() + 60
    while not done():
        assert process.poll() is None, "the export ended while a page was held"
        assert time.monotonic() < deadline, "the export did not get there within 60 s"
        time.sleep(0.01)
    assert process.poll() is None


def _lines(out: Path) -> int:
    return out.read_bytes().count(b"\n") if out.exists() else 0


def _checkpoint(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(out.with_name(out.name + ".checkpoint.json").read_text())
    return data


def _server_digests(fake: ServedFake) -> list[bytes]:
    fake.release()
    return [record_digest(record) for record in fake.records(DONATIONS_PATH)]


def test_ctrl_c_then_resume_equals_the_server_data(held_fake: ServedFake, tmp_path: Path) -> None:
    out = tmp_path / "donations.jsonl"
    with _exporting(held_fake, out) as process:
        _wait_for(process, lambda: _lines(out) > 0)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    (line,) = clean_stderr(err).splitlines()
    assert line.startswith("betterplace: interrupted;")
    assert "--resume" in line
    saved = _checkpoint(out)
    assert saved["offset"] == out.stat().st_size  # the file ends on a whole record
    assert 0 < len(file_digests(out)) == saved["records"] < HELD_AFTER * 50

    digests = _server_digests(held_fake)
    result = run_cli(
        "export", "client-donations", "--out", str(out), "--resume", *SMALL_PAGES,
        env=held_fake.env(),
    )  # fmt: skip
    assert result.code == 0
    assert summary_of(result).startswith(f"exported {HELD_DONATIONS:,} client-donations")
    assert file_digests(out) == digests
    assert not out.with_name(out.name + ".checkpoint.json").exists()


def test_sigkill_then_resume_equals_the_server_data(held_fake: ServedFake, tmp_path: Path) -> None:
    out = tmp_path / "donations.jsonl"
    # A checkpoint after every page: the export runs in another process, whose clock a test
    # cannot move on, so no interval may be waited out.
    with _exporting(held_fake, out, "--checkpoint-every", "0") as process:
        _wait_for(process, lambda: _lines(out) > 0)  # the checkpoint exists before the output
        _wait_for(process, lambda: _checkpoint(out)["records"] > 0)
        written = _lines(out)
        held_fake.release_page()  # killed right after it is written, its checkpoint or not
        _wait_for(process, lambda: _lines(out) > written)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    saved = _checkpoint(out)
    assert 0 < saved["records"] <= _lines(out) < HELD_DONATIONS
    assert out.stat().st_size >= saved["offset"]

    digests = _server_digests(held_fake)
    args = ("export", "client-donations", "--out", str(out))
    again = run_cli(*args, *SMALL_PAGES, env=held_fake.env())
    assert again.code == 2
    assert len(again.err_lines) == 1
    assert "--resume" in again.err
    other = run_cli(*args, "--resume", "--per-page", "40", env=held_fake.env())
    assert other.code == 2
    assert "per_page" in other.err

    result = run_cli(*args, "--resume", *SMALL_PAGES, "--concurrency", "3", env=held_fake.env())
    assert result.code == 0
    summary_of(result)
    assert file_digests(out) == digests


def test_resume_of_a_finished_export_is_refused(fake: ServedFake, tmp_path: Path) -> None:
    out = tmp_path / "few.jsonl"
    args = ("export", "client-donations", "--out", str(out), "--limit", "10")
    first = run_cli(*args, env=fake.env())
    assert first.code == 0
    again = run_cli(*args, "--resume", env=fake.env())
    assert again.code == 2
    assert again.err_lines == [again.err.strip()]
    assert "nothing to resume" in again.err


def test_public_list_export(fake: ServedFake) -> None:
    result = run_cli(
        "export", "projects", "--facet", "completed:false", "--order", "id:asc",
        "--format", "csv", env=fake.env(),
    )  # fmt: skip
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    ids = [int(row["id"]) for row in rows]
    assert ids == sorted(ids)
    assert rows
    assert all(row["completed_at"] == "" for row in rows)
