"""What every namespace shares: its requester, its path prefix and whether it authenticates."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TypeVar

from .. import _params
from .._requester import Requester, Segments
from ..models.common import Page

T = TypeVar("T")


class Namespace:
    """A group of endpoints under one path prefix (``()`` public, ``("clients", id)`` client)."""

    def __init__(
        self, requester: Requester, *, prefix: Segments = (), authenticate: bool = False
    ) -> None:
        self._requester = requester
        self._prefix = prefix
        self._authenticate = authenticate

    def __repr__(self) -> str:
        scope = "/".join(str(s) for s in self._prefix) or "public"
        return f"<{type(self).__name__} {scope}>"

    def _path(self, *segments: str | int) -> Segments:
        return (*self._prefix, *segments)

    async def _get(
        self,
        model: type[T],
        *segments: str | int,
        params: Mapping[str, object | None] | None = None,
    ) -> T:
        return await self._requester.get(
            model, self._path(*segments), params=params, authenticate=self._authenticate
        )

    async def _page(
        self,
        model: type[T],
        segments: Segments,
        *,
        page: int,
        per_page: int,
        params: Mapping[str, object | None] | None = None,
    ) -> Page[T]:
        return await self._requester.get_page(
            model,
            self._path(*segments),
            page=_params.positive_id(page, "page"),
            per_page=_params.per_page(per_page),
            params=params,
            authenticate=self._authenticate,
        )

    def _iterate(
        self,
        model: type[T],
        segments: Segments,
        *,
        per_page: int,
        limit: int | None,
        start_page: int,
        params: Mapping[str, object | None] | None = None,
    ) -> AsyncIterator[T]:
        return self._requester.iterate(
            model,
            self._path(*segments),
            per_page=_params.per_page(per_page),
            limit=_params.limit(limit),
            start_page=_params.positive_id(start_page, "start_page"),
            params=params,
            authenticate=self._authenticate,
        )
