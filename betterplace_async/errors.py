"""Every exception the SDK raises.

The hierarchy::

    BetterplaceError
    ├── ClientStateError              client used before open() or after close()
    ├── InvalidParameterError         bad caller input, raised before any request (also ValueError)
    ├── TransportError                the request never produced a usable HTTP response
    │   ├── APIConnectionError        connect/reset/DNS failure
    │   ├── APITimeoutError           connect or total timeout (also TimeoutError)
    │   └── InsecureTransportError    credentials would travel over plain http or to another host
    ├── DecodeError                   the body is not JSON, is truncated, or has the wrong shape
    │   └── ResponseTooLargeError     the body exceeded the configured size cap
    ├── APIStatusError                the API answered with an error status
    │   ├── BadRequestError           400
    │   ├── AuthenticationError       401  wrong credentials
    │   ├── PermissionDeniedError     403  no credentials sent
    │   ├── NotFoundError             404  also: project outside the client's scope
    │   ├── UnprocessableEntityError  422  carries per-field ``errors``
    │   ├── RateLimitError            429  carries ``retry_after`` seconds when given
    │   └── ServerError               5xx
    │       └── ServiceUnavailableError 503  the API reports high load
    ├── PaginationDriftError          a list changed while paged and strict_drift was asked
    ├── PledgeFailedError             a pledge or forwarding settled as ``failed``
    └── WaitTimeoutError              polling passed its deadline (also TimeoutError)

No message ever carries credentials: URLs are stripped of userinfo before they are stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
from yarl import URL

if TYPE_CHECKING:
    from betterplace_async.events import PaginationEvent

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BetterplaceError",
    "ClientStateError",
    "DecodeError",
    "ErrorBody",
    "InsecureTransportError",
    "InvalidParameterError",
    "NotFoundError",
    "PaginationDriftError",
    "PermissionDeniedError",
    "PledgeFailedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "ServiceUnavailableError",
    "TransportError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "error_for_status",
]


def _safe_url(url: URL | str) -> URL:
    """Return ``url`` without userinfo so it can be shown anywhere."""
    url = URL(url) if isinstance(url, str) else url
    if url.user is not None or url.password is not None:
        url = url.with_user(None)
    return url


class BetterplaceError(Exception):
    """Base class of every error raised by betterplace_async."""


class ClientStateError(BetterplaceError, RuntimeError):
    """The client is not open: it was never opened, or it is closed."""


class InvalidParameterError(BetterplaceError, ValueError):
    """A caller-supplied value is invalid; no request was sent.

    ``parameter`` names the offending argument or field.
    """

    def __init__(self, parameter: str, problem: str) -> None:
        self.parameter = parameter
        self.problem = problem
        super().__init__(f"{parameter}: {problem}")


class TransportError(BetterplaceError):
    """The request failed below HTTP: no usable response arrived.

    ``request_sent`` is ``False`` only when the request provably never left this machine
    (the connection could not be opened); only then is a non-idempotent request retried.
    """

    def __init__(
        self, message: str, *, method: str = "", url: URL | str = "", request_sent: bool = True
    ) -> None:
        self.method = method
        self.url = _safe_url(url)
        self.request_sent = request_sent
        where = f" ({method} {self.url})" if method else ""
        super().__init__(f"{message}{where}")


class APIConnectionError(TransportError):
    """Connecting failed or the connection broke before the response was complete."""


class APITimeoutError(TransportError, TimeoutError):
    """The connect or total timeout elapsed."""


class InsecureTransportError(TransportError):
    """Credentials would be sent over plain http or to a foreign origin; refused."""


class DecodeError(BetterplaceError):
    """The response body could not be decoded into what the endpoint promises.

    ``snippet`` holds the start of the offending body (at most 200 characters).
    """

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        url: URL | str = "",
        status: int | None = None,
        snippet: str = "",
    ) -> None:
        self.method = method
        self.url = _safe_url(url)
        self.status = status
        self.snippet = snippet[:200]
        parts = [message]
        if method:
            parts.append(f"({method} {self.url}, status {status})")
        if snippet:
            parts.append(f"body starts: {self.snippet!r}")
        super().__init__(" ".join(parts))


class ResponseTooLargeError(DecodeError):
    """The body is larger than the client's ``max_response_bytes``."""


