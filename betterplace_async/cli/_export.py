"""``betterplace export RESOURCE``: stream every record of a list endpoint to JSONL or CSV.

Pages are read concurrently by the SDK's paginator and written whole, in list order. With
``--out FILE`` the export keeps a checkpoint next to the file (see :mod:`._checkpoint`):
every second, after the pages written so far are fsynced, the checkpoint is replaced
atomically. ``--resume`` cuts the file back to the checkpoint's last complete line and goes
on from there. A finished export deletes its checkpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, Final, Literal

import attrs

from ..client import BetterplaceClient
from ..errors import BetterplaceError
from ..resources._base import PageOptions, identity_of
from . import _checkpoint
from ._checkpoint import Checkpoint, ResumeFilter, Window, checkpoint_path, keys_of
from ._common import (
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
from ._csv import Flattener
from ._output import OutputFile, Sink, StdoutSink
from ._progress import Progress, duration
from ._resources import OPTIONS, RESOURCES, Resource, resource_params

__all__ = ["ExportJob", "ExportRun", "add_parser", "command"]

Format = Literal["jsonl", "csv"]

CHECKPOINT_EVERY: Final = 1.0
"""Seconds between checkpoints (each costs an fsync of the output and of the checkpoint)."""

_JSON: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _jsonl(records: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> bytes:
    return "".join([_JSON.encode(record) + "\n" for record in records]).encode("utf-8")


@attrs.frozen
class ExportJob:
    """What to export where. ``out=None`` writes to stdout (no checkpoint, no resume)."""

    resource: Resource
    params: dict[str, Any]
    fmt: Format
    out: Path | None
    api: dict[str, str | None]
    per_page: int = 200
    concurrency: int = 8
    limit: int | None = None
    resume: bool = False

    def command(self, columns: list[str] | None) -> dict[str, Any]:
        """Return what a checkpoint records about this export (compared on resume)."""
        described = {
            "resource": self.resource.name,
            "params": json.loads(json.dumps(self.params)),
            "format": self.fmt,
            "per_page": self.per_page,
            "api": self.api,
        }
        if columns is not None:
            described["columns"] = columns
        return described


def _differences(saved: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
    keys = sorted(set(saved) | set(wanted))
    return [key for key in keys if saved.get(key) != wanted.get(key)]


class ExportRun:
    """One run of an export; its counters stay readable after it stopped or failed."""

    def __init__(
        self,
        client: BetterplaceClient,
        job: ExportJob,
        *,
        progress: Progress | None = None,
        on_page: Callable[[ExportRun], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.job = job
        self.progress = progress
        self.on_page = on_page
        self._clock = clock
        self.flattener = Flattener(job.resource.model) if job.fmt == "csv" else None
        self.records = 0  # records in the output (earlier runs included)
        self.resumed_from = 0
        self.written = 0  # records written by this run
        self.pages = 0  # pages read by this run
        self.dropped = 0  # records a resume found already written
        self.finished = False
        self._checkpoint: Checkpoint | None = None
        self._filter: ResumeFilter | None = None
        self._window: Window | None = None  # identities of the last records (file output)
        self._pages_before = 0
        self._committed = 0  # output bytes holding whole pages

    @property
    def checkpoint_file(self) -> Path | None:
        """The checkpoint's path, when writing to a file."""
        return None if self.job.out is None else checkpoint_path(self.job.out)

    def resume_hint(self) -> str:
        """Say how much is kept and how to go on."""
        if self.job.out is None or self.finished or not self.records:
            return f"{self.records:,} records written"
        return (
            f"{self.records:,} records are in {self.job.out}; "
            "run the same command with --resume to continue"
        )

    # -- preparing ------------------------------------------------------------------------

    def _previous(self, command: dict[str, Any]) -> Checkpoint | None:
        job = self.job
        if job.out is None:
            if job.resume:
                raise UsageError("--resume needs --out FILE (stdout cannot be resumed)")
            return None
        path = checkpoint_path(job.out)
        previous = _checkpoint.load(path)
        if previous is None:
            if job.resume and job.out.exists():
                raise UsageError(
                    f"nothing to resume: {job.out} has no checkpoint (the export finished, "
                    "or the file is not an export); delete it to export again"
                )
            return None
        if not job.resume:
            raise UsageError(
                f"{job.out} is an unfinished export ({path.name} exists): add --resume to "
                "continue it, or delete both files to start over"
            )
        differ = _differences(previous.command, command)
        if differ:
            raise UsageError(
                f"--resume: the checkpoint of {job.out} was made with different "
                f"{', '.join(differ)}; repeat the original command"
            )
        return previous

    def _open_listing(self, start_page: int, limit: int | None) -> Any:
        job = self.job
        options: PageOptions = {
            "per_page": job.per_page,
            "concurrency": job.concurrency,
            "start_page": start_page,
            "limit": limit,
        }
        return job.resource.open(self.client, job.params, options).raw()

    def _open_sink(self, previous: Checkpoint | None, command: dict[str, Any]) -> Sink:
        job = self.job
        header = self.flattener.header() if self.flattener is not None else b""
        if job.out is None:
            sink: Sink = StdoutSink()
        elif previous is not None:
            sink = OutputFile(job.out, resume_at=previous.offset)
            self._checkpoint = previous
        else:
            self._checkpoint = Checkpoint(command)
            # The checkpoint exists before the output does: an output without one is finished.
            _checkpoint.save(checkpoint_path(job.out), self._checkpoint)
            try:
                sink = OutputFile(job.out)
            except OSError:
                _checkpoint.remove(checkpoint_path(job.out))
                raise
        try:
            if sink.offset == 0 and header:
                sink.write(header)
            self._committed = sink.offset
            if self._checkpoint is not None:
                self._save(sink)
        except BaseException:
            self._close(sink)
            raise
        return sink

    # -- running --------------------------------------------------------------------------

    async def run(self) -> None:
        """Export every record; on any way out the checkpoint matches the output."""
        job = self.job
        command = job.command(self.flattener.columns if self.flattener is not None else None)
        previous = self._previous(command)
        start_page, limit = 1, job.limit
        if previous is not None:
            self.records = self.resumed_from = previous.records
            self._pages_before = previous.pages
            if previous.records:
                self._filter = ResumeFilter(previous, previous.page_size or job.per_page)
                start_page = self._filter.start_page
            if limit is not None:
                limit = max(0, limit - previous.records)
        remaining = limit
        read_limit = limit
        if remaining is not None and self._filter is not None:
            read_limit = remaining + self._filter.lookahead
        listing = self._open_listing(start_page, read_limit)  # checks the parameters
        identity: Callable[[Any], Hashable] = identity_of(job.resource.identity)[1]
        sink = self._open_sink(previous, command)
        if self.progress is not None:
            self.progress.resume_from(self.records)
        pages = listing.pages()
        last_save = self._clock()
        try:
            if remaining == 0:
                self.finished = True
                return
            async for page in pages:
                if self.pages == 0:
                    self._learn(page)
                window = self._window
                records = list(page.data)
                keys = keys_of(records, identity) if window is not None else []
                if self._filter is not None:
                    mask = self._filter.keep(keys)
                    records = [r for r, keep in zip(records, mask, strict=True) if keep]
                    keys = [k for k, keep in zip(keys, mask, strict=True) if keep]
                if remaining is not None and len(records) >= remaining:
                    records, keys = records[:remaining], keys[:remaining]
                if records:
                    sink.write(self._encode(records))
                    if window is not None:
                        window.extend(keys)
                self._committed = sink.offset
                self.records += len(records)
                self.written += len(records)
                self.pages += 1
                if remaining is not None:
                    remaining -= len(records)
                if self.progress is not None:
                    self.progress.advance(len(records), 1)
                if self._checkpoint is None:
                    sink.sync()
                elif self._clock() - last_save >= CHECKPOINT_EVERY:
                    await self._save_in_thread(sink)
                    last_save = self._clock()
                if self.on_page is not None:
                    self.on_page(self)
                if remaining == 0:
                    break
            self.finished = True
        except (BetterplaceError, OSError) as exc:
            if job.out is not None and self._checkpoint is not None and self.records:
                exc.add_note(self.resume_hint())
            raise
        finally:
            await pages.aclose()
            self._close(sink)

    def _learn(self, page: Any) -> None:
        """Take the total and the server's page size from the first page read."""
        if self.progress is not None and page.total_entries is not None:
            total = page.total_entries
            if self.job.limit is not None:
                total = min(total, self.job.limit)
            self.progress.total = max(total, self.records)
        checkpoint = self._checkpoint
        if checkpoint is not None:
            if checkpoint.page_size is None:
                size = page.per_page
                narrower = isinstance(size, int) and 0 < size < self.job.per_page
                checkpoint.page_size = size if narrower else self.job.per_page
            checkpoint.total_entries = page.total_entries
            self._window = Window(
                checkpoint.window, size=_checkpoint.WINDOW_PAGES * checkpoint.page_size
            )

    def _encode(self, records: list[dict[str, Any]]) -> bytes:
        if self.flattener is not None:
            return self.flattener.rows(records)
        return _jsonl(records)

    async def _save_in_thread(self, sink: Sink) -> None:
        """Save a checkpoint without blocking the event loop (fsync can take a while).

        Nothing writes meanwhile: this coroutine is the only writer and waits here. When
        cancelled, it still waits for the thread so two saves never overlap.
        """
        saving = asyncio.ensure_future(asyncio.to_thread(self._save, sink))
        try:
            await asyncio.shield(saving)
        except asyncio.CancelledError:
            await asyncio.wait([saving])
            raise

    def _save(self, sink: Sink) -> None:
        checkpoint = self._checkpoint
        assert checkpoint is not None
        assert self.job.out is not None
        sink.sync()
        checkpoint.offset = self._committed
        checkpoint.records = self.records
        checkpoint.pages = self._pages_before + self.pages
        if self._window is not None:
            checkpoint.window = self._window.snapshot()
        _checkpoint.save(checkpoint_path(self.job.out), checkpoint)

    def _close(self, sink: Sink) -> None:
        """Finish the output: drop the checkpoint, save it, or (nothing written) remove both."""
        out = self.job.out
        try:
            if self._checkpoint is not None and out is not None:
                if self.finished:
                    sink.sync()
                    _checkpoint.remove(checkpoint_path(out))
                elif self.records:
                    self._save(sink)
        finally:
            sink.close()
        unfinished = self._checkpoint is not None and out is not None and not self.finished
        if unfinished and out is not None and not self.records:  # nothing to resume: no trace
            out.unlink(missing_ok=True)
            _checkpoint.remove(checkpoint_path(out))
        if self._filter is not None:
            self.dropped = self._filter.dropped


