"""Submit donation pledges and forwarding requests, then follow each until it settles.

The engine does no HTTP. A :class:`Submitter` is fed a ``submit`` coroutine function (POST a
:class:`Job`, return what the API :class:`Accepted`), a ``poll`` coroutine function (fetch a
status endpoint, or the client donation by reference when given no endpoint), the
:class:`~betterplace_async._core.timing.Timing` to sleep by and a hook for events.

Following a submission
    Where the location names a status id (``.../donation_pledges/17``) the status endpoint
    is polled; otherwise (the status id is not rolled out everywhere, so the location may
    name ``.../client_donations/<client_reference>``) the client donation is looked up by
    reference: 200 with state ``confirmed`` means booked, 404 means not yet. A status
    endpoint that answers 404 is given up for the client donation. Decisions rest on
    ``state`` alone; timestamps such as ``confirmed_at`` may be null. Following the client
    donation cannot see a failure (the donation simply never appears), so such a submission
    ends with :class:`WaitTimeoutError` at the deadline.

Batches
    :class:`SubmissionStream` runs a list of jobs through a
    :class:`~betterplace_async._engines.window.Window`, a bounded number in progress, and
    hands out each :class:`SubmissionResult` as it settles. Errors about the client as a
    whole (401, 403, a closed client, insecure transport) end the batch; any other error
    becomes the result of its own job.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Final, Self, TypeAlias

import attrs

from betterplace_async._core.routes import StatusLocation, status_location
from betterplace_async._core.timing import Timing
from betterplace_async._engines.polling import DEFAULT_DEADLINE, Poller, PollPolicy
from betterplace_async._engines.window import Window
from betterplace_async.errors import (
    AuthenticationError,
    BetterplaceError,
    ClientStateError,
    InsecureTransportError,
    NotFoundError,
    PermissionDeniedError,
    PledgeFailedError,
    WaitTimeoutError,
)
from betterplace_async.events import Event
from betterplace_async.models.common import Acknowledgement
from betterplace_async.models.donations import ClientDonation
from betterplace_async.models.pledges import ForwardingRequest, PledgeState, PledgeStatus
from betterplace_async.models.submissions import SubmissionResult

__all__ = [
    "DEFAULT_CONCURRENCY",
    "Accepted",
    "Job",
    "SubmissionHandle",
    "SubmissionStream",
    "Submitter",
]

logger = logging.getLogger("betterplace_async.pledges")

DEFAULT_CONCURRENCY: Final = 50
"""With an adaptive window: submissions in progress (submitted and not yet settled) at
most; how many of their POSTs are in flight at once is the window's choice."""

Looked: TypeAlias = PledgeStatus | ForwardingRequest | ClientDonation
Seen: TypeAlias = Looked | None

# Errors about the client as a whole: a batch stops on them instead of reporting each job.
_FATAL: Final = (
    AuthenticationError,
    PermissionDeniedError,
    ClientStateError,
    InsecureTransportError,
)


def _state_of(seen: Seen) -> str | None:
    return PledgeState.PENDING if seen is None else seen.state


def _is_final(seen: Seen) -> bool:
    if seen is None:
        return False
    if isinstance(seen, ClientDonation):
        return seen.state == PledgeState.CONFIRMED
    return seen.state in PledgeState.FINAL


def _utcnow() -> datetime:
    return datetime.now(UTC)


@attrs.frozen
class Job:
    """One submission: what to POST where (``segments`` under the client), and its facts."""

    kind: str
    segments: tuple[str | int, ...]
    body: dict[str, Any]
    client_reference: str
    amount_in_cents: int
    project_id: int | None


@attrs.frozen
class Accepted:
    """The API's answer to a submission: its acknowledgement and the location to follow."""

    acknowledgement: Acknowledgement
    location: str | None


