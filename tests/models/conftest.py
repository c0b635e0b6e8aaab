"""Fixtures for the model tests: load one recorded sample and decode it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from betterplace_async._core.converter import make_converter

from .sample_map import SAMPLES, spec_for

Decode = Callable[[str], Any]


@pytest.fixture
def decode() -> Decode:
    """Decode ``tests/samples/<kind>/<name>.json`` (lenient) into its mapped model."""
    if not SAMPLES.is_dir():
        pytest.fail(f"no samples at {SAMPLES}; they are part of the repository")
    converter = make_converter()

    def load(sid: str) -> Any:
        path = SAMPLES / f"{sid}.json"
        return converter.structure(json.loads(path.read_text("utf-8")), spec_for(path).target)

    return load
