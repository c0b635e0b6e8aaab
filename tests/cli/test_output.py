"""The export's output file: whole writes, cut back on resume, one writer at a time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from betterplace_async.cli._common import CommandError
from betterplace_async.cli._output import OutputFile


def test_fresh_file_is_truncated_and_counts_bytes(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"old content\n")
    out = OutputFile(path)
    out.write(b"a\n")
    out.write(b"bc\n")
    out.sync()
    out.close()
    assert path.read_bytes() == b"a\nbc\n"
    assert out.offset == 5


def test_resume_cuts_back_to_the_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"one\ntwo\nthr")  # killed in the middle of a line
    out = OutputFile(path, resume_at=8)
    out.write(b"three\n")
    out.close()
    assert path.read_bytes() == b"one\ntwo\nthree\n"


@pytest.mark.parametrize(
    ("content", "offset", "message"),
    [(b"one\n", 9, "has 4 bytes"), (b"one\ntwo\n", 6, "does not end a line")],
)
def test_resume_refuses_a_changed_file(
    tmp_path: Path, content: bytes, offset: int, message: str
) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        OutputFile(path, resume_at=offset)
    assert path.read_bytes() == content


def test_resume_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is gone"):
        OutputFile(tmp_path / "gone.jsonl", resume_at=10)


@pytest.mark.skipif(sys.platform == "win32", reason="no advisory locks")
def test_two_writers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    first = OutputFile(path)
    first.write(b"x\n")
    try:
        with pytest.raises(CommandError, match="another export"):
            OutputFile(path, resume_at=2)
    finally:
        first.close()
    OutputFile(path, resume_at=2).close()
