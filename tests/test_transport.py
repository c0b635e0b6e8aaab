"""Transport behaviour through the client: auth, errors, decoding, retries, secrecy."""

from __future__ import annotations

import base64
import logging
import re
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses
from yarl import URL

from betterplace_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BetterplaceClient,
    DecodeError,
    InsecureTransportError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    RetryPolicy,
    ServerError,
    ServiceUnavailableError,
    UnprocessableEntityError,
)
from tests.conftest import FakeClock, load_sample, sample_files, sample_id

BASE = "https://api.betterplace.org"
PROJECT = f"{BASE}/de/api_v4/projects/1114.json"
CLIENT_PROJECT = f"{BASE}/de/api_v4/clients/acme/projects/1114.json"
USER, PASSWORD = "api-user", "pa55-w0rd-xyz"
SECRET_HEADER = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def _client(clock: FakeClock | None = None, **kwargs: Any) -> BetterplaceClient:
    clock = clock or FakeClock()
    return BetterplaceClient(clock=clock, sleep=clock.sleep, **kwargs)


def _sent_headers(mock: aioresponses, method: str, url: str) -> dict[str, str]:
    calls = mock.requests[(method, URL(url))]
    return dict(calls[-1].kwargs["headers"])


async def test_public_call_sends_no_authorization(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, payload=load_sample("project_details", "docs-flori_1"))
    async with _client(auth=(USER, PASSWORD), client_id="acme") as client:
        await client.projects.get(1114)
    assert "Authorization" not in _sent_headers(mock_api, "GET", PROJECT)


async def test_client_call_sends_basic_auth(mock_api: aioresponses) -> None:
    mock_api.get(CLIENT_PROJECT, payload=load_sample("project_details", "docs-flori_1"))
    async with _client(auth=(USER, PASSWORD), client_id="acme") as client:
        project = await client.clients.projects.get(1114)
    assert project.id == 1114
    assert _sent_headers(mock_api, "GET", CLIENT_PROJECT)["Authorization"] == (
        f"Basic {SECRET_HEADER}"
    )


ERROR_CASES = [
    pytest.param(400, BadRequestError, id="400"),
    pytest.param(401, AuthenticationError, id="401"),
    pytest.param(403, PermissionDeniedError, id="403"),
    pytest.param(404, NotFoundError, id="404"),
    pytest.param(422, UnprocessableEntityError, id="422"),
    pytest.param(429, RateLimitError, id="429"),
    pytest.param(500, ServerError, id="500"),
    pytest.param(502, ServerError, id="502"),
    pytest.param(503, ServiceUnavailableError, id="503"),
    pytest.param(418, APIStatusError, id="418-unknown"),
]


@pytest.mark.parametrize(("status", "error"), ERROR_CASES)
async def test_status_maps_to_error(
    mock_api: aioresponses, status: int, error: type[APIStatusError]
) -> None:
    body = {"name": "GeneralError", "reason": "Nope", "message": "went wrong"}
    mock_api.get(PROJECT, status=status, payload=body, repeat=True)
    async with _client(retry=RetryPolicy.never()) as client:
        with pytest.raises(error) as info:
            await client.projects.get(1114)
    exc = info.value
    assert type(exc) is error
    assert exc.status == status
    assert exc.method == "GET"
    assert str(exc.url) == PROJECT
    assert exc.body.reason == "Nope"
    assert "went wrong" in str(exc)


@pytest.mark.parametrize("path", sample_files("errors"), ids=sample_id)
async def test_every_error_sample_becomes_a_typed_error(mock_api: aioresponses, path: Any) -> None:
    body = load_sample("errors", path.stem)
    status = body.get("status_code") or (422 if "errors" in body else 404)
    mock_api.get(PROJECT, status=status, payload=body)
    async with _client(retry=RetryPolicy.never()) as client:
        with pytest.raises(APIStatusError) as info:
            await client.projects.get(1114)
    exc = info.value
    assert exc.status == status
    assert isinstance(exc, UnprocessableEntityError if status == 422 else NotFoundError)
    assert exc.body.reason == body.get("reason")
    assert exc.body.message == body.get("message")
    expected_errors = {k: tuple(v) for k, v in (body.get("errors") or {}).items()}
    assert dict(exc.errors) == expected_errors


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<html><h1>502 Bad Gateway</h1></html>", id="html"),
        pytest.param(b'{"id": 1114, "title": "trunc', id="truncated"),
        pytest.param(b"", id="empty"),
    ],
)
async def test_bad_body_is_decode_error_with_snippet(mock_api: aioresponses, body: bytes) -> None:
    mock_api.get(PROJECT, status=200, body=body)
    async with _client(retry=RetryPolicy.never()) as client:
        with pytest.raises(DecodeError) as info:
            await client.projects.get(1114)
    assert info.value.snippet == body[:200].decode()
    assert "JSONDecodeError" not in type(info.value).__name__


