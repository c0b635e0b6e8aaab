"""``betterplace sync client-donations`` through click's CliRunner, against a fake in a thread."""

from __future__ import annotations

import asyncio
import inspect
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from betterplace_async.cli.sync import sync
from betterplace_async.testing import FakeBetterplace, FakeClock

from ._helpers import fake

REPORT_KEYS = ["added", "changed", "revoked", "reinstated", "live", "mode", "requests", "seconds"]


class ThreadedFake:
    """A fake served by an event loop in another thread (the CLI runs its own loop)."""

    def __init__(self, server: FakeBetterplace) -> None:
        self.server = server
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def env(self, db: str | None = None) -> dict[str, str]:
        values = {
            "BETTERPLACE_BASE_URL": self.server.base_url,
            "BETTERPLACE_CLIENT_ID": self.server.client_id,
            "BETTERPLACE_USERNAME": self.server.username,
            "BETTERPLACE_PASSWORD": self.server.password,
        }
        if db is not None:
            values["BETTERPLACE_DB"] = db
        return values


@pytest.fixture
def served() -> Iterator[ThreadedFake]:
    threaded = ThreadedFake(fake(FakeClock(), client_donations=420, seed=9))
    threaded.thread.start()
    threaded.call(threaded.server.start())
    try:
        yield threaded
    finally:
        threaded.call(threaded.server.close())
        threaded.loop.call_soon_threadsafe(threaded.loop.stop)
        threaded.thread.join(timeout=10)
        threaded.loop.close()


def runner() -> CliRunner:
    """A runner keeping stderr apart (click 8.1 needs ``mix_stderr=False``; 8.2 dropped it)."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def one_line(result: Any) -> str:
    """The single stderr line of a failure, without click's ``Error:`` prefix."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return str(lines[0]).removeprefix("Error: ")


def invoke(served: ThreadedFake, *args: str, db: str | None = None) -> Any:
    return runner().invoke(sync, ["client-donations", *args], env=served.env(db))


def test_json_report_then_an_idle_run(served: ThreadedFake, tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.sqlite")
    first = invoke(served, "--json", db=db)
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert list(report) == REPORT_KEYS
    assert (report["added"], report["live"], report["mode"]) == (420, 420, "full")
    second = invoke(served, "--json", "--lookback-days", "1", "--db", f"sqlite:///{db}")
    assert second.exit_code == 0, second.output
    idle = json.loads(second.stdout)
    assert (idle["added"], idle["revoked"], idle["mode"]) == (0, 0, "incremental")


def test_text_report_and_full_flag(served: ThreadedFake, tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.sqlite")
    assert invoke(served, db=db).exit_code == 0
    result = invoke(served, "--full", db=db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("full sync: 0 added, 0 changed, 0 revoked")


def test_unknown_scheme_is_a_usage_error(served: ThreadedFake) -> None:
    result = invoke(served, db="mysql://user:pw@host/db")
    assert result.exit_code == 2
    assert "--db: unknown database scheme 'mysql'" in result.stderr
    assert served.server.requests == []


def test_missing_db_is_a_usage_error(served: ThreadedFake) -> None:
    result = invoke(served)
    assert result.exit_code == 2
    assert "--db" in result.stderr


def test_unreachable_database_is_one_line_without_the_password(served: ThreadedFake) -> None:
    result = invoke(served, db="postgresql://ledger:s3cret-pw@127.0.0.1:1/ledger")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "cannot open database postgresql+asyncpg://ledger:***@127.0.0.1:1/ledger" in lines[0]
    assert "s3cret-pw" not in result.output
    assert served.server.requests == []


def test_newer_schema_is_refused_and_the_file_untouched(
    served: ThreadedFake, tmp_path: Path
) -> None:
    db = tmp_path / "ledger.sqlite"
    assert invoke(served, db=str(db)).exit_code == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE mirror_schema SET version = 7")
    connection.close()
    before = db.read_bytes()
    result = invoke(served, db=str(db))
    assert result.exit_code == 1
    assert one_line(result) == (
        f"database sqlite+aiosqlite:///{db} has mirror schema version 7, newer than the "
        "1 this betterplace_async understands: upgrade betterplace_async"
    )
    assert db.read_bytes() == before


def test_a_second_sync_on_a_locked_database_is_refused(
    served: ThreadedFake, tmp_path: Path
) -> None:
    db = tmp_path / "ledger.sqlite"
    assert invoke(served, db=str(db)).exit_code == 0
    before = db.read_bytes()
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        result = invoke(served, db=str(db))
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert result.exit_code == 1
    assert one_line(result) == (
        f"database sqlite+aiosqlite:///{db} is locked: another sync is running on it"
    )
    assert db.read_bytes() == before


def test_api_failure_is_exit_1(served: ThreadedFake, tmp_path: Path) -> None:
    env_db = str(tmp_path / "ledger.sqlite")
    env = {**served.env(env_db), "BETTERPLACE_PASSWORD": "wrong"}
    result = runner().invoke(sync, ["client-donations"], env=env)
    assert result.exit_code == 1
    assert "401" in one_line(result)


def test_missing_credentials_are_a_usage_error(served: ThreadedFake, tmp_path: Path) -> None:
    env = {**served.env(str(tmp_path / "ledger.sqlite")), "BETTERPLACE_USERNAME": ""}
    result = runner().invoke(sync, ["client-donations"], env=env)
    assert result.exit_code == 2
    assert "--username" in one_line(result)
    assert not (tmp_path / "ledger.sqlite").exists()
    assert served.server.requests == []
