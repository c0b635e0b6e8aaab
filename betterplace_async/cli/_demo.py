"""``betterplace demo``: the SDK's main jobs against an embedded fake API, in seconds.

It starts the fake betterplace API (``betterplace_async.testing``) on a loopback port with
seeded data, exports the client donations concurrently (interrupting the export half way
and resuming it, then checking the file against the server), submits a few donation
pledges and follows each until it settles, and prints the reconciliation CSV of the
confirmed ones. Nothing leaves the machine; it needs the ``[cli]`` extra only.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click
from rich.console import Console

from betterplace_async._engines.polling import PollPolicy
from betterplace_async.cli._common import run
from betterplace_async.cli._export import ExportJob, ExportRun
from betterplace_async.cli._progress import Progress, duration
from betterplace_async.cli._resources import RESOURCES, raw_identity
from betterplace_async.cli.options import debug_option
from betterplace_async.client import BetterplaceClient
from betterplace_async.models.requests import NewDonationPledge
from betterplace_async.models.submissions import SubmissionResult
from betterplace_async.reconciliation import render_csv
from betterplace_async.resources.pledges import POOL, Receiver

if TYPE_CHECKING:
    from betterplace_async.testing import FakeBetterplace

__all__ = ["Demo", "demo"]

DEMO_POLLS = PollPolicy(first_delay=0.25, interval=0.2, max_interval=0.5, min_interval=0.05)
DONORS = (
    ("Mira", "Weber", "Lindenstr. 4", "Leipzig", "04109"),
    ("Jonas", "Klein", "Am Markt 2", "Bremen", "28195"),
    ("Aylin", "Demir", "Ringstr. 17", "Köln", "50667"),
    ("Paul", "Schulz", "Hafenweg 9", "Kiel", "24103"),
    ("Lea", "Fischer", "Bergstr. 21", "Jena", "07743"),
)


@click.command(short_help="Show export and pledges end to end against a fake API.")
@click.option("--donations", type=click.IntRange(1, 5_000_000), default=20_000,
              show_default=True, metavar="N", help="Client donations the fake serves.")  # fmt: skip
@click.option("--latency", type=click.FloatRange(0, 1), default=0.004, show_default=True,
              metavar="SECONDS", help="Average delay the fake adds per request.")  # fmt: skip
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write the export and reconciliation files to DIR and keep them.")  # fmt: skip
@debug_option
def demo(donations: int, latency: float, keep: Path | None) -> int:
    """Show export and pledges end to end against an embedded fake API.

    Starts a fake betterplace API on this machine and shows the SDK's main jobs: a
    concurrent, resumable export with progress, and donation pledges followed until they
    settle. Needs no network and no credentials; takes a few seconds.
    """
    console = Console(soft_wrap=True, highlight=False)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return run(Demo(console, keep, donations, latency).run())
    with tempfile.TemporaryDirectory(prefix="betterplace-demo-") as temporary:
        return run(Demo(console, Path(temporary), donations, latency).run())


class Demo:
    """The demo's steps, printing to ``out`` (live progress only on a terminal)."""

    def __init__(self, out: Console, directory: Path, donations: int, latency: float) -> None:
        self.out = out
        self.directory = directory
        self.donations = donations
        self.latency = latency
        self.started = time.monotonic()

    def say(self, text: str = "") -> None:
        """Print one line."""
        self.out.print(text, markup=False)

    async def run(self) -> int:
        """Run every step; return the exit status."""
        self.say("betterplace demo: the SDK end to end against a fake betterplace API")
        self.say("(on this machine: no network, no credentials, nothing is really donated)")
        self.say()
        from betterplace_async.testing import FakeBetterplace  # the fake server is only needed here

        low, high = self.latency * 0.5, self.latency * 1.5
        async with FakeBetterplace(
            seed=1, client_donations=self.donations, latency=(low, high), processing_delay=0.3
        ) as fake:
            self.say(
                f"[1/4] fake API   {fake.base_url}  client {fake.client_id!r}, "
                f"{self.donations:,} client donations, {low * 1000:.0f}-{high * 1000:.0f} ms "
                "per request"
            )
            async with BetterplaceClient(
                base_url=fake.base_url,
                client_id=fake.client_id,
                auth=(fake.username, fake.password),
            ) as client:
                exported = await self.export(client, fake)
                settled = await self.pledges(client, fake)
        confirmed = sum(result.confirmed for result in settled)
        self.say(
            f"[4/4] summary    {exported:,} donations exported and checked; "
            f"{confirmed} of {len(settled)} pledges confirmed, "
            f"{len(settled) - confirmed} failed; {duration(time.monotonic() - self.started)} "
            "in all"
        )
        self.say()
        self.say("Next: keep a fake API running and use the same commands on it:")
        self.say("  betterplace serve-fake --client-donations 100000")
        self.say(
            "  BETTERPLACE_BASE_URL=http://127.0.0.1:PORT BETTERPLACE_CLIENT_ID=fake-client \\"
        )
        self.say("  BETTERPLACE_USERNAME=fake-user BETTERPLACE_PASSWORD=fake-password \\")
        self.say("    betterplace export client-donations --out donations.jsonl")
        self.say(
            "  betterplace export --help; betterplace pledge --help; betterplace pledges --help"
        )
        return 0

    # -- export ---------------------------------------------------------------------------

    async def export(self, client: BetterplaceClient, fake: FakeBetterplace) -> int:
        """Export the donations with an interruption in the middle; check the result."""
        path = self.directory / "client-donations.jsonl"
        for stale in (path, path.with_name(path.name + ".checkpoint.json")):
            stale.unlink(missing_ok=True)
        job = ExportJob(
            resource=RESOURCES["client-donations"],
            params={},
            fmt="jsonl",
            out=path,
            api={"base_url": fake.base_url, "locale": "de", "client_id": fake.client_id},
            concurrency=8,
        )
        self.say(f"[2/4] export     client donations -> {path.name}, 8 pages in flight")
        progress = Progress("        donations", self.out)
        stop_at = self.donations * 2 // 5
        first = ExportRun(client, job, progress=progress)
        task = asyncio.ensure_future(first.run())

        def interrupt(run: ExportRun) -> None:
            if run.records >= stop_at and stop_at > 0:
                task.cancel()

        first.on_page = interrupt
        try:
            await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the demo itself is being cancelled
        if first.finished:
            progress.finish(self._done(progress, first))
            records = first.records
        else:
            progress.clear()
            self.say(
                f"        stopped at {first.records:,} records ({first.pages} pages, "
                f"{progress.rate:,.0f} records/s) as Ctrl-C or a lost connection would; "
                "checkpoint saved"
            )
            again = Progress("        donations", self.out)
            second = ExportRun(client, _with(job, resume=True), progress=again)
            await second.run()
            again.finish("        resumed: " + self._done(again, second).strip())
            records = second.records
        tokens = list(fake.client_donation_tokens())
        self.say("        " + await asyncio.to_thread(self.check, path, tokens))
        await self.compare(client, job)
        return records

    @staticmethod
    def _done(progress: Progress, export: ExportRun) -> str:
        return (
            f"        {export.records:,} records in the file; this run: {export.written:,} "
            f"records, {export.pages} pages in {duration(progress.elapsed)}, "
            f"{progress.rate:,.0f} records/s"
        )

    @staticmethod
    def check(path: Path, expected: list[str]) -> str:
        """Compare the file with the fake's own list of donation tokens."""
        identity = raw_identity(RESOURCES["client-donations"].identity)
        with path.open(encoding="utf-8") as stream:
            exported = [identity(json.loads(line)) for line in stream]
        size = path.stat().st_size
        if exported == expected:
            return (
                f"checked: {len(exported):,} records ({size / 1e6:.1f} MB), each exactly once, "
                "in the API's order"
            )
        return f"MISMATCH: {len(exported):,} records exported, {len(expected):,} expected"

    async def compare(self, client: BetterplaceClient, job: ExportJob) -> None:
        """Show what reading pages concurrently buys, on the first 2,000 records."""
        sample = min(2_000, self.donations)
        rates = []
        for concurrency in (1, 8):
            path = self.directory / f"sample-{concurrency}.jsonl"
            path.unlink(missing_ok=True)
            sample_job = _with(job, out=path, limit=sample, concurrency=concurrency)
            started = time.monotonic()
            await ExportRun(client, sample_job).run()
            rates.append(sample / max(time.monotonic() - started, 1e-6))
            path.unlink(missing_ok=True)
        self.say(
            f"        first {sample:,} records: {rates[0]:,.0f} records/s one page at a time, "
            f"{rates[1]:,.0f} records/s with 8 in flight"
        )

    # -- pledges --------------------------------------------------------------------------

    async def pledges(
        self, client: BetterplaceClient, fake: FakeBetterplace
    ) -> list[SubmissionResult]:
        """Submit five pledges at once and follow each until it settles."""
        open_projects = fake.projects_where(in_client_scope=True, prohibited=False, closed=False)
        prohibited = fake.projects_where(in_client_scope=True, prohibited=True)
        receivers: list[Receiver] = [*open_projects[:3], POOL]
        receivers.append(prohibited[0] if prohibited else open_projects[3])
        batch = uuid.uuid4().hex[:6]
        items: list[tuple[Receiver, NewDonationPledge]] = []
        for number, (receiver, donor) in enumerate(zip(receivers, DONORS, strict=True), 1):
            first, last, street, city, zip_code = donor
            pledge = NewDonationPledge(
                amount_in_cents=(1000, 2500, 5000, 2000, 1500)[number - 1],
                client_reference=f"demo-{batch}-{number}",
                first_name=first,
                last_name=last,
                email=f"{first.lower()}@example.org",
                street=street,
                city=city,
                zip=zip_code,
                country_code="DE",
            )
            items.append((receiver, pledge))
        # Show how a refusal is reported: the fake is told to refuse the last pledge.
        fake.fail_pledge(
            items[-1][1].client_reference,
            "receiver_prohibited_from_receiving_donations",
            "the demo asked the fake to refuse this pledge",
        )
        self.say(
            f"[3/4] pledges    {len(items)} donation pledges sent at once, each followed until "
            "it settles"
        )
        pledges = client.clients.pledges
        settled: list[SubmissionResult] = []
        started = time.monotonic()
        async with pledges.submit_many(items, deadline=30, policy=DEMO_POLLS) as stream:
            async for result in stream:
                settled.append(result)
                where = "the pool" if result.to_pool else f"project {result.project_id}"
                detail = f"  ({result.failure_code})" if result.failed else ""
                self.say(
                    f"        {result.state or 'error':<9} {result.client_reference}  "
                    f"{result.amount_in_cents / 100:>6.2f} EUR -> {where} after "
                    f"{time.monotonic() - started:.1f}s{detail}"
                )
        confirmed = [result for result in settled if result.confirmed]
        pool_id = (await client.clients.pool()).id
        text = render_csv(confirmed, pool_id=pool_id)
        path = self.directory / "reconciliation.csv"
        path.write_text(text, encoding="utf-8", newline="")
        self.say(f"        {path.name} ({len(confirmed)} confirmed; sent to betterplace.org):")
        for line in text.splitlines():
            self.say(f"          {line}")
        return settled


def _with(job: ExportJob, **changes: Any) -> ExportJob:
    return attrs.evolve(job, **changes)
