"""Serve an aiohttp application on a loopback port, started and stopped on request."""

from __future__ import annotations

from aiohttp import web


class LoopbackServer:
    """Run ``app`` on ``host`` and ``port`` (0 picks a free one) between start and close."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def running(self) -> bool:
        """Return whether the server is serving."""
        return self._runner is not None

    async def start(self) -> None:
        """Start serving; ``port`` holds the bound port afterwards."""
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
