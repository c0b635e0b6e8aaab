"""The ``betterplace`` command."""

from __future__ import annotations

import sys
from collections.abc import Sequence

USAGE = """usage: betterplace COMMAND [OPTIONS]

commands: (the export, pledge, demo and serve-fake commands are being built)

Run 'betterplace COMMAND --help' for a command's options.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(USAGE)
        return 0
    command = args[0]
    sys.stderr.write(f"betterplace: unknown command {command!r}\n{USAGE}")
    return 2