@attrs.frozen
class Submitter:
    """The callables the engine is fed, and what it does with them.

    ``poll(location, client_reference)`` fetches the status endpoint ``location`` names or,
    given ``None``, the client donation with that reference; a 404 raises
    :class:`NotFoundError`. ``timing()`` is asked when waiting starts.
    """

    submit: Callable[[Job], Awaitable[Accepted]]
    poll: Callable[[StatusLocation | None, str], Awaitable[Looked]]
    timing: Callable[[], Timing]
    emit: Callable[[Event], None] | None = None

    async def accept(self, job: Job) -> SubmissionHandle:
        """Submit ``job`` and return its handle once the API has accepted it."""
        accepted = await self.submit(job)
        return SubmissionHandle(self, job, accepted, submitted_at=_utcnow())

    async def settle(
        self, job: Job, *, deadline: float, policy: PollPolicy | None, window: Window
    ) -> SubmissionResult:
        """Submit ``job`` through ``window`` and follow it; errors of this job become its result."""
        try:
            handle = await window.admit(lambda: self.accept(job))
        except _FATAL:
            raise
        except BetterplaceError as exc:
            return SubmissionResult(
                kind=job.kind,
                client_reference=job.client_reference,
                amount_in_cents=job.amount_in_cents,
                project_id=job.project_id,
                state=None,
                error=exc,
            )
        try:
            return await handle.outcome(deadline, policy=policy)
        except _FATAL:
            raise
        except BetterplaceError as exc:
            return handle.snapshot(error=exc)

    def stream(
        self, jobs: list[Job], *, window: Window, deadline: float, policy: PollPolicy | None
    ) -> SubmissionStream:
        """Return a stream settling ``jobs``, with :data:`DEFAULT_CONCURRENCY` in progress at
        most behind an adaptive ``window``, ``window.limit`` behind a fixed one."""
        in_progress = DEFAULT_CONCURRENCY if window.adaptive else window.limit

        async def run(job: Job) -> SubmissionResult:
            return await self.settle(job, deadline=deadline, policy=policy, window=window)

        return SubmissionStream(jobs, run, concurrency=in_progress, window=window)


class SubmissionHandle:
    """A submitted pledge or forwarding request; :meth:`wait` follows it to its outcome.

    ``pledge_id`` is the status id when the location gave one. ``result`` holds the latest
    :class:`SubmissionResult` once :meth:`wait` or :meth:`outcome` has returned or given up.
    """

    def __init__(
        self, submitter: Submitter, job: Job, accepted: Accepted, *, submitted_at: datetime
    ) -> None:
        self._submitter = submitter
        self._job = job
        self.acknowledgement = accepted.acknowledgement
        self.location = accepted.location
        self.submitted_at = submitted_at
        self._status = status_location(accepted.location)
        self.pledge_id = None if self._status is None else self._status.id
        self._polls = 0
        self._seen: Seen = None
        self._answered = False  # whether any poll got an answer (404 included)
        self.result: SubmissionResult | None = None

    def __repr__(self) -> str:
        mode = "status" if self._status is not None else "client_donation"
        state = None if self.result is None else self.result.state
        return (
            f"<SubmissionHandle {self._job.kind} {self.client_reference!r} poll={mode} "
            f"state={state!r}>"
        )

    @property
    def kind(self) -> str:
        """``"donation_pledge"`` or ``"forwarding_request"``."""
        return self._job.kind

    @property
    def client_reference(self) -> str:
        """The submission's idempotency key."""
        return self._job.client_reference

    @property
    def amount_in_cents(self) -> int:
        """The submitted amount in cents."""
        return self._job.amount_in_cents

    @property
    def project_id(self) -> int | None:
        """The receiving project, or ``None`` for the client pool."""
        return self._job.project_id

    async def wait(
        self, deadline: float = DEFAULT_DEADLINE, *, policy: PollPolicy | None = None
    ) -> SubmissionResult:
        """Poll until confirmed and return the result.

        Args:
            deadline: Seconds from now to wait at most.
            policy: How often to poll (default: backoff with jitter).

        Raises:
            PledgeFailedError: The API settled it as failed.
            WaitTimeoutError: The deadline passed first. It may still settle: call again to
                keep waiting (polling never submits again).
        """
        if self.result is not None and self.result.state in PledgeState.FINAL:
            return self._settled(self.result)
        poller: Poller[Seen] = Poller(
            self._look,
            _is_final,
            reference=self.client_reference,
            policy=policy,
            timing=self._submitter.timing(),
            state_of=_state_of,
            emit=self._submitter.emit,
        )
        try:
            await poller.run(deadline)
        except WaitTimeoutError as exc:
            self.result = self.snapshot(error=exc)
            raise
        self.result = self.snapshot()
        return self._settled(self.result)

    async def outcome(
        self, deadline: float = DEFAULT_DEADLINE, *, policy: PollPolicy | None = None
    ) -> SubmissionResult:
        """Like :meth:`wait`, but report failure and timeout in the result instead of raising."""
        try:
            return await self.wait(deadline, policy=policy)
        except (PledgeFailedError, WaitTimeoutError):
            assert self.result is not None
            return self.result

    def snapshot(self, *, error: BetterplaceError | None = None) -> SubmissionResult:
        """Return what is known now as a :class:`SubmissionResult` (``error``: why unsettled)."""
        seen = self._seen
        status = seen if isinstance(seen, PledgeStatus | ForwardingRequest) else None
        donation = seen if isinstance(seen, ClientDonation) else None
        settled_at = None
        if _is_final(seen):
            stamp = None
            if status is not None:
                stamp = status.confirmed_at or status.failed_at
            elif donation is not None:
                stamp = donation.created_at
            settled_at = stamp or _utcnow()
        job = self._job
        return SubmissionResult(
            kind=job.kind,
            client_reference=job.client_reference,
            amount_in_cents=job.amount_in_cents,
            project_id=job.project_id,
            state=_state_of(seen) if self._answered else None,
            failure_code=None if status is None else status.failure_code,
            failure_reason=None if status is None else status.failure_reason,
            pledge_id=status.id if status is not None else self.pledge_id,
            status=status,
            donation=donation,
            submitted_at=self.submitted_at,
            settled_at=settled_at,
            polls=self._polls,
            error=error,
        )

    def _settled(self, result: SubmissionResult) -> SubmissionResult:
        if not result.failed:
            return result
        error = PledgeFailedError(
            result.client_reference, result.failure_code, result.failure_reason
        )
        self.result = attrs.evolve(result, error=error)
        raise error

    async def _look(self) -> Seen:
        self._polls += 1
        seen = await self._fetch()
        self._seen, self._answered = seen, True
        return seen

    async def _fetch(self) -> Seen:
        poll, reference = self._submitter.poll, self.client_reference
        if self._status is not None:
            try:
                return await poll(self._status, reference)
            except NotFoundError:
                logger.info(
                    "status endpoint %s/%d answered 404; following client donation %r instead",
                    self._status.resource,
                    self._status.id,
                    reference,
                )
                self._status = None
        try:
            return await poll(None, reference)
        except NotFoundError:
            return None


