"""HTTP plumbing shared by the handlers: responses, error bodies, auth, request context."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
from aiohttp import web

from betterplace_async.testing._paging import envelope, paginate, parse_page
from betterplace_async.testing._records import Json, Urls
from betterplace_async.testing._seed import dumps
from betterplace_async.testing._state import FakeState

STATE = web.AppKey("betterplace_fake_state", FakeState)
"""The key under which ``make_app`` stores the ``FakeState`` on the application."""
T = TypeVar("T")

# status -> (status name, reason)
STATUSES = {
    400: ("bad_request", "Bad Request"),
    401: ("unauthorized", "Authentication Failed"),
    403: ("forbidden", "Client Authentication Required"),
    404: ("not_found", "Record Not Found"),
    405: ("method_not_allowed", "Method Not Allowed"),
    422: ("unprocessable_entity", "Cannot Process Submitted Data"),
    429: ("too_many_requests", "Too Many Requests"),
    500: ("internal_server_error", "Internal Server Error"),
    502: ("bad_gateway", "Bad Gateway"),
    503: ("service_unavailable", "Service Unavailable"),
}


class ApiError(Exception):
    """Abort a handler with an error response in the documented shape."""

    def __init__(
        self, status: int, message: str | None = None, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors


def json_response(obj: Any, status: int = 200) -> web.Response:
    """Return ``obj`` as a JSON response."""
    response = web.Response(body=dumps(obj), status=status)
    response.content_type = "application/json"
    response.charset = "utf-8"
    return response


def error_body(
    status: int, message: str | None = None, errors: dict[str, list[str]] | None = None
) -> Json:
    """Return an error document; ``errors`` (per field) appears only for validation errors."""
    name, reason = STATUSES.get(status, ("error", "Error"))
    body: Json = {
        "name": "GeneralError",
        "status": name,
        "status_code": status,
        "reason": reason,
        "message": message or reason,
    }
    if errors is not None:
        body["errors"] = errors
    body["links"] = []
    return body


def error_response(
    status: int, message: str | None = None, errors: dict[str, list[str]] | None = None
) -> web.Response:
    """Return an error response in the documented shape."""
    response = json_response(error_body(status, message, errors), status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="betterplace.org API"'
    return response


def not_found(what: str, key: object) -> ApiError:
    """Return the 404 error for a missing record."""
    return ApiError(404, f"Couldn't find {what} with id={key}")


@attrs.frozen
class Ctx:
    """What a handler needs: the state, URL builder and query of one request."""

    state: FakeState
    urls: Urls
    query: Mapping[str, str]
    request: web.Request

    @property
    def client_id(self) -> str:
        """Return the client permalink of the fake."""
        return self.state.client_id

    def int_param(self, name: str) -> int:
        """Return a numeric path parameter."""
        return int(self.request.match_info[name])

    def page(self, items: Sequence[T], render: Callable[[T], Json]) -> web.Response:
        """Answer one page of ``items``."""
        page = parse_page(self.query)
        total, chunk = paginate(items, page)
        return json_response(envelope(total, page, [render(item) for item in chunk]))


def context(request: web.Request) -> Ctx:
    """Return the handler context of ``request``."""
    state = request.app[STATE]
    origin = f"{request.scheme}://{request.host}"
    return Ctx(state, Urls(origin, request.match_info["locale"]), request.query, request)


def authenticate(ctx: Ctx, *, check_client: bool = True) -> None:
    """Enforce Basic auth (403 without credentials, 401 with wrong ones) and the client id."""
    header = ctx.request.headers.get("Authorization")
    if not header:
        raise ApiError(403, "This resource requires client authentication")
    scheme, _, token = header.partition(" ")
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    user, sep, password = decoded.partition(":")
    state = ctx.state
    valid = (
        scheme.lower() == "basic"
        and bool(sep)
        and secrets.compare_digest(user.encode(), state.username.encode())
        and secrets.compare_digest(password.encode(), state.password.encode())
    )
    if not valid:
        raise ApiError(401, "Invalid client credentials")
    permalink = ctx.request.match_info.get("client_id")
    if check_client and permalink != state.client_id:
        raise ApiError(404, f"Couldn't find Client with permalink={permalink}")


async def read_body(request: web.Request) -> dict[str, Any]:
    """Return the JSON (or form) object a POST carries; anything else is a 400."""
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, f"Request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "Request body must be a JSON object")
    return data
