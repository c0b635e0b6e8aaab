"""The ``betterplace`` command: export lists, submit pledges, run the demo or the fake API.

``main(argv)`` parses the command line, runs one subcommand and returns the exit status
(0 done, 1 API/network/I/O failure, 2 usage error, 130 interrupted). Failures are one line
on stderr; ``--debug`` adds the traceback. ``python -m betterplace_async`` is the same.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence

from ._common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    UsageError,
    describe,
)

__all__ = ["main"]

DESCRIPTION = """\
Command line for the betterplace.org API v4, built on the betterplace_async SDK.

Start with 'betterplace demo': it runs everything below against a fake API on this machine.
"""

EPILOG = """\
environment:
  BETTERPLACE_BASE_URL   API origin (default https://api.betterplace.org)
  BETTERPLACE_CLIENT_ID  client id for the client API
  BETTERPLACE_USERNAME   client API user
  BETTERPLACE_PASSWORD   client API password (never printed or logged)

exit status:
  0    done
  1    the API or the network failed, or a file could not be written
  2    usage error: bad options or input, nothing was sent
  130  interrupted (Ctrl-C or SIGTERM); what was done so far is kept

Run 'betterplace COMMAND --help' for a command's options.
"""


def _version() -> str:
    from .. import __version__

    return __version__


def build_parser() -> Parser:
    """Return the parser of the whole command line."""
    from . import _demo, _export, _pledges

    parser = Parser(
        prog="betterplace",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"betterplace {_version()}")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", required=True
    )
    _export.add_parser(commands)
    _pledges.add_parsers(commands)
    _demo.add_parser(commands)
    commands.add_parser(
        "serve-fake",
        help="serve the fake betterplace API on loopback (for tests and trying things out)",
        add_help=False,
    )
    return parser


def _serve_fake(argv: list[str]) -> int:
    from ..testing.serve import main as serve_main

    return serve_main(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve-fake"]:
        return _serve_fake(args[1:])
    parser = build_parser()
    try:
        namespace = parser.parse_args(args)
    except UsageError as exc:
        print(f"betterplace: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    debug = bool(getattr(namespace, "debug", False))
    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    try:
        status: int = namespace.handler(namespace)
    except BrokenPipeError:
        # stdout was closed early (e.g. piped into `head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except (Exception, KeyboardInterrupt) as exc:
        code, message = describe(exc)
        if debug:
            traceback.print_exc()
        kind = "" if code == EXIT_INTERRUPTED else "error: "
        print(f"betterplace: {kind}{message}", file=sys.stderr)
        return code
    return status
