"""``betterplace export client-donations`` while the list changes, in both list orders.

An in-process fake serves 20,000 donations newest first or oldest first; after every served
page a donation arrives at the newest end and another is revoked, and one request in ten
fails. The file must hold every donation present for the whole run exactly once, each as
the server sent it, in the list's order.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from betterplace_async.testing import Churn, FakeBetterplace
from betterplace_async.testing.render import Renderer
from betterplace_async.testing.render.common import Urls

from ._helpers import fake_env, run_cli_async

# Faults that make the command retry without waiting on a real clock for long.
FAULTS = ("500", "502", "503", "reset_before", "reset_after", "truncated", "invalid_json")


@pytest.mark.parametrize("order", ["newest_first", "oldest_first"])
async def test_export_holds_every_lasting_donation_once(order: str, tmp_path: Path) -> None:
    out = tmp_path / "donations.jsonl"
    async with FakeBetterplace(
        seed=21,
        client_donations=20_000,
        client_donations_order=order,  # type: ignore[arg-type]
    ) as fake:
        before = list(fake.client_donation_tokens())
        fake.client_donations_churn = Churn(inserts=1, revokes=1)
        fake.faults.set_rate(0.10, kinds=FAULTS, path="client_donations")
        result = await run_cli_async(
            "export", "client-donations", "--out", str(out), "--concurrency", "16",
            "--retries", "10", env=fake_env(fake),
        )  # fmt: skip
        fake.faults.set_rate(0.0)
        fake.client_donations_churn = Churn()
        after = list(fake.client_donation_tokens())
        faulted = sum(1 for request in fake.requests if request.fault)
        urls = Urls(fake.base_url, "de")
        render = Renderer(fake.state.catalog, fake.client_id).client
        sent = {}
        for token in after:
            facts = fake.state.donations.find(token)
            assert facts is not None
            sent[token] = render.client_donation(facts, urls)

    assert result.code == 0, result.err
    assert faulted > 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    tokens = [record["token"] for record in records]
    lasting = set(before) & set(after)  # a revoked donation never comes back
    assert len(lasting) < len(before)
    assert max(Counter(tokens).values()) == 1, "a donation was written twice"
    assert lasting <= set(tokens), f"{len(lasting - set(tokens))} donation(s) lost"
    assert [t for t in tokens if t in lasting] == [t for t in after if t in lasting]
    changed = [r["token"] for r in records if r["token"] in sent and r != sent[r["token"]]]
    assert changed == []  # each record exactly as the server renders it
