"""A size-bounded store of ETag-tagged response bodies for conditional GETs."""

from __future__ import annotations

from collections import OrderedDict

from betterplace_async.errors import InvalidParameterError

__all__ = ["ETagCache"]


class ETagCache:
    """Keep the most recently used bodies, at most ``max_entries`` and ``max_bytes`` in all.

    The client sends ``If-None-Match`` with a stored ETag and reuses the stored body when
    the server answers 304, which saves bandwidth and server work for polled resources such
    as a fundraising event's totals.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 16 * 1024 * 1024) -> None:
        for name, value in (("max_entries", max_entries), ("max_bytes", max_bytes)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidParameterError(f"cache.{name}", f"must be an int >= 1, got {value!r}")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._size = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<ETagCache entries={len(self)} bytes={self._size} hits={self.hits}>"

    def etag(self, key: str) -> str | None:
        """Return the stored ETag for ``key`` (and mark it recently used)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def body(self, key: str) -> bytes | None:
        """Return the stored body for ``key``, counting a hit or a miss."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        return entry[1]

    def put(self, key: str, etag: str, body: bytes) -> None:
        """Store ``body`` under ``key``; bodies larger than the whole budget are skipped."""
        self.discard(key)
        if len(body) > self.max_bytes:
            return
        self._entries[key] = (etag, body)
        self._size += len(body)
        while len(self._entries) > self.max_entries or self._size > self.max_bytes:
            _, (_, old) = self._entries.popitem(last=False)
            self._size -= len(old)

    def discard(self, key: str) -> None:
        """Forget ``key`` if stored."""
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._size -= len(entry[1])
