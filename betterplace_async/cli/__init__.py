"""The ``betterplace`` command."""

from __future__ import annotations

import sys
from collections.abc import Sequence

USAGE = """usage: betterplace COMMAND [OPTIONS]

commands:
  serve-fake   run the fake betterplace API on loopback (for tests and demos)

Run 'betterplace COMMAND --help' for a command's options.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(USAGE)
        return 0
    command, rest = args[0], args[1:]
    if command == "serve-fake":
        from ..testing.serve import main as serve_main

        return serve_main(rest)
    sys.stderr.write(f"betterplace: unknown command {command!r}\n{USAGE}")
    return 2
