"""What the pledge and forwarding-request namespaces share: feed the submission engine.

Submissions are sent as idempotent requests: the API books one donation per
``client_reference``, so the sender may resend them after a connection broke. The
following itself is the engine's (:mod:`betterplace_async._engines.submissions`); this
module only checks a batch's arguments and hands the engine this client's calls. Polls
always go to the configured API origin and client, never to the host or client id a
location names, so credentials stay there.
"""

from __future__ import annotations

import logging

from betterplace_async._core import params as _params
from betterplace_async._core.decode import structure
from betterplace_async._core.params import Concurrency, concurrency_arg
from betterplace_async._core.routes import StatusLocation
from betterplace_async._engines.polling import PollPolicy
from betterplace_async._engines.submissions import (
    Accepted,
    Job,
    Looked,
    SubmissionHandle,
    SubmissionStream,
    Submitter,
)
from betterplace_async._engines.window import window_for
from betterplace_async.errors import DecodeError, InvalidParameterError
from betterplace_async.models.common import Acknowledgement
from betterplace_async.models.donations import ClientDonation
from betterplace_async.resources._base import Namespace

__all__ = ["Submissions", "unique"]

logger = logging.getLogger("betterplace_async.pledges")


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


class Submissions(Namespace):
    """What pledges and forwarding requests share: submit, follow, stream a batch."""

    @property
    def _submitter(self) -> Submitter:
        requester = self._requester
        return Submitter(
            submit=self._send, poll=self._look, timing=requester.timing, emit=requester.emit
        )

    async def _send(self, job: Job) -> Accepted:
        # Idempotent: the API books a client_reference once, so a retry cannot book twice.
        # An unreadable 202 still means accepted: a POST's body is never parsed inside the
        # retry loop, so it is read here and never resent.
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
        return Accepted(ack, ack.location or response.headers.get("Location"))

    async def _look(self, location: StatusLocation | None, client_reference: str) -> Looked:
        if location is None:
            return await self._get(ClientDonation, "client_donations", client_reference)
        return await self._get(location.model, location.resource, location.id)

    async def _submit(self, job: Job) -> SubmissionHandle:
        return await self._submitter.accept(job)

    def _stream(
        self,
        jobs: list[Job],
        *,
        concurrency: Concurrency,
        deadline: float,
        policy: PollPolicy | None,
    ) -> SubmissionStream:
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
        return self._submitter.stream(jobs, window=window, deadline=deadline, policy=policy)
