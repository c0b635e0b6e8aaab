"""What a handler works with: the request context, Basic auth and the submitted body."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
from aiohttp import web

from betterplace_async.testing.http.paging import envelope, paginate, parse_page
from betterplace_async.testing.http.responses import ApiError, json_response
from betterplace_async.testing.render import Renderer
from betterplace_async.testing.render.common import Json, Urls
from betterplace_async.testing.state.fake_state import FakeState

STATE = web.AppKey("betterplace_fake_state", FakeState)
"""The key under which ``make_app`` stores the ``FakeState`` on the application."""
RENDERER = web.AppKey("betterplace_fake_renderer", Renderer)
"""The key of the renderer ``make_app`` builds for the state's catalog and client."""
T = TypeVar("T")


@attrs.frozen
class Ctx:
    """What a handler needs: the state, URL builder and query of one request."""

    state: FakeState
    render: Renderer
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
    urls = Urls(origin, request.match_info["locale"])
    return Ctx(state, request.app[RENDERER], urls, request.query, request)


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
