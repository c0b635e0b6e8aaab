"""What every namespace calls: address an endpoint, send through the sender, decode.

A namespace says *which* resource (path segments, query, model); the requester knows the
locale, the open sender and the converter. It holds no aiohttp object itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import cattrs
from yarl import URL

from betterplace_async._core import protocol as _protocol
from betterplace_async._core.decode import raw_page, structure, structure_page
from betterplace_async._core.params import Concurrency
from betterplace_async._core.retry import RetryPolicy
from betterplace_async._core.timing import Timing
from betterplace_async._http.limiter import DEFAULT_MAX_CONCURRENCY
from betterplace_async._http.response import Response
from betterplace_async._http.sender import Sender
from betterplace_async._http.session import Timeouts
from betterplace_async.errors import ClientStateError
from betterplace_async.events import Event, PaginationEvent
from betterplace_async.models.common import Page

__all__ = ["Requester"]

T = TypeVar("T")

Segments = tuple[str | int, ...]


class SharedSender:
    """The open sender of one client, shared by every requester derived from it."""

    def __init__(self) -> None:
        self.sender: Sender | None = None
        self.state = "unopened"


class Requester:
    """Bind namespaces to one client's locale, sender, converter and call options."""

    def __init__(
        self,
        *,
        base_url: URL,
        locale: str,
        converter: cattrs.Converter,
        connection: SharedSender | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        concurrency: Concurrency = "auto",
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_pagination_event: Callable[[PaginationEvent], None] | None = None,
    ) -> None:
        self.base_url = base_url
        self.locale = locale
        self.converter = converter
        self.connection = connection or SharedSender()
        self.timeouts = timeouts
        self.retry = retry
        self.concurrency = concurrency
        self.max_concurrency = max_concurrency
        self.on_pagination_event = on_pagination_event

    def derive(
        self,
        *,
        locale: str | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
    ) -> Requester:
        """Return a requester on the same connection with some options replaced."""
        return Requester(
            base_url=self.base_url,
            locale=locale or self.locale,
            converter=self.converter,
            connection=self.connection,
            timeouts=timeouts or self.timeouts,
            retry=retry or self.retry,
            concurrency=self.concurrency,
            max_concurrency=self.max_concurrency,
            on_pagination_event=self.on_pagination_event,
        )

    def attach(self, sender: Sender) -> None:
        """Start serving requests through ``sender``."""
        self.connection.sender = sender
        self.connection.state = "open"

    def detach(self) -> None:
        """Stop serving requests; every later call raises :class:`ClientStateError`."""
        self.connection.sender = None
        self.connection.state = "closed"

    @property
    def sender(self) -> Sender:
        """The open sender, or :class:`ClientStateError` when the client is not open."""
        sender = self.connection.sender
        if sender is None:
            if self.connection.state == "closed":
                raise ClientStateError("the client is closed; create a new BetterplaceClient")
            raise ClientStateError(
                "the client is not open; use 'async with BetterplaceClient(...) as client:' "
                "or 'await client.open()'"
            )
        return sender

    def timing(self) -> Timing:
        """The sleep, clock and random source the client was given (injected in tests)."""
        sender = self.sender
        return Timing(sleep=sender.sleep, clock=sender.clock, rng=sender.rng)

    def emit(self, event: Event) -> None:
        """Hand ``event`` to the client's event hooks."""
        self.sender.emit(event)

    def url(self, segments: Segments) -> URL:
        """Return the absolute endpoint URL for ``segments`` under the locale."""
        return _protocol.api_url(self.base_url, self.locale, segments)

    async def send(
        self,
        method: str,
        segments: Segments | URL,
        *,
        params: Mapping[str, object | None] | None = None,
        json: Any = None,
        authenticate: bool = False,
        idempotent: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send a request to an endpoint (given as segments or an absolute URL).

        See :meth:`Sender.request` for which bodies are parsed (and so retried) there.
        """
        sender = self.sender
        url = segments if isinstance(segments, URL) else self.url(segments)
        return await sender.request(
            method,
            url,
            params=_protocol.clean_params(params) if params else None,
            json=json,
            authenticate=authenticate,
            idempotent=idempotent,
            headers=headers,
            timeouts=self.timeouts,
            retry=self.retry,
        )

    async def get(
        self,
        model: type[T],
        segments: Segments | URL,
        *,
        params: Mapping[str, object | None] | None = None,
        authenticate: bool = False,
    ) -> T:
        """GET one resource and decode it into ``model``."""
        response = await self.send("GET", segments, params=params, authenticate=authenticate)
        return structure(self.converter, response.json(), model, method="GET", url=response.url)

    async def get_raw_page(
        self,
        segments: Segments | URL,
        *,
        page: int,
        per_page: int,
        params: Mapping[str, object | None] | None = None,
        authenticate: bool = False,
    ) -> Page[dict[str, Any]]:
        """GET one page of a list endpoint and keep its records as plain JSON objects."""
        query = {**(params or {}), "page": page, "per_page": per_page}
        response = await self.send("GET", segments, params=query, authenticate=authenticate)
        return raw_page(response.json(), method="GET", url=response.url)

    async def get_page(
        self,
        model: type[T],
        segments: Segments | URL,
        *,
        page: int,
        per_page: int,
        params: Mapping[str, object | None] | None = None,
        authenticate: bool = False,
    ) -> Page[T]:
        """GET one page of a list endpoint and decode its items into ``model``."""
        query = {**(params or {}), "page": page, "per_page": per_page}
        response = await self.send("GET", segments, params=query, authenticate=authenticate)
        return structure_page(
            self.converter, response.json(), model, method="GET", url=response.url
        )