@attrs.frozen
class ErrorBody:
    """The JSON body the API sends with an error status.

    Every field is optional: real error bodies range from ``{"errors": {...}}`` alone to the
    full staging form with ``backtrace``.
    """

    name: str | None = None
    reason: str | None = None
    message: str | None = None
    status: str | None = None
    status_code: int | None = None
    errors: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> ErrorBody:
        """Build from whatever JSON value came back; unknown shapes give an empty body."""
        if not isinstance(data, Mapping):
            return cls()

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        raw_errors = data.get("errors")
        errors: dict[str, tuple[str, ...]] = {}
        if isinstance(raw_errors, Mapping):
            for field, messages in raw_errors.items():
                if isinstance(messages, list | tuple):
                    errors[str(field)] = tuple(str(m) for m in messages)
                elif messages is not None:
                    errors[str(field)] = (str(messages),)
        code = data.get("status_code")
        return cls(
            name=text("name"),
            reason=text("reason"),
            message=text("message"),
            status=text("status"),
            status_code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            errors=errors,
        )

    def summary(self) -> str:
        """Return a one-line human summary of the body."""
        parts = [p for p in (self.reason, self.message) if p]
        if self.errors:
            parts.append(
                "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in self.errors.items())
            )
        return " - ".join(parts)


class APIStatusError(BetterplaceError):
    """The API answered with an error status (``status``), described by ``body``.

    ``retry_after`` holds the server's ``Retry-After`` in seconds when it sent one.
    """

    def __init__(
        self,
        status: int,
        *,
        method: str,
        url: URL | str,
        body: ErrorBody,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.method = method
        self.url = _safe_url(url)
        self.body = body
        self.retry_after = retry_after
        detail = body.summary()
        super().__init__(f"{status} from {method} {self.url}" + (f": {detail}" if detail else ""))

    @property
    def errors(self) -> Mapping[str, tuple[str, ...]]:
        """Per-field validation messages from the body (empty when none were sent)."""
        return self.body.errors


class BadRequestError(APIStatusError):
    """400: the submitted data was rejected."""


class AuthenticationError(APIStatusError):
    """401: the credentials were wrong."""


class PermissionDeniedError(APIStatusError):
    """403: the endpoint needs client credentials and none were sent."""


class NotFoundError(APIStatusError):
    """404: no such record, or a project outside the client's scope."""


class UnprocessableEntityError(APIStatusError):
    """422: the server refused the submitted fields; see ``errors``."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` says how long to hold off when sent."""


class ServerError(APIStatusError):
    """5xx: the server failed."""


class ServiceUnavailableError(ServerError):
    """503: the API is under high load."""


class PaginationDriftError(BetterplaceError):
    """A list changed while being paged and ``strict_drift=True`` asked to fail.

    ``event`` says what changed; the records of earlier pages have been yielded.
    """

    def __init__(self, event: PaginationEvent) -> None:
        self.event = event
        super().__init__(f"list changed while paging ({event.kind}): {event.detail}")


class PledgeFailedError(BetterplaceError):
    """A donation pledge or forwarding request settled as ``failed``.

    ``failure_code`` is passed through as sent, including codes this SDK does not know yet.
    """

    def __init__(
        self, client_reference: str, failure_code: str | None, failure_reason: str | None
    ) -> None:
        self.client_reference = client_reference
        self.failure_code = failure_code
        self.failure_reason = failure_reason
        super().__init__(
            f"pledge {client_reference!r} failed: {failure_code or 'unknown'}"
            + (f" ({failure_reason})" if failure_reason else "")
        )


class WaitTimeoutError(BetterplaceError, TimeoutError):
    """No final state was reached before the deadline; the pledge may still settle later."""

    def __init__(self, client_reference: str, waited: float, last_state: str | None) -> None:
        self.client_reference = client_reference
        self.waited = waited
        self.last_state = last_state
        super().__init__(
            f"pledge {client_reference!r} not settled after {waited:.1f}s "
            f"(last state: {last_state or 'unknown'})"
        )


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}


def error_for_status(
    status: int,
    *,
    method: str,
    url: URL | str,
    body: ErrorBody,
    retry_after: float | None = None,
) -> APIStatusError:
    """Return the exception instance that matches an HTTP error ``status``."""
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIStatusError
    return cls(status, method=method, url=url, body=body, retry_after=retry_after)
