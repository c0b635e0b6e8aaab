"""The ``betterplace`` command group: every command is one ``cli.add_command`` line below.

:func:`run_main` runs it the way the console script does and keeps the exit-status
contract: 0 done, 1 failed or unsettled, 2 usage or bad input, 130 interrupted. Failures
print one line ``betterplace: error: ...`` on stderr; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

import click

from betterplace_async import __version__
from betterplace_async.cli._common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, describe
from betterplace_async.cli._demo import demo
from betterplace_async.cli._export_command import export
from betterplace_async.cli._pledges import pledge, pledges
from betterplace_async.cli._serve import serve_fake
from betterplace_async.cli.options import Settings
from betterplace_async.cli.sync import sync

__all__ = ["cli", "run_main"]

EPILOG = """\b
Environment:
  BETTERPLACE_BASE_URL   API origin (default https://api.betterplace.org)
  BETTERPLACE_CLIENT_ID  client id for the client API
  BETTERPLACE_USERNAME   client API user
  BETTERPLACE_PASSWORD   client API password (never printed or logged)

\b
Exit status:
  0    done
  1    the API or the network failed, a file could not be written, or pledges did not settle
  2    usage error: bad options or input, nothing was sent
  130  interrupted (Ctrl-C or SIGTERM); what was done so far is kept

Run 'betterplace COMMAND --help' for a command's options.
"""


@click.group(epilog=EPILOG, no_args_is_help=False)
@click.version_option(__version__, prog_name="betterplace", message="%(prog)s %(version)s")
def cli() -> None:
    """Command line for the betterplace.org API v4, built on the betterplace_async SDK.

    Start with 'betterplace demo': it runs everything below against a fake API on this
    machine.
    """


cli.add_command(export)
cli.add_command(pledge)
cli.add_command(pledges)
cli.add_command(demo)
cli.add_command(serve_fake)
cli.add_command(sync)


def run_main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status."""
    settings = Settings()
    try:
        status = cli.main(
            args=list(sys.argv[1:] if argv is None else argv),
            prog_name="betterplace",
            standalone_mode=False,
            obj=settings,
        )
    except BrokenPipeError:
        # stdout was closed early (e.g. piped into `head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except (Exception, KeyboardInterrupt, click.Abort) as exc:
        code, message = describe(exc)
        if settings.debug:
            traceback.print_exc()
        kind = "" if code == EXIT_INTERRUPTED else "error: "
        click.echo(f"betterplace: {kind}{message}", err=True)
        return code
    return status if isinstance(status, int) else EXIT_OK
