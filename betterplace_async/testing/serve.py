"""Run the fake server in the foreground: ``python -m betterplace_async.testing.serve``.

Prints one line ``BASE_URL=... CLIENT_ID=... USERNAME=... PASSWORD=...`` once it serves and
stops cleanly (exit status 0) on SIGINT or SIGTERM. With ``--hold-after-pages N`` it answers the
first N pages of every list and holds requests for later pages: SIGUSR1 lets one more page
through, SIGUSR2 lifts the hold.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import Any

from betterplace_async.testing.fake import FakeBetterplace


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="betterplace serve-fake", description="Serve a fake betterplace.org API v4."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    parser.add_argument("--projects", type=int, default=40, help="number of projects")
    parser.add_argument(
        "--client-donations", type=int, default=250, help="number of client donations"
    )
    parser.add_argument(
        "--order",
        dest="client_donations_order",
        choices=("newest_first", "oldest_first"),
        default="newest_first",
        help="order of the client donations list (default: newest_first)",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument(
        "--processing-delay",
        type=float,
        default=0.0,
        help="seconds until a pledge is confirmed or failed",
    )
    parser.add_argument(
        "--capacity", type=int, default=None, help="requests served at once (default: no limit)"
    )
    parser.add_argument(
        "--queue-limit",
        type=int,
        default=None,
        help="requests waiting beyond --capacity before 503s (default: no limit)",
    )
    parser.add_argument(
        "--service-time",
        type=float,
        default=0.0,
        help="seconds each request holds its place within --capacity",
    )
    parser.add_argument(
        "--hold-after-pages",
        type=int,
        default=None,
        metavar="N",
        help="hold list pages after page N (SIGUSR1: one more page, SIGUSR2: all)",
    )
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of requests answered 500/502/503"
    )
    return parser


async def serve(*, hold_after_pages: int | None = None, **settings: Any) -> None:
    """Serve a fake made with ``settings`` (``FakeBetterplace``'s options) until SIGINT/SIGTERM.

    ``hold_after_pages`` holds list pages after that page (see ``FakeBetterplace.hold_after``);
    SIGUSR1 then lets one more page through and SIGUSR2 lifts the hold.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    fake = FakeBetterplace(**settings)
    if hold_after_pages is not None:
        fake.hold_after(hold_after_pages)
    handlers = {
        signal.SIGINT: stop.set,
        signal.SIGTERM: stop.set,
        signal.SIGUSR1: lambda: fake.release(1),
        signal.SIGUSR2: fake.release,
    }
    for signum, handler in handlers.items():
        loop.add_signal_handler(signum, handler)
    try:
        async with fake:
            line = (
                f"BASE_URL={fake.base_url} CLIENT_ID={fake.client_id} "
                f"USERNAME={fake.username} PASSWORD={fake.password}"
            )
            print(line, flush=True)
            await stop.wait()
    finally:
        for signum in handlers:
            loop.remove_signal_handler(signum)


def main(argv: list[str] | None = None) -> int:
    """Run ``betterplace serve-fake``; return the exit status."""
    args = _parser().parse_args(argv)
    if not 0.0 <= args.fault_rate <= 1.0:
        print("error: --fault-rate must be between 0 and 1", file=sys.stderr)
        return 2
    if args.hold_after_pages is not None and args.hold_after_pages < 0:
        print("error: --hold-after-pages must not be negative", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(**vars(args)))
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
