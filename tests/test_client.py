"""Client lifecycle, configuration errors and what repr shows."""

from __future__ import annotations

import aiohttp
import pytest
from aioresponses import aioresponses

from betterplace_async import (
    BetterplaceClient,
    ClientStateError,
    InsecureTransportError,
    InvalidParameterError,
)
from tests.conftest import load_sample

PROJECT_URL = "https://api.betterplace.org/de/api_v4/projects/1114.json"


async def test_use_before_open_is_a_clear_error() -> None:
    client = BetterplaceClient()
    assert client.state == "unopened"
    with pytest.raises(ClientStateError, match="not open"):
        await client.projects.get(1114)


async def test_use_after_close_is_a_clear_error(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT_URL, payload=load_sample("project_details", "docs-flori_1"))
    async with BetterplaceClient() as client:
        assert client.state == "open"
        assert (await client.projects.get(1114)).id == 1114
    assert client.state == "closed"
    with pytest.raises(ClientStateError, match="closed"):
        await client.projects.get(1114)
    with pytest.raises(ClientStateError, match="closed"):
        await client.open()
    await client.close()  # idempotent


async def test_open_twice_refused() -> None:
    async with BetterplaceClient() as client:
        with pytest.raises(ClientStateError, match="already open"):
            await client.open()


async def test_borrowed_session_is_not_closed(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT_URL, payload=load_sample("project_details", "docs-flori_1"))
    async with aiohttp.ClientSession() as session:
        async with BetterplaceClient(session=session) as client:
            await client.projects.get(1114)
        assert not session.closed


async def test_borrowed_closed_session_refused() -> None:
    session = aiohttp.ClientSession()
    await session.close()
    client = BetterplaceClient(session=session)
    with pytest.raises(ClientStateError, match="already closed"):
        await client.open()


async def test_owned_session_closed_on_close() -> None:
    client = BetterplaceClient()
    await client.open()
    session = client._core.session
    assert session is not None
    await client.close()
    assert session.closed


async def test_unclosed_client_warns() -> None:
    async with aiohttp.ClientSession() as session:
        client = BetterplaceClient(session=session)
        await client.open()
        with pytest.warns(ResourceWarning, match="unclosed"):
            client.__del__()  # what garbage collection runs for a client left open
        await client.close()
        client.__del__()  # closed: silent


def test_repr_hides_credentials_and_shows_state() -> None:
    client = BetterplaceClient(auth=("api-user", "s3cr3t-pass"), client_id="acme")
    text = repr(client)
    assert "s3cr3t-pass" not in text
    assert "api-user" not in text
    assert "auth=set" in text
    assert "unopened" in text
    assert "s3cr3t-pass" not in repr(client._core.credentials)


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        pytest.param({"locale": "fr"}, "locale", id="locale"),
        pytest.param({"base_url": "ftp://x"}, "base_url", id="base-url-scheme"),
        pytest.param({"base_url": "https://u:p@api.betterplace.org"}, "base_url", id="userinfo"),
        pytest.param({"auth": ("user",)}, "auth", id="auth-shape"),
        pytest.param({"auth": ("", "pw")}, "auth", id="auth-empty-user"),
        pytest.param({"auth": ("a:b", "pw")}, "auth", id="auth-colon"),
        pytest.param({"client_id": ".."}, "client_id", id="client-id-dotdot"),
        pytest.param({"client_id": ""}, "client_id", id="client-id-empty"),
        pytest.param({"session": object()}, "session", id="session-type"),
        pytest.param({"max_response_bytes": 0}, "max_response_bytes", id="max-bytes"),
    ],
)
def test_bad_configuration_named(kwargs: dict[str, object], parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        BetterplaceClient(**kwargs)  # type: ignore[arg-type]
    assert info.value.parameter == parameter


def test_http_with_credentials_to_remote_host_refused() -> None:
    with pytest.raises(InsecureTransportError, match="plain http"):
        BetterplaceClient(base_url="http://api.betterplace.org", auth=("u", "p"))


def test_client_api_needs_credentials_and_id() -> None:
    with pytest.raises(InvalidParameterError, match="auth"):
        BetterplaceClient(client_id="acme").client()
    with pytest.raises(InvalidParameterError, match="client_id"):
        BetterplaceClient(auth=("u", "p")).client()
    scoped = BetterplaceClient(auth=("u", "p")).client("acme")
    assert scoped.client_id == "acme"


async def test_with_options_shares_lifecycle_and_overrides_calls(
    mock_api: aioresponses,
) -> None:
    from betterplace_async import RetryPolicy, ServerError

    mock_api.get(PROJECT_URL, status=500, payload={})
    en_url = "https://api.betterplace.org/en/api_v4/projects/1114.json"
    mock_api.get(en_url, payload=load_sample("project_details", "docs-flori_1"))
    async with BetterplaceClient() as client:
        strict = client.with_options(retry=RetryPolicy.never())
        with pytest.raises(ServerError):
            await strict.projects.get(1114)
        english = client.with_options(locale="en")
        assert english.locale == "en"
        assert (await english.projects.get(1114)).id == 1114
        assert client.locale == "de"
        with pytest.raises(ClientStateError, match="parent"):
            await strict.close()
    assert strict.state == "closed"
    with pytest.raises(ClientStateError, match="closed"):
        await strict.projects.get(1114)
