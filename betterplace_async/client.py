"""``BetterplaceClient``: configuration, lifecycle and the resource namespaces."""

from __future__ import annotations

import asyncio
import copy
import time
import warnings
from collections.abc import Awaitable, Callable
from functools import cached_property
from types import TracebackType
from typing import Any, Final, Literal, Unpack

import aiohttp
import cattrs
from yarl import URL

from . import _params, _protocol
from ._auth import Credentials
from ._cache import ETagCache
from ._converter import make_converter
from ._engines.window import Concurrency, concurrency_arg
from ._limiter import DEFAULT_MAX_CONCURRENCY, Limiter
from ._requester import Requester
from ._retry import RetryPolicy
from ._transport import Timeouts, Transport
from .errors import ClientStateError, InvalidParameterError
from .events import EventHook, guarded
from .models.common import Link
from .resources._base import Listing, Namespace, PageOptions
from .resources.blog_posts import BlogPosts
from .resources.categories import Categories
from .resources.clients import ClientAPI
from .resources.fundraising_events import FundraisingEvents
from .resources.links import Links
from .resources.matching_funds import MatchingFunds
from .resources.needs import Needs
from .resources.opinions import Opinions
from .resources.organisations import Organisations
from .resources.pictures import Pictures
from .resources.projects import Projects
from .resources.search import Search
from .resources.users import Users

__all__ = ["BetterplaceClient"]

DEFAULT_MAX_RESPONSE_BYTES: Final = 32 * 1024 * 1024

State = Literal["unopened", "open", "closed"]


