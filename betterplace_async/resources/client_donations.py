"""The donations a client has made or forwarded (client API)."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async._core.params import PairsInput
from betterplace_async.models.donations import ClientDonation
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["ClientDonations"]


class ClientDonations(Namespace):
    """``/clients/{client_id}/client_donations``."""

    async def get(self, token_or_reference: str) -> ClientDonation:
        """Return one donation by its token or by the ``client_reference`` you gave it."""
        key = _params.segment(token_or_reference, "token_or_reference")
        return await self._get(ClientDonation, "client_donations", key)

    def list(
        self,
        *,
        client_reference: str | None = None,
        facets: PairsInput = None,
        order: PairsInput = None,
        **options: Unpack[PageOptions],
    ) -> Listing[ClientDonation]:
        """Stream the client's donations.

        Args:
            client_reference: Only the donation booked under this reference.
            facets: Filters as a mapping or ``(key, value)`` pairs, encoded for you.
            order: Sort keys as a mapping or pairs, e.g. ``{"created_at": "DESC"}``.
            **options: The list options: ``per_page``, ``limit``, ``start_page``,
                ``concurrency`` (see :class:`~betterplace_async.Listing`).
        """
        encoded = [_params.pairs(facets, "facets")]
        if client_reference is not None:
            encoded.append(f"client_reference:{_params.reference(client_reference)}")
        params = {
            "facets": "|".join(e for e in encoded if e) or None,
            "order": _params.order(order),
        }
        return self._list(
            ClientDonation,
            ("client_donations",),
            options,
            params=params,
            identity=("token", "client_reference"),
        )
