"""Deliver an injected fault: an error status, a dropped connection or a mangled body."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Awaitable, Callable

from aiohttp import web

from betterplace_async.testing.state.faults import STATUS_FAULTS, Fault, FaultKind

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def drop_connection(request: web.Request) -> None:
    """Reset the TCP connection (RST where the platform allows) without answering."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


async def deliver(
    fault: Fault,
    request: web.Request,
    handler: Handler,
    error: Callable[[int], web.Response],
) -> web.StreamResponse:
    """Answer ``request`` with ``fault`` applied; ``error`` builds an error response."""
    status = STATUS_FAULTS.get(fault.kind)
    if status is not None:
        failure = error(status)
        if fault.kind is FaultKind.HTTP_429:
            failure.headers["Retry-After"] = str(fault.retry_after)
        return failure
    if fault.kind is FaultKind.RESET_BEFORE:
        drop_connection(request)
        return web.Response(status=204)  # never reaches the client
    response = await handler(request)
    if fault.kind is FaultKind.RESET_AFTER:
        drop_connection(request)
        return response
    if response.status in (204, 304):
        return response  # nothing to mangle
    body = response.body if isinstance(response, web.Response) else None
    data = body if isinstance(body, bytes) and body else b'{"data": []}'
    if fault.kind is FaultKind.INVALID_JSON:
        broken = web.Response(status=response.status, body=data[: len(data) // 2])
        broken.content_type = "application/json"
        return broken
    stream = web.StreamResponse(status=response.status)
    stream.content_type = "application/json"
    if fault.kind is FaultKind.TRUNCATED:
        stream.content_length = len(data) + 64
        await stream.prepare(request)
        await stream.write(data[: len(data) // 2])
        if request.transport is not None:
            request.transport.close()
        return stream
    stream.content_length = len(data)
    await stream.prepare(request)
    chunks = max(2, min(20, len(data)))
    size = -(-len(data) // chunks)
    for start in range(0, len(data), size):
        if start:
            await asyncio.sleep(fault.duration / chunks)
        await stream.write(data[start : start + size])
    return stream
