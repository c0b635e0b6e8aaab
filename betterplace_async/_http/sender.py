"""The sender: one logical request, with retries, the limiter, the ETag cache and events.

This is policy only. Each attempt goes through an :class:`Adapter` (in production the
aiohttp :class:`~betterplace_async._http.session.SessionAdapter`), so the policy can be
driven by a plain object in tests. The sender attaches Basic auth only to requests for the
configured origin, maps error statuses onto the exception tree of
:mod:`betterplace_async.errors` and retries what is safe to retry.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs
from yarl import URL

from betterplace_async._core import protocol as _protocol
from betterplace_async._core.pressure import note_pressure
from betterplace_async._core.retry import RetryPolicy
from betterplace_async._http.auth import Credentials
from betterplace_async._http.cache import ETagCache
from betterplace_async._http.limiter import Limiter
from betterplace_async._http.response import Response
from betterplace_async.errors import (
    APIStatusError,
    APITimeoutError,
    BetterplaceError,
    InsecureTransportError,
    InvalidParameterError,
)
from betterplace_async.events import (
    Event,
    EventHook,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
    guarded,
)

if TYPE_CHECKING:
    from betterplace_async._http.session import Timeouts

__all__ = ["Adapter", "Sender"]

logger = logging.getLogger("betterplace_async.http")

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

_OVERLOAD: Final = frozenset({429, 503})


class Adapter(Protocol):
    """What the sender needs from the HTTP library: one attempt, any status, whole body."""

    async def send(
        self,
        method: str,
        url: URL,
        *,
        json: Any,
        headers: Mapping[str, str],
        timeouts: Timeouts,
    ) -> Response:
        """Make one request; raise only :class:`TransportError` or a body-size error."""
        ...


class Sender:
    """Send logical requests of one client through ``adapter``."""

    def __init__(
        self,
        adapter: Adapter,
        *,
        origin: URL,
        credentials: Credentials | None,
        timeouts: Timeouts,
        retry: RetryPolicy,
        user_agent: str,
        limiter: Limiter | None = None,
        cache: ETagCache | None = None,
        on_event: EventHook | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._adapter = adapter
        self._origin = origin
        self._credentials = credentials
        self._timeouts = timeouts
        self._retry = retry
        self._headers = {"Accept": "application/json", "User-Agent": user_agent}
        self.limiter = limiter or Limiter(sleep=sleep, clock=clock)
        self.cache = cache
        self._on_event = guarded(on_event)
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()

    def __repr__(self) -> str:
        return f"<Sender origin={self._origin}>"

    @property
    def sleep(self) -> Sleep:
        """The sleep function the client was given (injected in tests)."""
        return self._sleep

    @property
    def clock(self) -> Clock:
        """The monotonic clock the client was given (injected in tests)."""
        return self._clock

    @property
    def rng(self) -> random.Random:
        """The random source for jitter."""
        return self._rng

    @property
    def origin(self) -> URL:
        """The configured API origin; the only host that ever sees credentials."""
        return self._origin

    def emit(self, event: Event) -> None:
        """Hand ``event`` to the user's hook; a failing hook is logged, never raised."""
        if self._on_event is not None:
            self._on_event(event)

    async def request(
        self,
        method: str,
        url: URL,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        authenticate: bool = False,
        idempotent: bool = True,
        timeouts: Timeouts | None = None,
        headers: Mapping[str, str] | None = None,
        retry: RetryPolicy | None = None,
    ) -> Response:
        """Send one logical request, retrying per the policy; return the final 2xx/3xx response.

        The body of a GET is parsed inside the retry loop, so a truncated or garbled one is
        retried like any other transient failure. A POST's body is left to the caller: its
        status already says what happened (a submission answered 202 is accepted even when
        its body is unreadable), so a bad body never makes it send again.
        Error statuses raise :class:`APIStatusError` subclasses after retries are spent.
        ``idempotent=False`` limits retries to failures where the request provably never
        left this machine (the connection could not be opened). Overload answers (429, 503)
        pause the whole client through the limiter rather than only this call.
        """
        policy = retry or self._retry
        target = url.update_query(params) if params else url
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                async with self.limiter.slot():
                    response = await self._attempt(
                        method,
                        target,
                        attempt=attempt,
                        json=json,
                        authenticate=authenticate,
                        timeouts=timeouts or self._timeouts,
                        headers=headers,
                    )
                if method == "GET":
                    response.json()  # kept on the response; a DecodeError is retried below
                return response
            except BetterplaceError as exc:
                if isinstance(exc, APITimeoutError) or (
                    isinstance(exc, APIStatusError) and exc.status in _OVERLOAD
                ):
                    note_pressure()  # the adaptive window of this request shrinks
                if not policy.should_retry(exc, attempt=attempt, idempotent=idempotent):
                    raise
                retry_after = exc.retry_after if isinstance(exc, APIStatusError) else None
                overload = isinstance(exc, APIStatusError) and exc.status in _OVERLOAD
                delay = policy.delay(
                    attempt, retry_after=retry_after, rng=self._rng, overload=overload
                )
                if policy.deadline is not None and (
                    self._clock() - started + delay > policy.deadline
                ):
                    raise
                logger.info(
                    "retrying %s %s in %.2fs after attempt %d: %s%s",
                    method,
                    target.with_query(None),
                    delay,
                    attempt,
                    exc.__class__.__name__,
                    " (pausing the client)" if overload else "",
                )
                self.emit(
                    RetryScheduled(
                        method=method,
                        url=target,
                        attempt=attempt,
                        delay=delay,
                        error=exc.__class__.__name__,
                        client_wide=overload,
                    )
                )
                if overload:
                    self.limiter.pause(delay)
                else:
                    await self._sleep(delay)

    async def _attempt(
        self,
        method: str,
        target: URL,
        *,
        attempt: int,
        json: Any,
        authenticate: bool,
        timeouts: Timeouts,
        headers: Mapping[str, str] | None,
    ) -> Response:
        request_headers = dict(self._headers)
        if headers:
            request_headers.update(headers)
        if authenticate:
            request_headers["Authorization"] = self._authorization(target)
        cache_key = str(target) if self.cache is not None and method == "GET" else None
        if cache_key is not None and self.cache is not None:
            etag = self.cache.etag(cache_key)
            if etag is not None:
                request_headers["If-None-Match"] = etag
        if self._on_event is not None:
            self._on_event(RequestSent(method=method, url=target, attempt=attempt))
        started = time.perf_counter()
        response = await self._adapter.send(
            method, target, json=json, headers=request_headers, timeouts=timeouts
        )
        elapsed = time.perf_counter() - started
        from_cache = False
        if cache_key is not None and self.cache is not None:
            if response.status == 304:
                cached = self.cache.body(cache_key)
                if cached is not None:
                    # The stored answer replaces the empty 304: a different response.
                    response = attrs.evolve(response, status=200, body=cached)
                    from_cache = True
            elif response.status == 200 and "ETag" in response.headers:
                self.cache.put(cache_key, response.headers["ETag"], response.body)
        logger.debug(
            "%s %s -> %d (%d bytes, %.1f ms%s)",
            method,
            response.url,
            response.status,
            len(response.body),
            elapsed * 1000,
            ", cached" if from_cache else "",
        )
        if self._on_event is not None:
            self._on_event(
                ResponseReceived(
                    method=method,
                    url=response.url,
                    status=response.status,
                    elapsed=elapsed,
                    attempt=attempt,
                    from_cache=from_cache,
                )
            )
        if response.status >= 400:
            _protocol.raise_for_status(
                response.status,
                response.body,
                method=method,
                url=response.url,
                retry_after=response.headers.get("Retry-After"),
            )
        return response

    def _authorization(self, url: URL) -> str:
        if self._credentials is None:
            raise InvalidParameterError(
                "auth", "client API endpoints need credentials: pass auth=(username, password)"
            )
        if not _protocol.same_origin(url, self._origin):
            raise InsecureTransportError(
                f"refusing to send credentials to {url.origin()}, which is not the "
                f"configured API origin {self._origin.origin()}"
            )
        return self._credentials.authorization_header()
