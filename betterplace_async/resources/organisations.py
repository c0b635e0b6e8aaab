"""Organisations: the charities that carry projects."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async.models.organisations import Organisation
from betterplace_async.models.projects import Project
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["Organisations"]


class Organisations(Namespace):
    """``/organisations``."""

    async def get(self, organisation_id: int) -> Organisation:
        """Return one organisation."""
        org = _params.positive_id(organisation_id, "organisation_id")
        return await self._get(Organisation, "organisations", org)

    def list(self, **options: Unpack[PageOptions]) -> Listing[Organisation]:
        """Stream every organisation."""
        return self._list(Organisation, ("organisations",), options)

    def projects(self, organisation_id: int, **options: Unpack[PageOptions]) -> Listing[Project]:
        """Stream an organisation's projects."""
        org = _params.positive_id(organisation_id, "organisation_id")
        return self._list(Project, ("organisations", org, "projects"), options)
