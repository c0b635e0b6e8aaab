"""Every recorded API response decodes into its model; the current doc examples strictly."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import cattrs
import pytest

from betterplace_async._core.converter import make_converter
from betterplace_async.models import Page

from .sample_map import (
    CURRENT_DOC_EXAMPLES,
    NOT_A_RESPONSE,
    NOT_MODELS,
    OVERRIDES,
    SAMPLE_MAP,
    SAMPLES,
    Shape,
    all_samples,
    sample_id,
    spec_for,
)

LENIENT = make_converter()
STRICT = make_converter(strict=True)


def _params(paths: list[Path]) -> list[Any]:
    if not paths:
        raise RuntimeError(f"no samples found under {SAMPLES}; they belong to the repository")
    return [pytest.param(path, id=sample_id(path)) for path in paths]


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _response_samples() -> list[Path]:
    return [
        path
        for path in all_samples()
        if path.parent.name not in NOT_MODELS and sample_id(path) not in NOT_A_RESPONSE
    ]


def _path(sid: str) -> Path:
    return SAMPLES / f"{sid}.json"


@pytest.mark.parametrize("path", _params(_response_samples()))
def test_sample_decodes_leniently(path: Path) -> None:
    spec = spec_for(path)
    raw = _load(path)
    decoded = LENIENT.structure(raw, spec.target)
    if spec.shape is Shape.PAGE:
        assert isinstance(decoded, Page)
        assert len(decoded.data) == len(raw.get("data") or [])
        assert all(isinstance(item, spec.model) for item in decoded.data)
    else:
        assert isinstance(decoded, spec.model)


@pytest.mark.parametrize("path", _params(_response_samples()))
def test_decoded_sample_round_trips_through_unstructure(path: Path) -> None:
    target = spec_for(path).target
    decoded = LENIENT.structure(_load(path), target)
    assert STRICT.structure(LENIENT.unstructure(decoded), target) == decoded


@pytest.mark.parametrize("path", _params([_path(sid) for sid in NOT_A_RESPONSE]))
def test_non_responses_are_refused_not_guessed(path: Path) -> None:
    spec = SAMPLE_MAP[path.parent.name]
    for converter in (LENIENT, STRICT):
        with pytest.raises((TypeError, cattrs.BaseValidationError)):
            converter.structure(_load(path), spec.target)


CURRENT = [
    pytest.param(kind, stem, id=f"{kind}/{stem}")
    for kind, stems in sorted(CURRENT_DOC_EXAMPLES.items())
    for stem in stems
]


@pytest.mark.parametrize(("kind", "stem"), CURRENT)
def test_current_doc_example_decodes_strictly(kind: str, stem: str) -> None:
    path = SAMPLES / kind / f"{stem}.json"
    STRICT.structure(_load(path), spec_for(path).target)


def test_strict_converter_notices_unmodelled_keys() -> None:
    # The 2013 serializer leaked "format": "json" into every object; it is not modelled.
    path = SAMPLES / "project_details" / "docs-jackk_4.json"
    with pytest.raises(cattrs.ClassValidationError) as info:
        STRICT.structure(_load(path), spec_for(path).target)
    assert any("format" in line for line in cattrs.transform_error(info.value))


def _provenance_rows() -> list[tuple[str, str, str]]:
    """(file, class, date) for every row of the PROVENANCE tables."""
    rows = []
    for line in (SAMPLES / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > 5 and cells[0].endswith(".json"):
            rows.append((cells[0], cells[1], cells[5]))
    return rows


def test_current_doc_examples_are_the_newest_of_the_current_forks() -> None:
    newest: dict[str, tuple[str, set[str]]] = {}
    for file, klass, date in _provenance_rows():
        kind, name = file.split("/")
        if klass != "DOC-GEN" or not re.match(r"docs-(bpdocs|flori)_\d+\.json$", name):
            continue
        best_date, stems = newest.get(kind, ("", set()))
        if date > best_date:
            newest[kind] = (date, {name.removesuffix(".json")})
        elif date == best_date:
            stems.add(name.removesuffix(".json"))
    assert {kind: set(stems) for kind, stems in CURRENT_DOC_EXAMPLES.items()} == {
        kind: stems for kind, (_, stems) in newest.items()
    }


def test_every_sample_directory_is_mapped() -> None:
    kinds = {path.name for path in SAMPLES.iterdir() if path.is_dir()}
    assert kinds == set(SAMPLE_MAP) | set(NOT_MODELS)
    assert set(CURRENT_DOC_EXAMPLES) == set(SAMPLE_MAP)
    for sid in [*OVERRIDES, *NOT_A_RESPONSE]:
        assert _path(sid).is_file(), sid


def test_every_sample_is_accounted_for() -> None:
    paths = all_samples()
    decoded = _response_samples()
    not_models = [p for p in paths if p.parent.name in NOT_MODELS]  # errors/: ErrorBody's job
    assert len(paths) == len(decoded) + len(not_models) + len(NOT_A_RESPONSE)
    assert len(paths) >= 300
