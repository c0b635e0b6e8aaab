"""Donation pledges: submit to a project or the client pool, then follow the booking.

A submission is answered with 202 and a ``location`` link; the booking happens later. The
namespace checks its arguments and builds a :class:`Job` per pledge; submitting, polling
and batches are the submission engine's (see :mod:`betterplace_async._engines.submissions`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal, TypeAlias

from betterplace_async._core import params as _params
from betterplace_async._core import validate as _validate
from betterplace_async._core.params import Concurrency
from betterplace_async._engines.polling import DEFAULT_DEADLINE, PollPolicy
from betterplace_async._engines.submissions import Job, SubmissionHandle, SubmissionStream
from betterplace_async._http.requester import Segments
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.pledges import PledgeStatus
from betterplace_async.models.requests import NewDonationPledge
from betterplace_async.models.submissions import SubmissionKind, SubmissionResult
from betterplace_async.resources._submissions import Submissions, unique

__all__ = ["POOL", "Pledges", "Receiver"]

POOL: Final = "pool"
"""Receiver value meaning the client pool in :meth:`Pledges.submit_many` pairs."""

Receiver: TypeAlias = int | Literal["pool"]


class Pledges(Submissions):
    """``/clients/{id}/.../donation_pledges``: donations the client collected itself."""

    def _job(
        self, pledge: object, receiver: object, name: str = "pledge", where: str = "project_id"
    ) -> Job:
        if not isinstance(pledge, NewDonationPledge):
            raise InvalidParameterError(
                name, f"must be a NewDonationPledge, got {type(pledge).__name__}"
            )
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
            kind=SubmissionKind.DONATION_PLEDGE,
            segments=segments,
            body=pledge.to_json(),
            client_reference=pledge.client_reference,
            amount_in_cents=pledge.amount_in_cents,
            project_id=project_id,
        )

    @staticmethod
    def _receiver(project_id: int | None, pool: bool) -> Receiver | None:
        _validate.flag(pool, "pool")
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
    ) -> SubmissionHandle:
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
    ) -> SubmissionResult:
        """Submit a pledge and wait for its booking (see :meth:`SubmissionHandle.wait`).

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
    ) -> SubmissionStream:
        """Submit many pledges and stream a :class:`SubmissionResult` for each as it settles.

        An item is a pledge (sent to ``project_id`` or, with ``pool=True``, the pool) or a
        ``(receiver, pledge)`` pair whose receiver is a project id or :data:`POOL`.
        Every item is checked before the first request; a ``client_reference`` used twice
        is refused. ``concurrency="auto"`` (the default) keeps up to
        :data:`~betterplace_async._engines.submissions.DEFAULT_CONCURRENCY` pledges in
        progress and lets an adaptive window decide how many submissions are sent at once;
        an int fixes the number in progress (and so in flight). Failed, timed-out and
        refused pledges are results with ``error`` set, not exceptions. ``deadline`` counts
        per pledge from its acceptance. Running a batch again with the same pledges (the
        same references) books nothing twice.

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
