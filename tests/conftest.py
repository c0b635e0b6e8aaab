"""Shared fixtures: recorded API samples and an aioresponses mock."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import aioresponses.core as aioresponses_core
import pytest
from aioresponses import aioresponses

SAMPLES = Path(__file__).parent / "samples"


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock; pass ``clock=clock, sleep=clock.sleep`` to the client."""
    return FakeClock()


def sample_files(kind: str) -> list[Path]:
    """Return every recorded sample of one endpoint kind, sorted."""
    return sorted((SAMPLES / kind).glob("*.json"))


def load_sample(kind: str, name: str) -> Any:
    """Load ``tests/samples/<kind>/<name>.json``."""
    return json.loads((SAMPLES / kind / f"{name}.json").read_text(encoding="utf-8"))


def sample_id(path: Path) -> str:
    """Readable test id such as ``projects_list/docs-flori_3``."""
    return f"{path.parent.name}/{path.stem}"


class _CompatResponse(aiohttp.ClientResponse):
    """aiohttp 3.14 made ``stream_writer`` a required argument that aioresponses 0.7.x does
    not pass (pnuckowski/aioresponses#289); supply a stand-in for mocked responses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
        super().__init__(*args, **kwargs)


_NEEDS_STREAM_WRITER = "stream_writer" in inspect.signature(aiohttp.ClientResponse).parameters


@pytest.fixture
def mock_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[aioresponses]:
    """Intercept aiohttp requests; anything not registered fails the test."""
    if _NEEDS_STREAM_WRITER:
        monkeypatch.setattr(aioresponses_core, "ClientResponse", _CompatResponse)
    with aioresponses() as mocked:
        yield mocked
