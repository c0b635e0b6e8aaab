"""The rows of one client in the open transaction: what the mirror engine reads and writes."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from betterplace_async._engines.mirror import DonationRow, Held, SyncReport
from betterplace_async.mirror._schema import UTCDateTime, client_donations, dumps, sync_runs

__all__ = ["SqlStore"]

_T = client_donations.c
_UPDATED = (
    "client_reference",
    "amount_in_cents",
    "state",
    "created_at",
    "receiver_type",
    "receiver_id",
    "record",
    "last_seen_at",
    "revoked_at",
)


class SqlStore:
    """One client's donations through an open connection (inside the run's transaction)."""

    def __init__(
        self, connection: AsyncConnection, client_id: str, now: Callable[[], datetime]
    ) -> None:
        self._connection = connection
        self._client_id = client_id
        self._now = now
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        statement = insert(client_donations)
        upsert = statement.on_conflict_do_update(
            index_elements=[_T.client_id, _T.token],
            set_={name: statement.excluded[name] for name in _UPDATED},
        )
        # The hot path (every new donation) skips SQLAlchemy's per-row parameter handling:
        # the Core statement is compiled once for this dialect and fed ready-made tuples,
        # converted by the column types' own bind functions.
        self._dialect = connection.dialect
        compiled = upsert.compile(dialect=self._dialect)
        self._upsert_sql = compiled.string
        order = tuple(compiled.positiontup or ())
        if set(order) != set(client_donations.c.keys()):
            raise RuntimeError(f"unexpected upsert parameters {order}")
        self._in_order = operator.itemgetter(*order)
        self._time = UTCDateTime()

    def _mine(self) -> sa.ColumnElement[bool]:
        return _T.client_id == self._client_id

    async def newest_created_at(self) -> datetime | None:
        """Return the latest ``created_at`` held, ``None`` when nothing is held."""
        query = sa.select(sa.func.max(_T.created_at)).where(self._mine())
        newest: datetime | None = (await self._connection.execute(query)).scalar_one_or_none()
        return newest

    async def empty(self) -> bool:
        """Return whether no row of this client is held."""
        query = sa.select(_T.token).where(self._mine()).limit(1)
        return (await self._connection.execute(query)).first() is None

    async def held(self, tokens: Sequence[str]) -> Mapping[str, Held]:
        """Return the held rows among ``tokens``."""
        query = sa.select(_T.token, _T.record, _T.revoked_at).where(
            self._mine(), _T.token.in_(list(tokens))
        )
        rows = await self._connection.execute(query)
        return {token: Held(record, revoked is not None) for token, record, revoked in rows}

    async def live_tokens(self, since: datetime | None) -> set[str]:
        """Return the live tokens created at or after ``since`` (every live one for ``None``)."""
        query = sa.select(_T.token).where(self._mine(), _T.revoked_at.is_(None))
        if since is not None:
            query = query.where(_T.created_at >= since)
        return set((await self._connection.execute(query)).scalars())

    async def live_count(self) -> int:
        """Return how many live rows are held."""
        query = (
            sa.select(sa.func.count())
            .select_from(client_donations)
            .where(self._mine(), _T.revoked_at.is_(None))
        )
        return int((await self._connection.execute(query)).scalar_one())

    async def save(self, rows: Sequence[DonationRow]) -> None:
        """Insert or update ``rows`` as live and seen now (``first_seen_at`` stays)."""
        if not rows:
            return
        stamp = self._time.process_bind_param
        dialect = self._dialect
        now = stamp(self._now(), dialect)
        in_order = self._in_order
        values = [
            in_order(
                {
                    "client_id": self._client_id,
                    "token": row.token,
                    "client_reference": row.client_reference,
                    "amount_in_cents": row.amount_in_cents,
                    "state": row.state,
                    "created_at": stamp(row.created_at, dialect),
                    "receiver_type": row.receiver_type,
                    "receiver_id": row.receiver_id,
                    "first_seen_at": now,
                    "last_seen_at": now,
                    "revoked_at": None,
                    "record": dumps(row.record),
                }
            )
            for row in rows
        ]
        await self._connection.exec_driver_sql(self._upsert_sql, values)

    async def seen(self, since: datetime | None) -> None:
        """Stamp ``last_seen_at`` on the live rows created at or after ``since`` (or all)."""
        statement = (
            sa.update(client_donations)
            .where(self._mine(), _T.revoked_at.is_(None))
            .values(last_seen_at=self._now())
        )
        if since is not None:
            statement = statement.where(_T.created_at >= since)
        await self._connection.execute(statement)

    async def revoke(self, tokens: Sequence[str], states: Mapping[str, str]) -> None:
        """Mark ``tokens`` revoked now; take over a state the detail lookup reported."""
        if not tokens:
            return
        now = self._now()
        await self._connection.execute(
            sa.update(client_donations)
            .where(self._mine(), _T.token.in_(list(tokens)))
            .values(revoked_at=now)
        )
        for token, state in states.items():
            await self._connection.execute(
                sa.update(client_donations)
                .where(self._mine(), _T.token == token)
                .values(state=state)
            )

    async def record_run(self, report: SyncReport, started_at: datetime) -> None:
        """Add the run's row to ``sync_runs``."""
        await self._connection.execute(
            sa.insert(sync_runs).values(
                client_id=self._client_id,
                started_at=started_at,
                finished_at=self._now(),
                mode=report.mode,
                added=report.added,
                changed=report.changed,
                revoked=report.revoked,
                reinstated=report.reinstated,
                live=report.live,
                requests=report.requests,
                seconds=report.seconds,
                consistent=report.consistent,
            )
        )
