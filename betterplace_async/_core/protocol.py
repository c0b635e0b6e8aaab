"""The HTTP protocol of the API as pure functions: URLs, origins, bodies, errors.

Nothing here awaits or touches a socket, so all of it is tested without an event loop.
The HTTP layer calls these around its single aiohttp request.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Final
from urllib.parse import quote

from yarl import URL

from betterplace_async.errors import (
    APIConnectionError,
    DecodeError,
    ErrorBody,
    InsecureTransportError,
    InvalidParameterError,
    error_for_status,
)

DEFAULT_BASE_URL: Final = "https://api.betterplace.org"
"""The API origin a client talks to unless given ``base_url``."""
API_PREFIX: Final = "api_v4"
REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
"""The statuses whose ``Location`` header the HTTP layer follows itself."""

try:  # optional speed-up from the ``speed`` extra
    import orjson

    _loads: Callable[[bytes], Any] = orjson.loads
    _JSON_ERRORS: tuple[type[Exception], ...] = (orjson.JSONDecodeError, UnicodeDecodeError)
except ImportError:  # pragma: no cover - exercised when the extra is absent
    _loads = json.loads
    # A deeply nested body makes the stdlib parser recurse past the interpreter's limit.
    _JSON_ERRORS = (json.JSONDecodeError, UnicodeDecodeError, RecursionError)


def is_loopback(host: str | None) -> bool:
    """Tell whether ``host`` is a loopback name or address."""
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_base_url(value: object, *, has_credentials: bool) -> URL:
    """Validate a base URL: http(s), a host, no userinfo, query or fragment.

    Plain http is refused when credentials are configured, except to a loopback host.
    """
    if isinstance(value, URL):
        url = value
    elif isinstance(value, str):
        try:
            url = URL(value)
        except (ValueError, TypeError) as exc:
            raise InvalidParameterError("base_url", f"not a URL: {exc}") from None
    else:
        raise InvalidParameterError("base_url", f"must be a str or URL, got {type(value).__name__}")
    if url.scheme not in {"http", "https"} or not url.host:
        raise InvalidParameterError(
            "base_url", "must be an absolute http:// or https:// URL with a host"
        )
    if url.user is not None or url.password is not None:
        raise InvalidParameterError(
            "base_url", "must not contain credentials; pass auth=(username, password) instead"
        )
    if url.query_string or url.fragment:
        raise InvalidParameterError("base_url", "must not have a query or fragment")
    if url.scheme == "http" and has_credentials and not is_loopback(url.host):
        raise InsecureTransportError(
            "refusing to send credentials over plain http to a non-loopback host; use https"
        )
    return url.with_path(url.path.rstrip("/"))


def same_origin(a: URL, b: URL) -> bool:
    """Tell whether two absolute URLs share scheme, host and port."""
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def follow_redirect(
    current: URL, location: str, status: int, method: str, json: Any
) -> tuple[URL, str, Any]:
    """Return the next ``(url, method, json)`` after a redirect from ``current``.

    Only http(s) targets are followed, never from https down to http. A 303, and a 301 or
    302 answering a POST, turn the request into a GET without a body (as browsers do).
    """
    target = current.join(URL(location))
    if target.scheme not in {"http", "https"}:
        raise APIConnectionError(f"refusing redirect to {target.scheme!r} URL", url=current)
    if current.scheme == "https" and target.scheme == "http":
        raise InsecureTransportError("refusing redirect from https to http", url=current)
    if status == 303 or (status in {301, 302} and method == "POST"):
        return target, "GET", None
    return target, method, json


def api_url(base_url: URL, locale: str, segments: tuple[str | int, ...]) -> URL:
    """Build ``{base}/{locale}/api_v4/{segments...}.json`` with every segment encoded.

    Each segment is percent-encoded with no safe characters, so a ``/`` or ``..`` inside
    a caller's permalink can never change which resource is addressed.
    """
    if not segments:
        raise ValueError("api_url needs at least one segment")
    encoded = [quote(str(s), safe="") for s in segments]
    encoded[-1] += ".json"
    path = "/".join([base_url.raw_path.rstrip("/"), locale, API_PREFIX, *encoded])
    return URL.build(
        scheme=base_url.scheme,
        host=base_url.raw_host or "",
        port=base_url.explicit_port,
        path=path,
        encoded=True,
    )


def clean_params(params: Mapping[str, object | None]) -> dict[str, str]:
    """Drop ``None`` values and render the rest as query strings (bools as true/false)."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = str(value)
    return out


def snippet(body: bytes) -> str:
    """Return the start of ``body`` as text for error messages."""
    return body[:200].decode("utf-8", errors="replace")


def decode_json(body: bytes, *, method: str, url: URL, status: int) -> Any:
    """Parse a JSON body or raise :class:`DecodeError` with a snippet of what arrived."""
    if not body.strip():
        raise DecodeError("empty response body", method=method, url=url, status=status)
    try:
        return _loads(body)
    except _JSON_ERRORS as exc:
        raise DecodeError(
            f"response is not valid JSON ({exc.__class__.__name__})",
            method=method,
            url=url,
            status=status,
            snippet=snippet(body),
        ) from None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Turn a ``Retry-After`` header (seconds or HTTP date) into seconds from ``now``."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def raise_for_status(
    status: int,
    body: bytes,
    *,
    method: str,
    url: URL,
    retry_after: str | None = None,
) -> None:
    """Raise the typed error for an error ``status``; return for 1xx-3xx."""
    if status < 400:
        return
    parsed: Any = None
    if body.strip():
        try:
            parsed = _loads(body)
        except _JSON_ERRORS:
            parsed = None
    raise error_for_status(
        status,
        method=method,
        url=url,
        body=ErrorBody.from_json(parsed),
        retry_after=parse_retry_after(retry_after),
    )
