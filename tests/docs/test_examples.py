"""Every example of the guide runs against the fake API, and every example is in a page.

The convention the examples follow is in ``docs/examples/README.md``: each file defines
``async def main(...)`` whose parameters are filled by name (``client``, ``fake``), and files
that build their own client read the ``BETTERPLACE_*`` environment variables.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from betterplace_async import BetterplaceClient
from betterplace_async.testing import FakeBetterplace, FakeClock

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
# pymdownx.snippets: --8<-- "docs/examples/name.py" or "docs/examples/name.py:section"
INCLUDE = re.compile(r'--8<--\s+"docs/examples/([^":]+)(?::[^"]*)?"')

EXAMPLE_FILES = sorted(path.name for path in EXAMPLES.glob("*.py"))


def included_examples() -> dict[str, list[str]]:
    """Map each example file named in a page to the pages that include it."""
    found: dict[str, list[str]] = {}
    for page in sorted(DOCS.rglob("*.md")):
        if EXAMPLES in page.parents:
            continue
        for name in INCLUDE.findall(page.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(str(page.relative_to(DOCS)))
    return found


def test_every_example_is_in_a_page() -> None:
    missing = set(EXAMPLE_FILES) - set(included_examples())
    assert not missing, f"docs/examples files no page includes: {sorted(missing)}"


def test_every_included_example_exists_and_runs() -> None:
    included = included_examples()
    unknown = {name: pages for name, pages in included.items() if name not in EXAMPLE_FILES}
    assert not unknown, f"pages include examples that are not in docs/examples: {unknown}"
    assert included, "no page includes an example: is the include pattern still right?"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docs_example_{name[:-3]}", EXAMPLES / name)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.asynccontextmanager
async def fake_and_client() -> Any:
    clock = FakeClock()

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)
        await asyncio.sleep(0)

    async with FakeBetterplace(seed=3, projects=40, client_donations=600, clock=clock) as fake:
        client = BetterplaceClient(
            base_url=fake.base_url,
            client_id=fake.client_id,
            auth=(fake.username, fake.password),
            clock=clock,
            sleep=sleep,
        )
        async with client:
            yield fake, client


@pytest.mark.parametrize("name", EXAMPLE_FILES)
async def test_example_runs(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = load(name)
    main = getattr(module, "main", None)
    assert inspect.iscoroutinefunction(main), f"{name} must define async def main(...)"
    async with fake_and_client() as (fake, client):
        monkeypatch.setenv("BETTERPLACE_BASE_URL", fake.base_url)
        monkeypatch.setenv("BETTERPLACE_CLIENT_ID", fake.client_id)
        monkeypatch.setenv("BETTERPLACE_USERNAME", fake.username)
        monkeypatch.setenv("BETTERPLACE_PASSWORD", fake.password)
        available = {"client": client, "fake": fake}
        wanted = inspect.signature(main).parameters
        unknown = set(wanted) - set(available)
        assert not unknown, (
            f"{name}: main() asks for {sorted(unknown)}; see docs/examples/README.md"
        )
        await main(**{parameter: available[parameter] for parameter in wanted})
