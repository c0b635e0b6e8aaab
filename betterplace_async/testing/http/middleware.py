"""Middlewares, outermost first: request log, page hold, latency, capacity, faults, errors, ETag."""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import time

from aiohttp import web

from betterplace_async.testing.http.context import STATE
from betterplace_async.testing.http.faults import Handler, deliver
from betterplace_async.testing.http.paging import parse_page
from betterplace_async.testing.http.responses import ApiError, error_response
from betterplace_async.testing.state.faults import FaultKind
from betterplace_async.testing.state.ledger import RequestRecord

# The record of the request being handled. The middlewares of one request run in one task,
# so a context variable reaches them all; it needs no ``web.RequestKey`` (aiohttp 3.12+).
RECORD: contextvars.ContextVar[RequestRecord] = contextvars.ContextVar("betterplace_fake_record")
DROPPED = (FaultKind.RESET_BEFORE, FaultKind.RESET_AFTER)


@web.middleware
async def log_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record the request and track how many are in flight at once."""
    state = request.app[STATE]
    record = RequestRecord(
        method=request.method,
        path=request.path,
        query=dict(request.query),
        auth_sent="Authorization" in request.headers,
        started=time.perf_counter(),
    )
    RECORD.set(record)
    state.requests.append(record)
    state.in_flight += 1
    state.max_in_flight = max(state.max_in_flight, state.in_flight)
    try:
        response = await handler(request)
        record.status = None if record.fault in DROPPED else response.status
        return response
    finally:
        state.in_flight -= 1
        record.ended = time.perf_counter()


@web.middleware
async def hold_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Hold a GET for a page beyond the hold's limit until the hold is released."""
    hold = request.app[STATE].hold
    if hold.limit is not None and request.method == "GET":
        await hold.wait(parse_page(request.query).page)
    return await handler(request)


@web.middleware
async def add_latency(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Wait the configured latency before answering."""
    delay = request.app[STATE].request_latency()
    if delay > 0:
        await asyncio.sleep(delay)
    return await handler(request)


@web.middleware
async def limit_capacity(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Serve ``capacity.limit`` requests at once for ``service_time`` each; queue or shed."""
    capacity = request.app[STATE].capacity
    if not capacity.active:
        return await handler(request)
    if not await capacity.enter():
        response = error_response(503)
        response.headers["Retry-After"] = str(capacity.retry_after)
        return response
    try:
        if capacity.service_time > 0:
            await asyncio.sleep(capacity.service_time)
        return await handler(request)
    finally:
        capacity.leave()


@web.middleware
async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply the fault the plan picks for this request, if any."""
    state = request.app[STATE]
    fault = state.faults.choose(request.path)
    if fault is None:
        return await handler(request)
    RECORD.get().fault = fault.kind.value
    return await deliver(fault, request, handler, error_response)


@web.middleware
async def render_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Settle due pledges, then turn errors into documented error bodies."""
    request.app[STATE].settle()
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.message, exc.errors)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = error_response(exc.status, exc.reason)
        if "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response


def _etag_matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in candidates or tag in candidates


@web.middleware
async def etags(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Tag every 200 GET body and answer 304 when the client already has it."""
    response = await handler(request)
    if (
        request.method in ("GET", "HEAD")
        and response.status == 200
        and isinstance(response, web.Response)
        and isinstance(response.body, bytes)
    ):
        tag = '"' + hashlib.blake2b(response.body, digest_size=16).hexdigest() + '"'
        if _etag_matches(request.headers.get("If-None-Match"), tag):
            return web.Response(status=304, headers={"ETag": tag})
        response.headers["ETag"] = tag
    return response


MIDDLEWARES = (
    log_requests,
    hold_pages,
    add_latency,
    limit_capacity,
    inject_faults,
    render_errors,
    etags,
)
