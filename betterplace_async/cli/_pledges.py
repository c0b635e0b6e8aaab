"""``betterplace pledge`` (one donation pledge) and ``betterplace pledges submit`` (a CSV).

Both rest on the API's promise that it books one donation per ``client_reference``: a
pledge sent again with the same reference is never booked twice. ``pledge`` prints the
reference before anything can go wrong; ``pledges submit`` derives missing references
from the rows (see :mod:`._pledge_rows`), so running the same command again is always safe.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import attrs
import click
from rich.console import Console
from rich.table import Table

from betterplace_async.cli._common import CommandError, Interrupted, UsageError, run
from betterplace_async.cli._pledge_rows import (
    TEXT_FIELDS,
    Outcome,
    PledgeRow,
    outcome_of,
    read_input,
    read_results,
    reconciliation_rows,
    replace_file,
    write_results,
)
from betterplace_async.cli._progress import Progress
from betterplace_async.cli.options import Connection, connection_options, open_client
from betterplace_async.client import BetterplaceClient
from betterplace_async.errors import (
    PledgeFailedError,
    RateLimitError,
    ServerError,
    TransportError,
    WaitTimeoutError,
)
from betterplace_async.models.pledges import PledgeState
from betterplace_async.models.requests import NewDonationPledge, new_client_reference
from betterplace_async.reconciliation import write_csv
from betterplace_async.resources.pledges import POOL, Receiver

__all__ = ["BatchPlan", "plan_batch", "pledge", "pledges"]

DEFAULT_TIMEOUT: Final = 300.0
JOURNAL_EVERY: Final = 1.0
"""Seconds between rewrites of the results file while a batch runs."""

_SECONDS = click.FloatRange(min=0, max=1e9)
_ID = click.IntRange(min=1)
_FIELD_HELP: Final = {
    "country_code": "ISO 3166-1 alpha-2, e.g. DE.",
    "tracking_via": "Campaign tag [a-zA-Z0-9_-].",
}


def _pledge_fields(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add an option per text field of a pledge (the same list the CSV input takes)."""
    for name in reversed(TEXT_FIELDS):
        command = click.option("--" + name.replace("_", "-"), name, metavar="TEXT",
                               help=_FIELD_HELP.get(name))(command)  # fmt: skip
    return command


# -- betterplace pledge ---------------------------------------------------------------------


@click.command(
    short_help="Submit one donation pledge (and wait for it with --wait).",
    epilog="""\b
Example:
  betterplace pledge --project-id 1114 --amount-in-cents 2500 \\
    --first-name Max --last-name Muster --email max@example.org \\
    --street 'Hauptstr. 1' --city Berlin --zip 10115 --country-code DE --wait

\b
Output: one line 'accepted client_reference=... ...', and with --wait a second line
'confirmed ...' (exit 0), 'failed ... failure_code=...' or 'pending ...' (exit 1).""",
)
@click.option("--project-id", type=_ID, help="Receiving project.")
@click.option("--pool", is_flag=True, help="Pledge to the client's pool.")
@click.option("--amount-in-cents", "--amount-cents", type=click.IntRange(min=1), required=True,
              metavar="CENTS", help="Amount in cents (1..1000000).")  # fmt: skip
@click.option("--client-reference", metavar="REF", help="Idempotency key [a-zA-Z0-9_-].")
@_pledge_fields
@click.option("--validate-address/--no-validate-address", default=True, show_default=True,
              help="Require the donor's name, e-mail and address.")  # fmt: skip
