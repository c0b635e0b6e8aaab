"""Checkpoint files and the decision which records a resumed export has already written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from betterplace_async.cli._checkpoint import (
    WINDOW_PAGES,
    Checkpoint,
    ResumeFilter,
    Window,
    checkpoint_path,
    identity_key,
    load,
    remove,
    save,
)
from betterplace_async.cli._common import CommandError, UsageError

PAGE = 10


def _written(records: list[str], count: int) -> Checkpoint:
    """The checkpoint after the first ``count`` of ``records`` were written."""
    window = Window(size=WINDOW_PAGES * PAGE)
    window.extend(identity_key(r) for r in records[:count])
    return Checkpoint({"resource": "x"}, records=count, page_size=PAGE, window=window.snapshot())


def _resume(checkpoint: Checkpoint, now: list[str]) -> list[str]:
    """Read ``now`` from the filter's start page on; return what a resume would write."""
    keep = ResumeFilter(checkpoint, PAGE)
    start = (keep.start_page - 1) * PAGE
    out: list[str] = []
    for offset in range(start, len(now), PAGE):
        page = now[offset : offset + PAGE]
        mask = keep.keep([identity_key(r) for r in page])
        out.extend(r for r, k in zip(page, mask, strict=True) if k)
    return out


RECORDS = [f"r{n:03d}" for n in range(200)]


@pytest.mark.parametrize("count", [0, 1, 9, 10, 11, 35, 99, 100, 101, 199, 200])
def test_unchanged_list_resumes_exactly(count: int) -> None:
    assert _resume(_written(RECORDS, count), RECORDS) == RECORDS[count:]


@pytest.mark.parametrize("inserted", [1, 7, 10, 19])
def test_records_added_at_the_head_are_not_written_twice(inserted: int) -> None:
    count = 123
    now = [f"new{n}" for n in range(inserted)] + RECORDS
    resumed = _resume(_written(RECORDS, count), now)
    assert resumed == RECORDS[count:]  # new head records came after the checkpoint's pages


@pytest.mark.parametrize("removed", [1, 5, 10, 19])
def test_records_removed_before_the_checkpoint_are_not_skipped(removed: int) -> None:
    count = 123
    now = [r for r in RECORDS if r not in RECORDS[100 : 100 + removed]]
    resumed = _resume(_written(RECORDS, count), now)
    assert resumed == RECORDS[count:]


def test_records_removed_after_the_checkpoint_are_simply_missing() -> None:
    now = [r for r in RECORDS if r != "r150"]
    assert _resume(_written(RECORDS, 123), now) == [r for r in RECORDS[123:] if r != "r150"]


def test_a_list_that_moved_too_far_is_refused() -> None:
    now = [f"new{n}" for n in range(5 * PAGE)] + RECORDS
    with pytest.raises(CommandError, match="changed too much"):
        _resume(_written(RECORDS, 123), now)


def test_window_keeps_the_last_records() -> None:
    window = Window(["a", "b"], size=3)
    window.extend(["c", "d"])
    assert window.snapshot() == ["b", "c", "d"]
    window.resize(2)
    assert window.snapshot() == ["c", "d"]


def test_identity_keys_tell_types_apart_and_are_short() -> None:
    assert identity_key(5) != identity_key("5")
    assert len(identity_key("token")) == 16


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = checkpoint_path(tmp_path / "out.jsonl")
    assert path.name == "out.jsonl.checkpoint.json"
    assert load(path) is None
    checkpoint = Checkpoint({"resource": "projects"}, records=5, pages=1, offset=99, window=["a"])
    save(path, checkpoint)
    assert load(path) == checkpoint
    assert json.loads(path.read_text())["version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    remove(path)
    remove(path)
    assert not path.exists()


@pytest.mark.parametrize(
    "content",
    ["{", "[]", '{"version": 2, "command": {}}', '{"version": 1, "command": {}, "records": -1}'],
)
def test_a_damaged_checkpoint_is_a_usage_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.checkpoint.json"
    path.write_text(content)
    with pytest.raises(UsageError, match="not a checkpoint"):
        load(path)