# -- the command --------------------------------------------------------------------------


def _pair(kind: str) -> Callable[[str], tuple[str, str]]:
    def parse(text: str) -> tuple[str, str]:
        key, sep, value = text.partition(":")
        if not sep or not key or not value:
            raise argparse.ArgumentTypeError(f"expected KEY:VALUE, got {text!r}")
        if kind == "order":
            if value.upper() not in ("ASC", "DESC"):
                raise argparse.ArgumentTypeError(f"direction must be ASC or DESC, got {value!r}")
            value = value.upper()
        return key, value

    parse.__name__ = kind  # argparse names the type in its messages
    return parse


def _count(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {value}")
        return value

    parse.__name__ = "number"
    return parse


positive = _count(1)


def _resource_table() -> str:
    width = max(len(name) for name in RESOURCES)
    lines = [
        f"  {name:<{width}}  {spec.help}{' [client API]' if spec.client_api else ''}"
        for name, spec in RESOURCES.items()
    ]
    return "resources:\n" + "\n".join(lines)


EPILOG = """\
examples:
  betterplace export client-donations --out donations.jsonl
  betterplace export client-donations --out donations.jsonl --resume
  betterplace export projects --facet completed:false --order rank:DESC --format csv --out p.csv
  betterplace export opinions --project-id 1114 --limit 500

With --out FILE a checkpoint FILE.checkpoint.json is kept while the export runs. After an
interruption (Ctrl-C, a crash, a lost connection) run the same command with --resume: the
file is cut back to its last complete record and the export goes on from there.
"""


def add_parser(subparsers: Any) -> None:
    """Register ``export``."""
    parser = subparsers.add_parser(
        "export",
        help="stream every record of a list endpoint to JSONL or CSV",
        description="Stream every record of a list endpoint to a file or stdout, reading pages\n"
        "concurrently and writing them in list order.\n\n" + _resource_table(),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("resource", metavar="RESOURCE", choices=sorted(RESOURCES))
    output = parser.add_argument_group("output")
    output.add_argument("--out", metavar="FILE", help="output file (default: stdout; '-' too)")
    output.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        help="jsonl: one record per line as the API sent it; csv: flattened columns "
        "(default: csv when FILE ends in .csv, else jsonl)",
    )
    output.add_argument(
        "--resume", action="store_true", help="continue an interrupted export into FILE"
    )
    output.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on stderr (default: only when stderr is a terminal)",
    )
    reading = parser.add_argument_group("reading")
    reading.add_argument(
        "--per-page",
        type=_count(1, 200),
        default=200,
        metavar="N",
        help="records per page (1..200, default 200)",
    )
    reading.add_argument(
        "--concurrency",
        type=positive,
        default=8,
        metavar="N",
        help="pages read at once (default 8)",
    )
    reading.add_argument("--limit", type=_count(0), metavar="N", help="stop after N records")
    reading.add_argument(
        "--facet",
        dest="facets",
        metavar="KEY:VALUE",
        type=_pair("facet"),
        action="append",
        help="filter, e.g. completed:false (repeatable)",
    )
    reading.add_argument(
        "--order",
        metavar="KEY:DIR",
        type=_pair("order"),
        action="append",
        help="sort, e.g. rank:DESC (repeatable)",
    )
    which = parser.add_argument_group("resource options (see the list above)")
    which.add_argument("--query", "-q", dest="q", metavar="TEXT", help="full-text search")
    which.add_argument("--scope", choices=("location", "human_name"), help="what --query searches")
    which.add_argument("--around", metavar="PLACE", help="projects near a place")
    which.add_argument("--around-distance", metavar="DIST", help="radius for --around, e.g. 25km")
    for dest in ("project_id", "fundraising_event_id", "organisation_id", "matching_fund_id"):
        which.add_argument(OPTIONS[dest], dest=dest, type=positive, metavar="ID")
    which.add_argument("--slug", metavar="SLUG", help="tag slug (client-tag-projects)")
    which.add_argument("--client-reference", metavar="REF", help="one client donation")
    add_connection_options(parser)
    add_common_options(parser)
    parser.set_defaults(handler=command)


