"""Shape rules every model follows: exported, frozen, slotted, cheap to build, id-only keys."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import attrs
import pytest

import betterplace_async.models as models

# Request bodies check their fields when built, and results are built by the SDK: neither is
# decoded from a response, so the shape rules of decoded models do not apply to them.
NOT_DECODED = {"betterplace_async.models.requests", "betterplace_async.models.submissions"}
MODEL_CLASSES = sorted(
    (
        value
        for value in (getattr(models, name) for name in models.__all__)
        if attrs.has(value) and value.__module__ not in NOT_DECODED
    ),
    key=lambda cl: cl.__name__,
)


def test_all_lists_every_public_name_of_every_module() -> None:
    public: set[str] = set()
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"{models.__name__}.{info.name}")
        public.update(module.__all__)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and obj.__module__ == module.__name__:
                assert name.startswith("_") or name in module.__all__, name
    assert set(models.__all__) == public
    assert models.__all__ == sorted(models.__all__)


@pytest.mark.parametrize("cl", MODEL_CLASSES, ids=lambda cl: cl.__name__)
def test_models_are_frozen_slotted_and_free_of_per_record_work(cl: type) -> None:
    assert "__slots__" in cl.__dict__
    assert not hasattr(cl, "__attrs_post_init__")
    for field in attrs.fields(cl):
        assert field.validator is None, field.name
        assert field.converter is None, field.name
    instance = cl(**{f.name: 1 for f in attrs.fields(cl) if f.default is attrs.NOTHING})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        instance.__setattr__(attrs.fields(cl)[0].name, None)


@pytest.mark.parametrize("cl", MODEL_CLASSES, ids=lambda cl: cl.__name__)
def test_only_the_identity_is_required(cl: type) -> None:
    required = {f.name for f in attrs.fields(cl) if f.default is attrs.NOTHING}
    if cl.__name__ == "Link":
        assert required == {"rel", "href"}
    else:
        assert required <= {"id"}