async def test_wrong_shape_is_decode_error_naming_model(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, payload={"id": "not-a-number"})
    async with _client(retry=RetryPolicy.never()) as client:
        with pytest.raises(DecodeError, match="could not decode Project"):
            await client.projects.get(1114)


async def test_json_array_where_object_expected_is_decode_error(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, payload=[1, 2, 3])
    async with _client(retry=RetryPolicy.never()) as client:
        with pytest.raises(DecodeError, match="Project"):
            await client.projects.get(1114)


async def test_retries_5xx_then_succeeds_with_backoff(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, status=503, payload={})
    mock_api.get(PROJECT, status=502, body=b"bad gateway")
    mock_api.get(PROJECT, payload=load_sample("project_details", "docs-flori_1"))
    clock = FakeClock()
    async with _client(clock) as client:
        project = await client.projects.get(1114)
    assert project.id == 1114
    assert len(clock.sleeps) == 2
    assert all(0 <= s <= 30 for s in clock.sleeps)


async def test_retry_after_is_honoured(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, status=429, payload={}, headers={"Retry-After": "7"})
    mock_api.get(PROJECT, payload=load_sample("project_details", "docs-flori_1"))
    clock = FakeClock()
    async with _client(clock) as client:
        await client.projects.get(1114)
    assert clock.sleeps == [7.0]


async def test_retries_give_up_after_max_attempts(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, status=500, payload={}, repeat=True)
    clock = FakeClock()
    async with _client(clock, retry=RetryPolicy(max_attempts=3)) as client:
        with pytest.raises(ServerError):
            await client.projects.get(1114)
    assert len(clock.sleeps) == 2


async def test_404_is_not_retried(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, status=404, payload={"reason": "Record Not Found"})
    clock = FakeClock()
    async with _client(clock) as client:
        with pytest.raises(NotFoundError):
            await client.projects.get(1114)
    assert clock.sleeps == []


async def test_connection_error_is_typed_and_retried(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, exception=aiohttp.ServerDisconnectedError())
    mock_api.get(PROJECT, exception=aiohttp.ClientOSError(104, "reset"))
    mock_api.get(PROJECT, payload=load_sample("project_details", "docs-flori_1"))
    async with _client() as client:
        assert (await client.projects.get(1114)).id == 1114
    mock_api.get(PROJECT, exception=aiohttp.ServerDisconnectedError(), repeat=True)
    async with _client(retry=RetryPolicy(max_attempts=2)) as client:
        with pytest.raises(APIConnectionError, match="connection failed"):
            await client.projects.get(1114)


async def test_timeout_is_typed(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, exception=TimeoutError(), repeat=True)
    async with _client(retry=RetryPolicy.never()) as client:
        with pytest.raises(APITimeoutError):
            await client.projects.get(1114)


async def test_response_larger_than_cap_refused(mock_api: aioresponses) -> None:
    mock_api.get(PROJECT, body=b"x" * 2048, headers={"Content-Length": "2048"})
    async with _client(max_response_bytes=1024) as client:
        with pytest.raises(ResponseTooLargeError, match="max_response_bytes"):
            await client.projects.get(1114)


async def test_redirect_to_other_host_drops_credentials(mock_api: aioresponses) -> None:
    other = "https://elsewhere.example/de/api_v4/clients/acme/projects/1114.json"
    mock_api.get(CLIENT_PROJECT, status=302, headers={"Location": other})
    mock_api.get(other, payload=load_sample("project_details", "docs-flori_1"))
    async with _client(auth=(USER, PASSWORD), client_id="acme") as client:
        await client.clients.projects.get(1114)
    assert "Authorization" in _sent_headers(mock_api, "GET", CLIENT_PROJECT)
    assert "Authorization" not in _sent_headers(mock_api, "GET", other)


async def test_redirect_to_plain_http_refused(mock_api: aioresponses) -> None:
    mock_api.get(CLIENT_PROJECT, status=301, headers={"Location": "http://api.betterplace.org/x"})
    async with _client(auth=(USER, PASSWORD), client_id="acme") as client:
        with pytest.raises(InsecureTransportError, match="https to http"):
            await client.clients.projects.get(1114)


async def test_credentials_never_in_errors_or_logs(
    mock_api: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    mock_api.get(CLIENT_PROJECT, status=401, payload={"reason": "Unauthorized"})
    mock_api.get(CLIENT_PROJECT, status=500, payload={}, repeat=True)
    async with _client(auth=(USER, PASSWORD), client_id="acme") as client:
        with pytest.raises(AuthenticationError) as first:
            await client.clients.projects.get(1114)
        with pytest.raises(ServerError) as second:
            await client.clients.projects.get(1114)
        texts = [str(first.value), repr(first.value), str(second.value), repr(client)]
    texts.extend(record.getMessage() for record in caplog.records)
    assert caplog.records, "expected DEBUG/INFO log lines from the transport"
    for text in texts:
        assert PASSWORD not in text
        assert SECRET_HEADER not in text
        assert not re.search(r"Basic\s+[A-Za-z0-9+/=]{8,}", text)
