"""The package's public surface: ``__all__`` is complete and importable."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["betterplace_async", "betterplace_async.errors", "betterplace_async.models"]


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.__all__ lists missing {attr}"


@pytest.mark.parametrize("name", MODULES)
def test_all_is_complete(name: str) -> None:
    module = importlib.import_module(name)
    public = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_")
        and getattr(value, "__module__", "").startswith("betterplace_async")
        and not isinstance(value, type(importlib))
    }
    missing = public - set(module.__all__)
    assert not missing, f"{name}.__all__ is missing {sorted(missing)}"


def test_errors_share_one_base() -> None:
    import betterplace_async.errors as errors

    for attr in errors.__all__:
        value = getattr(errors, attr)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, errors.BetterplaceError)
