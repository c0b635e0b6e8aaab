"""``betterplace pledge`` (one donation pledge) and ``betterplace pledges submit`` (a CSV).

Both rest on the API's promise that it books one donation per ``client_reference``: a
pledge sent again with the same reference is never booked twice. ``pledge`` prints the
reference before anything can go wrong; ``pledges submit`` derives missing references
from the rows (see :mod:`._pledge_rows`), so running the same command again is always safe.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any, Final

from ..client import BetterplaceClient
from ..errors import (
    PledgeFailedError,
    RateLimitError,
    ServerError,
    TransportError,
    WaitTimeoutError,
)
from ..models.pledges import PledgeState
from ..pledges import NewDonationPledge, new_client_reference
from ..reconciliation import write_csv
from ..resources.pledges import POOL, Pledges, Receiver
from ._common import (
    CommandError,
    Connection,
    Interrupted,
    UsageError,
    add_common_options,
    add_connection_options,
    connection_of,
    open_client,
    run,
    stderr_is_terminal,
)
from ._pledge_rows import (
    Outcome,
    PledgeRow,
    outcome_of,
    read_input,
    read_results,
    reconciliation_rows,
    replace_file,
    write_results,
)
from ._progress import Progress

__all__ = ["add_parsers", "pledges_namespace"]

DEFAULT_TIMEOUT: Final = 300.0
JOURNAL_EVERY: Final = 1.0
"""Seconds between rewrites of the results file while a batch runs."""


def pledges_namespace(client: BetterplaceClient) -> Pledges:
    """Return the configured client's pledge endpoints."""
    return client.clients.pledges


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


# -- betterplace pledge ---------------------------------------------------------------------


def _add_pledge(commands: Any) -> None:
    parser = commands.add_parser(
        "pledge",
        help="submit one donation pledge (and wait for it with --wait)",
        description="Submit one donation pledge to a project of the client or to its pool.\n"
        "Options are named after the API's fields. The client_reference (generated when\n"
        "not given) is printed first: submitting again with it never books twice.",
        epilog="example:\n  betterplace pledge --project-id 1114 --amount-in-cents 2500 \\\n"
        "    --first-name Max --last-name Muster --email max@example.org \\\n"
        "    --street 'Hauptstr. 1' --city Berlin --zip 10115 --country-code DE --wait\n\n"
        "output: one line 'accepted client_reference=... ...', and with --wait a second\n"
        "line 'confirmed ...' (exit 0), 'failed ... failure_code=...' or 'pending ...' (exit 1).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    receiver = parser.add_mutually_exclusive_group(required=True)
    receiver.add_argument("--project-id", type=_positive, metavar="ID", help="receiving project")
    receiver.add_argument("--pool", action="store_true", help="pledge to the client's pool")
    fields = parser.add_argument_group("pledge fields")
    fields.add_argument(
        "--amount-in-cents",
        "--amount-cents",
        dest="amount_in_cents",
        type=_positive,
        required=True,
        metavar="CENTS",
        help="amount in cents (1..1000000)",
    )
    fields.add_argument("--client-reference", metavar="REF", help="idempotency key [a-zA-Z0-9_-]")
    for name in ("first_name", "last_name", "email", "street", "city", "zip"):
        fields.add_argument("--" + name.replace("_", "-"), metavar="TEXT")
    fields.add_argument("--country-code", metavar="CC", help="ISO 3166-1 alpha-2, e.g. DE")
    fields.add_argument(
        "--validate-address",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="require the donor's name, e-mail and address (default: yes)",
    )
    fields.add_argument("--tracking-via", metavar="TAG", help="campaign tag [a-zA-Z0-9_-]")
    fields.add_argument("--earmark", type=_positive, metavar="NEED_ID", help="a project need")
    waiting = parser.add_argument_group("waiting")
    waiting.add_argument(
        "--wait",
        action="store_true",
        help="poll until confirmed or failed; exit 0 only when confirmed",
    )
    waiting.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up waiting after this long (default {DEFAULT_TIMEOUT:.0f})",
    )
    add_connection_options(parser)
    add_common_options(parser)
    parser.set_defaults(handler=_pledge_command)


def _fields(**values: object) -> str:
    return " ".join(f"{key}={value}" for key, value in values.items() if value is not None)


def _pledge_command(args: argparse.Namespace) -> int:
    texts = {
        name: getattr(args, name)
        for name in (
            "first_name",
            "last_name",
            "email",
            "street",
            "city",
            "zip",
            "country_code",
            "tracking_via",
        )
    }
    pledge = NewDonationPledge(
        amount_in_cents=args.amount_in_cents,
        client_reference=args.client_reference or new_client_reference(),
        validate_address=args.validate_address,
        earmark=args.earmark,
        **texts,
    )
    conn = connection_of(args, client_api=True, what="pledge")
    return run(_pledge(conn, pledge, args.project_id, args.wait, args.timeout))


