"""The ``betterplace`` command: export lists, submit pledges, run the demo or the fake API.

It needs the ``[cli]`` extra (click and rich). This module imports neither, so that
``main()`` can say so in one line when they are missing; the commands themselves are in
:mod:`betterplace_async.cli.commands`. ``python -m betterplace_async`` is the same command.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

MISSING_EXTRA = (
    "betterplace: the command line needs the [cli] extra: "
    "pip install 'betterplace_async[cli]' (missing: {name})"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status (2 without the extra)."""
    try:
        import click  # noqa: F401
        import rich  # noqa: F401
    except ImportError as exc:
        print(MISSING_EXTRA.format(name=exc.name or "click/rich"), file=sys.stderr)
        return 2
    from betterplace_async.cli.commands import run_main

    return run_main(argv)
