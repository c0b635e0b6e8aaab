"""Where export bytes go: a file that can be synced and cut back, or stdout."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import BinaryIO, Protocol

from betterplace_async.cli._common import CommandError

__all__ = ["OutputFile", "Sink", "StdoutSink"]


class Sink(Protocol):
    """Something whole pages are written to."""

    offset: int

    def write(self, data: bytes) -> None:
        """Write all of ``data``."""

    def sync(self) -> None:
        """Make what was written durable (or at least flushed)."""

    def close(self) -> None:
        """Release the target."""


def _lock(file: BinaryIO, path: Path) -> None:
    """Refuse to write a file another export is writing (advisory lock, where available)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Windows
        return
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise CommandError(f"another export is writing {path} right now") from None


class OutputFile:
    """An output file written with unbuffered, whole writes.

    ``offset`` is the number of bytes known to be written. Opened with ``resume_at``, the
    file is cut back to that many bytes (the last checkpoint) and writing continues there.
    """

    def __init__(self, path: Path, *, resume_at: int | None = None) -> None:
        self.path = path
        try:
            self._file: BinaryIO = open(path, "r+b" if resume_at else "wb", buffering=0)  # noqa: SIM115
        except FileNotFoundError:
            if not resume_at:
                raise
            raise CommandError(
                f"cannot resume: {path} is gone but its checkpoint is still there; "
                "delete the checkpoint to start over"
            ) from None
        try:
            _lock(self._file, path)
            self._cut_back(resume_at or 0)
        except BaseException:
            self._file.close()
            raise
        self.offset = resume_at or 0

    def _cut_back(self, offset: int) -> None:
        size = os.fstat(self._file.fileno()).st_size
        if size < offset:
            raise CommandError(
                f"cannot resume: {self.path} has {size} bytes but the checkpoint counts "
                f"{offset}; the file was changed, delete it and its checkpoint to start over"
            )
        if offset:
            self._file.seek(offset - 1)
            if self._file.read(1) != b"\n":
                raise CommandError(
                    f"cannot resume: {self.path} does not end a line where the checkpoint "
                    "says; the file was changed, delete it and its checkpoint to start over"
                )
        self._file.truncate(offset)
        self._file.seek(offset)

    def write(self, data: bytes) -> None:
        """Write all of ``data`` (looping over short writes)."""
        view = memoryview(data)
        while view:
            written = self._file.write(view)
            if not written:
                raise OSError(f"could not write to {self.path}")
            view = view[written:]
            self.offset += written

    def sync(self) -> None:
        """Flush the file's data to the disk."""
        os.fsync(self._file.fileno())

    def close(self) -> None:
        """Close the file."""
        self._file.close()


class StdoutSink:
    """Standard output; flushed after every page so a reader sees whole lines."""

    def __init__(self) -> None:
        self.offset = 0
        self._stream = sys.stdout.buffer

    def write(self, data: bytes) -> None:
        """Write ``data``."""
        self._stream.write(data)
        self.offset += len(data)

    def sync(self) -> None:
        """Flush stdout."""
        self._stream.flush()

    def close(self) -> None:
        """Flush stdout (it stays open)."""
        self._stream.flush()
