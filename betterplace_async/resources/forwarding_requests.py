"""Forwarding requests: move money from the client pool to a project, then follow the booking.

Same life cycle and engine as donation pledges (see
:mod:`betterplace_async._engines.submissions`): 202 with a
``location``, then polling until ``confirmed`` or ``failed``. Failures are common here
(``pool_empty``, ``pool_missing``, a receiver that may not take donations) and come back as
:class:`PledgeFailedError` or as failed results of :meth:`ForwardingRequests.submit_many`.
"""

from __future__ import annotations

from collections.abc import Iterable

from betterplace_async._core import params as _params
from betterplace_async._core.params import Concurrency
from betterplace_async._engines.polling import DEFAULT_DEADLINE, PollPolicy
from betterplace_async._engines.submissions import Job, SubmissionHandle, SubmissionStream
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.pledges import ForwardingRequest
from betterplace_async.models.requests import NewForwardingRequest
from betterplace_async.models.submissions import SubmissionKind, SubmissionResult
from betterplace_async.resources._submissions import Submissions, unique

__all__ = ["ForwardingRequests"]


class ForwardingRequests(Submissions):
    """``/clients/{id}/projects/{project_id}/forwarding_requests`` and their status."""

    @staticmethod
    def _job(
        request: object, project_id: object, name: str = "request", where: str = "project_id"
    ) -> Job:
        if not isinstance(request, NewForwardingRequest):
            raise InvalidParameterError(
                name, f"must be a NewForwardingRequest, got {type(request).__name__}"
            )
        receiver = _params.positive_id(project_id, where)
        return Job(
            kind=SubmissionKind.FORWARDING_REQUEST,
            segments=("projects", receiver, "forwarding_requests"),
            body=request.to_json(),
            client_reference=request.client_reference,
            amount_in_cents=request.amount_in_cents,
            project_id=receiver,
        )

    async def submit(self, request: NewForwardingRequest, *, project_id: int) -> SubmissionHandle:
        """Ask to forward pool money to project ``project_id``; returns once accepted (202).

        A 422 raises :class:`UnprocessableEntityError` with the per-field ``errors``.
        """
        return await self._submit(self._job(request, project_id))

    async def submit_and_wait(
        self,
        request: NewForwardingRequest,
        *,
        project_id: int,
        deadline: float = DEFAULT_DEADLINE,
        policy: PollPolicy | None = None,
    ) -> SubmissionResult:
        """Submit and wait for the booking (see :meth:`SubmissionHandle.wait`)."""
        handle = await self.submit(request, project_id=project_id)
        return await handle.wait(deadline, policy=policy)

    async def status(self, forwarding_request_id: int) -> ForwardingRequest:
        """Return the processing state of a forwarding request by its id."""
        return await self._get(
            ForwardingRequest,
            "forwarding_requests",
            _params.positive_id(forwarding_request_id, "forwarding_request_id"),
        )

    def submit_many(
        self,
        requests: Iterable[NewForwardingRequest | tuple[int, NewForwardingRequest]],
        *,
        project_id: int | None = None,
        concurrency: Concurrency = "auto",
        deadline: float = DEFAULT_DEADLINE,
        policy: PollPolicy | None = None,
    ) -> SubmissionStream:
        """Submit many forwarding requests and stream their results as they settle.

        An item is a request for ``project_id`` or a ``(project_id, request)`` pair; see
        :meth:`Pledges.submit_many` for the rest.
        """
        if project_id is not None:
            _params.positive_id(project_id, "project_id")
        jobs = []
        for index, item in enumerate(requests):
            name = f"requests[{index}]"
            if isinstance(item, tuple):
                if len(item) != 2:
                    raise InvalidParameterError(name, "a pair must be (project_id, request)")
                jobs.append(self._job(item[1], item[0], f"{name}[1]", f"{name}[0]"))
            elif project_id is None:
                raise InvalidParameterError(
                    "project_id", "give project_id or pair each request with one"
                )
            else:
                jobs.append(self._job(item, project_id, name))
        return self._stream(
            unique(jobs, "requests"), concurrency=concurrency, deadline=deadline, policy=policy
        )
