"""``betterplace sync client-donations``: keep a database copy of a client's donations.

A click group (extra ``[cli]`` plus ``[mirror]``); the root command adds it as ``sync``.
Exit status: 0 the mirror is consistent with the API, 1 failure (the run's transaction is
rolled back, nothing is half-applied), 2 usage error (nothing was opened or sent), 130
interrupted. Every failure is one line on stderr; database passwords are never printed.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any, Final

import click

from .. import _protocol
from ..client import BetterplaceClient
from ..errors import BetterplaceError, InvalidParameterError

__all__ = ["sync"]

EXIT_ERROR: Final = 1
EXIT_INTERRUPTED: Final = 130


class _Failed(click.ClickException):
    """A failure after the input was accepted: one line, exit status 1."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


@click.group(name="sync")
def sync() -> None:
    """Keep a local database copy of API data up to date."""


@sync.command("client-donations")
@click.option(
    "--db",
    envvar="BETTERPLACE_DB",
    required=True,
    help="SQLite file path, sqlite:///PATH or postgresql://USER[:PASSWORD]@HOST:PORT/NAME "
    "(env BETTERPLACE_DB).",
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
@click.option(
    "--base-url",
    envvar="BETTERPLACE_BASE_URL",
    default=_protocol.DEFAULT_BASE_URL,
    show_default=True,
    help="API origin (env BETTERPLACE_BASE_URL).",
)
@click.option("--client-id", envvar="BETTERPLACE_CLIENT_ID", required=True, help="Client id.")
@click.option("--username", envvar="BETTERPLACE_USERNAME", required=True, help="Client API user.")
@click.option(
    "--password",
    envvar="BETTERPLACE_PASSWORD",
    required=True,
    help="Client API password (env BETTERPLACE_PASSWORD; never printed).",
)
def client_donations(
    db: str,
    lookback_days: float,
    full: bool,
    allow_mass_revocation: bool,
    as_json: bool,
    base_url: str,
    client_id: str,
    username: str,
    password: str,
) -> None:
    """Mirror the client's donations into DB, marking revoked ones (see the README)."""
    from ..mirror import DonationMirror, RequestCounter

    try:
        mirror = DonationMirror(db)
    except InvalidParameterError as exc:
        raise click.BadParameter(str(exc).removeprefix("db: "), param_hint="'--db'") from exc
    status = _Status()
    counter = RequestCounter(status.on_event)
    try:
        client = BetterplaceClient(
            base_url=base_url, client_id=client_id, auth=(username, password), on_event=counter
        )
    except InvalidParameterError as exc:
        raise click.UsageError(str(exc)) from exc

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
        click.echo("interrupted: nothing was changed", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except BetterplaceError as exc:
        raise _Failed(str(exc)) from exc
    except OSError as exc:
        raise _Failed(f"{type(exc).__name__}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(report.as_dict()))
    else:
        click.echo(
            f"{report.mode} sync: {report.added} added, {report.changed} changed, "
            f"{report.revoked} revoked, {report.reinstated} reinstated; {report.live} live; "
            f"{report.requests} requests in {report.seconds:.1f} s"
        )
    if not report.consistent:
        raise _Failed(
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

    def on_event(self, event: object) -> None:
        """Count request attempts into the spinner's text."""
        from ..events import RequestSent

        if self._status is not None and isinstance(event, RequestSent):
            self._requests += 1
            self._status.update(f"syncing client donations: {self._requests} requests")
