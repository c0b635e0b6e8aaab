"""The mirror's tables: a public contract, versioned by ``mirror_schema``.

``client_donations`` holds one row per donation a client's list ever showed (primary key
``client_id`` + ``token``): the typed columns, ``record`` (the JSON object as the API sent it:
TEXT in SQLite, JSONB in PostgreSQL), ``first_seen_at``/``last_seen_at`` and ``revoked_at``
(NULL while the donation is live). ``sync_runs`` holds one row per committed run with its
report. Datetimes are stored in UTC and read back timezone-aware.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

__all__ = ["SCHEMA_VERSION", "client_donations", "metadata", "mirror_schema", "sync_runs"]

try:  # the [speed] extra: same compact JSON, several times faster
    import orjson

    dumps: Callable[[Any], str] = lambda value: orjson.dumps(value).decode()  # noqa: E731
    loads: Callable[[str | bytes], Any] = orjson.loads
except ImportError:  # pragma: no cover - orjson is optional
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    loads = json.loads

SCHEMA_VERSION: Final = 1
"""The version of the tables this library creates and understands."""


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC: ``timestamptz`` in PostgreSQL, text
    ``YYYY-MM-DD HH:MM:SS.ffffff`` in SQLite (what its date functions read; it sorts right)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(32))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the mirror stores aware datetimes")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None).isoformat(" ", timespec="microseconds")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class RecordJSON(sa.TypeDecorator[dict[str, Any]]):
    """A JSON object: TEXT in SQLite (compact JSON), JSONB in PostgreSQL."""

    impl = sa.Text()
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return dumps(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, Any] | None:
        if isinstance(value, str | bytes):
            loaded: dict[str, Any] = loads(value)
            return loaded
        return value  # type: ignore[no-any-return]


metadata = sa.MetaData()

client_donations = sa.Table(
    "client_donations",
    metadata,
    sa.Column("client_id", sa.String(200), primary_key=True),
    sa.Column("token", sa.String(200), primary_key=True),
    sa.Column("client_reference", sa.String(200)),
    sa.Column("amount_in_cents", sa.BigInteger),
    sa.Column("state", sa.String(50)),
    sa.Column("created_at", UTCDateTime),
    sa.Column("receiver_type", sa.String(50)),
    sa.Column("receiver_id", sa.BigInteger),
    sa.Column("first_seen_at", UTCDateTime, nullable=False),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
    sa.Column("record", RecordJSON, nullable=False),
    sa.Index("ix_client_donations_created_at", "client_id", "created_at"),
)

sync_runs = sa.Table(
    "sync_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(200), nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime, nullable=False),
    sa.Column("mode", sa.String(20), nullable=False),
    sa.Column("added", sa.Integer, nullable=False),
    sa.Column("changed", sa.Integer, nullable=False),
    sa.Column("revoked", sa.Integer, nullable=False),
    sa.Column("reinstated", sa.Integer, nullable=False),
    sa.Column("live", sa.Integer, nullable=False),
    sa.Column("requests", sa.Integer, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("consistent", sa.Boolean, nullable=False),
)

mirror_schema = sa.Table(
    "mirror_schema",
    metadata,
    sa.Column("version", sa.Integer, nullable=False),
)
