"""What every subcommand shares: the parser, connection options, running, exit codes.

Exit codes: 0 done, 1 API, network or I/O failure, 2 bad usage (options, input files,
values the SDK refuses before sending anything), 130 interrupted (Ctrl-C or SIGTERM).
Every failure is reported as one line on stderr; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Coroutine
from typing import Any, Final, NoReturn, TypeVar

import attrs

from .. import _protocol
from .._retry import RetryPolicy
from ..client import BetterplaceClient
from ..errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BetterplaceError,
    InsecureTransportError,
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
    "Connection",
    "Interrupted",
    "Parser",
    "UsageError",
    "add_common_options",
    "add_connection_options",
    "connection_of",
    "describe",
    "open_client",
    "option_name",
    "run",
]

T = TypeVar("T")

EXIT_OK: Final = 0
EXIT_ERROR: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130

ENV_BASE_URL: Final = "BETTERPLACE_BASE_URL"
ENV_CLIENT_ID: Final = "BETTERPLACE_CLIENT_ID"
ENV_USERNAME: Final = "BETTERPLACE_USERNAME"
ENV_PASSWORD: Final = "BETTERPLACE_PASSWORD"


class UsageError(Exception):
    """The command line or an input file is wrong; nothing was sent. Exit status 2."""


class CommandError(Exception):
    """A failure the command explains in its own words. Exit status 1."""


class Interrupted(Exception):
    """Ctrl-C or SIGTERM stopped the command; the message says what was kept. Exit 130."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors become one-line :class:`UsageError` messages."""

    def error(self, message: str) -> NoReturn:
        """Raise instead of printing the usage block and exiting."""
        raise UsageError(f"{message} (see '{self.prog} --help')")


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--debug`` (tracebacks and SDK debug logging on stderr)."""
    parser.add_argument(
        "--debug",
        action="store_true",
        help="on failure print the traceback; log the SDK's requests on stderr",
    )


def add_connection_options(parser: argparse.ArgumentParser, *, client_api: bool = True) -> None:
    """Add the options that say which API to talk to and, for the client API, as whom."""
    group = parser.add_argument_group(
        "connection",
        "Credentials are best passed through the environment: options show up in process lists.",
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        help=f"API origin (env {ENV_BASE_URL}; default {_protocol.DEFAULT_BASE_URL})",
    )
    group.add_argument(
        "--locale", choices=("de", "en"), default="de", help="content language (default: de)"
    )
    group.add_argument(
        "--retries",
        type=_retries,
        metavar="N",
        help="tries again after a failed request at most N times, with growing waits "
        "(default 7; 0 turns retries off)",
    )
    if client_api:
        group.add_argument("--client-id", metavar="ID", help=f"client id (env {ENV_CLIENT_ID})")
        group.add_argument(
            "--username", metavar="NAME", help=f"client API user (env {ENV_USERNAME})"
        )
        group.add_argument(
            "--password", metavar="SECRET", help=f"client API password (env {ENV_PASSWORD})"
        )


def _retries(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


@attrs.frozen
class Connection:
    """Where to send requests and with which credentials (the password never shows)."""

    base_url: str
    locale: str
    client_id: str | None = None
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    retries: int | None = None

    @property
    def has_client_api(self) -> bool:
        """Whether client id, username and password are all known."""
        return bool(self.client_id and self.username and self.password)


def _given(value: object, env: str) -> str | None:
    if isinstance(value, str) and value:
        return value
    return os.environ.get(env) or None


def connection_of(args: argparse.Namespace, *, client_api: bool, what: str) -> Connection:
    """Collect the connection from options and environment.

    With ``client_api`` every client credential must be known, or a :class:`UsageError`
    names what is missing (``what`` says which command needs them).
    """
    conn = Connection(
        base_url=_given(getattr(args, "base_url", None), ENV_BASE_URL)
        or str(_protocol.DEFAULT_BASE_URL),
        locale=getattr(args, "locale", "de"),
        client_id=_given(getattr(args, "client_id", None), ENV_CLIENT_ID),
        username=_given(getattr(args, "username", None), ENV_USERNAME),
        password=_given(getattr(args, "password", None), ENV_PASSWORD),
        retries=getattr(args, "retries", None),
    )
    if client_api and not conn.has_client_api:
        missing = [
            f"--{name.replace('_', '-')} (or {env})"
            for name, env in (
                ("client_id", ENV_CLIENT_ID),
                ("username", ENV_USERNAME),
                ("password", ENV_PASSWORD),
            )
            if not getattr(conn, name)
        ]
        raise UsageError(f"{what} uses the client API and needs {', '.join(missing)}")
    return conn


def open_client(conn: Connection, *, concurrency: int = 8) -> BetterplaceClient:
    """Build a client for ``conn``; a bad URL or locale is a usage error."""
    auth = (conn.username, conn.password) if conn.username and conn.password else None
    try:
        return BetterplaceClient(
            base_url=conn.base_url,
            locale="en" if conn.locale == "en" else "de",
            client_id=conn.client_id,
            auth=auth,
            concurrency=concurrency,
            max_concurrency=max(16, concurrency),
            retry=None if conn.retries is None else RetryPolicy(max_attempts=conn.retries + 1),
        )
    except InsecureTransportError as exc:
        raise UsageError(f"--base-url: {exc}") from None
    except InvalidParameterError as exc:
        raise UsageError(f"{option_name(exc.parameter)}: {exc.problem}") from None


_OPTION_NAMES: Final = {"facets": "--facet", "auth": "--username/--password"}


def option_name(parameter: str) -> str:
    """Return the command-line spelling of an SDK parameter (``per_page`` -> ``--per-page``)."""
    if parameter in _OPTION_NAMES:
        return _OPTION_NAMES[parameter]
    if parameter.replace("_", "").isalnum():
        return "--" + parameter.replace("_", "-")
    return parameter


def _one_line(text: str) -> str:
    return " ".join(text.split())


def describe(exc: BaseException) -> tuple[int, str]:
    """Return the exit status and the one-line message for a failure."""
    notes = "; ".join(getattr(exc, "__notes__", ()))
    code, message = _classify(exc)
    if notes:
        message = f"{message}; {notes}"
    return code, _one_line(message)


def _classify(exc: BaseException) -> tuple[int, str]:
    if isinstance(exc, UsageError):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, Interrupted | KeyboardInterrupt):
        return EXIT_INTERRUPTED, str(exc) or "interrupted"
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
    if isinstance(exc, BetterplaceError | CommandError):
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
    return asyncio.run(_stop_on_sigterm(main))


def stderr_is_terminal() -> bool:
    """Tell whether stderr is an interactive terminal (progress is shown only then)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
