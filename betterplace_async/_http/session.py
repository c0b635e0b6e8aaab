"""The aiohttp session a client owns or borrows."""

from __future__ import annotations

import aiohttp

__all__ = ["ClientSession", "new_session"]

ClientSession = aiohttp.ClientSession


def new_session() -> aiohttp.ClientSession:
    """Return a session for a client that brings none (it closes it again)."""
    return aiohttp.ClientSession()
