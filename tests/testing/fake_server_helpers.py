"""Helpers for the fake server tests: documented samples, auth headers, a raw HTTP client."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aiohttp
import attrs

from betterplace_async.testing import FakeBetterplace

SAMPLES = Path(__file__).parent / "samples"


def sample(kind: str) -> Any:
    """Return the newest documented example of an endpoint kind."""
    return json.loads((SAMPLES / f"{kind}.json").read_text())


def basic_auth(username: str, password: str) -> dict[str, str]:
    """Return an Authorization header for HTTP Basic auth."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@attrs.frozen
class Reply:
    """A decoded response."""

    status: int
    body: Any
    headers: Mapping[str, str]
    raw: bytes


@attrs.define
class Api:
    """Talk to a fake with a plain aiohttp session (client credentials sent by default)."""

    fake: FakeBetterplace
    session: aiohttp.ClientSession

    @property
    def auth(self) -> dict[str, str]:
        return basic_auth(self.fake.username, self.fake.password)

    def client(self, path: str = "") -> str:
        return f"clients/{self.fake.client_id}{path}"

    async def request(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        locale: str = "de",
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        all_headers = {**(self.auth if auth else {}), **(headers or {})}
        url = self.fake.api_url(path, locale)
        async with self.session.request(
            method, url, params=params, json=json_body, headers=all_headers
        ) as response:
            raw = await response.read()
            body = json.loads(raw) if raw else None
            return Reply(response.status, body, response.headers, raw)

    async def get(self, path: str, **kwargs: Any) -> Reply:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, body: Any, **kwargs: Any) -> Reply:
        return await self.request("POST", path, json_body=body, **kwargs)


def pledge_body(reference: str, amount: int = 1000, **extra: Any) -> dict[str, Any]:
    """Return a valid donation pledge body."""
    return {
        "first_name": "Max",
        "last_name": "Mustermann",
        "email": "mm@example.com",
        "amount_in_cents": amount,
        "client_reference": reference,
        "street": "Rheinstrasse 202",
        "city": "Wiesbaden",
        "zip": "65185",
        "country_code": "DE",
        **extra,
    }
