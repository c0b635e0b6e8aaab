"""``BetterplaceClient``: configuration, lifecycle and the resource namespaces."""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Awaitable, Callable
from functools import cached_property
from types import TracebackType
from typing import Any, Final, Literal, Unpack

import cattrs
from yarl import URL

from betterplace_async._core import params as _params
from betterplace_async._core import protocol as _protocol
from betterplace_async._core.converter import make_converter
from betterplace_async._core.params import Concurrency, concurrency_arg
from betterplace_async._core.retry import RetryPolicy
from betterplace_async._http.auth import Credentials
from betterplace_async._http.cache import ETagCache
from betterplace_async._http.limiter import DEFAULT_MAX_CONCURRENCY, Limiter
from betterplace_async._http.requester import Requester
from betterplace_async._http.sender import Sender
from betterplace_async._http.session import ClientSession, SessionAdapter, Timeouts, new_session
from betterplace_async.errors import ClientStateError, InvalidParameterError
from betterplace_async.events import EventHook, guarded
from betterplace_async.models.common import Link
from betterplace_async.resources._base import Listing, PageOptions
from betterplace_async.resources.blog_posts import BlogPosts
from betterplace_async.resources.categories import Categories
from betterplace_async.resources.clients import ClientAPI
from betterplace_async.resources.fundraising_events import FundraisingEvents
from betterplace_async.resources.links import LinkResolver
from betterplace_async.resources.matching_funds import MatchingFunds
from betterplace_async.resources.needs import Needs
from betterplace_async.resources.opinions import Opinions
from betterplace_async.resources.organisations import Organisations
from betterplace_async.resources.pictures import Pictures
from betterplace_async.resources.projects import Projects
from betterplace_async.resources.search import Search
from betterplace_async.resources.users import Users

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
        session: ClientSession | None = None,
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
        credentials = Credentials.coerce(auth)
        base_url = _protocol.parse_base_url(base_url, has_credentials=credentials is not None)
        locale = _params.locale(locale)
        client_id = None if client_id is None else _params.segment(client_id, "client_id")
        if session is not None and not isinstance(session, ClientSession):
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
        if etag_cache is True:
            cache: ETagCache | None = ETagCache()
        elif etag_cache is False:
            cache = None
        elif isinstance(etag_cache, ETagCache):
            cache = etag_cache
        else:
            raise InvalidParameterError("etag_cache", "must be a bool or an ETagCache")
        if on_event is not None and not callable(on_event):
            raise InvalidParameterError("on_event", "must be callable")
        core = _Core(
            session=session,
            credentials=credentials,
            base_url=base_url,
            client_id=client_id,
            timeouts=timeouts or Timeouts(),
            retry=retry or RetryPolicy(),
            max_response_bytes=max_response_bytes,
            user_agent=user_agent or f"betterplace_async/{_version()}",
            limiter=Limiter(max_concurrency, rate_limit, clock=clock, sleep=sleep),
            cache=cache,
            on_event=on_event,
            sleep=sleep,
            clock=clock,
        )
        requester = Requester(
            base_url=base_url,
            locale=locale,
            converter=converter or make_converter(),
            concurrency=concurrency_arg(concurrency),
            max_concurrency=core.limiter.max_concurrency,
            on_pagination_event=guarded(on_event),
        )
        self._bind(core, requester, is_view=False)

    def _bind(self, core: _Core, requester: Requester, *, is_view: bool) -> None:
        self._core = core
        self._requester = requester
        self._is_view = is_view

    def __repr__(self) -> str:
        core = self._core
        auth = "set" if core.credentials is not None else "none"
        return (
            f"<BetterplaceClient {core.state} base_url={str(core.base_url)!r} "
            f"locale={self.locale!r} client_id={core.client_id!r} auth={auth}>"
        )

    @property
    def state(self) -> State:
        """``"unopened"``, ``"open"`` or ``"closed"``."""
        return self._core.state

    def _refuse_view(self) -> None:
        if self._is_view:
            raise ClientStateError(
                "a client from with_options() shares its parent's lifecycle; "
                "open or close the parent"
            )

    @property
    def base_url(self) -> URL:
        """The API origin (and optional path prefix) requests go to."""
        return self._core.base_url

    @property
    def limiter(self) -> Limiter:
        """The gate shared by every request of this client (see its counters)."""
        return self._core.limiter

    @property
    def etag_cache(self) -> ETagCache | None:
        """The conditional-GET cache, when enabled."""
        return self._core.cache

    @property
    def locale(self) -> str:
        """The content language, ``"de"`` or ``"en"``."""
        return self._requester.locale

    async def open(self) -> None:
        """Create (or adopt) the HTTP session; call once before any request."""
        self._refuse_view()
        self._core.open(self._requester)

    async def close(self) -> None:
        """Release the session if the client created it. Closing twice is harmless."""
        self._refuse_view()
        await self._core.close(self._requester)

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
        view = BetterplaceClient.__new__(BetterplaceClient)
        requester = self._requester.derive(
            locale=None if locale is None else _params.locale(locale),
            timeouts=timeouts,
            retry=retry,
        )
        view._bind(self._core, requester, is_view=True)
        return view

    def __del__(self, _warn: Callable[..., None] = warnings.warn) -> None:
        core = getattr(self, "_core", None)
        if not getattr(self, "_is_view", True) and core is not None and core.state == "open":
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
    def links(self) -> LinkResolver:
        """Follow ``links`` in responses, e.g. ``client.links.follow_list(p.links["needs"])``."""
        return LinkResolver(self._requester, client_id=self._core.client_id)

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
        if self._core.credentials is None:
            raise InvalidParameterError(
                "auth", "the client API needs credentials: pass auth=(username, password)"
            )
        configured = self._core.client_id
        chosen = configured if client_id is None else _params.segment(client_id, "client_id")
        if chosen is None:
            raise InvalidParameterError("client_id", "no client_id given or configured")
        return ClientAPI(self._requester, chosen)

    @cached_property
    def clients(self) -> ClientAPI:
        """The client API for the configured ``client_id`` (see :meth:`client`)."""
        return self.client()


