"""``betterplace serve-fake``: the fake betterplace API in the foreground."""

from __future__ import annotations

import asyncio
from typing import Any

import click

from betterplace_async.cli._common import CommandError
from betterplace_async.cli.options import debug_option

__all__ = ["serve_fake"]

_COUNT = click.IntRange(min=0)


@click.command("serve-fake", short_help="Serve the fake betterplace API on loopback.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port; 0 picks a free one.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generated data.")
@click.option("--projects", type=_COUNT, default=40, show_default=True)
@click.option("--client-donations", type=_COUNT, default=250, show_default=True)
@click.option("--order", "client_donations_order", show_default=True,
              type=click.Choice(["newest_first", "oldest_first"]), default="newest_first",
              help="Order of the client donations list.")  # fmt: skip
@click.option("--latency", type=click.FloatRange(min=0), default=0.0, metavar="SECONDS",
              help="Delay added per request.")  # fmt: skip
@click.option("--processing-delay", type=click.FloatRange(min=0), default=0.0,
              metavar="SECONDS", help="Time until a pledge is confirmed or failed.")  # fmt: skip
@click.option("--fault-rate", type=click.FloatRange(0, 1), default=0.0,
              help="Share of requests answered 500/502/503.")  # fmt: skip
@click.option("--hold-after-pages", type=_COUNT, default=None, metavar="N",
              help="Answer the first N pages of every list and hold later pages until "
              "SIGUSR1 (one more page) or SIGUSR2 (all).")  # fmt: skip
@debug_option
def serve_fake(**settings: Any) -> int:
    """Serve the fake betterplace API on loopback (for tests and trying things out).

    Prints one line BASE_URL=... CLIENT_ID=... USERNAME=... PASSWORD=... once it serves;
    stops cleanly (exit status 0) on Ctrl-C or SIGTERM.
    """
    from betterplace_async.testing.serve import serve  # the fake server is only needed here

    try:
        asyncio.run(serve(**settings))
    except OSError as exc:
        raise CommandError(
            f"cannot serve on {settings['host']}:{settings['port']}: {exc}"
        ) from None
    return 0
