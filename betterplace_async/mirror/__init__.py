"""Mirror a client's donations into SQLite or PostgreSQL (extra ``[mirror]``).

::

    from betterplace_async import BetterplaceClient
    from betterplace_async.mirror import DonationMirror, RequestCounter

    counter = RequestCounter()
    async with BetterplaceClient(client_id=..., auth=(..., ...), on_event=counter) as client:
        async with DonationMirror("donations.sqlite") as mirror:
            report = await mirror.sync(client, counter=counter)

Each :meth:`DonationMirror.sync` reads what is new plus a look-back window, confirms
revocations through the detail endpoint, falls back to a full read when the counts disagree,
and commits once. The tables (:data:`client_donations`, :data:`sync_runs`) are a public
contract; see the README section "Mirroring donations into a database".
"""

from betterplace_async._engines.mirror import (
    DEFAULT_LOOKBACK_DAYS,
    DEFAULT_MAX_REVOKED_SHARE,
    MassRevocationError,
    MirrorError,
    SyncReport,
)
from betterplace_async.mirror._database import (
    MirrorDatabaseError,
    MirrorLockedError,
    SchemaVersionError,
    database_url,
)
from betterplace_async.mirror._mirror import DonationMirror, RequestCounter
from betterplace_async.mirror._schema import SCHEMA_VERSION, client_donations, metadata, sync_runs

__all__ = [
    "DEFAULT_LOOKBACK_DAYS",
    "DEFAULT_MAX_REVOKED_SHARE",
    "SCHEMA_VERSION",
    "DonationMirror",
    "MassRevocationError",
    "MirrorDatabaseError",
    "MirrorError",
    "MirrorLockedError",
    "RequestCounter",
    "SchemaVersionError",
    "SyncReport",
    "client_donations",
    "database_url",
    "metadata",
    "sync_runs",
]
