"""Turn parsed JSON into models, reporting failures as :class:`DecodeError`."""

from __future__ import annotations

from typing import Any, TypeVar

import cattrs
from yarl import URL

from betterplace_async.errors import DecodeError
from betterplace_async.models.common import Page

__all__ = ["raw_page", "structure", "structure_page"]

T = TypeVar("T")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        details = cattrs.transform_error(exc)
        return "; ".join(details[:5])
    return f"{exc.__class__.__name__}: {exc}"


def structure(
    converter: cattrs.Converter, data: Any, model: type[T], *, method: str = "", url: URL | str = ""
) -> T:
    """Structure ``data`` into ``model`` or raise :class:`DecodeError` naming the model."""
    try:
        return converter.structure(data, model)
    except Exception as exc:
        raise DecodeError(
            f"could not decode {model.__name__}: {_describe(exc)}", method=method, url=url
        ) from exc


def _count(envelope: dict[str, Any], key: str) -> int | None:
    value = envelope.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"{key} must be a whole number, got {value!r}")


def structure_page(
    converter: cattrs.Converter,
    data: Any,
    model: type[T],
    *,
    method: str = "",
    url: URL | str = "",
) -> Page[T]:
    """Structure a list envelope; a missing or null ``data`` gives an empty page."""
    try:
        if not isinstance(data, dict):
            raise TypeError(f"expected a list envelope object, got {type(data).__name__}")
        items = data.get("data")
        if items is None:
            items = []
        if not isinstance(items, list):
            raise TypeError(f"'data' must be a list, got {type(items).__name__}")
        hook = converter.get_structure_hook(model)
        return Page(
            data=tuple([hook(item, model) for item in items]),
            total_entries=_count(data, "total_entries"),
            offset=_count(data, "offset"),
            total_pages=_count(data, "total_pages"),
            current_page=_count(data, "current_page"),
            per_page=_count(data, "per_page"),
        )
    except Exception as exc:
        raise DecodeError(
            f"could not decode a page of {model.__name__}: {_describe(exc)}",
            method=method,
            url=url,
        ) from exc


def raw_page(data: Any, *, method: str = "", url: URL | str = "") -> Page[dict[str, Any]]:
    """Check a list envelope and keep its records as the plain JSON objects that arrived."""
    try:
        if not isinstance(data, dict):
            raise TypeError(f"expected a list envelope object, got {type(data).__name__}")
        items = data.get("data")
        if items is None:
            items = []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise TypeError("'data' must be a list of JSON objects")
        return Page(
            data=tuple(items),
            total_entries=_count(data, "total_entries"),
            offset=_count(data, "offset"),
            total_pages=_count(data, "total_pages"),
            current_page=_count(data, "current_page"),
            per_page=_count(data, "per_page"),
        )
    except Exception as exc:
        raise DecodeError(f"could not decode a page: {exc}", method=method, url=url) from exc