@click.option("--earmark", type=_ID, metavar="NEED_ID", help="A need of the project.")
@click.option("--wait", is_flag=True, help="Poll until confirmed or failed; exit 0 only then.")
@click.option("--timeout", type=_SECONDS, default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Give up waiting after this long.")  # fmt: skip
@connection_options
def pledge(
    project_id: int | None,
    pool: bool,
    client_reference: str | None,
    wait: bool,
    timeout: float,
    conn: Connection,
    **fields: Any,
) -> int:
    """Submit one donation pledge to a project of the client or to its pool.

    Options are named after the API's fields. The client_reference (generated when not
    given) is printed first: submitting again with it never books twice.
    """
    if (project_id is None) == (not pool):
        raise click.UsageError("give exactly one of --project-id and --pool")
    new = NewDonationPledge(client_reference=client_reference or new_client_reference(), **fields)
    conn.require_client_api("pledge")
    return run(_pledge(conn, new, project_id, wait, timeout))


def _fields(**values: object) -> str:
    return " ".join(f"{key}={value}" for key, value in values.items() if value is not None)


async def _pledge(
    conn: Connection, new: NewDonationPledge, project_id: int | None, wait: bool, seconds: float
) -> int:
    reference = new.client_reference
    where = {"project_id": project_id} if project_id is not None else {"receiver": "pool"}
    retry = (
        f"client_reference {reference}: run again with --client-reference {reference} "
        "to retry without booking twice"
    )
    async with open_client(conn) as client:
        try:
            handle = await client.clients.pledges.submit(
                new, project_id=project_id, pool=project_id is None
            )
        except (TransportError, ServerError, RateLimitError) as exc:
            exc.add_note(retry)  # it may have arrived: only the same reference is safe
            raise
        line = _fields(client_reference=reference, **where,
                       amount_in_cents=new.amount_in_cents, pledge_id=handle.pledge_id)  # fmt: skip
        click.echo(f"accepted {line}")
        if not wait:
            return 0
        try:
            result = await handle.wait(seconds)
        except PledgeFailedError as exc:
            click.echo(f"failed {line} failure_code={exc.failure_code or 'unknown'}")
            raise
        except WaitTimeoutError as exc:
            click.echo(f"pending {line}")
            exc.add_note(f"check again later with the same --client-reference {reference}")
            raise
        except asyncio.CancelledError:
            raise Interrupted(f"interrupted while waiting; {retry}") from None
        click.echo(f"{result.state} {line}")
    return 0


# -- betterplace pledges submit -------------------------------------------------------------


@click.group()
def pledges() -> None:
    """Work with many donation pledges at once."""


@pledges.command(
    short_help="Submit every row of a CSV, wait for each to settle, write results.",
    epilog="""\b
Input columns (header row; the API's pledge fields):
  amount_in_cents (required), project_id (empty: the client pool), client_reference,
  """
    + ", ".join(TEXT_FIELDS)
    + """,
  validate_address (true/false, default true), earmark

A row without client_reference gets one derived from its receiver, amount, donor name and
e-mail, tracking_via and --batch-id, so running the same command again never books a row
twice. Rows already confirmed or failed in --results are not sent again. To submit the same
rows once more as new donations, give a new --batch-id.

\b
Results columns:
  client_reference, project_id, state (confirmed, failed, pending, error), failure_code,
  amount_in_cents, submitted_at, error

Exit status: 0 when every pledge settled (confirmed or failed), 1 when some did not
(pending or error: run the same command again), 2 for a bad input file.""",
)
@click.option("--from", "source", required=True, metavar="CSV", help="Pledges to submit.",
              type=click.Path(dir_okay=False, path_type=Path))  # fmt: skip
@click.option("--results", required=True, metavar="CSV", help="Results file (read on reruns).",
              type=click.Path(dir_okay=False, path_type=Path))  # fmt: skip
@click.option("--reconciliation", metavar="CSV", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the reconciliation CSV of the confirmed pledges here.")  # fmt: skip
@click.option("--batch-id", default="", metavar="ID", help="Mixed into derived references.")
@click.option("--concurrency", type=_ID, default=32, show_default=True,
              help="Pledges in progress at once.")  # fmt: skip
@click.option("--timeout", type=_SECONDS, default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Per pledge, how long to wait for it to settle.")  # fmt: skip
@click.option("--progress/--no-progress", default=None,
              help="Draw a progress bar on stderr (default: on a terminal).")  # fmt: skip
@connection_options
def submit(
    source: Path,
    results: Path,
    reconciliation: Path | None,
    batch_id: str,
    concurrency: int,
    timeout: float,
    progress: bool | None,
    conn: Connection,
) -> int:
    """Submit every row of a CSV file as a donation pledge, wait until each is confirmed or
    failed, and write the results and the reconciliation CSV."""
    if results.resolve() == source.resolve():
        raise UsageError("--results must not be the --from file")
    plan = plan_batch(read_input(source, batch_id=batch_id), read_results(results))
    conn.require_client_api("pledges submit")
    batch = Batch(plan, results, concurrency, timeout)
    return run(batch.run(conn, reconciliation, progress))


@attrs.frozen
class BatchPlan:
    """What a run does: every row's outcome so far, the rows to send and what to tell."""

    rows: list[PledgeRow]
    outcomes: list[Outcome]
    todo: list[int]
    carried: int
    orphans: list[Outcome]
    notes: list[str]


def plan_batch(rows: list[PledgeRow], earlier: dict[str, Outcome]) -> BatchPlan:
    """Carry over the rows an earlier run settled; the others are to be sent."""
    outcomes: list[Outcome] = []
    todo: list[int] = []
    notes: list[str] = []
    for index, row in enumerate(rows):
        before = earlier.get(row.pledge.client_reference)
        if before is not None and before.final:
            outcomes.append(before)
            if (before.amount_in_cents, before.project_id) != (
                row.pledge.amount_in_cents,
                row.project_id,
            ):
                notes.append(
                    f"line {row.line}: {before.client_reference} settled in an earlier run "
                    "with another amount or receiver; it is not sent again"
                )
            continue
        outcomes.append(Outcome(row.pledge.client_reference, row.project_id,
                                row.pledge.amount_in_cents))  # fmt: skip
        todo.append(index)
    # Money booked for rows that were edited or removed since must stay on record.
    current = {row.pledge.client_reference for row in rows}
    orphans = [
        outcome
        for reference, outcome in earlier.items()
        if reference not in current and outcome.state == PledgeState.CONFIRMED
    ]
    if orphans:
        notes.append(
            f"{len(orphans)} pledges confirmed in earlier runs are not in the input "
            "any more (rows edited or removed); they stay in the results and reconciliation"
        )
    return BatchPlan(rows, outcomes, todo, len(rows) - len(todo), orphans, notes)


class Batch:
    """One run over a planned batch: submit the rows left, keep a journal, sum up."""

    def __init__(self, plan: BatchPlan, results: Path, concurrency: int, timeout: float) -> None:
        self.plan = plan
        self.outcomes = list(plan.outcomes)
        self.results = results
        self.concurrency = concurrency
        self.timeout = timeout

    def journal(self) -> None:
        """Rewrite the results file: the input's rows, then confirmed rows no longer there."""
        write_results(self.results, [*self.outcomes, *self.plan.orphans])

    def counts(self) -> tuple[int, int, int]:
        """Return how many rows are confirmed, failed and not settled."""
        states = [outcome.state for outcome in self.outcomes]
        confirmed, failed = states.count(PledgeState.CONFIRMED), states.count(PledgeState.FAILED)
        return confirmed, failed, len(states) - confirmed - failed

    def summary(self) -> str:
        """One line: how many rows ended how."""
        confirmed, failed, rest = self.counts()
        return (
            f"{len(self.outcomes):,} pledges: {confirmed:,} confirmed, {failed:,} failed, "
            f"{rest:,} not settled ({self.plan.carried:,} settled in earlier runs)"
        )

    def table(self) -> Table:
        """The summary as a table: pledges per state, this run and earlier ones."""
        table = Table(title=f"{len(self.outcomes):,} pledges", title_justify="left")
        table.add_column("state")
        table.add_column("pledges", justify="right")
        confirmed, failed, rest = self.counts()
        for state, count in (("confirmed", confirmed), ("failed", failed),
                             ("not settled", rest), ("settled in earlier runs",
                                                     self.plan.carried)):  # fmt: skip
            table.add_row(state, f"{count:,}")
        return table

    async def run(self, conn: Connection, reconciliation: Path | None, show: bool | None) -> int:
        """Submit what is left, then write results and reconciliation; return the status."""
        for note in self.plan.notes:
            click.echo(f"betterplace: note: {note}", err=True)
        self.journal()
        async with open_client(conn, concurrency=self.concurrency) as client:
            if self.plan.todo:
                await self._submit_all(client, show)
            booked = [*self.outcomes, *self.plan.orphans]
            pool_id = None
            if reconciliation is not None and any(
                o.project_id is None and o.state == PledgeState.CONFIRMED for o in booked
            ):
                pool_id = (await client.clients.pool()).id
        if reconciliation is not None:
            rows = reconciliation_rows(booked, pool_id)
            replace_file(reconciliation, lambda stream: write_csv(rows, stream))
        Console(soft_wrap=True).print(self.table())
        unsettled = self.counts()[2]
        if unsettled:
            raise CommandError(
                f"{unsettled:,} pledges did not settle (see the state and error columns of "
                f"{self.results}); fix rows with errors if any and run the same command again"
            )
        return 0

    async def _submit_all(self, client: BetterplaceClient, show: bool | None) -> None:
        progress = None
        if show is not False:
            console = Console(stderr=True, force_terminal=show or None)
            progress = Progress("pledges", console, unit="settled")
            if not progress.live:
                progress = None  # the table says it all
        if progress is not None:
            progress.total = len(self.outcomes)
            progress.resume_from(self.plan.carried)
        try:
            await self._submit(client, progress)
        except asyncio.CancelledError:
            raise Interrupted(
                f"interrupted; {self.summary()}; results in {self.results}; run the "
                "same command again to finish (nothing is booked twice)"
            ) from None
        finally:
            self.journal()
            if progress is not None:
                progress.clear()

    async def _submit(self, client: BetterplaceClient, progress: Progress | None) -> None:
        position = {self.outcomes[i].client_reference: i for i in self.plan.todo}
        items: list[tuple[Receiver, NewDonationPledge]] = []
        for index in self.plan.todo:
            row = self.plan.rows[index]
            items.append((POOL if row.project_id is None else row.project_id, row.pledge))
        stream = client.clients.pledges.submit_many(
            items, concurrency=self.concurrency, deadline=self.timeout
        )
        written = time.monotonic()
        async with stream:
            async for result in stream:
                self.outcomes[position[result.client_reference]] = outcome_of(result)
                if progress is not None:
                    progress.advance(1)
                if time.monotonic() - written >= JOURNAL_EVERY:
                    self.journal()
                    written = time.monotonic()
