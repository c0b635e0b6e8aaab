"""``betterplace demo`` runs end to end with only the core install and a pipe for stdout."""

from __future__ import annotations

import time
from pathlib import Path

from ._helpers import run_cli


def test_demo_exits_0_with_readable_output_when_piped(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run_cli("demo", "--keep", str(tmp_path), timeout=60)
    elapsed = time.monotonic() - started
    assert (result.code, result.err) == (0, "")
    assert elapsed < 30
    assert "\r" not in result.out  # no progress redrawing when stdout is not a terminal
    for step in ("[1/4] fake API", "[2/4] export", "[3/4] pledges", "[4/4] summary"):
        assert step in result.out
    assert "checked: 20,000 records" in result.out
    assert "resumed:" in result.out
    assert "4 of 5 pledges confirmed, 1 failed" in result.out
    exported = (tmp_path / "client-donations.jsonl").read_text(encoding="utf-8")
    assert len(exported.splitlines()) == 20_000
    reconciliation = (tmp_path / "reconciliation.csv").read_text(encoding="utf-8")
    assert len(reconciliation.splitlines()) == 1 + 4
    assert not list(tmp_path.glob("*.checkpoint.json"))
