"""Follow the ``links`` in responses to the resources they name, decoded by path."""

from __future__ import annotations

import re
from typing import Any, TypeVar, Unpack

from yarl import URL

from betterplace_async._core import protocol as _protocol
from betterplace_async._core import routes as _routes
from betterplace_async._http.requester import Requester
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.common import Link
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["LinkResolver"]

T = TypeVar("T")


class LinkResolver(Namespace):
    """Resolve a link (or an API URL) to a model, with the same auth rules as named calls.

    Only links into the configured API origin are followed; credentials go along only for
    client-API paths (``/clients/...``, ``/users/...``).
    """

    def __init__(self, requester: Requester, *, client_id: str | None) -> None:
        super().__init__(requester)
        self._client_id = client_id

    def _resolve(
        self, link: Link | str, values: dict[str, str | int]
    ) -> tuple[URL, _routes.Route | None, str]:
        if isinstance(link, Link):
            if link.templated:
                if self._client_id is not None:
                    values = {"client_id": self._client_id, **values}
                try:
                    link = link.expand(**values)
                except KeyError as exc:
                    raise InvalidParameterError("link", str(exc.args[0])) from None
            href = link.href
        elif isinstance(link, str):
            href = link
        else:
            raise InvalidParameterError("link", f"must be a Link or str, got {type(link).__name__}")
        try:
            url = URL(href, encoded=True)
        except (ValueError, TypeError):
            raise InvalidParameterError("link", f"not a URL: {href!r}") from None
        base = self._requester.base_url
        if not url.is_absolute() or not _protocol.same_origin(url, base):
            raise InvalidParameterError(
                "link", f"{href!r} is outside the configured API {base.origin()}; not followed"
            )
        prefix = re.escape(base.path.rstrip("/"))
        found = re.match(rf"^{prefix}/(?:de|en)/api_v4/(.+)\.json$", url.path)
        if found is None:
            raise InvalidParameterError("link", f"{href!r} is not an API v4 resource URL")
        path = found.group(1)
        return url, _routes.match(path), path

    async def follow(self, link: Link | str, **values: str | int) -> Any:
        """Fetch a single resource a link points at, decoded into the model for its path.

        Templated links are expanded first (``client_id`` defaults to the client's).
        """
        url, route, path = self._resolve(link, values)
        if route is None or route.is_list:
            kind = "a list; use follow_list()" if route else "not a known resource"
            raise InvalidParameterError("link", f"{path!r} is {kind}")
        return await self._requester.get(route.model, url, authenticate=route.authenticate)

    def follow_list(self, link: Link | str, **options: Unpack[PageOptions]) -> Listing[Any]:
        """Stream the list a link points at (e.g. a project's ``needs`` or ``opinions``)."""
        url, route, path = self._resolve(link, {})
        if route is None or not route.is_list:
            kind = "a single resource; use follow()" if route else "not a known resource"
            raise InvalidParameterError("link", f"{path!r} is {kind}")
        scoped = Namespace(self._requester, authenticate=route.authenticate)
        return scoped._list(route.model, url, options, identity=route.identity)
