"""What every namespace shares: its requester, its path prefix and whether it authenticates."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Any, Literal, TypedDict, TypeVar

from yarl import URL

from betterplace_async._core import params as _params
from betterplace_async._core.decode import structure
from betterplace_async._core.identity import Identity, identity_of
from betterplace_async._engines.pagination import Paginator
from betterplace_async._http.requester import Requester, Segments
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.common import Page

__all__ = ["Listing", "Namespace", "PageOptions"]

T = TypeVar("T")

Params = Mapping[str, object | None]


class PageOptions(TypedDict, total=False):
    """How a list is read: ``per_page`` (1..200, default 200), ``limit`` (max records),
    ``start_page`` (resume from there), ``concurrency`` (pages fetched at once: an int, or
    ``"auto"`` for an adaptive window; default: the client's)."""

    per_page: int
    limit: int | None
    start_page: int
    concurrency: int | Literal["auto"] | None


class Listing(Paginator[T]):
    """A list endpoint to stream as typed records; :meth:`raw` streams the JSON as sent.

    Returned by every ``list()`` method; nothing is read until it is iterated. The list
    options every ``list()`` method takes as keywords:

    - ``per_page``: records per request, 1..200 (default 200, the API's cap);
    - ``limit``: most records to yield; only the pages needed are read;
    - ``start_page``: page to start from, e.g. to resume;
    - ``concurrency``: pages read at once (default: the client's ``concurrency``).
    """

    def __init__(
        self,
        fetch_page: Callable[[int, int], Awaitable[Page[T]]],
        fetch_raw_page: Callable[[int, int], Awaitable[Page[dict[str, Any]]]],
        raw_identity: Callable[[dict[str, Any]], Hashable],
        **settings: Any,
    ) -> None:
        super().__init__(fetch_page, **settings)
        self._fetch_raw_page = fetch_raw_page
        self._raw_identity = raw_identity
        self._settings = settings

    def raw(self) -> Paginator[dict[str, Any]]:
        """Stream the same list, each record the JSON object the API sent (no decoding)."""
        settings = {**self._settings, "identity": self._raw_identity}
        return Paginator(self._fetch_raw_page, **settings)


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

    @property
    def _scoped(self) -> bool:
        return bool(self._prefix)

    def _path(self, *segments: str | int) -> Segments:
        return (*self._prefix, *segments)

    async def _get(self, model: type[T], *segments: str | int, params: Params | None = None) -> T:
        return await self._requester.get(
            model, self._path(*segments), params=params, authenticate=self._authenticate
        )

    async def _post(
        self, model: type[T], segments: Segments, body: dict[str, Any], *, idempotent: bool
    ) -> T:
        """POST ``body`` and decode the answer; see ``Sender.request`` for ``idempotent``."""
        response = await self._requester.send(
            "POST",
            self._path(*segments),
            json=body,
            authenticate=self._authenticate,
            idempotent=idempotent,
        )
        return structure(
            self._requester.converter, response.json(), model, method="POST", url=response.url
        )

    async def _page(
        self,
        model: type[T],
        segments: Segments,
        *,
        page: int,
        per_page: int,
        params: Params | None = None,
    ) -> Page[T]:
        return await self._requester.get_page(
            model,
            self._path(*segments),
            page=_params.positive_id(page, "page"),
            per_page=_params.per_page(per_page),
            params=params,
            authenticate=self._authenticate,
        )

    def _list(
        self,
        model: type[T],
        segments: Segments | URL,
        options: PageOptions,
        *,
        params: Params | None = None,
        identity: Identity = ("id",),
    ) -> Listing[T]:
        unknown = set(options) - set(PageOptions.__annotations__)
        if unknown:
            raise InvalidParameterError(sorted(unknown)[0], "is not a list option")
        requester = self._requester
        path = segments if isinstance(segments, URL) else self._path(*segments)
        authenticate = self._authenticate

        async def fetch_page(page: int, per_page: int) -> Page[T]:
            return await requester.get_page(
                model, path, page=page, per_page=per_page, params=params, authenticate=authenticate
            )

        async def fetch_raw_page(page: int, per_page: int) -> Page[dict[str, Any]]:
            return await requester.get_raw_page(
                path, page=page, per_page=per_page, params=params, authenticate=authenticate
            )

        typed_identity, raw_identity = identity_of(identity)
        concurrency = options.get("concurrency")
        return Listing(
            fetch_page,
            fetch_raw_page,
            raw_identity,
            per_page=options.get("per_page", _params.PER_PAGE_CAP),
            concurrency=requester.concurrency if concurrency is None else concurrency,
            max_concurrency=requester.max_concurrency,
            limit=options.get("limit"),
            start_page=options.get("start_page", 1),
            identity=typed_identity,
            on_event=requester.on_pagination_event,
        )