class _Batch:
    """The work list shared by a stream's workers (kept apart so workers never pin the stream)."""

    def __init__(self, jobs: list[Job], run: Callable[[Job], Awaitable[SubmissionResult]]) -> None:
        self.jobs = jobs
        self.run = run
        self.next = 0

    async def work(self, results: asyncio.Queue[SubmissionResult | BaseException]) -> None:
        while self.next < len(self.jobs):
            job = self.jobs[self.next]
            self.next += 1
            try:
                result = await self.run(job)
            except Exception as exc:
                await results.put(exc)
                return
            await results.put(result)


class SubmissionStream:
    """Results of a batch in the order they settle; iterate it with ``async for``.

    At most ``concurrency`` submissions are in progress (submitted and not yet settled);
    a consumer that stops reading holds up new submissions once ``concurrency`` results
    wait. :attr:`window` is how many submission requests may be in flight now (it moves
    with ``concurrency="auto"``). Use ``async with`` (or :meth:`aclose`) so that leaving
    the loop early cancels the work in flight at once; cancelling the consuming task does
    so too. Errors about the client as a whole (401, 403, a closed client) end the
    iteration by raising.
    """

    def __init__(
        self,
        jobs: list[Job],
        run: Callable[[Job], Awaitable[SubmissionResult]],
        *,
        concurrency: int,
        window: Window | None = None,
    ) -> None:
        self._batch = _Batch(jobs, run)
        self._concurrency = concurrency
        self._window = window or Window(concurrency)
        self._results: asyncio.Queue[SubmissionResult | BaseException] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._delivered = 0
        self._closed = False

    def __repr__(self) -> str:
        return (
            f"<SubmissionStream {self._delivered}/{len(self._batch.jobs)} delivered, "
            f"{sum(not t.done() for t in self._tasks)} workers running>"
        )

    @property
    def total(self) -> int:
        """How many submissions the batch holds."""
        return len(self._batch.jobs)

    @property
    def delivered(self) -> int:
        """How many results were handed out so far."""
        return self._delivered

    @property
    def window(self) -> int:
        """How many submission requests may be in flight now."""
        return self._window.limit

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> SubmissionResult:
        if self._closed or self._delivered >= len(self._batch.jobs):
            await self.aclose()
            raise StopAsyncIteration
        results = self._start()
        try:
            item = await results.get()
        except BaseException:
            await self.aclose()
            raise
        if isinstance(item, BaseException):
            await self.aclose()
            raise item
        self._delivered += 1
        return item

    def _start(self) -> asyncio.Queue[SubmissionResult | BaseException]:
        if self._results is None:
            self._results = asyncio.Queue(maxsize=self._concurrency)
            workers = min(self._concurrency, len(self._batch.jobs))
            self._tasks = [
                asyncio.create_task(self._batch.work(self._results)) for _ in range(workers)
            ]
        return self._results

    async def aclose(self) -> None:
        """Cancel whatever is in flight and wait until it has stopped."""
        self._closed = True
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
        for task in tasks:
            if not task.cancelled():
                task.exception()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        # Reached at once when a plain `break` drops the stream; cannot await here.
        for task in getattr(self, "_tasks", ()):
            if not task.done():
                with contextlib.suppress(RuntimeError):  # the loop is already closed
                    task.cancel()
