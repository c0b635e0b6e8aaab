"""The mirror stays out of ``import betterplace_async``; PostgreSQL tests skip or fail right."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ._postgres import without_postgres


def test_importing_the_sdk_does_not_import_the_mirror_dependencies() -> None:
    code = (
        "import sys, betterplace_async, betterplace_async.events; "
        "print(sorted(m for m in ('sqlalchemy', 'aiosqlite', 'asyncpg', 'click', 'rich') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("installed", "ci", "verdict"),
    [
        (True, None, "run"),
        (True, "true", "run"),
        (False, None, "skip"),
        (False, "false", "skip"),
        (False, "true", "fail"),
        (False, "1", "fail"),
    ],
    ids=["installed", "installed-ci", "local", "ci-false", "ci", "ci-1"],
)
def test_missing_postgres_skips_locally_and_fails_under_ci(
    installed: bool, ci: str | None, verdict: str
) -> None:
    assert without_postgres(installed, ci) == verdict