class BetterplaceClient:
    """An asyncio client for the betterplace.org API v4.

    Use it as ``async with BetterplaceClient(...) as client:`` or call :meth:`open` and
    :meth:`close` yourself (e.g. in a web app's startup and shutdown hooks). A client is
    opened once; after :meth:`close` it refuses further use.

    Every request of the client shares one limiter: at most ``max_concurrency`` in flight and,
    if set, ``rate_limit`` requests per second; overload answers (429, 503) pause them all.
    Every argument is checked here, before any request.

    Args:
        base_url: The API origin, optionally with a path prefix. Plain ``http`` is refused
            together with credentials unless the host is loopback.
        locale: Content language of the answers, ``"de"`` or ``"en"``.
        client_id: Your client's id from the betterplace contract; scopes
            :attr:`clients`. Needed only for the client API.
        auth: ``(username, password)`` or :class:`Credentials` for the client API (HTTP Basic
            auth). Sent only to ``base_url``'s origin, never shown in ``repr``, logs or
            errors.
        session: An open ``aiohttp.ClientSession`` to borrow (and share its connection pool).
            The client never closes a session it did not create; without one it creates and
            closes its own.
        timeouts: Per-request time limits (default: :class:`Timeouts` ``()``, 10 s to
            connect, 60 s in total).
        retry: When and how long to retry failed requests (default: :class:`RetryPolicy`
            ``()``).
        max_response_bytes: Largest response body accepted, in bytes (default 32 MiB); a
            larger one raises ``ResponseTooLargeError`` instead of filling memory.
        converter: The cattrs converter that turns JSON into models (default: a fresh one
            from :func:`make_converter`). Pass ``make_converter(strict=True)`` in tests to
            make unknown fields an error.
        user_agent: The ``User-Agent`` header (default ``betterplace_async/<version>``).
        max_concurrency: Requests in flight across the whole client, at most.
        rate_limit: Requests started per second, spaced evenly; ``None`` for no pacing.
        concurrency: Default number of pages one list reads at once: ``"auto"`` (the
            default) adapts it to the server's answers, up to ``max_concurrency``; an int
            fixes it.
        etag_cache: ``True`` (or an :class:`ETagCache` to share) turns on conditional GETs:
            a 304 answer is served from the cache.
        on_event: Called synchronously with every event of
            :mod:`betterplace_async.events`; exceptions it raises are logged and ignored.
        sleep: Coroutine function used for every wait (backoff, polling, pacing); inject a
            fake in tests so they never wait for real.
        clock: Monotonic clock in seconds, paired with ``sleep``.

    Raises:
        InvalidParameterError: An argument is out of range or of the wrong type.
        InsecureTransportError: Credentials would be sent over plain ``http`` to a host
            that is not loopback.
    """

    def __init__(
        self,
        *,
        base_url: str | URL = _protocol.DEFAULT_BASE_URL,
        locale: _params.Locale = "de",
        client_id: str | None = None,
        auth: tuple[str, str] | Credentials | None = None,
        session: aiohttp.ClientSession | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        converter: cattrs.Converter | None = None,
        user_agent: str | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        rate_limit: float | None = None,
        concurrency: Concurrency = "auto",
        etag_cache: ETagCache | bool = False,
        on_event: EventHook | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._credentials = Credentials.coerce(auth)
        self._base_url = _protocol.parse_base_url(
            base_url, has_credentials=self._credentials is not None
        )
        self._locale = _params.locale(locale)
        self._client_id = None if client_id is None else _params.segment(client_id, "client_id")
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise InvalidParameterError(
                "session", f"must be an aiohttp.ClientSession, got {type(session).__name__}"
            )
        if timeouts is not None and not isinstance(timeouts, Timeouts):
            raise InvalidParameterError("timeouts", "must be a Timeouts instance")
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise InvalidParameterError("retry", "must be a RetryPolicy instance")
        if (
            isinstance(max_response_bytes, bool)
            or not isinstance(max_response_bytes, int)
            or max_response_bytes < 1
        ):
            raise InvalidParameterError("max_response_bytes", "must be a positive int")
        self._session = session
        self._owns_session = session is None
        self._timeouts = timeouts or Timeouts()
        self._retry = retry or RetryPolicy()
        self._max_response_bytes = max_response_bytes
        self._user_agent = user_agent or f"betterplace_async/{_version()}"
        self._sleep = sleep
        self._clock = clock
        self._limiter = Limiter(max_concurrency, rate_limit, clock=clock, sleep=sleep)
        if etag_cache is True:
            self._cache: ETagCache | None = ETagCache()
        elif etag_cache is False:
            self._cache = None
        elif isinstance(etag_cache, ETagCache):
            self._cache = etag_cache
        else:
            raise InvalidParameterError("etag_cache", "must be a bool or an ETagCache")
        if on_event is not None and not callable(on_event):
            raise InvalidParameterError("on_event", "must be callable")
        self._on_event = on_event
        self._concurrency = concurrency_arg(concurrency)
        self._state: State = "unopened"
        self._parent: BetterplaceClient | None = None
        self._requester = Requester(
            base_url=self._base_url,
            locale=self._locale,
            converter=converter or make_converter(),
            concurrency=self._concurrency,
            max_concurrency=self._limiter.max_concurrency,
            on_pagination_event=guarded(on_event),
        )

    def __repr__(self) -> str:
        auth = "set" if self._credentials is not None else "none"
        return (
            f"<BetterplaceClient {self.state} base_url={str(self._base_url)!r} "
            f"locale={self._locale!r} client_id={self._client_id!r} auth={auth}>"
        )

    @property
    def state(self) -> State:
        """``"unopened"``, ``"open"`` or ``"closed"``."""
        return self._parent.state if self._parent is not None else self._state

    def _refuse_view(self) -> None:
        if self._parent is not None:
            raise ClientStateError(
                "a client from with_options() shares its parent's lifecycle; "
                "open or close the parent"
            )

    @property
    def base_url(self) -> URL:
        """The API origin (and optional path prefix) requests go to."""
        return self._base_url

    @property
    def limiter(self) -> Limiter:
        """The gate shared by every request of this client (see its counters)."""
        return self._limiter

    @property
    def etag_cache(self) -> ETagCache | None:
        """The conditional-GET cache, when enabled."""
        return self._cache

    @property
    def locale(self) -> str:
        """The content language, ``"de"`` or ``"en"``."""
        return self._locale

    async def open(self) -> None:
        """Create (or adopt) the HTTP session; call once before any request."""
        self._refuse_view()
        if self._state == "open":
            raise ClientStateError("the client is already open")
        if self._state == "closed":
            raise ClientStateError("the client is closed; create a new BetterplaceClient")
        if self._session is None:
            self._session = aiohttp.ClientSession()
        elif self._session.closed:
            raise ClientStateError("the borrowed aiohttp session is already closed")
        self._requester.attach(
            Transport(
                self._session,
                origin=self._base_url.origin(),
                credentials=self._credentials,
                timeouts=self._timeouts,
                retry=self._retry,
                max_response_bytes=self._max_response_bytes,
                user_agent=self._user_agent,
                limiter=self._limiter,
                cache=self._cache,
                on_event=self._on_event,
                sleep=self._sleep,
                clock=self._clock,
            )
        )
        self._state = "open"

    async def close(self) -> None:
        """Release the session if the client created it. Closing twice is harmless."""
        self._refuse_view()
        if self._state == "closed":
            return
        self._state = "closed"
        self._requester.detach()
        if self._owns_session and self._session is not None:
            await self._session.close()
        self._session = None

    async def __aenter__(self) -> BetterplaceClient:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def with_options(
        self,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        locale: _params.Locale | None = None,
    ) -> BetterplaceClient:
        """Return a view of this client whose calls use other timeouts, retries or locale.

        The view shares the connection pool, limiter and lifecycle of this client: it is
        open while this client is open and cannot be opened or closed itself.

        Args:
            timeouts: Time limits for the view's requests (default: this client's).
            retry: Retry policy for the view's requests (default: this client's).
            locale: Content language for the view (default: this client's).
        """
        if timeouts is not None and not isinstance(timeouts, Timeouts):
            raise InvalidParameterError("timeouts", "must be a Timeouts instance")
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise InvalidParameterError("retry", "must be a RetryPolicy instance")
        view = copy.copy(self)
        for name, value in list(view.__dict__.items()):
            if isinstance(value, Namespace):
                del view.__dict__[name]
        view._parent = self
        view._requester = self._requester.derive(
            locale=None if locale is None else _params.locale(locale),
            timeouts=timeouts,
            retry=retry,
        )
        view._locale = _params.locale(view._requester.locale)
        return view

    def __del__(self, _warn: Callable[..., None] = warnings.warn) -> None:
        if getattr(self, "_parent", None) is None and getattr(self, "_state", None) == "open":
            _warn(
                f"unclosed {self!r}; use 'async with' or await client.close()",
                ResourceWarning,
                source=self,
                stacklevel=1,
            )

    # -- public API namespaces --------------------------------------------------------------
    # The public API is deprecated by betterplace; prefer the client-scoped variants under
    # :attr:`clients` where they exist.

    @cached_property
    def projects(self) -> Projects:
        """Projects: list, search, details."""
        return Projects(self._requester)

    @cached_property
    def needs(self) -> Needs:
        """A project's needs."""
        return Needs(self._requester)

    @cached_property
    def blog_posts(self) -> BlogPosts:
        """Blog posts of projects and fundraising events."""
        return BlogPosts(self._requester)

    @cached_property
    def categories(self) -> Categories:
        """A project's categories."""
        return Categories(self._requester)

    @cached_property
    def opinions(self) -> Opinions:
        """Opinions left with donations to a project or fundraising event."""
        return Opinions(self._requester)

    @cached_property
    def pictures(self) -> Pictures:
        """A project's pictures."""
        return Pictures(self._requester)

    @cached_property
    def fundraising_events(self) -> FundraisingEvents:
        """Fundraising events, their featured projects and forwardings."""
        return FundraisingEvents(self._requester)

    @cached_property
    def organisations(self) -> Organisations:
        """Organisations and their projects."""
        return Organisations(self._requester)

    @cached_property
    def matching_funds(self) -> MatchingFunds:
        """Matching funds and the projects they support."""
        return MatchingFunds(self._requester)

    @cached_property
    def search(self) -> Search:
        """Search projects and fundraising events: ``client.search("Katze")``."""
        return Search(self._requester)

    @cached_property
    def links(self) -> Links:
        """Follow ``links`` in responses, e.g. ``client.links.follow_list(p.links["needs"])``."""
        return Links(self._requester, client_id=self._client_id)

    async def follow(self, link: Link | str, **values: str | int) -> Any:
        """Fetch what a link points at, decoded by its path (see :attr:`links`)."""
        return await self.links.follow(link, **values)

    def follow_list(self, link: Link | str, **options: Unpack[PageOptions]) -> Listing[Any]:
        """Stream the list a link points at (see :attr:`links`)."""
        return self.links.follow_list(link, **options)

    @cached_property
    def users(self) -> Users:
        """User contact data (needs client credentials)."""
        return Users(self._requester, authenticate=True)

    # -- client API -----------------------------------------------------------------------

    def client(self, client_id: str | None = None) -> ClientAPI:
        """Return the client API scoped to a client.

        Args:
            client_id: The client to act for (default: the configured ``client_id``).

        Raises:
            InvalidParameterError: No credentials, or no client id given or configured.
        """
        if self._credentials is None:
            raise InvalidParameterError(
                "auth", "the client API needs credentials: pass auth=(username, password)"
            )
        chosen = self._client_id if client_id is None else _params.segment(client_id, "client_id")
        if chosen is None:
            raise InvalidParameterError("client_id", "no client_id given or configured")
        return ClientAPI(self._requester, chosen)

    @cached_property
    def clients(self) -> ClientAPI:
        """The client API for the configured ``client_id`` (see :meth:`client`)."""
        return self.client()


def _version() -> str:
    from . import __version__

    return __version__
