"""``betterplace sync client-donations``: keep a database copy of a client's donations.

A click group (extras ``[cli]`` and ``[mirror]``); the root command adds it as ``sync``.
Exit status: 0 the mirror is consistent with the API, 1 failure (the run's transaction is
rolled back, nothing is half-applied), 2 usage error (nothing was opened or sent), 130
interrupted. Every failure is one line on stderr; database passwords are never printed.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import click

from betterplace_async.cli._common import CommandError, Interrupted, UsageError
from betterplace_async.cli.options import Connection, connection_options, open_client
from betterplace_async.errors import BetterplaceError, InvalidParameterError
from betterplace_async.events import Event, RequestSent

__all__ = ["sync"]


@click.group(name="sync")
def sync() -> None:
    """Keep a local database copy of API data up to date."""


@sync.command("client-donations")
@click.option(
    "--db",
    metavar="DB",
    envvar="BETTERPLACE_DB",
    show_envvar=True,
    required=True,
    help="SQLite file path, sqlite:///PATH or postgresql://USER[:PASSWORD]@HOST:PORT/NAME.",
)
@click.option(
    "--lookback-days",
    type=click.FloatRange(min=0),
    default=14,
    show_default=True,
    help="Days of created_at before the newest held donation to read again.",
)
@click.option("--full", is_flag=True, help="Read the whole list, not just the newest part.")
@click.option(
    "--allow-mass-revocation",
    is_flag=True,
    help="Apply a run that revokes more than 10% of the donations it judged.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@connection_options
def client_donations(
    db: str,
    lookback_days: float,
    full: bool,
    allow_mass_revocation: bool,
    as_json: bool,
    conn: Connection,
) -> None:
    """Mirror the client's donations into DB, marking revoked ones (see the README)."""
    from betterplace_async.mirror import DonationMirror, RequestCounter

    conn.require_client_api("sync client-donations")
    try:
        mirror = DonationMirror(db)
    except InvalidParameterError as exc:
        raise UsageError(f"--db: {exc.problem}") from None
    status = _Status()
    counter = RequestCounter(status.on_event)
    client = open_client(conn, on_event=counter)

    async def run() -> Any:
        async with mirror, client:
            with status:
                return await mirror.sync(
                    client,
                    lookback_days=lookback_days,
                    full=full,
                    allow_mass_revocation=allow_mass_revocation,
                    counter=counter,
                )

    try:
        report = asyncio.run(run())
    except KeyboardInterrupt:
        raise Interrupted("interrupted: nothing was changed") from None
    except BetterplaceError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"{type(exc).__name__}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(report.as_dict()))
    else:
        click.echo(
            f"{report.mode} sync: {report.added} added, {report.changed} changed, "
            f"{report.revoked} revoked, {report.reinstated} reinstated; {report.live} live; "
            f"{report.requests} requests in {report.seconds:.1f} s"
        )
    if not report.consistent:
        raise CommandError(
            f"the API lists another number of donations than the {report.live} live ones held "
            "(the list changed during the run?); run again"
        )


class _Status:
    """A spinner with the request count on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self._status: Any = None
        self._requests = 0

    def __enter__(self) -> _Status:
        if sys.stderr.isatty():
            from rich.console import Console

            self._status = Console(stderr=True).status("syncing client donations")
            self._status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def on_event(self, event: Event) -> None:
        """Count request attempts into the spinner's text."""
        if self._status is not None and isinstance(event, RequestSent):
            self._requests += 1
            self._status.update(f"syncing client donations: {self._requests} requests")
