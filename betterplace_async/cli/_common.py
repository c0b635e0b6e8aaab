"""What every command shares: its errors, exit statuses, and running a coroutine.

Exit statuses: 0 done, 1 API, network or I/O failure (or pledges left unsettled), 2 bad
usage (options, input files, values the SDK refuses before sending anything), 130
interrupted (Ctrl-C or SIGTERM). Every failure is one line on stderr; ``--debug`` adds the
traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Coroutine
from typing import Any, Final, TypeVar

import click

from betterplace_async.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BetterplaceError,
    InvalidParameterError,
    NotFoundError,
    PermissionDeniedError,
    TransportError,
)

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "CommandError",
    "Interrupted",
    "UsageError",
    "describe",
    "option_name",
    "run",
]

T = TypeVar("T")

EXIT_OK: Final = 0
EXIT_ERROR: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130


class UsageError(click.ClickException):
    """The command line or an input file is wrong; nothing was sent. Exit status 2."""

    exit_code = EXIT_USAGE


class CommandError(click.ClickException):
    """A failure the command explains in its own words. Exit status 1."""

    exit_code = EXIT_ERROR


class Interrupted(click.ClickException):
    """Ctrl-C or SIGTERM stopped the command; the message says what was kept. Exit 130."""

    exit_code = EXIT_INTERRUPTED


_OPTION_NAMES: Final = {"facets": "--facet", "auth": "--username/--password"}


def option_name(parameter: str) -> str:
    """Return the command-line spelling of an SDK parameter (``per_page`` -> ``--per-page``)."""
    if parameter in _OPTION_NAMES:
        return _OPTION_NAMES[parameter]
    if parameter.replace("_", "").isalnum():
        return "--" + parameter.replace("_", "-")
    return parameter


def describe(exc: BaseException) -> tuple[int, str]:
    """Return the exit status and the one-line message (without prefix) for a failure."""
    notes = "; ".join(getattr(exc, "__notes__", ()))
    code, message = _classify(exc)
    if notes:
        message = f"{message}; {notes}"
    return code, " ".join(message.split())


def _usage_hint(exc: click.UsageError) -> str:
    path = exc.ctx.command_path if exc.ctx is not None else "betterplace"
    return f"{exc.format_message()} (see '{path} --help')"


def _classify(exc: BaseException) -> tuple[int, str]:
    if isinstance(exc, click.UsageError):  # click's own: bad options or arguments
        return EXIT_USAGE, _usage_hint(exc)
    if isinstance(exc, click.ClickException):
        return exc.exit_code, exc.format_message()
    if isinstance(exc, KeyboardInterrupt | click.Abort):
        return EXIT_INTERRUPTED, "interrupted"
    if isinstance(exc, InvalidParameterError):
        return EXIT_USAGE, f"{option_name(exc.parameter)}: {exc.problem}"
    if isinstance(exc, AuthenticationError):
        return EXIT_ERROR, f"{exc} (the API refused the username or password)"
    if isinstance(exc, PermissionDeniedError):
        return EXIT_ERROR, f"{exc} (the API wants client credentials here)"
    if isinstance(exc, NotFoundError):
        return EXIT_ERROR, f"{exc} (no such record, or outside the client's scope)"
    if isinstance(exc, APITimeoutError):
        return EXIT_ERROR, f"the API did not answer in time: {exc}"
    if isinstance(exc, APIConnectionError | TransportError):
        return EXIT_ERROR, f"cannot reach the API: {exc}"
    if isinstance(exc, BetterplaceError):
        return EXIT_ERROR, str(exc)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return EXIT_ERROR, f"{where}{exc.strerror or exc}"
    return EXIT_ERROR, f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)"


async def _stop_on_sigterm(main: Coroutine[Any, Any, T]) -> T:
    """Await ``main``; SIGTERM cancels it the way asyncio's Ctrl-C handling does."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    terminated = False

    def terminate() -> None:
        nonlocal terminated
        terminated = True
        if task is not None:
            task.cancel()

    installed = False
    with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
        loop.add_signal_handler(signal.SIGTERM, terminate)
        installed = True
    try:
        return await main
    except asyncio.CancelledError:
        if terminated:
            raise Interrupted("terminated") from None
        raise
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGTERM)


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine to completion in a fresh event loop."""
    try:
        return asyncio.run(_stop_on_sigterm(main))
    except KeyboardInterrupt:
        raise Interrupted("interrupted") from None
