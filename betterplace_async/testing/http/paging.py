"""Page parameters and the envelope of a list response."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import attrs

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 200

T = TypeVar("T")


@attrs.frozen
class PageRequest:
    """A requested page: 1-based ``page`` and ``per_page`` already clamped to 1..200."""

    page: int
    per_page: int

    @property
    def offset(self) -> int:
        """Return how many entries precede this page."""
        return (self.page - 1) * self.per_page

    @property
    def stop(self) -> int:
        """Return the index after the last entry of this page."""
        return self.offset + self.per_page


def _positive_int(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        return default
    return number if number >= 1 else default


def parse_page(query: Mapping[str, str]) -> PageRequest:
    """Read ``page`` and ``per_page`` from a query; bad values fall back to the defaults."""
    page = _positive_int(query.get("page"), 1)
    per_page = min(_positive_int(query.get("per_page"), DEFAULT_PER_PAGE), MAX_PER_PAGE)
    return PageRequest(page=page, per_page=per_page)


def envelope(total: int, page: PageRequest, data: list[Any]) -> dict[str, Any]:
    """Wrap one page of ``data`` in the list response fields."""
    return {
        "total_entries": total,
        "offset": page.offset,
        "total_pages": -(-total // page.per_page),
        "current_page": page.page,
        "per_page": page.per_page,
        "data": data,
    }


def unpaginated(data: list[Any]) -> dict[str, Any]:
    """Wrap a whole list the way endpoints without pagination do (offset/per_page null)."""
    return {
        "current_page": 1,
        "offset": None,
        "per_page": None,
        "total_entries": len(data),
        "total_pages": 1 if data else 0,
        "data": data,
    }


def paginate(items: Sequence[T], page: PageRequest) -> tuple[int, Sequence[T]]:
    """Return the total and the slice of ``items`` for ``page``."""
    return len(items), items[page.offset : page.stop]
