"""One finished exchange, as the sender hands it to the requester and the namespaces."""

from __future__ import annotations

from typing import Any, Final

import attrs
from multidict import CIMultiDictProxy
from yarl import URL

from betterplace_async._core import protocol as _protocol

__all__ = ["Response"]

_UNPARSED: Final[Any] = object()


@attrs.frozen
class Response:
    """Status, headers and the whole body of a final answer, and the request it answers.

    ``method`` and ``url`` are those of the last request made (after redirects). The body
    stays bytes until :meth:`json` is called; the parsed value is kept, so parsing it once
    inside the retry loop and again in the caller costs one parse.
    """

    method: str
    url: URL
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    _data: Any = attrs.field(default=_UNPARSED, init=False, eq=False, repr=False)

    def json(self) -> Any:
        """Return the body as JSON; raise :class:`DecodeError` with a snippet if it is not."""
        if self._data is _UNPARSED:
            data = _protocol.decode_json(
                self.body, method=self.method, url=self.url, status=self.status
            )
            object.__setattr__(self, "_data", data)
            return data
        return self._data
