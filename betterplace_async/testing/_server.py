"""``FakeBetterplace``: the fake state served on a loopback port."""

from __future__ import annotations

from types import TracebackType
from typing import Unpack

from aiohttp import web

from betterplace_async.testing._app import make_app
from betterplace_async.testing._state import FakeOptions, FakeState


class FakeBetterplace(FakeState):
    """Serve the fake API on ``host`` (loopback) and a free port while the context is open.

    All knobs of :class:`FakeState` are attributes of this object and work while it serves.
    Point a client at it with ``base_url=fake.base_url``, ``client_id=fake.client_id`` and
    ``auth=(fake.username, fake.password)``.

    Args:
        host: The address to listen on; keep it loopback.
        port: The port; 0 picks a free one (read ``port`` or ``base_url`` after start).
        **options: Every keyword of :class:`FakeState`: data sizes and seed, credentials,
            ``latency``, ``processing_delay``, ``location_mode``, ``clock``, preset faults
            and churn, the pool.
    """

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, **options: Unpack[FakeOptions]
    ) -> None:
        super().__init__(**options)
        self.host = host
        self.port = port
        self.app = make_app(self)
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        """Return ``http://host:port``; API paths follow as ``/{locale}/api_v4/...json``."""
        if self._runner is None:
            raise RuntimeError("the fake server is not running; use 'async with' or start()")
        return f"http://{self.host}:{self.port}"

    def api_url(self, path: str, locale: str = "de") -> str:
        """Return the full URL of an API ``path`` such as ``"projects.json"``."""
        return f"{self.base_url}/{locale}/api_v4/{path.lstrip('/')}"

    async def start(self) -> None:
        """Start serving; the port is known afterwards."""
        if self._runner is not None:
            raise RuntimeError("the fake server is already running")
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        sockets = [s for s in runner.addresses if isinstance(s, tuple)]
        self.port = int(sockets[0][1])
        self._runner = runner

    async def close(self) -> None:
        """Stop serving and close every connection."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> FakeBetterplace:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