class _Core:
    """What a client and all its ``with_options()`` views share: settings and lifecycle.

    A view is a second :class:`BetterplaceClient` bound to the same core with its own
    requester (locale, timeouts, retries); opening and closing belong to the core's owner.
    """

    def __init__(
        self,
        *,
        session: ClientSession | None,
        credentials: Credentials | None,
        base_url: URL,
        client_id: str | None,
        timeouts: Timeouts,
        retry: RetryPolicy,
        max_response_bytes: int,
        user_agent: str,
        limiter: Limiter,
        cache: ETagCache | None,
        on_event: EventHook | None,
        sleep: Callable[[float], Awaitable[None]],
        clock: Callable[[], float],
    ) -> None:
        self.session = session
        self.owns_session = session is None
        self.credentials = credentials
        self.base_url = base_url
        self.client_id = client_id
        self.timeouts = timeouts
        self.retry = retry
        self.max_response_bytes = max_response_bytes
        self.user_agent = user_agent
        self.limiter = limiter
        self.cache = cache
        self.on_event = on_event
        self.sleep = sleep
        self.clock = clock
        self.state: State = "unopened"

    def open(self, requester: Requester) -> None:
        """Create (or adopt) the session and attach a sender to ``requester``."""
        if self.state == "open":
            raise ClientStateError("the client is already open")
        if self.state == "closed":
            raise ClientStateError("the client is closed; create a new BetterplaceClient")
        if self.session is None:
            self.session = new_session()
        elif self.session.closed:
            raise ClientStateError("the borrowed aiohttp session is already closed")
        requester.attach(
            Sender(
                SessionAdapter(
                    self.session,
                    origin=self.base_url.origin(),
                    max_response_bytes=self.max_response_bytes,
                ),
                origin=self.base_url.origin(),
                credentials=self.credentials,
                timeouts=self.timeouts,
                retry=self.retry,
                user_agent=self.user_agent,
                limiter=self.limiter,
                cache=self.cache,
                on_event=self.on_event,
                sleep=self.sleep,
                clock=self.clock,
            )
        )
        self.state = "open"

    async def close(self, requester: Requester) -> None:
        """Detach the sender and close the session if the client created it."""
        if self.state == "closed":
            return
        self.state = "closed"
        requester.detach()
        if self.owns_session and self.session is not None:
            await self.session.close()
        self.session = None


def _version() -> str:
    from betterplace_async import __version__

    return __version__
