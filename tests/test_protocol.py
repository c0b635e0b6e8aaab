"""Pure protocol functions: URLs, origins, bodies, Retry-After."""

from __future__ import annotations

import email.utils

import pytest
from yarl import URL

from betterplace_async import (
    APIConnectionError,
    DecodeError,
    InsecureTransportError,
    InvalidParameterError,
)
from betterplace_async._core import protocol as _protocol


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        pytest.param(("projects", 1114), "/de/api_v4/projects/1114.json", id="id"),
        pytest.param(("clients", "a/b", "tags"), "/de/api_v4/clients/a%2Fb/tags.json", id="slash"),
        pytest.param(("tags", "../x"), "/de/api_v4/tags/..%2Fx.json", id="dotdot"),
        pytest.param(("tags", "Bedürftige"), "/de/api_v4/tags/Bed%C3%BCrftige.json", id="umlaut"),
        pytest.param(("tags", "a?b#c"), "/de/api_v4/tags/a%3Fb%23c.json", id="query-chars"),
    ],
)
def test_api_url_encodes_each_segment(segments: tuple[str | int, ...], expected: str) -> None:
    url = _protocol.api_url(URL("https://api.betterplace.org"), "de", segments)
    assert url.raw_path == expected
    assert url.host == "api.betterplace.org"
    assert not url.query_string


def test_api_url_keeps_base_path_prefix() -> None:
    url = _protocol.api_url(URL("http://127.0.0.1:8080/proxy"), "en", ("projects",))
    assert str(url) == "http://127.0.0.1:8080/proxy/en/api_v4/projects.json"


@pytest.mark.parametrize(
    "value",
    [
        "ftp://api.betterplace.org",
        "api.betterplace.org",
        "https://",
        "https://user:pw@api.betterplace.org",
        "https://api.betterplace.org/?x=1",
        "https://api.betterplace.org/#frag",
        42,
    ],
)
def test_parse_base_url_rejects(value: object) -> None:
    with pytest.raises(InvalidParameterError, match="base_url"):
        _protocol.parse_base_url(value, has_credentials=False)


def test_plain_http_with_credentials_only_to_loopback() -> None:
    with pytest.raises(InsecureTransportError, match="plain http"):
        _protocol.parse_base_url("http://api.betterplace.org", has_credentials=True)
    for host in ("127.0.0.1", "localhost", "[::1]", "127.5.5.5"):
        assert _protocol.parse_base_url(f"http://{host}:81", has_credentials=True).port == 81
    assert _protocol.parse_base_url("http://example.org", has_credentials=False).host


@pytest.mark.parametrize(
    ("header", "expected"), [("5", 5.0), ("0.5", 0.5), ("-3", 0.0), (None, None), ("soon", None)]
)
def test_retry_after_seconds(header: str | None, expected: float | None) -> None:
    assert _protocol.parse_retry_after(header) == expected


def test_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 30, usegmt=True)
    assert _protocol.parse_retry_after(header, now=now) == pytest.approx(30.0)


@pytest.mark.parametrize(
    "body", [b"<html>502 Bad Gateway</html>", b'{"data": [1, 2', b"\xff\xfe", b"   "]
)
def test_decode_json_raises_decode_error_with_snippet(body: bytes) -> None:
    url = URL("https://api.betterplace.org/de/api_v4/projects.json")
    with pytest.raises(DecodeError) as info:
        _protocol.decode_json(body, method="GET", url=url, status=200)
    assert "GET https://api.betterplace.org/de/api_v4/projects.json" in str(info.value)
    assert info.value.status == 200
    assert info.value.__cause__ is None or not isinstance(info.value.__cause__, ValueError)


def test_same_origin() -> None:
    a = URL("https://api.betterplace.org/x")
    assert _protocol.same_origin(a, URL("https://api.betterplace.org:443/y"))
    assert not _protocol.same_origin(a, URL("http://api.betterplace.org/x"))
    assert not _protocol.same_origin(a, URL("https://betterplace-assets.betterplace.org/x"))


@pytest.mark.parametrize(
    ("status", "method", "expected_method", "keeps_body"),
    [
        pytest.param(303, "POST", "GET", False, id="303-post-becomes-get"),
        pytest.param(302, "POST", "GET", False, id="302-post-becomes-get"),
        pytest.param(301, "GET", "GET", True, id="301-get-stays"),
        pytest.param(307, "POST", "POST", True, id="307-keeps-post"),
        pytest.param(308, "POST", "POST", True, id="308-keeps-post"),
    ],
)
def test_follow_redirect_method_and_body(
    status: int, method: str, expected_method: str, keeps_body: bool
) -> None:
    current = URL("https://api.betterplace.org/de/api_v4/a.json")
    target, new_method, body = _protocol.follow_redirect(
        current, "/de/api_v4/b.json", status, method, {"x": 1}
    )
    assert target == URL("https://api.betterplace.org/de/api_v4/b.json")
    assert new_method == expected_method
    assert body == ({"x": 1} if keeps_body else None)


@pytest.mark.parametrize(
    ("location", "error"),
    [
        pytest.param("http://api.betterplace.org/x", InsecureTransportError, id="https-to-http"),
        pytest.param("ftp://api.betterplace.org/x", APIConnectionError, id="not-http"),
    ],
)
def test_follow_redirect_refuses(location: str, error: type[Exception]) -> None:
    with pytest.raises(error, match="refusing redirect"):
        _protocol.follow_redirect(URL("https://api.betterplace.org/a"), location, 302, "GET", None)
