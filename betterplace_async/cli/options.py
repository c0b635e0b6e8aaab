"""Options several commands share: which API to talk to, as whom, and ``--debug``.

``@connection_options`` adds ``--base-url``, ``--locale``, ``--retries``, ``--client-id``,
``--username`` and ``--password`` (each client setting also read from its
``BETTERPLACE_*`` environment variable) and hands the command one :class:`Connection`
as ``conn``. Any command, including one in another module, reuses it as it is.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, Final, Literal, TypeVar

import attrs
import click

from betterplace_async import DEFAULT_BASE_URL, DEFAULT_MAX_CONCURRENCY, RetryPolicy
from betterplace_async.cli._common import UsageError, option_name
from betterplace_async.client import BetterplaceClient
from betterplace_async.errors import InsecureTransportError, InvalidParameterError
from betterplace_async.events import EventHook

__all__ = ["Connection", "Settings", "connection_options", "debug_option", "open_client"]

F = TypeVar("F", bound=Callable[..., Any])

ENV: Final = {
    "client_id": "BETTERPLACE_CLIENT_ID",
    "username": "BETTERPLACE_USERNAME",
    "password": "BETTERPLACE_PASSWORD",
}


@attrs.define
class Settings:
    """What the command line learned before a command ran (read again when it fails)."""

    debug: bool = False


@attrs.frozen
class Connection:
    """Where to send requests and with which credentials (the password never shows)."""

    base_url: str = DEFAULT_BASE_URL
    locale: Literal["de", "en"] = "de"
    client_id: str | None = None
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    retries: int | None = None

    def require_client_api(self, what: str) -> None:
        """Raise :class:`UsageError` naming each missing client credential."""
        missing = [
            f"--{name.replace('_', '-')} (or {env})"
            for name, env in ENV.items()
            if not getattr(self, name)
        ]
        if missing:
            raise UsageError(f"{what} uses the client API and needs {', '.join(missing)}")


def _debug(ctx: click.Context, _: click.Parameter, value: bool) -> bool:
    if value:
        ctx.ensure_object(Settings).debug = True
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    return value


debug_option = click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_debug,
    help="On failure print the traceback; log the SDK's requests on stderr.",
)
"""``--debug``: tracebacks and the SDK's debug log on stderr."""

_CONNECTION_OPTIONS: Final = (
    click.option(
        "--base-url",
        metavar="URL",
        envvar="BETTERPLACE_BASE_URL",
        show_envvar=True,
        default=DEFAULT_BASE_URL,
        show_default=True,
        help="API origin.",
    ),
    click.option(
        "--locale",
        type=click.Choice(["de", "en"]),
        default="de",
        show_default=True,
        help="Content language.",
    ),
    click.option(
        "--retries",
        type=click.IntRange(min=0),
        metavar="N",
        help="Try a failed request again at most N times, with growing waits "
        "(default 7; 0 turns retries off).",
    ),
    click.option("--client-id", metavar="ID", envvar=ENV["client_id"], show_envvar=True),
    click.option("--username", metavar="NAME", envvar=ENV["username"], show_envvar=True),
    click.option(
        "--password",
        metavar="SECRET",
        envvar=ENV["password"],
        show_envvar=True,
        help="Never printed; best passed through the environment (options show in process lists).",
    ),
)


def connection_options(command: F) -> F:
    """Add the connection options; the command receives them as one ``conn`` argument."""

    @functools.wraps(command)
    def with_connection(*args: Any, **kwargs: Any) -> Any:
        conn = Connection(
            base_url=kwargs.pop("base_url"),
            locale=kwargs.pop("locale"),
            retries=kwargs.pop("retries"),
            **{name: kwargs.pop(name) or None for name in ENV},
        )
        return command(*args, conn=conn, **kwargs)

    wrapped: Any = with_connection
    for option in reversed(_CONNECTION_OPTIONS):
        wrapped = option(wrapped)
    return debug_option(wrapped)  # type: ignore[no-any-return]


def concurrency_option(value: str) -> int | str:
    """Read ``--concurrency``: ``auto`` (an adaptive window) or a whole number >= 1."""
    text = value.strip().lower()
    if text == "auto":
        return "auto"
    if not (text.isdigit() and int(text) >= 1):
        raise click.BadParameter(f"{value!r} is neither 'auto' nor a whole number >= 1")
    return int(text)


def open_client(
    conn: Connection, *, concurrency: int | str = "auto", on_event: EventHook | None = None
) -> BetterplaceClient:
    """Build a client for ``conn`` (``on_event``: its event hook); a bad URL or locale is a
    usage error."""
    auth = (conn.username, conn.password) if conn.username and conn.password else None
    try:
        return BetterplaceClient(
            base_url=conn.base_url,
            locale=conn.locale,
            client_id=conn.client_id,
            auth=auth,
            concurrency=concurrency,  # type: ignore[arg-type]  # "auto" or an int
            # the client-wide cap, unless --concurrency asks for more
            max_concurrency=max(DEFAULT_MAX_CONCURRENCY, concurrency)
            if isinstance(concurrency, int)
            else DEFAULT_MAX_CONCURRENCY,
            retry=None if conn.retries is None else RetryPolicy(max_attempts=conn.retries + 1),
            on_event=on_event,
        )
    except InsecureTransportError as exc:
        raise UsageError(f"--base-url: {exc}") from None
    except InvalidParameterError as exc:
        raise UsageError(f"{option_name(exc.parameter)}: {exc.problem}") from None
