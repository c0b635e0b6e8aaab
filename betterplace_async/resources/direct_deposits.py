"""Direct deposits: announce a bank transfer to a project and learn where to send it.

Creating one is not idempotent (the API has no key to recognise a repeat), so it is only
retried when the connection could not even be opened.
"""

from __future__ import annotations

from betterplace_async._core import params as _params
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.direct_deposits import DirectDeposit
from betterplace_async.models.requests import NewDirectDeposit
from betterplace_async.resources._base import Namespace

__all__ = ["DirectDeposits"]


class DirectDeposits(Namespace):
    """``/clients/{id}/projects/{project_id}/direct_deposits`` (needs extra privileges)."""

    async def create(self, deposit: NewDirectDeposit, *, project_id: int) -> DirectDeposit:
        """Create an unconfirmed donation; pay it to the returned IBAN with its ``reference_id``.

        The donation is confirmed once the money arrives. A 422 raises
        :class:`UnprocessableEntityError` with the per-field ``errors``.
        """
        if not isinstance(deposit, NewDirectDeposit):
            raise InvalidParameterError(
                "deposit", f"must be a NewDirectDeposit, got {type(deposit).__name__}"
            )
        project = _params.positive_id(project_id, "project_id")
        return await self._post(
            DirectDeposit,
            ("projects", project, "direct_deposits"),
            deposit.to_json(),
            idempotent=False,
        )
