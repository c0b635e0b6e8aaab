"""What identifies a record, for dropping repeats while a list is read."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["Identity", "identity_of"]


Identity = tuple[str | tuple[str, ...], ...] | None
"""What identifies a record: the first entry whose fields are all non-empty wins; an entry is
a field name or a tuple of names taken together (search hits are keyed by type and id).
``None``: the whole record."""


def identity_of(entries: Identity) -> tuple[Callable[[Any], Hashable], Callable[[Any], Hashable]]:
    """Return key functions for decoded models and for raw JSON objects."""
    if entries is None:
        return (lambda record: record), (lambda record: json.dumps(record, sort_keys=True))
    groups = [(entry,) if isinstance(entry, str) else entry for entry in entries]

    def key(values: list[Any]) -> Hashable | None:
        if any(value is None or value == "" for value in values):
            return None
        return values[0] if len(values) == 1 else tuple(values)

    def typed(record: Any) -> Hashable:
        for group in groups:
            found = key([getattr(record, name, None) for name in group])
            if found is not None:
                return found
        return record  # type: ignore[no-any-return]

    def raw(record: dict[str, Any]) -> Hashable:
        for group in groups:
            found = key([record.get(name) for name in group])
            if found is not None:
                return found
        return json.dumps(record, sort_keys=True)

    return typed, raw