def _format_of(args: argparse.Namespace) -> Format:
    if args.format is not None:
        return "csv" if args.format == "csv" else "jsonl"
    return "csv" if args.out and args.out.lower().endswith(".csv") else "jsonl"


def command(args: argparse.Namespace) -> int:
    """Run ``betterplace export``."""
    resource = RESOURCES[args.resource]
    params = resource_params(resource, {dest: getattr(args, dest) for dest in OPTIONS})
    conn = connection_of(args, client_api=resource.client_api, what=f"export {resource.name}")
    out = None if args.out in (None, "-") else Path(args.out)
    job = ExportJob(
        resource=resource,
        params=params,
        fmt=_format_of(args),
        out=out,
        api={
            "base_url": conn.base_url,
            "locale": conn.locale,
            "client_id": conn.client_id if resource.client_api else None,
        },
        per_page=args.per_page,
        concurrency=args.concurrency,
        limit=args.limit,
        resume=args.resume,
    )
    show = stderr_is_terminal() if args.progress is None else args.progress
    return run(_export(conn, job, show))


async def _export(conn: Connection, job: ExportJob, show_progress: bool) -> int:
    progress = Progress(job.resource.name, sys.stderr, live=True) if show_progress else None
    async with open_client(conn, concurrency=job.concurrency) as client:
        export = ExportRun(client, job, progress=progress)
        try:
            await export.run()
        except BaseException as exc:
            if progress is not None:
                progress.finish()  # end the status line before the message
            if isinstance(exc, asyncio.CancelledError):
                raise Interrupted(f"interrupted; {export.resume_hint()}") from None
            raise
    if progress is not None:
        where = f" to {job.out}" if job.out is not None else ""
        progress.finish(
            f"exported {export.records:,} {job.resource.name} records{where} in "
            f"{duration(progress.elapsed)} ({progress.rate:,.0f} records/s)"
        )
    if export.flattener is not None and export.flattener.left_out:
        fields = ", ".join(sorted(export.flattener.left_out)[:10])
        print(
            f"betterplace: note: fields the CSV has no column for were left out: {fields} "
            "(--format jsonl keeps everything)",
            file=sys.stderr,
        )
    return 0
