"""The list query language: ``key:value|key:value`` pairs, facet booleans, ordering."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def parse_pairs(value: str | None) -> list[tuple[str, str]]:
    """Split ``key:value|key:value`` into pairs; pieces without a colon are dropped."""
    if not value:
        return []
    pairs = []
    for piece in value.split("|"):
        key, sep, val = piece.partition(":")
        if sep and key.strip():
            pairs.append((key.strip(), val.strip()))
    return pairs


def parse_bool(value: str) -> bool | None:
    """Return the boolean a facet value spells, or None for anything else."""
    lowered = value.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    return None


def sort_by(
    items: list[T],
    order: Sequence[tuple[str, str]],
    keys: Mapping[str, Callable[[T], Any]],
) -> list[T]:
    """Sort ``items`` by the supported ``(key, ASC|DESC)`` pairs; unknown keys are ignored.

    The incoming order breaks ties. None sorts after every value in both directions.
    """
    result = list(items)
    for name, direction in reversed(order):
        key = keys.get(name.lower())
        if key is None:
            continue
        descending = direction.upper() == "DESC"
        present = [item for item in result if key(item) is not None]
        missing = [item for item in result if key(item) is None]
        present.sort(key=key, reverse=descending)
        result = present + missing
    return result
