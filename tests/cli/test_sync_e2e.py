"""``betterplace sync client-donations`` through the real command, into a SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from betterplace_async.testing import FakeBetterplace

from ._helpers import fake_env, run_cli_async


async def test_sync_twice_then_revocation(tmp_path: Path) -> None:
    db = tmp_path / "donations.sqlite"
    async with FakeBetterplace(seed=4, client_donations=600) as fake:
        env = fake_env(fake)
        first = await run_cli_async("sync", "client-donations", "--db", str(db), "--json", env=env)
        [gone] = fake.revoke_client_donations_at(3)
        second = await run_cli_async("sync", "client-donations", "--db", str(db), "--json", env=env)
        live = fake.state.donations.total

    assert first.code == 0, first.err
    assert second.code == 0, second.err
    report = json.loads(first.out)
    assert set(report) == {
        "added", "changed", "revoked", "reinstated", "live", "mode", "requests", "seconds"
    }  # fmt: skip
    assert (report["added"], report["live"]) == (600, 600)
    again = json.loads(second.out)
    assert (again["revoked"], again["added"], again["live"]) == (1, 0, live)
    with sqlite3.connect(db) as conn:
        revoked = conn.execute(
            "SELECT token FROM client_donations WHERE revoked_at IS NOT NULL"
        ).fetchall()
    assert revoked == [(gone,)]
    assert fake.password not in first.err + first.out + second.err + second.out


async def test_sync_without_db_is_a_usage_error() -> None:
    async with FakeBetterplace(seed=4, client_donations=5) as fake:
        result = await run_cli_async("sync", "client-donations", env=fake_env(fake))
    assert result.code == 2
    assert len(result.err_lines) == 1
    assert "--db" in result.err