async def _pledge(
    conn: Connection, pledge: NewDonationPledge, project_id: int | None, wait: bool, seconds: float
) -> int:
    reference = pledge.client_reference
    where = {"project_id": project_id} if project_id is not None else {"receiver": "pool"}
    retry = (
        f"client_reference {reference}: run again with --client-reference {reference} "
        "to retry without booking twice"
    )
    async with open_client(conn) as client:
        pledges = pledges_namespace(client)
        try:
            handle = await pledges.submit(pledge, project_id=project_id, pool=project_id is None)
        except (TransportError, ServerError, RateLimitError) as exc:
            exc.add_note(retry)  # it may have arrived: only the same reference is safe
            raise
        line = _fields(
            client_reference=reference,
            **where,
            amount_in_cents=pledge.amount_in_cents,
            pledge_id=handle.pledge_id,
        )
        print(f"accepted {line}", flush=True)
        if not wait:
            return 0
        try:
            result = await handle.wait(seconds)
        except PledgeFailedError as exc:
            print(f"failed {line} failure_code={exc.failure_code or 'unknown'}", flush=True)
            raise
        except WaitTimeoutError as exc:
            print(f"pending {line}", flush=True)
            exc.add_note(f"check again later with the same --client-reference {reference}")
            raise
        except asyncio.CancelledError:
            raise Interrupted(f"interrupted while waiting; {retry}") from None
        print(f"{result.state} {line}", flush=True)
    return 0


# -- betterplace pledges submit -------------------------------------------------------------


