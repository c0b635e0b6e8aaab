"""Flatten API records into CSV rows whose columns come from the SDK's models.

The columns are fixed before the first record arrives, so every row of a long export (and
of an export resumed later) lines up under one header. A nested object becomes dotted
columns (``donor.name``, ``donor.picture.fallback``); links, lists and mappings stay one
column holding compact JSON. ``null`` is an empty cell, booleans are ``true``/``false``.

Fields the API sends that the model does not know yet have no column; they are collected
in :attr:`Flattener.left_out` so the command can say so (JSONL keeps everything).
"""

from __future__ import annotations

import csv
import io
import json
import types
from collections.abc import Iterable
from typing import Any, Union, get_args, get_origin

import attrs

__all__ = ["Flattener", "cell"]

Tree = dict[str, "Tree | None"]
"""Column layout: a key maps to ``None`` (one column) or to the layout of a nested object."""

_MAX_DEPTH = 4


def _unwrap(type_: Any) -> Any:
    """Return ``X`` for ``X | None``; anything else as it is."""
    if get_origin(type_) in (Union, types.UnionType):
        args = [arg for arg in get_args(type_) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return type_


def _layout(model: type, seen: tuple[type, ...] = ()) -> Tree:
    attrs.resolve_types(model)
    tree: Tree = {}
    for field in attrs.fields(model):
        inner = _unwrap(field.type)
        nested = (
            isinstance(inner, type)
            and attrs.has(inner)
            and inner not in seen
            and len(seen) < _MAX_DEPTH
        )
        tree[field.name] = _layout(inner, (*seen, model)) if nested else None
    return tree


def _names(tree: Tree, prefix: str = "") -> list[str]:
    names: list[str] = []
    for key, sub in tree.items():
        names.extend([prefix + key] if sub is None else _names(sub, f"{prefix}{key}."))
    return names


def cell(value: Any) -> str:
    """Return the CSV text of one JSON value."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Flattener:
    """Turn records of one model into CSV lines under a fixed header."""

    def __init__(self, model: type) -> None:
        self._tree = _layout(model)
        self._widths: dict[int, int] = {}
        self.columns: list[str] = _names(self._tree)
        self.left_out: set[str] = set()

    def header(self) -> bytes:
        """Return the header line."""
        return self._encode([self.columns])

    def rows(self, records: Iterable[dict[str, Any]]) -> bytes:
        """Return the CSV lines (UTF-8, CRLF) of ``records``."""
        return self._encode([self.row(record) for record in records])

    def row(self, record: dict[str, Any]) -> list[str]:
        """Return the cells of one record, in column order."""
        out: list[str] = []
        self._fill(self._tree, record, out, "")
        return out

    def _width(self, tree: Tree) -> int:
        width = self._widths.get(id(tree))
        if width is None:
            width = len(_names(tree))
            self._widths[id(tree)] = width
        return width

    def _fill(self, tree: Tree, value: Any, out: list[str], prefix: str) -> None:
        if not isinstance(value, dict):
            if value is not None:  # the API sent something else where an object belongs
                self.left_out.add(prefix.rstrip(".") or "(record)")
            out.extend([""] * self._width(tree))
            return
        for key, sub in tree.items():
            if sub is None:
                out.append(cell(value.get(key)))
            else:
                self._fill(sub, value.get(key), out, f"{prefix}{key}.")
        extra = value.keys() - tree.keys()
        if extra:
            self.left_out.update(prefix + key for key in extra)

    @staticmethod
    def _encode(lines: list[list[str]]) -> bytes:
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n").writerows(lines)
        return buffer.getvalue().encode("utf-8")
