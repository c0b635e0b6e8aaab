"""Donation pledges: submit, then follow each one until the API has booked it or given up.

A submission is answered with 202 and a ``location`` link; the booking happens later.
Where that link names a status id (``.../donation_pledges/17``) the status endpoint is
polled; otherwise (the API's docs show ``.../client_donations/<client_reference>``, as the
status id is not rolled out everywhere) the client donation is looked up by reference: 200
with state ``confirmed`` means booked, 404 means not yet. A status endpoint that answers 404
is given up for the client donation. The location's host and client id are never followed:
polls always go to the configured API origin and client, so credentials stay there.

Decisions rest on ``state`` alone; timestamps such as ``confirmed_at`` may be null.
In client-donation mode a failure cannot be seen (the donation simply never appears), so
such a pledge ends with :class:`WaitTimeoutError` at the deadline.

Submissions are sent as idempotent requests: the API books one donation per
``client_reference``, so the transport may resend them after a connection broke.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Final, Literal, Self, TypeAlias

import attrs
from yarl import URL

from betterplace_async._core import params as _params
from betterplace_async._core.decode import structure
from betterplace_async._core.params import Concurrency, concurrency_arg
from betterplace_async._engines.polling import DEFAULT_DEADLINE, Poller, PollPolicy, Timing
from betterplace_async._engines.window import Window, window_for
from betterplace_async._http.requester import Segments
from betterplace_async._http.sender import Sender
from betterplace_async.errors import (
    AuthenticationError,
    BetterplaceError,
    ClientStateError,
    DecodeError,
    InsecureTransportError,
    InvalidParameterError,
    NotFoundError,
    PermissionDeniedError,
    PledgeFailedError,
    WaitTimeoutError,
)
from betterplace_async.models.common import Acknowledgement
from betterplace_async.models.donations import ClientDonation
from betterplace_async.models.pledges import ForwardingRequest, PledgeState, PledgeStatus
from betterplace_async.pledges import NewDonationPledge, PledgeKind, PledgeResult
from betterplace_async.resources._base import Namespace

__all__ = ["POOL", "PledgeHandle", "PledgeStream", "Pledges", "timing_of"]

logger = logging.getLogger("betterplace_async.pledges")

POOL: Final = "pool"
"""Receiver value meaning the client pool in :meth:`Pledges.submit_many` pairs."""

DEFAULT_CONCURRENCY: Final = 50
"""With ``concurrency="auto"``: submissions in progress (submitted and not yet settled) at
most; how many of their POSTs are in flight at once is the adaptive window's choice."""

Receiver: TypeAlias = int | Literal["pool"]
Seen: TypeAlias = PledgeStatus | ForwardingRequest | ClientDonation | None
StatusModel: TypeAlias = type[PledgeStatus] | type[ForwardingRequest]

_STATUS_MODELS: Final[dict[str, StatusModel]] = {
    "donation_pledges": PledgeStatus,
    "forwarding_requests": ForwardingRequest,
}
# Errors about the client as a whole: a batch stops on them instead of reporting each pledge.
_FATAL: Final = (
    AuthenticationError,
    PermissionDeniedError,
    ClientStateError,
    InsecureTransportError,
)


def timing_of(sender: Sender) -> Timing:
    """Borrow the sleep, clock and random source the client injected into its sender."""
    return Timing(sleep=sender.sleep, clock=sender.clock, rng=sender.rng)


def status_target(location: str | None) -> tuple[str, int] | None:
    """Return ``(resource, id)`` when ``location`` names a status endpoint, else ``None``.

    ``resource`` is ``"donation_pledges"`` or ``"forwarding_requests"``.
    """
    if not location:
        return None
    try:
        parts = [part for part in URL(location).path.split("/") if part]
    except (TypeError, ValueError):
        return None
    if len(parts) < 2 or parts[-2] not in _STATUS_MODELS:
        return None
    ident = parts[-1].removesuffix(".json")
    if not ident.isascii() or not ident.isdigit() or int(ident) < 1:
        return None
    return parts[-2], int(ident)


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
    """One submission of a batch: what to POST where, and what to report about it."""

    kind: str
    segments: Segments
    body: dict[str, Any]
    client_reference: str
    amount_in_cents: int
    project_id: int | None