def _add_pledges(commands: Any) -> None:
    group = commands.add_parser(
        "pledges",
        help="submit many donation pledges from a CSV file",
        description="Work with many donation pledges at once.",
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", title="actions", required=True)
    parser = actions.add_parser(
        "submit",
        help="submit every row of a CSV, wait for each to settle, write results",
        description="Submit every row of a CSV file as a donation pledge, wait until each\n"
        "is confirmed or failed, and write the results and the reconciliation CSV.",
        epilog="""\
input columns (header row; the API's pledge fields):
  amount_in_cents (required), project_id (empty: the client pool), client_reference,
  first_name, last_name, email, street, city, zip, country_code, validate_address
  (true/false, default true), tracking_via, earmark

A row without client_reference gets one derived from its receiver, amount, donor name and
e-mail, tracking_via and --batch-id, so running the same command again never books a row
twice. Rows already confirmed or failed in --results are not sent again. To submit the same
rows once more as new donations, give a new --batch-id.

results columns:
  client_reference, project_id, state (confirmed, failed, pending, error), failure_code,
  amount_in_cents, submitted_at, error

exit status: 0 when every pledge settled (confirmed or failed), 1 when some did not
(pending or error: run the same command again), 2 for a bad input file.
""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--from", dest="source", required=True, metavar="CSV", help="pledges to submit"
    )
    parser.add_argument(
        "--results", required=True, metavar="CSV", help="results file (read back on reruns)"
    )
    parser.add_argument(
        "--reconciliation",
        metavar="CSV",
        help="write the reconciliation CSV of the confirmed pledges here",
    )
    parser.add_argument(
        "--batch-id",
        default="",
        metavar="ID",
        help="mixed into derived references (default: none)",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive,
        default=32,
        metavar="N",
        help="pledges in progress at once (default 32)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"per pledge, how long to wait for it to settle (default {DEFAULT_TIMEOUT:.0f})",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on stderr (default: only when stderr is a terminal)",
    )
    add_connection_options(parser)
    add_common_options(parser)
    parser.set_defaults(handler=_submit_command)


def add_parsers(commands: Any) -> None:
    """Register ``pledge`` and ``pledges``."""
    _add_pledge(commands)
    _add_pledges(commands)


def _submit_command(args: argparse.Namespace) -> int:
    source, results = Path(args.source), Path(args.results)
    if results.resolve() == source.resolve():
        raise UsageError("--results must not be the --from file")
    rows = read_input(source, batch_id=args.batch_id)
    earlier = read_results(results)
    conn = connection_of(args, client_api=True, what="pledges submit")
    show = stderr_is_terminal() if args.progress is None else args.progress
    batch = Batch(rows, earlier, results, args.concurrency, args.timeout)
    reconciliation = Path(args.reconciliation) if args.reconciliation else None
    return run(batch.run(conn, reconciliation, show))


class Batch:
    """One run over the input: carry over settled rows, submit the others, keep a journal."""

    def __init__(
        self,
        rows: list[PledgeRow],
        earlier: dict[str, Outcome],
        results: Path,
        concurrency: int,
        timeout: float,
    ) -> None:
        self.rows = rows
        self.results = results
        self.concurrency = concurrency
        self.timeout = timeout
        self.outcomes: list[Outcome] = []
        self.todo: list[int] = []
        self.carried = 0
        self.notes: list[str] = []
        for index, row in enumerate(rows):
            before = earlier.get(row.pledge.client_reference)
            if before is not None and before.final:
                self.outcomes.append(before)
                self.carried += 1
                if (before.amount_in_cents, before.project_id) != (
                    row.pledge.amount_in_cents,
                    row.project_id,
                ):
                    self.notes.append(
                        f"line {row.line}: {before.client_reference} settled in an earlier run "
                        "with another amount or receiver; it is not sent again"
                    )
                continue
            self.outcomes.append(
                Outcome(
                    client_reference=row.pledge.client_reference,
                    project_id=row.project_id,
                    amount_in_cents=row.pledge.amount_in_cents,
                )
            )
            self.todo.append(index)
        # Money booked for rows that were edited or removed since must stay on record.
        current = {row.pledge.client_reference for row in rows}
        self.orphans = [
            outcome
            for reference, outcome in earlier.items()
            if reference not in current and outcome.state == PledgeState.CONFIRMED
        ]
        if self.orphans:
            self.notes.append(
                f"{len(self.orphans)} pledges confirmed in earlier runs are not in the input "
                "any more (rows edited or removed); they stay in the results and reconciliation"
            )

    def journal(self) -> None:
        """Rewrite the results file: the input's rows, then confirmed rows no longer there."""
        write_results(self.results, [*self.outcomes, *self.orphans])

    def counts(self) -> dict[str, int]:
        """Count the rows per state ('' for not settled yet)."""
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            counts[outcome.state] = counts.get(outcome.state, 0) + 1
        return counts

    def summary(self) -> str:
        """One line: how many rows ended how."""
        counts = self.counts()
        confirmed = counts.get(PledgeState.CONFIRMED, 0)
        failed = counts.get(PledgeState.FAILED, 0)
        rest = len(self.outcomes) - confirmed - failed
        return (
            f"{len(self.outcomes):,} pledges: {confirmed:,} confirmed, {failed:,} failed, "
            f"{rest:,} not settled ({self.carried:,} settled in earlier runs)"
        )

    async def run(self, conn: Connection, reconciliation: Path | None, show: bool) -> int:
        """Submit what is left, then write results and reconciliation; return the status."""
        for note in self.notes:
            print(f"betterplace: note: {note}", file=sys.stderr)
        self.journal()
        progress = Progress("pledges", sys.stderr, live=True, unit="settled") if show else None
        if progress is not None:
            progress.total = len(self.outcomes)
            progress.resume_from(self.carried)
        async with open_client(conn, concurrency=self.concurrency) as client:
            if self.todo:
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
                        progress.finish()
            booked = [*self.outcomes, *self.orphans]
            pool_id = None
            if reconciliation is not None and any(
                o.project_id is None and o.state == PledgeState.CONFIRMED for o in booked
            ):
                pool_id = (await client.clients.pool()).id
        if reconciliation is not None:
            rows = reconciliation_rows(booked, pool_id)
            replace_file(reconciliation, lambda stream: write_csv(rows, stream))
        print(self.summary(), flush=True)
        unsettled = sum(not outcome.final for outcome in self.outcomes)
        if unsettled:
            raise CommandError(
                f"{unsettled:,} pledges did not settle (see the state and error columns of "
                f"{self.results}); fix rows with errors if any and run the same command again"
            )
        return 0

    async def _submit(self, client: BetterplaceClient, progress: Progress | None) -> None:
        pledges = pledges_namespace(client)
        position = {self.outcomes[i].client_reference: i for i in self.todo}
        items: list[tuple[Receiver, NewDonationPledge]] = []
        for index in self.todo:
            row = self.rows[index]
            items.append((POOL if row.project_id is None else row.project_id, row.pledge))
        stream = pledges.submit_many(items, concurrency=self.concurrency, deadline=self.timeout)
        written = time.monotonic()
        async with stream:
            async for result in stream:
                self.outcomes[position[result.client_reference]] = outcome_of(result)
                if progress is not None:
                    progress.advance(1)
                if time.monotonic() - written >= JOURNAL_EVERY:
                    self.journal()
                    written = time.monotonic()
