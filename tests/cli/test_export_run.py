"""The export engine in-process: every resource, and resuming over a list that changed."""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from betterplace_async import BetterplaceClient
from betterplace_async.cli._checkpoint import checkpoint_path
from betterplace_async.cli._common import CommandError
from betterplace_async.cli._export import ExportJob, ExportRun
from betterplace_async.cli._resources import RESOURCES, Resource
from betterplace_async.testing import FakeBetterplace


@pytest.fixture
async def fake() -> AsyncIterator[FakeBetterplace]:
    async with FakeBetterplace(seed=2, projects=30, client_donations=3_000) as server:
        yield server


@pytest.fixture
async def client(fake: FakeBetterplace) -> AsyncIterator[BetterplaceClient]:
    async with BetterplaceClient(
        base_url=fake.base_url, client_id=fake.client_id, auth=(fake.username, fake.password)
    ) as opened:
        yield opened


def _job(resource: Resource, out: Path, **changes: Any) -> ExportJob:
    settings: dict[str, Any] = {
        "resource": resource,
        "params": {},
        "fmt": "jsonl",
        "out": out,
        "api": {"base_url": "test"},
    }
    settings.update(changes)
    return ExportJob(**settings)


async def _params(client: BetterplaceClient) -> dict[str, dict[str, Any]]:
    """Options that give every resource something to list on the fake."""
    event = (await client.fundraising_events.list(limit=1).collect())[0].id
    organisation = (await client.organisations.list(limit=1).collect())[0].id
    fund = (await client.matching_funds.list(limit=1).collect())[0].id
    projects = [p.id for p in await client.clients.projects.list().collect()]
    project = projects[0]
    with_pictures = [p for p in projects if await client.pictures.list(project_id=p).collect()]
    pictured = with_pictures[0]
    tag = (await client.clients.tags.list(limit=1).collect())[0].slug
    return {
        "needs": {"project_id": project},
        "opinions": {"project_id": project},
        "blog-posts": {"project_id": project},
        "categories": {"project_id": project},
        "pictures": {"project_id": pictured},
        "featured-projects": {"fundraising_event_id": event},
        "forwardings": {"fundraising_event_id": event},
        "organisation-projects": {"organisation_id": organisation},
        "matching-fund-projects": {"matching_fund_id": fund},
        "client-tag-projects": {"slug": tag},
        "client-project-tags": {"project_id": project},
        "projects": {"facets": [("completed", "false")], "order": [("id", "DESC")]},
    }


async def test_every_resource_exports_what_the_sdk_lists(
    client: BetterplaceClient, tmp_path: Path
) -> None:
    params = await _params(client)
    empty = []
    for name, resource in RESOURCES.items():
        given = params.get(name, {})
        expected = await resource.open(client, given, {}).raw().collect()
        if not expected:
            empty.append(name)
        out = tmp_path / f"{name}.jsonl"
        await ExportRun(client, _job(resource, out, params=given, per_page=7)).run()
        lines = out.read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == expected, name
        table = tmp_path / f"{name}.csv"
        export = ExportRun(client, _job(resource, table, params=given, fmt="csv"))
        await export.run()
        with table.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        assert export.flattener is not None
        assert rows[0] == export.flattener.columns, name
        assert len(rows) == 1 + len(expected), name
        assert export.flattener.left_out == set(), name
        assert not checkpoint_path(out).exists()
    assert empty == []


async def _interrupt_after(run: ExportRun, records: int) -> None:
    task = asyncio.ensure_future(run.run())

    def stop(current: ExportRun) -> None:
        if current.records >= records:
            task.cancel()

    run.on_page = stop
    with pytest.raises(asyncio.CancelledError):
        await task


def _tokens(path: Path) -> list[str]:
    return [json.loads(line)["token"] for line in path.read_text(encoding="utf-8").splitlines()]


async def test_resume_over_a_changed_list_writes_each_survivor_once_in_order(
    fake: FakeBetterplace, client: BetterplaceClient, tmp_path: Path
) -> None:
    out = tmp_path / "donations.jsonl"
    job = _job(RESOURCES["client-donations"], out, per_page=100)
    before = list(fake.client_donation_tokens())
    first = ExportRun(client, job)
    await _interrupt_after(first, 1_200)
    assert 1_200 <= first.records < 3_000
    assert checkpoint_path(out).exists()

    fake.insert_client_donations(60)  # new donations push every page back
    gone = fake.revoke_client_donations_at(3, 700, first.records - 5, 2_500)
    again = ExportRun(client, _job(RESOURCES["client-donations"], out, per_page=100, resume=True))
    await again.run()

    exported = _tokens(out)
    assert len(exported) == len(set(exported))  # nothing twice
    survivors = [token for token in before if token not in gone]
    assert [t for t in exported if t in set(survivors)] == survivors  # nothing lost, in order
    assert again.dropped > 0
    assert not checkpoint_path(out).exists()


async def test_resume_refuses_a_list_that_moved_too_far(
    fake: FakeBetterplace, client: BetterplaceClient, tmp_path: Path
) -> None:
    out = tmp_path / "donations.jsonl"
    job = _job(RESOURCES["client-donations"], out, per_page=100)
    first = ExportRun(client, job)
    await _interrupt_after(first, 1_500)
    fake.insert_client_donations(1_000)
    with pytest.raises(CommandError, match="changed too much"):
        await ExportRun(client, _job(job.resource, out, per_page=100, resume=True)).run()
    assert checkpoint_path(out).exists()  # still resumable in principle, nothing lost


async def test_limit_counts_across_a_resume(
    fake: FakeBetterplace, client: BetterplaceClient, tmp_path: Path
) -> None:
    out = tmp_path / "donations.csv"
    job = _job(RESOURCES["client-donations"], out, fmt="csv", per_page=50, limit=1_234)
    first = ExportRun(client, job)
    await _interrupt_after(first, 400)
    again = ExportRun(client, _job(job.resource, out, fmt="csv", per_page=50, limit=1_234,
                                   resume=True))  # fmt: skip
    await again.run()
    with out.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["token"] for row in rows] == list(fake.client_donation_tokens())[:1_234]


async def test_search_exports_projects_and_events_with_the_same_id(
    fake: FakeBetterplace, client: BetterplaceClient, tmp_path: Path
) -> None:
    out = tmp_path / "search.jsonl"
    await ExportRun(client, _job(RESOURCES["search"], out)).run()
    hits = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    total = fake.state.catalog  # every visible project and fundraising event is a hit
    assert len(hits) == len(total.projects()) + len(total.events())


@pytest.mark.parametrize("every", [0.0, 1.0])
async def test_checkpoints_are_saved_at_most_every_so_many_seconds(
    client: BetterplaceClient, tmp_path: Path, every: float
) -> None:
    # The run's clock never moves: with an interval of 0 each page is checkpointed, with
    # one second none is until the run ends (and a finished run removes its checkpoint).
    out = tmp_path / "donations.jsonl"
    job = _job(RESOURCES["client-donations"], out, per_page=200, limit=600,
               checkpoint_every=every)  # fmt: skip
    seen: list[tuple[int, int]] = []  # (records in the checkpoint, records written)

    def on_page(run: ExportRun) -> None:
        saved = json.loads(checkpoint_path(out).read_text())["records"]
        seen.append((saved, run.records))

    await ExportRun(client, job, on_page=on_page, clock=lambda: 0.0).run()
    assert len(seen) >= 3
    assert seen[-1][1] == 600
    if every == 0:
        assert all(saved == written for saved, written in seen)
    else:
        assert all(saved == 0 for saved, _ in seen)
    assert not checkpoint_path(out).exists()
