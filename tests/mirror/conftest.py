"""Fixtures of the mirror tests: a database URL per backend (SQLite and a real PostgreSQL)."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from ._postgres import find_bin_dir, postgres_cluster, without_postgres

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL cluster for the whole session (skipped locally when none is installed)."""
    verdict = without_postgres(find_bin_dir() is not None, os.environ.get("CI"))
    if verdict == "fail":
        pytest.fail("CI is set but no PostgreSQL binaries (initdb, pg_ctl) are installed")
    if verdict == "skip":
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) here; CI installs them")
    with postgres_cluster() as url:
        yield url


async def _fresh_postgres_database(server: str) -> str:
    """Create an empty database on ``server``; return its URL."""
    name = f"mirror_{os.getpid()}_{next(_numbers)}"
    admin = create_async_engine(
        server.replace("postgresql://", "postgresql+asyncpg://"), isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: a SQLite file, or a new database in the PostgreSQL cluster."""
    if request.param == "sqlite":
        yield str(tmp_path / "mirror.sqlite")
        return
    server = request.getfixturevalue("postgres_server")
    yield await _fresh_postgres_database(server)
