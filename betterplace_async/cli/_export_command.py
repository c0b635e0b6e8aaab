"""``betterplace export RESOURCE``: the command around :mod:`._export`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from betterplace_async.cli._common import Interrupted, run
from betterplace_async.cli._export import CHECKPOINT_EVERY, ExportJob, ExportRun, Format
from betterplace_async.cli._progress import Progress, duration
from betterplace_async.cli._resources import OPTIONS, RESOURCES, resource_params
from betterplace_async.cli.options import (
    Connection,
    concurrency_option,
    connection_options,
    open_client,
)

__all__ = ["export"]


def _pairs(*, direction: bool = False) -> Any:
    """Check ``KEY:VALUE`` options; for ``--order`` the value is a direction, ASC or DESC."""

    def convert(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
        pairs = []
        for value in values:
            key, sep, rest = value.partition(":")
            if not sep or not key or not rest:
                raise click.BadParameter(f"expected KEY:VALUE, got {value!r}", ctx, param)
            if direction and rest.upper() not in ("ASC", "DESC"):
                raise click.BadParameter(f"direction must be ASC or DESC, got {rest!r}", ctx, param)
            pairs.append((key, rest.upper() if direction else rest))
        return pairs

    return convert


def _resource_table() -> str:
    width = max(len(name) for name in RESOURCES)
    return "\n".join(
        f"{name:<{width}}  {spec.help}{' [client API]' if spec.client_api else ''}"
        for name, spec in RESOURCES.items()
    )


HELP = f"""Stream every record of a list endpoint to a file or stdout.

Pages are read concurrently and written in list order: JSONL holds each record as the API
sent it, CSV flattens it into columns.

With --out FILE a checkpoint FILE.checkpoint.json is kept while the export runs. After an
interruption (Ctrl-C, a crash, a lost connection) run the same command with --resume: the
file is cut back to its last complete record and the export goes on from there.

\b
Resources:
{_resource_table()}

\b
Examples:
  betterplace export client-donations --out donations.jsonl
  betterplace export client-donations --out donations.jsonl --resume
  betterplace export projects --facet completed:false --order rank:DESC --out p.csv
  betterplace export opinions --project-id 1114 --limit 500
"""

_ID = click.IntRange(min=1)


@click.command(help=HELP, short_help="Stream every record of a list endpoint to JSONL or CSV.")
@click.argument("resource", metavar="RESOURCE", type=click.Choice(list(RESOURCES)))
@click.option("--out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              metavar="FILE", help="Output file (default, or '-': stdout).")  # fmt: skip
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    help="Default: csv when FILE ends in .csv, else jsonl.",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted export into FILE.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Draw a progress bar on stderr, or print nothing there (default: a bar on a "
    "terminal, else one summary line).",
)
@click.option("--per-page", type=click.IntRange(1, 200), default=200, show_default=True,
              metavar="N", help="Records per page.")  # fmt: skip
@click.option("--concurrency", callback=lambda _c, _p, v: concurrency_option(v), default="auto",
              show_default=True,
              metavar="auto|N", help="Pages read at once: auto adapts to the server.")  # fmt: skip
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Stop after N records.")
@click.option("--checkpoint-every", type=click.FloatRange(min=0), default=CHECKPOINT_EVERY,
              show_default=True, metavar="SECONDS",
              help="Save the checkpoint of FILE at most this often (each save syncs FILE to "
              "disk); 0: after every page.")  # fmt: skip
@click.option("--facet", "facets", metavar="KEY:VALUE", multiple=True, callback=_pairs(),
              help="Filter, e.g. completed:false (repeatable).")  # fmt: skip
@click.option("--order", metavar="KEY:DIR", multiple=True, callback=_pairs(direction=True),
              help="Sort, e.g. rank:DESC (repeatable).")  # fmt: skip
@click.option("--query", "-q", "q", metavar="TEXT", help="Full-text search.")
@click.option("--scope", type=click.Choice(["location", "human_name"]),
              help="What --query searches.")  # fmt: skip
@click.option("--around", metavar="PLACE", help="Projects near a place.")
@click.option("--around-distance", metavar="DIST", help="Radius for --around, e.g. 25km.")
@click.option(OPTIONS["project_id"], type=_ID, metavar="ID")
@click.option(OPTIONS["fundraising_event_id"], type=_ID, metavar="ID")
@click.option(OPTIONS["organisation_id"], type=_ID, metavar="ID")
@click.option(OPTIONS["matching_fund_id"], type=_ID, metavar="ID")
@click.option("--slug", help="Tag slug (client-tag-projects).")
@click.option("--client-reference", metavar="REF", help="One client donation.")
@connection_options
def export(
    resource: str,
    out: Path | None,
    fmt: Format | None,
    resume: bool,
    progress: bool | None,
    per_page: int,
    concurrency: int | str,
    limit: int | None,
    checkpoint_every: float,
    conn: Connection,
    **given: Any,
) -> int:
    spec = RESOURCES[resource]
    params = resource_params(spec, given)
    if spec.client_api:
        conn.require_client_api(f"export {spec.name}")
    out = None if out is None or str(out) == "-" else out
    job = ExportJob(
        resource=spec,
        params=params,
        fmt=fmt or ("csv" if out is not None and out.suffix.lower() == ".csv" else "jsonl"),
        out=out,
        api={
            "base_url": conn.base_url,
            "locale": conn.locale,
            "client_id": conn.client_id if spec.client_api else None,
        },
        per_page=per_page,
        concurrency=concurrency,
        limit=limit,
        resume=resume,
        checkpoint_every=checkpoint_every,
    )
    return run(_export(conn, job, progress))


async def _export(conn: Connection, job: ExportJob, show: bool | None) -> int:
    """Run the export; ``show``: True a bar, False nothing, None a bar on a terminal."""
    async with open_client(conn, concurrency=job.concurrency) as client:
        console = Console(stderr=True, force_terminal=show or None)
        progress = None if show is False else Progress(job.resource.name, console)
        export = ExportRun(client, job, progress=progress)
        try:
            await export.run()
        except BaseException as exc:
            if progress is not None:
                progress.clear()  # the error is the one line left
            if isinstance(exc, asyncio.CancelledError):
                raise Interrupted(f"interrupted; {export.resume_hint()}") from None
            raise
    if progress is not None:
        where = f" to {job.out}" if job.out is not None else ""
        progress.finish(
            f"exported {export.records:,} {job.resource.name} records{where} in "
            f"{duration(progress.elapsed)} ({progress.rate:,.0f} records/s)"
        )
    if export.flattener is not None and export.flattener.left_out:
        fields = ", ".join(sorted(export.flattener.left_out)[:10])
        click.echo(
            f"betterplace: note: fields the CSV has no column for were left out: {fields} "
            "(--format jsonl keeps everything)",
            err=True,
        )
    return 0
