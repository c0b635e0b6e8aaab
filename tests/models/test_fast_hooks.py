"""The lenient converter's generated fast hooks build exactly what cattrs' own path builds."""

from __future__ import annotations

import json
import traceback
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pytest

from betterplace_async._core.converter import configure_converter, make_converter

from .sample_map import NOT_A_RESPONSE, NOT_MODELS, all_samples, sample_id, spec_for

FAST = make_converter()


def _reference() -> cattrs.Converter:
    # Detailed validation keeps the converter on cattrs' generated functions (no fast path).
    converter = cattrs.Converter(detailed_validation=True)
    configure_converter(converter)
    return converter


REFERENCE = _reference()
DECODABLE = [
    p
    for p in all_samples()
    if sample_id(p) not in NOT_A_RESPONSE and p.parent.name not in NOT_MODELS
]


@pytest.mark.parametrize("path", DECODABLE, ids=sample_id)
def test_fast_and_reference_converters_agree(path: Path) -> None:
    body: Any = json.loads(path.read_text("utf-8"))
    target = spec_for(path).target
    assert FAST.structure(body, target) == REFERENCE.structure(body, target)


def test_fast_hook_is_really_used() -> None:
    from betterplace_async.models import ClientDonation

    hook = FAST.get_structure_hook(ClientDonation)
    assert hook.__code__.co_filename.startswith("<betterplace_async structure")


@attrs.frozen
class _Donation:
    id: int
    amount_in_cents: int


def test_a_traceback_through_a_generated_hook_shows_its_source_lines() -> None:
    converter = make_converter()
    with pytest.raises(TypeError) as info:
        converter.structure({"id": 1, "amount_in_cents": "12.5"}, _Donation)
    frames = traceback.extract_tb(info.value.__traceback__)
    generated = [f for f in frames if f.filename.startswith("<betterplace_async structure")]
    assert [f.line for f in generated] == ["v1 = h1(v1, t1)"]
    assert "_Donation" in generated[0].filename
    with pytest.raises(KeyError) as missing:
        converter.structure({"id": 1}, _Donation)
    formatted = "".join(traceback.format_exception(missing.value))
    assert "v1 = o['amount_in_cents']" in formatted
