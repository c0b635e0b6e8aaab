"""Exit statuses, messages and option checks shared by every command."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from betterplace_async.cli._common import (
    CommandError,
    Interrupted,
    UsageError,
    describe,
    option_name,
)
from betterplace_async.cli._resources import RESOURCES, resource_params
from betterplace_async.cli.options import Connection, connection_options
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
        (click.BadParameter("no good"), 2, "no good"),
        (click.Abort(), 130, "interrupted"),
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


def test_missing_client_credentials_are_named() -> None:
    conn = Connection(client_id="acme", username="me")
    with pytest.raises(UsageError, match=r"needs --password \(or BETTERPLACE_PASSWORD\)$"):
        conn.require_client_api("export x")
    hidden = Connection(password="secret-1")
    assert "secret-1" not in repr(hidden)


def test_connection_options_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Connection] = []

    @click.command()
    @connection_options
    def probe(conn: Connection) -> None:
        seen.append(conn)

    for name in ("BASE_URL", "CLIENT_ID", "USERNAME", "PASSWORD"):
        monkeypatch.delenv(f"BETTERPLACE_{name}", raising=False)
    monkeypatch.setenv("BETTERPLACE_USERNAME", "me")
    monkeypatch.setenv("BETTERPLACE_PASSWORD", "")  # empty means not set
    result = CliRunner().invoke(probe, ["--client-id", "acme", "--locale", "en"])
    assert result.exit_code == 0, result.output
    (conn,) = seen
    assert (conn.base_url, conn.locale, conn.client_id, conn.username, conn.password) == (
        "https://api.betterplace.org", "en", "acme", "me", None
    )  # fmt: skip
    help_text = CliRunner().invoke(probe, ["--help"]).output
    assert "BETTERPLACE_PASSWORD" in help_text


def test_resource_options_are_checked() -> None:
    opinions = RESOURCES["opinions"]
    assert resource_params(opinions, {"project_id": 3, "slug": None, "facets": []}) == {
        "project_id": 3
    }
    with pytest.raises(UsageError, match="give --project-id or --fundraising-event-id"):
        resource_params(opinions, {})
    with pytest.raises(UsageError, match="--slug does not apply"):
        resource_params(opinions, {"project_id": 3, "slug": "x"})
