"""Stream every record of a list endpoint to JSONL or CSV, resumably.

Pages are read concurrently by the SDK's paginator and written whole, in list order. With
an output file the export keeps a checkpoint next to it (see :mod:`._checkpoint`): every
second, after the pages written so far are fsynced, the checkpoint is replaced atomically.
A resumed export cuts the file back to the checkpoint's last complete line and goes on from
there. A finished export deletes its checkpoint.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Hashable
from pathlib import Path
from typing import Any, Final, Literal

import attrs

from betterplace_async import Listing, Paginator
from betterplace_async.cli import _checkpoint
from betterplace_async.cli._checkpoint import (
    Checkpoint,
    ResumeFilter,
    Window,
    checkpoint_path,
    keys_of,
)
from betterplace_async.cli._common import UsageError
from betterplace_async.cli._csv import Flattener
from betterplace_async.cli._output import OutputFile, Sink, StdoutSink
from betterplace_async.cli._progress import Progress
from betterplace_async.cli._resources import Resource, raw_identity
from betterplace_async.client import BetterplaceClient
from betterplace_async.errors import BetterplaceError

__all__ = [
    "CHECKPOINT_EVERY",
    "ExportJob",
    "ExportRun",
    "ResumePlan",
    "plan_resume",
    "previous_checkpoint",
]

Format = Literal["jsonl", "csv"]

CHECKPOINT_EVERY: Final = 1.0
"""Default seconds between checkpoints (each costs an fsync of the output and of the
checkpoint); ``ExportJob.checkpoint_every`` and ``--checkpoint-every`` change it."""

_JSON: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@attrs.frozen
class ExportJob:
    """What to export where. ``out=None`` writes to stdout (no checkpoint, no resume)."""

    resource: Resource
    params: dict[str, Any]
    fmt: Format
    out: Path | None
    api: dict[str, str | None]
    per_page: int = 200
    concurrency: int | str = "auto"
    limit: int | None = None
    resume: bool = False
    checkpoint_every: float = CHECKPOINT_EVERY  # seconds; not part of the checkpoint

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


def previous_checkpoint(job: ExportJob, command: dict[str, Any]) -> Checkpoint | None:
    """Return the checkpoint to resume from, or refuse a resume (or a restart) that is wrong."""
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
    differ = [key for key in sorted(set(previous.command) | set(command))
              if previous.command.get(key) != command.get(key)]  # fmt: skip
    if differ:
        raise UsageError(
            f"--resume: the checkpoint of {job.out} was made with different "
            f"{', '.join(differ)}; repeat the original command"
        )
    return previous


@attrs.frozen
class ResumePlan:
    """Where reading starts and how much is left to write (``None``: everything)."""

    start_page: int = 1
    remaining: int | None = None
    read_limit: int | None = None
    filter: ResumeFilter | None = None


def plan_resume(job: ExportJob, previous: Checkpoint | None) -> ResumePlan:
    """Work out the start page, the records left under ``--limit`` and how many to read."""
    if previous is None:
        return ResumePlan(remaining=job.limit, read_limit=job.limit)
    remaining = None if job.limit is None else max(0, job.limit - previous.records)
    if not previous.records:
        return ResumePlan(remaining=remaining, read_limit=remaining)
    resume = ResumeFilter(previous, previous.page_size or job.per_page)
    read_limit = None if remaining is None else remaining + resume.lookahead
    return ResumePlan(resume.start_page, remaining, read_limit, resume)


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
        self.written = 0  # records written by this run
        self.pages = 0  # pages read by this run
        self.dropped = 0  # records a resume found already written
        self.finished = False
        self._identity: Callable[[Any], Hashable] = raw_identity(job.resource.identity)
        self._checkpoint: Checkpoint | None = None
        self._filter: ResumeFilter | None = None
        self._window: Window | None = None  # identities of the last records (file output)
        self._pages_before = 0
        self._committed = 0  # output bytes holding whole pages

    def resume_hint(self) -> str:
        """Say how much is kept and how to go on."""
        if self.job.out is None or self.finished or not self.records:
            return f"{self.records:,} records written"
        return (
            f"{self.records:,} records are in {self.job.out}; "
            "run the same command with --resume to continue"
        )

    async def run(self) -> None:
        """Export every record; on any way out the checkpoint matches the output."""
        command = self.job.command(self.flattener.columns if self.flattener else None)
        previous = previous_checkpoint(self.job, command)
        plan = plan_resume(self.job, previous)
        listing = self._open_listing(plan)  # checks the parameters before any file is touched
        if previous is not None:
            self.records = previous.records
            self._pages_before = previous.pages
        sink = self._open_sink(previous, command)
        self._filter = plan.filter
        pages = listing.pages()
        if self.progress is not None:
            self.progress.resume_from(self.records)
        try:
            if plan.remaining != 0:
                await self._copy(pages, sink, plan.remaining)
            self.finished = True
        except (BetterplaceError, OSError) as exc:
            if self.job.out is not None and self._checkpoint is not None and self.records:
                exc.add_note(self.resume_hint())
            raise
        finally:
            await pages.aclose()
            self._close(sink)

    # -- the pieces of a run ----------------------------------------------------------------

    def _open_listing(self, plan: ResumePlan) -> Paginator[dict[str, Any]]:
        job = self.job
        options = {"per_page": job.per_page, "concurrency": job.concurrency,
                   "start_page": plan.start_page, "limit": plan.read_limit}  # fmt: skip
        listing: Listing[Any] = job.resource.open(self.client, job.params, options)
        return listing.raw()

    def _open_sink(self, previous: Checkpoint | None, command: dict[str, Any]) -> Sink:
        out = self.job.out
        if out is None:
            sink: Sink = StdoutSink()
        elif previous is not None:
            sink = OutputFile(out, resume_at=previous.offset)
            self._checkpoint = previous
        else:
            self._checkpoint = Checkpoint(command)
            # The checkpoint exists before the output does: an output without one is finished.
            _checkpoint.save(checkpoint_path(out), self._checkpoint)
            try:
                sink = OutputFile(out)
            except OSError:
                _checkpoint.remove(checkpoint_path(out))
                raise
        try:
            if sink.offset == 0 and self.flattener is not None:
                sink.write(self.flattener.header())
            self._committed = sink.offset
            if self._checkpoint is not None:
                self._save(sink)
        except BaseException:
            self._close(sink)
            raise
        return sink

    async def _copy(self, pages: AsyncIterator[Any], sink: Sink, remaining: int | None) -> None:
        """Write page after page until the list or ``remaining`` records run out."""
        last_save = self._clock()
        async for page in pages:
            if self.pages == 0:
                self._learn(page)
            records, keys = self._select(list(page.data), remaining)
            self._write(sink, records, keys)
            if remaining is not None:
                remaining -= len(records)
            if self._checkpoint is None:
                sink.sync()
            elif self._clock() - last_save >= self.job.checkpoint_every:
                await self._save_in_thread(sink)
                last_save = self._clock()
            if self.on_page is not None:
                self.on_page(self)
            if remaining == 0:
                return

    def _select(
        self, records: list[dict[str, Any]], remaining: int | None
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """Drop what a resume already wrote and what lies beyond the limit."""
        keys = keys_of(records, self._identity) if self._window is not None else []
        if self._filter is not None:
            mask = self._filter.keep(keys)
            records = [r for r, keep in zip(records, mask, strict=True) if keep]
            keys = [k for k, keep in zip(keys, mask, strict=True) if keep]
        if remaining is not None and len(records) >= remaining:
            records, keys = records[:remaining], keys[:remaining]
        return records, keys

    def _write(self, sink: Sink, records: list[dict[str, Any]], keys: list[str]) -> None:
        if records:
            sink.write(self._encode(records))
            if self._window is not None:
                self._window.extend(keys)
        self._committed = sink.offset
        self.records += len(records)
        self.written += len(records)
        self.pages += 1
        if self.progress is not None:
            self.progress.advance(len(records), 1)

    def _encode(self, records: list[dict[str, Any]]) -> bytes:
        if self.flattener is not None:
            return self.flattener.rows(records)
        return "".join([_JSON.encode(record) + "\n" for record in records]).encode("utf-8")

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

    # -- the checkpoint ---------------------------------------------------------------------

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
        out = self.job.out if self._checkpoint is not None else None
        try:
            if out is not None and self.finished:
                sink.sync()
                _checkpoint.remove(checkpoint_path(out))
            elif out is not None and self.records:
                self._save(sink)
        finally:
            sink.close()
        if out is not None and not self.finished and not self.records:  # nothing to resume
            out.unlink(missing_ok=True)
            _checkpoint.remove(checkpoint_path(out))
        if self._filter is not None:
            self.dropped = self._filter.dropped
