"""Matching funds: company budgets that double donations to chosen projects."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async._core.params import PairsInput
from betterplace_async.models.matching_funds import MatchingFund
from betterplace_async.models.projects import Project
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["MatchingFunds"]


class MatchingFunds(Namespace):
    """``/matching_funds``."""

    async def get(self, matching_fund_id: int) -> MatchingFund:
        """Return one matching fund."""
        fund = _params.positive_id(matching_fund_id, "matching_fund_id")
        return await self._get(MatchingFund, "matching_funds", fund)

    def list(
        self,
        *,
        project_id: int | None = None,
        facets: PairsInput = None,
        **options: Unpack[PageOptions],
    ) -> Listing[MatchingFund]:
        """Stream matching funds, optionally a project's; e.g. ``facets={"state": "closed"}``."""
        params = {
            "project_id": None
            if project_id is None
            else _params.positive_id(project_id, "project_id"),
            "facets": _params.pairs(facets, "facets"),
        }
        return self._list(MatchingFund, ("matching_funds",), options, params=params)

    def projects(self, matching_fund_id: int, **options: Unpack[PageOptions]) -> Listing[Project]:
        """Stream the projects a matching fund supports."""
        fund = _params.positive_id(matching_fund_id, "matching_fund_id")
        return self._list(Project, ("matching_funds", fund, "projects"), options)
