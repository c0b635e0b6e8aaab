"""The one place that talks to aiohttp: send a request, retry it, hand back bytes.

Namespaces and engines never import aiohttp. The transport attaches Basic auth only to
requests for the configured origin, reads bodies under a size cap, maps failures onto the
exception tree of :mod:`betterplace_async.errors` and retries what is safe to retry.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

import aiohttp
import attrs
from multidict import CIMultiDictProxy
from yarl import URL

from betterplace_async._core import protocol as _protocol
from betterplace_async._core.pressure import note_pressure
from betterplace_async._core.retry import RetryPolicy
from betterplace_async._http.auth import Credentials
from betterplace_async._http.cache import ETagCache
from betterplace_async._http.limiter import Limiter
from betterplace_async.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BetterplaceError,
    InsecureTransportError,
    InvalidParameterError,
    ResponseTooLargeError,
)
from betterplace_async.events import (
    Event,
    EventHook,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
    guarded,
)

__all__ = ["Response", "Timeouts", "Transport"]

logger = logging.getLogger("betterplace_async.http")

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

MAX_REDIRECTS: Final = 5
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_OVERLOAD: Final = frozenset({429, 503})


@attrs.frozen
class Timeouts:
    """Per-request time limits in seconds: to connect, and for the whole exchange."""

    connect: float = 10.0
    total: float = 60.0

    def __attrs_post_init__(self) -> None:
        for name in ("connect", "total"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise InvalidParameterError(f"timeouts.{name}", f"must be > 0, got {value!r}")

    def to_aiohttp(self) -> aiohttp.ClientTimeout:
        """Return the matching :class:`aiohttp.ClientTimeout`."""
        return _client_timeout(self.total, self.connect)


@functools.lru_cache(maxsize=64)
def _client_timeout(total: float, connect: float) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=total, connect=connect)


@attrs.frozen
class Response:
    """A finished exchange: status, headers, the whole body, and where it came from."""

    method: str
    url: URL
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    data: Any = attrs.field(default=None, eq=False, repr=False)
    parsed: bool = attrs.field(default=False, eq=False, repr=False)

    def json(self) -> Any:
        """The body as JSON; raise :class:`DecodeError` with a snippet if it is not JSON."""
        if self.parsed:
            return self.data
        return _protocol.decode_json(
            self.body, method=self.method, url=self.url, status=self.status
        )


class Transport:
    """Send requests over one borrowed :class:`aiohttp.ClientSession`.

    The transport never closes the session; its owner (the client) does.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        origin: URL,
        credentials: Credentials | None,
        timeouts: Timeouts,
        retry: RetryPolicy,
        max_response_bytes: int,
        user_agent: str,
        limiter: Limiter | None = None,
        cache: ETagCache | None = None,
        on_event: EventHook | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._session = session
        self._origin = origin
        self._credentials = credentials
        self._timeouts = timeouts
        self._retry = retry
        self._max_bytes = max_response_bytes
        self._headers = {"Accept": "application/json", "User-Agent": user_agent}
        self.limiter = limiter or Limiter(sleep=sleep, clock=clock)
        self.cache = cache
        self._on_event = guarded(on_event)
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()

    def __repr__(self) -> str:
        return f"<Transport origin={self._origin}>"

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
        parse_json: bool = True,
    ) -> Response:
        """Send one logical request, retrying per the policy; return the final 2xx/3xx response.

        With ``parse_json`` the body is parsed inside the retry loop, so a truncated or
        garbled body is retried like any other transient failure (for idempotent requests).
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
                if parse_json:
                    data = response.json()
                    return Response(
                        response.method,
                        response.url,
                        response.status,
                        response.headers,
                        response.body,
                        data,
                        True,
                    )
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
        response = await self._exchange(method, target, json, request_headers, timeouts)
        elapsed = time.perf_counter() - started
        from_cache = False
        if cache_key is not None and self.cache is not None:
            if response.status == 304:
                cached = self.cache.body(cache_key)
                if cached is not None:
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

    async def _exchange(
        self,
        method: str,
        target: URL,
        json: Any,
        request_headers: dict[str, str],
        timeouts: Timeouts,
    ) -> Response:
        try:
            for _ in range(MAX_REDIRECTS + 1):
                async with self._session.request(
                    method,
                    target,
                    json=json,
                    headers=request_headers,
                    timeout=timeouts.to_aiohttp(),
                    allow_redirects=False,
                ) as resp:
                    if resp.status in _REDIRECTS and "Location" in resp.headers:
                        target, method, json = self._redirect(
                            target, resp.headers["Location"], resp.status, method, json
                        )
                        if not _protocol.same_origin(target, self._origin):
                            request_headers.pop("Authorization", None)
                        continue
                    body = await self._read(resp, method, target)
                    return Response(
                        method=method,
                        url=target,
                        status=resp.status,
                        headers=resp.headers,
                        body=body,
                    )
            raise APIConnectionError("too many redirects", method=method, url=target)
        except aiohttp.ConnectionTimeoutError:
            raise APITimeoutError(
                "timed out connecting", method=method, url=target, request_sent=False
            ) from None
        except TimeoutError:
            raise APITimeoutError("request timed out", method=method, url=target) from None
        except aiohttp.ClientConnectorError as exc:
            raise APIConnectionError(
                f"could not connect: {exc.os_error}", method=method, url=target, request_sent=False
            ) from None
        except (aiohttp.ClientError, ConnectionError) as exc:
            raise APIConnectionError(
                f"connection failed: {exc.__class__.__name__}", method=method, url=target
            ) from None

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

    @staticmethod
    def _redirect(
        current: URL, location: str, status: int, method: str, json: Any
    ) -> tuple[URL, str, Any]:
        target = current.join(URL(location))
        if target.scheme not in {"http", "https"}:
            raise APIConnectionError(f"refusing redirect to {target.scheme!r} URL", url=current)
        if current.scheme == "https" and target.scheme == "http":
            raise InsecureTransportError("refusing redirect from https to http", url=current)
        if status == 303 or (status in {301, 302} and method == "POST"):
            return target, "GET", None
        return target, method, json

    async def _read(self, resp: aiohttp.ClientResponse, method: str, url: URL) -> bytes:
        length = resp.content_length
        if length is not None and length > self._max_bytes:
            raise ResponseTooLargeError(
                f"response of {length} bytes exceeds max_response_bytes={self._max_bytes}",
                method=method,
                url=url,
                status=resp.status,
            )
        if length is not None:
            return await resp.read()
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_any():
            size += len(chunk)
            if size > self._max_bytes:
                raise ResponseTooLargeError(
                    f"response exceeds max_response_bytes={self._max_bytes}",
                    method=method,
                    url=url,
                    status=resp.status,
                )
            chunks.append(chunk)
        return b"".join(chunks)
