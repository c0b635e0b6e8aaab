"""The one cattrs converter that turns API JSON into the attrs models.

``make_converter()`` builds a fresh converter; hooks for scalar types are registered before
any class hook, as cattrs recommends. The lenient default ignores unknown keys (the API adds
fields without notice); ``strict=True`` forbids them so tests notice drift.

Real responses are messier than the docs: numbers arrive as strings (``"52.5"``),
integers as floats (``96.0``), timestamps with ``Z`` or ``+01:00``. The scalar hooks accept
exactly those spellings and refuse anything that would silently change a value, such as a
fractional number where whole cents are expected, or ``"false"`` becoming ``True``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import cattrs

from .models.common import Link, Links

__all__ = ["make_converter"]


def _structure_datetime(value: Any, _: type) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        parsed = datetime.fromisoformat(value)
    else:
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    # The docs promise a zone; a missing one is read as UTC so every value stays aware.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    raise TypeError(f"expected a whole number, got {value!r}")


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return float(value.strip())
    raise TypeError(f"expected a number, got {value!r}")


def _structure_bool(value: Any, _: type) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    raise TypeError(f"expected a boolean, got {value!r}")


def _structure_str(value: Any, _: type) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _structure_links(value: Any, _: type) -> Links:
    if value is None:
        return Links(())
    if not isinstance(value, list):
        raise TypeError(f"expected a list of links, got {type(value).__name__}")
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise TypeError(f"expected a link object, got {type(item).__name__}")
        out.append(
            Link(
                rel=_structure_str(item["rel"], str),
                href=_structure_str(item["href"], str),
                templated=bool(item.get("templated", False)),
            )
        )
    return Links(tuple(out))


def _unstructure_links(links: Links) -> list[dict[str, Any]]:
    return [
        {"rel": link.rel, "href": link.href, **({"templated": True} if link.templated else {})}
        for link in links
    ]


def configure_converter(converter: cattrs.Converter) -> None:
    """Register the scalar and link hooks on ``converter``."""
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(datetime, lambda dt: dt.isoformat())
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(Links, _structure_links)
    converter.register_unstructure_hook(Links, _unstructure_links)


def make_converter(*, strict: bool = False) -> cattrs.Converter:
    """Build a converter for the SDK's models.

    ``strict=True`` refuses unknown keys and reports every problem with its path; use it in
    tests. The default ignores unknown keys and is faster.
    """
    converter = cattrs.Converter(forbid_extra_keys=strict, detailed_validation=strict)
    configure_converter(converter)
    return converter