class PledgeHandle:
    """A submitted pledge or forwarding request; :meth:`wait` follows it to its outcome.

    ``pledge_id`` is the status id when the location gave one. ``result`` holds the latest
    :class:`PledgeResult` once :meth:`wait` or :meth:`outcome` has returned or given up.
    """

    def __init__(
        self,
        owner: Submissions,
        job: Job,
        *,
        acknowledgement: Acknowledgement,
        location: str | None,
        submitted_at: datetime,
    ) -> None:
        self._owner = owner
        self._job = job
        self.acknowledgement = acknowledgement
        self.location = location
        self.submitted_at = submitted_at
        target = status_target(location)
        self._status: tuple[str, int] | None = target
        self.pledge_id = None if target is None else target[1]
        self._polls = 0
        self._seen: Seen = None
        self._answered = False  # whether any poll got an answer (404 included)
        self.result: PledgeResult | None = None

    def __repr__(self) -> str:
        mode = "status" if self._status is not None else "client_donation"
        state = None if self.result is None else self.result.state
        return (
            f"<PledgeHandle {self._job.kind} {self.client_reference!r} poll={mode} state={state!r}>"
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
    ) -> PledgeResult:
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
        sender = self._owner._requester.sender
        poller: Poller[Seen] = Poller(
            self._look,
            _is_final,
            reference=self.client_reference,
            policy=policy,
            timing=timing_of(sender),
            state_of=_state_of,
            emit=sender.emit,
        )
        try:
            await poller.run(deadline)
        except WaitTimeoutError as exc:
            self.result = self._snapshot(error=exc)
            raise
        self.result = self._snapshot()
        return self._settled(self.result)

    async def outcome(
        self, deadline: float = DEFAULT_DEADLINE, *, policy: PollPolicy | None = None
    ) -> PledgeResult:
        """Like :meth:`wait`, but report failure and timeout in the result instead of raising."""
        try:
            return await self.wait(deadline, policy=policy)
        except (PledgeFailedError, WaitTimeoutError):
            assert self.result is not None
            return self.result

    def _snapshot(self, *, error: BetterplaceError | None = None) -> PledgeResult:
        """Return what is known now as a :class:`PledgeResult` (``error`` says why unsettled)."""
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
        return PledgeResult(
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

    def _settled(self, result: PledgeResult) -> PledgeResult:
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
        owner = self._owner
        if self._status is not None:
            resource, ident = self._status
            try:
                return await owner._get(_STATUS_MODELS[resource], resource, ident)
            except NotFoundError:
                logger.info(
                    "status endpoint %s/%d answered 404; following client donation %r instead",
                    resource,
                    ident,
                    self.client_reference,
                )
                self._status = None
        try:
            return await owner._get(ClientDonation, "client_donations", self.client_reference)
        except NotFoundError:
            return None


class _Batch:
    """The work list shared by a stream's workers (kept apart so workers never pin the stream)."""

    def __init__(self, jobs: list[Job], run: Callable[[Job], Awaitable[PledgeResult]]) -> None:
        self.jobs = jobs
        self.run = run
        self.next = 0

    async def work(self, results: asyncio.Queue[PledgeResult | BaseException]) -> None:
        while self.next < len(self.jobs):
            job = self.jobs[self.next]
            self.next += 1
            try:
                result = await self.run(job)
            except Exception as exc:
                await results.put(exc)
                return
            await results.put(result)


class PledgeStream:
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
        run: Callable[[Job], Awaitable[PledgeResult]],
        *,
        concurrency: int,
        window: Window | None = None,
    ) -> None:
        self._batch = _Batch(jobs, run)
        self._concurrency = concurrency
        self._window = window or Window(concurrency)
        self._results: asyncio.Queue[PledgeResult | BaseException] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._delivered = 0
        self._closed = False

    def __repr__(self) -> str:
        return (
            f"<PledgeStream {self._delivered}/{len(self._batch.jobs)} delivered, "
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

    async def __anext__(self) -> PledgeResult:
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

    def _start(self) -> asyncio.Queue[PledgeResult | BaseException]:
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


class Submissions(Namespace):
    """What pledges and forwarding requests share: submit, follow, stream a batch."""

    async def _submit(self, job: Job) -> PledgeHandle:
        # Idempotent: the API books a client_reference once, so a retry cannot book twice.
        # An unreadable 202 still means accepted: the sender leaves a POST's body unparsed,
        # so it is read below and never makes the submission go out again.
        response = await self._requester.send(
            "POST",
            self._path(*job.segments),
            json=job.body,
            authenticate=self._authenticate,
            idempotent=True,
        )
        try:
            ack = structure(
                self._requester.converter,
                response.json(),
                Acknowledgement,
                method="POST",
                url=response.url,
            )
        except DecodeError as exc:
            # Accepted all the same: fall back to the Location header or the reference.
            logger.warning("could not decode the answer to %r: %s", job.client_reference, exc)
            ack = Acknowledgement(status_code=response.status)
        location = ack.location or response.headers.get("Location")
        return PledgeHandle(
            self, job, acknowledgement=ack, location=location, submitted_at=_utcnow()
        )

    async def _settle(
        self, job: Job, *, deadline: float, policy: PollPolicy | None, window: Window
    ) -> PledgeResult:
        try:
            handle = await window.admit(lambda: self._submit(job))
        except _FATAL:
            raise
        except BetterplaceError as exc:
            return PledgeResult(
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
            return handle._snapshot(error=exc)

    def _stream(
        self,
        jobs: list[Job],
        *,
        concurrency: Concurrency,
        deadline: float,
        policy: PollPolicy | None,
    ) -> PledgeStream:
        concurrency = concurrency_arg(concurrency)
        _params.seconds(deadline, "deadline", finite=False)
        if policy is not None and not isinstance(policy, PollPolicy):
            raise InvalidParameterError("policy", "must be a PollPolicy")

        requester = self._requester
        window = window_for(
            concurrency,
            maximum=requester.max_concurrency,
            stream="submissions",
            on_event=requester.on_pagination_event,
        )
        in_progress = DEFAULT_CONCURRENCY if window.adaptive else window.limit

        async def run(job: Job) -> PledgeResult:
            return await self._settle(job, deadline=deadline, policy=policy, window=window)

        return PledgeStream(jobs, run, concurrency=in_progress, window=window)


def unique(jobs: list[Job], name: str) -> list[Job]:
    """Return ``jobs`` after refusing a ``client_reference`` that appears twice."""
    seen: set[str] = set()
    for index, job in enumerate(jobs):
        if job.client_reference in seen:
            raise InvalidParameterError(
                f"{name}[{index}].client_reference",
                f"{job.client_reference!r} appears twice in this batch; the API would book "
                "only the first",
            )
        seen.add(job.client_reference)
    return jobs


class Pledges(Submissions):
    """``/clients/{id}/.../donation_pledges``: donations the client collected itself."""

    def _job(
        self, pledge: object, receiver: object, name: str = "pledge", where: str = "project_id"
    ) -> Job:
        if not isinstance(pledge, NewDonationPledge):
            raise InvalidParameterError(
                name, f"must be a NewDonationPledge, got {type(pledge).__name__}"
            )
        pledge.validate()
        if receiver == POOL:
            segments: Segments = ("pool", "donation_pledges")
            project_id = None
        else:
            if isinstance(receiver, str):
                raise InvalidParameterError(
                    where, f"must be a project id or 'pool', got {receiver!r}"
                )
            project_id = _params.positive_id(receiver, where)
            segments = ("projects", project_id, "donation_pledges")
        return Job(
            kind=PledgeKind.DONATION_PLEDGE,
            segments=segments,
            body=pledge.to_json(),
            client_reference=pledge.client_reference,
            amount_in_cents=pledge.amount_in_cents,
            project_id=project_id,
        )

    @staticmethod
    def _receiver(project_id: int | None, pool: bool) -> Receiver | None:
        if not isinstance(pool, bool):
            raise InvalidParameterError("pool", f"must be True or False, got {pool!r}")
        if pool and project_id is not None:
            raise InvalidParameterError("pool", "give either project_id or pool=True, not both")
        if pool:
            return POOL
        if project_id is None:
            return None
        return _params.positive_id(project_id, "project_id")

    def _one(self, pledge: NewDonationPledge, project_id: int | None, pool: bool) -> Job:
        receiver = self._receiver(project_id, pool)
        if receiver is None:
            raise InvalidParameterError("project_id", "give a project_id or pool=True")
        return self._job(pledge, receiver)

    async def submit(
        self, pledge: NewDonationPledge, *, project_id: int | None = None, pool: bool = False
    ) -> PledgeHandle:
        """Submit a pledge to project ``project_id`` or, with ``pool=True``, to the client pool.

        Returns once the API has accepted it (202); the booking follows.

        Args:
            pledge: The pledge, validated when it was created.
            project_id: The receiving project.
            pool: Send the money to the client pool instead of a project.

        Returns:
            A handle whose ``wait()`` follows the pledge until it settles.

        Raises:
            InvalidParameterError: Neither ``project_id`` nor ``pool=True`` was given.
            UnprocessableEntityError: The API refused the pledge; see its ``errors``.
            NotFoundError: The project is outside the client's scope.
        """
        return await self._submit(self._one(pledge, project_id, pool))

    async def submit_and_wait(
        self,
        pledge: NewDonationPledge,
        *,
        project_id: int | None = None,
        pool: bool = False,
        deadline: float = DEFAULT_DEADLINE,
        policy: PollPolicy | None = None,
    ) -> PledgeResult:
        """Submit a pledge and wait for its booking (see :meth:`PledgeHandle.wait`).

        Args:
            pledge: The pledge, validated when it was created.
            project_id: The receiving project.
            pool: Send the money to the client pool instead of a project.
            deadline: Seconds to wait for the outcome after the API accepted the pledge.
            policy: How often to poll (default: backoff with jitter).

        Raises:
            PledgeFailedError: The API settled the pledge as failed.
            WaitTimeoutError: The deadline passed before it settled.
        """
        handle = await self.submit(pledge, project_id=project_id, pool=pool)
        return await handle.wait(deadline, policy=policy)

    async def status(self, pledge_id: int) -> PledgeStatus:
        """Return the processing state of a pledge.

        Args:
            pledge_id: The pledge's status id, from its ``location`` link.
        """
        return await self._get(
            PledgeStatus, "donation_pledges", _params.positive_id(pledge_id, "pledge_id")
        )

    def submit_many(
        self,
        pledges: Iterable[NewDonationPledge | tuple[Receiver, NewDonationPledge]],
        *,
        project_id: int | None = None,
        pool: bool = False,
        concurrency: Concurrency = "auto",
        deadline: float = DEFAULT_DEADLINE,
        policy: PollPolicy | None = None,
    ) -> PledgeStream:
        """Submit many pledges and stream a :class:`PledgeResult` for each as it settles.

        An item is a pledge (sent to ``project_id`` or, with ``pool=True``, the pool) or a
        ``(receiver, pledge)`` pair whose receiver is a project id or :data:`POOL`.
        Every item is checked before the first request; a ``client_reference`` used twice
        is refused. ``concurrency="auto"`` (the default) keeps up to
        :data:`DEFAULT_CONCURRENCY` pledges in progress and lets an adaptive window decide
        how many submissions are sent at once; an int fixes the number in progress (and so
        in flight). Failed, timed-out and refused pledges are results with ``error`` set,
        not exceptions. ``deadline`` counts per pledge from its acceptance. Running a
        batch again with the same pledges (the same references) books nothing twice.

        Args:
            pledges: Pledges, or ``(receiver, pledge)`` pairs.
            project_id: Receiving project of the pledges given without a receiver.
            pool: Send the pledges given without a receiver to the client pool.
            concurrency: Pledges submitted and followed at once.
            deadline: Seconds to wait for each pledge after its acceptance.
            policy: How often to poll (default: backoff with jitter).

        Returns:
            An async iterator of results in the order they settle; use it with
            ``async with`` so that leaving early cancels the pledges still in flight.
        """
        default = self._receiver(project_id, pool)
        jobs = []
        for index, item in enumerate(pledges):
            name = f"pledges[{index}]"
            if isinstance(item, tuple):
                if len(item) != 2:
                    raise InvalidParameterError(name, "a pair must be (receiver, pledge)")
                receiver, pledge = item
                jobs.append(self._job(pledge, receiver, f"{name}[1]", f"{name}[0]"))
            elif default is None:
                raise InvalidParameterError(
                    "project_id", "give project_id or pool=True, or pair each pledge with one"
                )
            else:
                jobs.append(self._job(item, default, name))
        return self._stream(
            unique(jobs, "pledges"), concurrency=concurrency, deadline=deadline, policy=policy
        )
