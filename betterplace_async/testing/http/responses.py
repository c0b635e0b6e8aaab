"""JSON responses and error bodies in the documented shape."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from betterplace_async.testing.data.seed import dumps
from betterplace_async.testing.render.common import Json

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
