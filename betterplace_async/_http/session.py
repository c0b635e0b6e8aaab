"""The aiohttp adapter: send one request over a session and hand back a :class:`Response`.

This is the only module of the sender's path that touches aiohttp. It follows redirects
(dropping credentials when one leaves the API origin), reads the body under a size cap and
turns aiohttp's failures into the SDK's transport errors. Retries, the limiter, the ETag
cache, events and status errors are the sender's (:mod:`betterplace_async._http.sender`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final

import aiohttp
import attrs
from yarl import URL

from betterplace_async._core import protocol as _protocol
from betterplace_async._http.response import Response
from betterplace_async.errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidParameterError,
    ResponseTooLargeError,
)

__all__ = ["MAX_REDIRECTS", "ClientSession", "SessionAdapter", "Timeouts", "new_session"]

ClientSession = aiohttp.ClientSession

MAX_REDIRECTS: Final = 5


def new_session() -> aiohttp.ClientSession:
    """Return a session for a client that brings none (it closes it again)."""
    return aiohttp.ClientSession()


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


class SessionAdapter:
    """Send requests over one borrowed :class:`aiohttp.ClientSession`.

    The adapter never closes the session; its owner (the client) does.
    """

    def __init__(
        self, session: aiohttp.ClientSession, *, origin: URL, max_response_bytes: int
    ) -> None:
        self._session = session
        self._origin = origin
        self._max_bytes = max_response_bytes

    def __repr__(self) -> str:
        return f"<SessionAdapter origin={self._origin}>"

    async def send(
        self,
        method: str,
        url: URL,
        *,
        json: Any,
        headers: Mapping[str, str],
        timeouts: Timeouts,
    ) -> Response:
        """Make one request (following up to :data:`MAX_REDIRECTS` redirects), read it all.

        Raises :class:`APITimeoutError`, :class:`APIConnectionError` (``request_sent`` is
        false only when no connection could be opened) or :class:`ResponseTooLargeError`.
        Any status comes back as a :class:`Response`; judging it is the caller's job.
        """
        request_headers = headers
        try:
            for _ in range(MAX_REDIRECTS + 1):
                async with self._session.request(
                    method,
                    url,
                    json=json,
                    headers=request_headers,
                    timeout=timeouts.to_aiohttp(),
                    allow_redirects=False,
                ) as resp:
                    if resp.status in _protocol.REDIRECT_STATUSES and "Location" in resp.headers:
                        url, method, json = _protocol.follow_redirect(
                            url, resp.headers["Location"], resp.status, method, json
                        )
                        if "Authorization" in request_headers and not _protocol.same_origin(
                            url, self._origin
                        ):
                            request_headers = {
                                k: v for k, v in request_headers.items() if k != "Authorization"
                            }
                        continue
                    body = await self._read(resp, method, url)
                    return Response(method, url, resp.status, resp.headers, body)
            raise APIConnectionError("too many redirects", method=method, url=url)
        except aiohttp.ConnectionTimeoutError:
            raise APITimeoutError(
                "timed out connecting", method=method, url=url, request_sent=False
            ) from None
        except TimeoutError:
            raise APITimeoutError("request timed out", method=method, url=url) from None
        except aiohttp.ClientConnectorError as exc:
            raise APIConnectionError(
                f"could not connect: {exc.os_error}", method=method, url=url, request_sent=False
            ) from None
        except (aiohttp.ClientError, ConnectionError) as exc:
            raise APIConnectionError(
                f"connection failed: {exc.__class__.__name__}", method=method, url=url
            ) from None

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
