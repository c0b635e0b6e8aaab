"""Help texts, exit statuses and one-line error messages of the real command."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from betterplace_async.cli._resources import RESOURCES

from ._helpers import CLI, ServedFake, clean_env, run_cli, serve_fake, summary_of

COMMANDS = ("export", "pledge", "pledges", "demo", "serve-fake")


@pytest.fixture(scope="module")
def fake() -> Iterator[ServedFake]:
    with serve_fake("--client-donations", "300") as served:
        yield served


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.code == 0
    for command in COMMANDS:
        assert command in result.out
    for variable in ("BETTERPLACE_BASE_URL", "BETTERPLACE_PASSWORD", "Exit status"):
        assert variable in result.out


@pytest.mark.parametrize(
    "args",
    [("export",), ("pledge",), ("pledges",), ("pledges", "submit"), ("demo",), ("serve-fake",)],
    ids=lambda args: " ".join(args),
)
def test_every_command_has_help(args: tuple[str, ...]) -> None:
    result = run_cli(*args, "--help")
    assert result.code == 0
    assert result.out.startswith(f"Usage: betterplace {' '.join(args)}")


def test_export_help_lists_every_resource() -> None:
    result = run_cli("export", "--help")
    for name in RESOURCES:
        assert f"  {name} " in result.out
    for option in ("--resume", "--facet", "--order", "--per-page", "--limit", "--format"):
        assert option in result.out


def test_console_script_is_the_same_command() -> None:
    script = Path(sys.executable).with_name("betterplace")
    if not script.exists():
        pytest.skip("no console script next to this interpreter")
    done = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, check=False, env=clean_env()
    )
    assert done.returncode == 0
    assert done.stdout == run_cli("--version").out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((), "Missing command"),
        (("frobnicate",), "No such command 'frobnicate'"),
        (("export",), "RESOURCE"),
        (("export", "bogus"), "'bogus' is not one of 'projects'"),
        (("export", "projects", "--per-page", "500"), "'--per-page': 500 is not in the range"),
        (("export", "projects", "--limit", "x"), "'x' is not a valid integer"),
        (("export", "projects", "--out", str(Path("/"))), "'--out'"),
        (("export", "projects", "--concurrency", "0"), "--concurrency"),
        (("export", "projects", "--concurrency", "fast"), "neither 'auto' nor"),
        (("export", "projects", "--order", "rank:UP"), "ASC or DESC"),
        (("export", "projects", "--facet", "completed"), "KEY:VALUE"),
        (("export", "needs"), "give --project-id"),
        (("export", "projects", "--slug", "x"), "--slug does not apply"),
        (("export", "projects", "--resume"), "--resume needs --out"),
        (("export", "projects", "--base-url", "ftp://example.org"), "--base-url"),
        (("export", "client-donations"), "needs --client-id"),
        (("pledge", "--amount-in-cents", "100"), "one of --project-id and --pool"),
        (("pledge", "--pool", "--project-id", "1", "--amount-in-cents", "5"), "exactly one"),
        (("pledge", "--pool"), "Missing option '--amount-in-cents'"),
        (("pledges", "submit", "--results", "r.csv"), "--from"),
        (("pledges", "frobnicate"), "No such command"),
        (("demo", "--donations", "0"), "'--donations': 0 is not in the range"),
        (("serve-fake", "--fault-rate", "2"), "'--fault-rate'"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_usage_errors_exit_2_with_one_line(args: tuple[str, ...], fragment: str) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert result.out == ""
    (line,) = result.err_lines
    assert line.startswith("betterplace: error: ")
    assert fragment in line


def test_refused_pledge_fields_exit_2_before_any_request(tmp_path: Path) -> None:
    env = clean_env(
        BETTERPLACE_BASE_URL="http://127.0.0.1:9",  # nothing listens: a request would fail
        BETTERPLACE_CLIENT_ID="c",
        BETTERPLACE_USERNAME="u",
        BETTERPLACE_PASSWORD="p",
    )
    result = run_cli(
        "pledge", "--pool", "--amount-in-cents", "100", "--first-name", "A", "--last-name", "B",
        "--email", "not-an-address", "--street", "S", "--city", "C", "--zip", "1",
        "--country-code", "DE", env=env,
    )  # fmt: skip
    assert result.code == 2
    assert result.err_lines == ["betterplace: error: --email: is not an e-mail address "
                                "(expected name@domain.tld)"]  # fmt: skip


def test_bad_credentials_exit_1_with_one_line(fake: ServedFake) -> None:
    secret = "not-the-password-4711"
    result = run_cli("export", "client-donations", env=fake.env(BETTERPLACE_PASSWORD=secret))
    assert result.code == 1
    (line,) = result.err_lines
    assert line.startswith("betterplace: error: 401 ")
    assert "username or password" in line
    assert secret not in result.err + result.out


def test_password_option_is_never_echoed(fake: ServedFake) -> None:
    secret = "wrong-secret-0815"
    env = fake.env()
    del env["BETTERPLACE_PASSWORD"]
    result = run_cli("export", "client-donations", "--password", secret, "--debug", env=env)
    assert result.code == 1
    assert secret not in result.err + result.out


def test_unreachable_api_exits_1() -> None:
    result = run_cli(
        "export", "projects", "--base-url", "http://127.0.0.1:9", "--limit", "1", "--retries", "1"
    )
    assert result.code == 1
    (line,) = result.err_lines
    assert "cannot reach the API" in line


def test_not_found_exits_1(fake: ServedFake) -> None:
    result = run_cli("export", "needs", "--project-id", "999999", env=fake.env())
    assert result.code == 1
    (line,) = result.err_lines
    assert "404" in line


def test_debug_adds_the_traceback(fake: ServedFake) -> None:
    result = run_cli(
        "export", "client-donations", "--debug", env=fake.env(BETTERPLACE_PASSWORD="x")
    )
    assert result.code == 1
    assert "Traceback (most recent call last)" in result.err
    assert result.err_lines[-1].startswith("betterplace: error: 401 ")


def test_unwritable_output_exits_1_and_leaves_nothing(fake: ServedFake, tmp_path: Path) -> None:
    out = tmp_path / "missing-directory" / "x.jsonl"
    result = run_cli("export", "client-donations", "--out", str(out), env=fake.env())
    assert result.code == 1
    assert len(result.err_lines) == 1
    assert not out.parent.exists()


def test_failed_fresh_export_leaves_no_files(fake: ServedFake, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    result = run_cli(
        "export", "client-donations", "--out", str(out), env=fake.env(BETTERPLACE_PASSWORD="x")
    )
    assert result.code == 1
    assert list(tmp_path.iterdir()) == []
    again = run_cli("export", "client-donations", "--out", str(out), env=fake.env())
    assert again.code == 0
    assert summary_of(again).startswith(f"exported 300 client-donations records to {out} in ")
    assert len(out.read_text().splitlines()) == 300


def test_serve_fake_stops_with_0_on_sigterm_and_a_taken_port_exits_1() -> None:
    process = subprocess.Popen(
        [*CLI, "serve-fake", "--client-donations", "10"], env=clean_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    fields = dict(part.split("=", 1) for part in process.stdout.readline().split())
    port = fields["BASE_URL"].rsplit(":", 1)[1]
    taken = run_cli("serve-fake", "--port", port)
    assert taken.code == 1
    (line,) = taken.err_lines
    assert line.startswith(f"betterplace: error: cannot serve on 127.0.0.1:{port}")
    process.terminate()
    out, err = process.communicate(timeout=30)
    assert (process.returncode, out, err) == (0, "", "")
