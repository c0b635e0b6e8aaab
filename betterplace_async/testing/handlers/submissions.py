"""Handlers of the client API that write: pledges, forwardings, subscriptions, deposits.

Checks run in this order: credentials, client id, receiver in scope (404), body shape (400),
field validation (422). Pledges and forwardings are then accepted with 202 whatever the
receiver's state; the outcome comes later (see ``FakeState.settle``).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from betterplace_async.testing.data.bodies import text
from betterplace_async.testing.data.seed import h64, timestamp
from betterplace_async.testing.handlers.client import client_context, client_project
from betterplace_async.testing.handlers.validation import (
    Errors,
    validate_direct_deposit,
    validate_forwarding,
    validate_mailing_subscription,
    validate_newsletter_opt_in,
    validate_pledge,
)
from betterplace_async.testing.http.context import Ctx, read_body
from betterplace_async.testing.http.responses import ApiError, json_response
from betterplace_async.testing.render.common import link
from betterplace_async.testing.state.pledges import SubmissionKind


def _check(errors: Errors) -> None:
    if errors:
        field, messages = next(iter(errors.items()))
        label = field.replace("_", " ").capitalize()
        raise ApiError(422, f"{label} {messages[0]}", errors)


def _accepted(ctx: Ctx, href: str) -> web.Response:
    body = {"status": "accepted", "status_code": 202, "links": [link("location", href)]}
    response = json_response(body, 202)
    response.headers["Location"] = href
    return response


async def _submit(
    ctx: Ctx, kind: SubmissionKind, project_id: int | None, body: dict[str, Any]
) -> web.Response:
    state = ctx.state
    reference = text(body, "client_reference")
    pledge, _ = state.desk.submit(
        kind=kind,
        client_reference=reference,
        amount_in_cents=int(body["amount_in_cents"]),
        project_id=project_id,
        body=body,
        locale=ctx.urls.locale,
        now=state.clock(),
        delay=state.processing_delay,
    )
    state.ledger.seen[reference] += 1
    base = f"clients/{ctx.client_id}"
    if state.location_mode == "client_donation":
        href = ctx.urls.api(f"{base}/client_donations/{pledge.client_reference}.json")
    elif pledge.kind == "forwarding_request":
        href = ctx.urls.api(f"{base}/forwarding_requests/{pledge.id}.json")
    else:
        href = ctx.urls.api(f"{base}/donation_pledges/{pledge.id}.json")
    return _accepted(ctx, href)


async def project_pledge(request: web.Request) -> web.Response:
    """Accept a donation pledge to a client project."""
    ctx = client_context(request)
    project = client_project(ctx)
    body = await read_body(request)
    _check(validate_pledge(body))
    return await _submit(ctx, "donation_pledge", project.id, body)


async def pool_pledge(request: web.Request) -> web.Response:
    """Accept a donation pledge to the client pool."""
    ctx = client_context(request)
    body = await read_body(request)
    _check(validate_pledge(body))
    return await _submit(ctx, "donation_pledge", None, body)


async def forwarding_request(request: web.Request) -> web.Response:
    """Accept a request to forward pool money to a client project."""
    ctx = client_context(request)
    project = client_project(ctx)
    body = await read_body(request)
    _check(validate_forwarding(body))
    return await _submit(ctx, "forwarding_request", project.id, body)


def _created() -> web.Response:
    return json_response({"status": "created", "status_code": 201, "links": []}, 201)


async def mailing_subscription(request: web.Request) -> web.Response:
    """Create or update a project mailing subscription."""
    ctx = client_context(request)
    project = client_project(ctx)
    body = await read_body(request)
    _check(validate_mailing_subscription(body))
    entry = dict(body, project_id=project.id, locale=ctx.urls.locale)
    ctx.state.ledger.mailing_subscriptions.append(entry)
    return _created()


async def newsletter_opt_in(request: web.Request) -> web.Response:
    """Start a newsletter opt-in."""
    ctx = client_context(request)
    body = await read_body(request)
    _check(validate_newsletter_opt_in(body))
    ctx.state.ledger.newsletter_opt_ins.append(dict(body, locale=ctx.urls.locale))
    return _created()


async def direct_deposit(request: web.Request) -> web.Response:
    """Create an unconfirmed direct deposit and answer the bank details to pay it."""
    ctx = client_context(request)
    project = client_project(ctx)
    body = await read_body(request)
    _check(validate_direct_deposit(body))
    deposits = ctx.state.ledger.direct_deposits
    deposits.append(dict(body, project_id=project.id))
    deposit_id = len(deposits)
    now = timestamp(ctx.state.clock())
    check = h64(ctx.state.seed, "iban", deposit_id) % 10**10
    return json_response(
        {
            "id": deposit_id,
            "created_at": now,
            "updated_at": now,
            "reference_id": 1_000_000 + deposit_id,
            "iban": f"DE61100500{check:010d}00",
            "holder_name": "betterplace.org",
            "links": [],
        },
        202,
    )
