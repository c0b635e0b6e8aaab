"""Every public name is in the API reference: in its Markdown and in the built site."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path
from types import ModuleType

import pytest

import betterplace_async
import betterplace_async.testing

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference"
DIRECTIVE = re.compile(r"^:::\s+(\S+)", re.MULTILINE)
PUBLIC = [betterplace_async, betterplace_async.testing]


def public_names() -> list[tuple[ModuleType, str]]:
    return [(module, name) for module in PUBLIC for name in module.__all__]


def resolve(path: str) -> object:
    """Import ``a.b.C`` (a module, or an attribute of one) the way mkdocstrings names it."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            found = getattr(found, attr)
        return found
    raise LookupError(path)


def documented_paths() -> set[str]:
    """Every dotted path the reference pages render, members of whole modules included."""
    paths: set[str] = set()
    for page in REFERENCE.glob("*.md"):
        for path in DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            paths.add(path)
            target = resolve(path)
            if isinstance(target, ModuleType):
                paths.update(f"{path}.{name}" for name in getattr(target, "__all__", ()))
    return paths


def test_reference_pages_render_every_public_name() -> None:
    documented = documented_paths()
    missing = [
        f"{module.__name__}.{name}"
        for module, name in public_names()
        if f"{module.__name__}.{name}" not in documented
        # documented under its defining module, e.g. ::: betterplace_async.errors
        and not any(
            path.endswith(f".{name}") and resolve(path) is getattr(module, name)
            for path in documented
        )
    ]
    assert not missing, f"add these to docs/reference/*.md: {missing}"


def read_inventory(path: Path) -> set[str]:
    """Return the object names in a Sphinx ``objects.inv`` (version 2) as mkdocstrings writes it."""
    data = path.read_bytes()
    start = 0
    for _ in range(4):  # four header lines, then zlib
        start = data.index(b"\n", start) + 1
    lines = zlib.decompress(data[start:]).decode("utf-8").splitlines()
    return {line.split(" ", 1)[0] for line in lines if line}


def test_built_site_indexes_every_public_name(tmp_path: Path) -> None:
    pytest.importorskip("mkdocstrings", reason="needs the docs extra: pip install -e '.[docs]'")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONDEVMODE", None)  # third-party warnings are not what this test is about
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    inventory = read_inventory(site / "objects.inv")
    missing = [
        f"{module.__name__}.{name}"
        for module, name in public_names()
        if f"{module.__name__}.{name}" not in inventory
    ]
    assert not missing, f"not in the built reference (objects.inv): {missing}"
