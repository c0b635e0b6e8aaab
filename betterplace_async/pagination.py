"""Streaming lists: the public names of the pagination engine.

:class:`Listing` is what every ``list()`` method returns; :class:`Paginator` streams any
``fetch_page(page, per_page)`` coroutine function with the same guarantees.
"""

from betterplace_async._engines.drift import PaginationStats
from betterplace_async._engines.pagination import Paginator
from betterplace_async.errors import PaginationDriftError
from betterplace_async.events import PaginationEvent
from betterplace_async.resources._base import Listing, PageOptions

__all__ = [
    "Listing",
    "PageOptions",
    "PaginationDriftError",
    "PaginationEvent",
    "PaginationStats",
    "Paginator",
]
