"""Open the mirror's database: the URL forms accepted, the per-run lock, the schema version."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from betterplace_async._engines.mirror import MirrorError
from betterplace_async.errors import InvalidParameterError
from betterplace_async.mirror._schema import (
    SCHEMA_VERSION,
    client_donations,
    dumps,
    loads,
    metadata,
    mirror_schema,
)

__all__ = [
    "MirrorDatabaseError",
    "MirrorLockedError",
    "SchemaVersionError",
    "database_url",
    "open_engine",
    "shown",
    "transaction",
]

LOCK_KEY: Final = 0x6265_7474_6572_706C  # "betterpl": the PostgreSQL advisory lock of a run
_SQLITE: Final = frozenset({"sqlite", "sqlite+aiosqlite"})
_POSTGRESQL: Final = frozenset({"postgresql", "postgres", "postgresql+asyncpg"})


class MirrorDatabaseError(MirrorError):
    """The database could not be opened or used (the message never shows a password)."""


class MirrorLockedError(MirrorError):
    """Another run holds the database; this one changed nothing."""


class SchemaVersionError(MirrorError):
    """The database's mirror tables are newer than this library understands."""


def database_url(db: str | os.PathLike[str]) -> URL:
    """Return the async driver URL for a file path, ``sqlite:///PATH`` or ``postgresql://...``.

    Raises :class:`~betterplace_async.errors.InvalidParameterError` for an empty value, an
    unknown scheme or a URL that does not parse.
    """
    text = os.fspath(db)
    if not isinstance(text, str) or not text.strip():
        raise InvalidParameterError("db", "must be a file path or a database URL")
    if "://" not in text:
        return URL.create("sqlite+aiosqlite", database=text)
    scheme = text.split("://", 1)[0].lower()
    if scheme not in _SQLITE | _POSTGRESQL:
        raise InvalidParameterError(
            "db",
            f"unknown database scheme {scheme!r}: use a file path, sqlite:///PATH or "
            "postgresql://USER[:PASSWORD]@HOST:PORT/NAME",
        )
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise InvalidParameterError("db", f"is not a valid {scheme} URL") from exc
    if scheme in _SQLITE:
        if not url.database:
            raise InvalidParameterError("db", "sqlite:///PATH needs a file path")
        return url.set(drivername="sqlite+aiosqlite")
    return url.set(drivername="postgresql+asyncpg")


def shown(url: URL) -> str:
    """Return ``url`` as text fit for messages: the password masked."""
    return url.render_as_string(hide_password=True)


def open_engine(url: URL) -> AsyncEngine:
    """Create the engine; SQLite runs take the write lock at once and never wait for it."""
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, json_serializer=dumps, json_deserializer=loads)
    engine = create_async_engine(url, connect_args={"timeout": 0})

    @event.listens_for(engine.sync_engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions start with our BEGIN only

    @event.listens_for(engine.sync_engine, "begin")
    def _begin_immediate(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _reason(exc: BaseException, url: URL) -> str:
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    if url.password:
        text = text.replace(str(url.password), "***")
    return text


def _is_locked(exc: BaseException) -> bool:
    return "locked" in str(getattr(exc, "orig", exc)).lower()


@asynccontextmanager
async def transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """Open the run's single transaction: locked, schema checked (and created when new).

    Commits when the block ends normally, rolls back on any exception.
    """
    url = engine.url
    try:
        connection = await engine.connect()
    except Exception as exc:
        raise MirrorDatabaseError(
            f"cannot open database {shown(url)}: {_reason(exc, url)}"
        ) from exc
    try:
        transaction = connection.begin()
        try:
            await transaction.start()
        except sa.exc.OperationalError as exc:
            if _is_locked(exc):
                raise MirrorLockedError(
                    f"database {shown(url)} is locked: another sync is running on it"
                ) from exc
            raise MirrorDatabaseError(
                f"cannot use database {shown(url)}: {_reason(exc, url)}"
            ) from exc
        try:
            await _lock(connection, url)
            await _prepare_schema(connection, url)
            if connection.dialect.name == "postgresql":
                # fresh statistics, or the planner scans every row to look up a page's tokens
                await connection.execute(sa.text(f"ANALYZE {client_donations.name}"))
            yield connection
        except BaseException:
            await transaction.rollback()
            raise
        await transaction.commit()
    finally:
        await connection.close()


async def _lock(connection: AsyncConnection, url: URL) -> None:
    if connection.dialect.name != "postgresql":
        return  # SQLite: BEGIN IMMEDIATE already holds the write lock
    query = sa.select(sa.func.pg_try_advisory_xact_lock(LOCK_KEY))
    if not (await connection.execute(query)).scalar_one():
        raise MirrorLockedError(f"database {shown(url)} is locked: another sync is running on it")


async def _prepare_schema(connection: AsyncConnection, url: URL) -> None:
    """Refuse a newer schema; create the tables on first use."""
    exists = await connection.run_sync(lambda sync: sa.inspect(sync).has_table(mirror_schema.name))
    if exists:
        query = sa.select(sa.func.max(mirror_schema.c.version))
        version = (await connection.execute(query)).scalar_one_or_none()
        if version is not None and version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"database {shown(url)} has mirror schema version {version}, newer than the "
                f"{SCHEMA_VERSION} this betterplace_async understands: upgrade betterplace_async"
            )
        if version is not None:
            return
    await connection.run_sync(metadata.create_all)
    await connection.execute(sa.insert(mirror_schema).values(version=SCHEMA_VERSION))
