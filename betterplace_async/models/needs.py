"""Needs: the budget lines of a project that donations fill."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Links

__all__ = ["Need"]


@attrs.frozen
class Need:
    """One need of a project.

    Amounts are integer cents; ``requested_amount_in_cents`` is the goal, which
    ``donated_amount_in_cents`` and ``open_amount_in_cents`` normally add up to.
    ``progress_percentage`` is a float (the API sends both ``100`` and ``63.74``).
    """

    id: int
    created_at: datetime | None = None
    updated_at: datetime | None = None
    title: str | None = None
    description: str | None = None
    completed: bool | None = None
    progress_percentage: float | None = None
    donated_amount_in_cents: int | None = None
    open_amount_in_cents: int | None = None
    requested_amount_in_cents: int | None = None
    links: Links = Links()
