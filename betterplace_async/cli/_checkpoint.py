"""Checkpoints of a file export, and where a resumed export picks up.

A checkpoint (``OUT.checkpoint.json``) is saved after whole pages have reached the disk.
It records what was exported (resource, parameters, format, page size, API) so a resume
with other options is refused, how many records and bytes of the output are complete, and
a *window*: short hashes of the identities of the last records written.

Resuming starts a page or two before the first missing record and drops every record
whose identity is in the window. With a list that did not change this drops exactly the
records already written; a list that gained or lost up to about two pages of records in
front of the checkpoint is handled too (new records at the head push old ones back, removed
ones pull them forward). A list that moved further cannot be resumed safely, and
:class:`ResumeFilter` says so instead of guessing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, Final

import attrs

from betterplace_async.cli._common import CommandError, UsageError

__all__ = [
    "VERSION",
    "WINDOW_PAGES",
    "Checkpoint",
    "ResumeFilter",
    "Window",
    "checkpoint_path",
    "identity_key",
    "keys_of",
    "load",
    "remove",
    "save",
]

VERSION: Final = 1
WINDOW_PAGES: Final = 4
"""The window holds the identities of this many pages of records."""


def checkpoint_path(out: Path) -> Path:
    """Return the checkpoint file that belongs to the output ``out``."""
    return out.with_name(out.name + ".checkpoint.json")


def identity_key(identity: Hashable) -> str:
    """Return a short, stable hash of a record identity (no record data in checkpoints)."""
    text = f"{type(identity).__name__}:{identity}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


@attrs.define
class Checkpoint:
    """How far an export got; ``offset`` bytes of the output hold ``records`` whole records."""

    command: dict[str, Any]
    records: int = 0
    pages: int = 0
    offset: int = 0
    page_size: int | None = None
    total_entries: int | None = None
    window: list[str] = attrs.Factory(list)

    def to_json(self) -> dict[str, Any]:
        """Return the checkpoint as a JSON object."""
        return {"version": VERSION, **attrs.asdict(self)}


def load(path: Path) -> Checkpoint | None:
    """Read a checkpoint; ``None`` when there is none, :class:`UsageError` when damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
        if data.pop("version") != VERSION:
            raise ValueError("unknown version")
        checkpoint = Checkpoint(**data)
        numbers = (checkpoint.records, checkpoint.pages, checkpoint.offset)
        if not all(isinstance(n, int) and n >= 0 for n in numbers):
            raise ValueError("negative or non-integer counts")
        if not isinstance(checkpoint.command, dict) or not isinstance(checkpoint.window, list):
            raise ValueError("wrong shape")
    except (ValueError, TypeError, KeyError) as exc:
        raise UsageError(
            f"{path} is not a checkpoint this version can read ({exc}); "
            "delete it and the output to start over"
        ) from None
    return checkpoint


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not possible on every platform / file system
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save(path: Path, checkpoint: Checkpoint) -> None:
    """Replace the checkpoint atomically: write a temporary file, fsync, rename."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as stream:
        json.dump(checkpoint.to_json(), stream, separators=(",", ":"))
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)
    _fsync_directory(path.parent)


def remove(path: Path) -> None:
    """Delete the checkpoint of a finished export."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    _fsync_directory(path.parent)


class Window:
    """The identity hashes of the last records written, oldest first."""

    def __init__(self, keys: Iterable[str] = (), *, size: int) -> None:
        self._keys: deque[str] = deque(keys, maxlen=size)

    def resize(self, size: int) -> None:
        """Keep at most ``size`` hashes from now on."""
        if size != self._keys.maxlen:
            self._keys = deque(self._keys, maxlen=size)

    def extend(self, keys: Iterable[str]) -> None:
        """Remember newly written records."""
        self._keys.extend(keys)

    def snapshot(self) -> list[str]:
        """Return the hashes for a checkpoint."""
        return list(self._keys)


class ResumeFilter:
    """Drop the records a resumed export has already written.

    ``start_page`` is where reading starts (page size ``page_size``): two pages before
    the one holding the first missing record. On the first page read, every record up to
    the last one found in the window is dropped; on later pages, records in the window.
    """

    def __init__(self, checkpoint: Checkpoint, page_size: int) -> None:
        self.page_size = page_size
        self._written = checkpoint.records
        self._window = frozenset(checkpoint.window)
        self.start_page = max(1, checkpoint.records // page_size - 1)
        self._first = True
        self.dropped = 0

    @property
    def lookahead(self) -> int:
        """How many records may be dropped at most (for sizing a read limit)."""
        return (WINDOW_PAGES + 1) * self.page_size

    def keep(self, keys: list[str]) -> list[bool]:
        """Return, for each record of the next page (as identity hashes), whether to write it."""
        window = self._window
        if self._first:
            self._first = False
            last = max((i for i, key in enumerate(keys) if key in window), default=-1)
            if last < 0 and self.start_page > 1 and self._written:
                raise CommandError(
                    f"cannot resume: page {self.start_page} holds none of the last records "
                    "written, so the list changed too much since the checkpoint; "
                    "start the export again without --resume"
                )
            mask = [i > last and key not in window for i, key in enumerate(keys)]
        else:
            mask = [key not in window for key in keys]
        self.dropped += mask.count(False)
        return mask


def keys_of(records: Iterable[dict[str, Any]], identity: Callable[[Any], Hashable]) -> list[str]:
    """Return the identity hashes of raw records."""
    return [identity_key(identity(record)) for record in records]
