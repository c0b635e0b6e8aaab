"""Exit statuses, messages and option checks shared by every command."""

from __future__ import annotations

import argparse

import pytest

from betterplace_async.cli._common import (
    CommandError,
    Interrupted,
    UsageError,
    connection_of,
    describe,
    option_name,
)
from betterplace_async.cli._resources import RESOURCES, resource_params
from betterplace_async.errors import (
    APIConnectionError,
    AuthenticationError,
    ErrorBody,
    InvalidParameterError,
    PledgeFailedError,
    ServerError,
)


@pytest.mark.parametrize(
    ("error", "code", "fragment"),
    [
        (UsageError("bad"), 2, "bad"),
        (InvalidParameterError("per_page", "too big"), 2, "--per-page: too big"),
        (
            AuthenticationError(401, method="GET", url="http://h/x", body=ErrorBody()),
            1,
            "username or password",
        ),
        (ServerError(500, method="GET", url="http://h/x", body=ErrorBody()), 1, "500 from GET"),
        (APIConnectionError("refused"), 1, "cannot reach the API"),
        (PledgeFailedError("r", "pool_empty", None), 1, "pool_empty"),
        (CommandError("nope"), 1, "nope"),
        (OSError(28, "No space left on device", "out.jsonl"), 1, "out.jsonl: No space"),
        (Interrupted("interrupted; kept"), 130, "kept"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (RuntimeError("boom"), 1, "--debug"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else None,
)
def test_describe(error: BaseException, code: int, fragment: str) -> None:
    got_code, message = describe(error)
    assert got_code == code
    assert fragment in message
    assert "\n" not in message


def test_notes_are_appended_on_the_same_line() -> None:
    error = APIConnectionError("lost\nconnection")
    error.add_note("12 records are in x.jsonl")
    assert describe(error)[1] == "cannot reach the API: lost connection; 12 records are in x.jsonl"


@pytest.mark.parametrize(
    ("parameter", "option"),
    [("per_page", "--per-page"), ("facets", "--facet"), ("pledges[0].x", "pledges[0].x")],
)
def test_option_names(parameter: str, option: str) -> None:
    assert option_name(parameter) == option


def test_missing_client_credentials_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BASE_URL", "CLIENT_ID", "USERNAME", "PASSWORD"):
        monkeypatch.delenv(f"BETTERPLACE_{name}", raising=False)
    monkeypatch.setenv("BETTERPLACE_USERNAME", "me")
    args = argparse.Namespace(client_id="acme", username=None, password=None, locale="en")
    with pytest.raises(UsageError, match=r"needs --password \(or BETTERPLACE_PASSWORD\)$"):
        connection_of(args, client_api=True, what="export x")
    conn = connection_of(args, client_api=False, what="export x")
    assert (conn.base_url, conn.client_id, conn.username) == (
        "https://api.betterplace.org", "acme", "me"
    )  # fmt: skip
    hidden = connection_of(argparse.Namespace(password="secret-1"), client_api=False, what="x")
    assert hidden.password == "secret-1"
    assert "secret-1" not in repr(hidden)


def test_resource_options_are_checked() -> None:
    opinions = RESOURCES["opinions"]
    assert resource_params(opinions, {"project_id": 3, "slug": None, "facets": []}) == {
        "project_id": 3
    }
    with pytest.raises(UsageError, match="give --project-id or --fundraising-event-id"):
        resource_params(opinions, {})
    with pytest.raises(UsageError, match="--slug does not apply"):
        resource_params(opinions, {"project_id": 3, "slug": "x"})
