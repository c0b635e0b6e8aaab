"""Run the real ``betterplace`` command in a subprocess, and a ``serve-fake`` to point it at."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

CLI = (sys.executable, "-m", "betterplace_async")


def clean_env(**extra: str) -> dict[str, str]:
    """Return this process's environment without BETTERPLACE_* variables, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BETTERPLACE_")}
    env.update(extra)
    return env


# asyncio's debug mode (on under PYTHONDEVMODE=1, as in CI) reports callbacks slower than
# 0.1 s on stderr. Those lines depend on the machine's speed, not on the command.
# PYTHONDEVMODE turns on asyncio's debug mode, which reports any step over 0.1 s: on a
# loaded machine (or under coverage) that is noise, never the command's own output.
_SLOW_CALLBACK = re.compile(r"^Executing <.*> took \d+\.\d+ seconds\r?\n?", re.MULTILINE)


def fake_env(fake: Any) -> dict[str, str]:
    """Return an environment that points the command at an in-process ``FakeBetterplace``."""
    return clean_env(
        BETTERPLACE_BASE_URL=fake.base_url,
        BETTERPLACE_CLIENT_ID=fake.client_id,
        BETTERPLACE_USERNAME=fake.username,
        BETTERPLACE_PASSWORD=fake.password,
    )


def clean_stderr(text: str) -> str:
    """Return stderr without asyncio's slow-callback reports."""
    return _SLOW_CALLBACK.sub("", text)


@attrs.frozen
class Result:
    """A finished command: exit status and its output as text."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        """The non-empty lines written to stderr."""
        return [line for line in self.err.splitlines() if line.strip()]


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Result:
    """Run ``python -m betterplace_async ARGS`` and wait for it (the API must run elsewhere)."""
    done = subprocess.run(
        [*CLI, *args],
        env=clean_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(done.returncode, done.stdout, clean_stderr(done.stderr))


async def run_cli_async(*args: str, env: dict[str, str], seconds: float = 120) -> Result:
    """Like :func:`run_cli`, but awaitable, so a fake in this event loop keeps answering."""
    process = await asyncio.create_subprocess_exec(
        *CLI,
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), seconds)
    except BaseException:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return Result(process.returncode, out.decode(), clean_stderr(err.decode()))


@attrs.frozen
class ServedFake:
    """A ``betterplace serve-fake`` process and how to reach it."""

    base_url: str
    client_id: str
    username: str
    password: str
    pid: int

    def release_page(self) -> None:
        """Let one more held list page through (``--hold-after-pages``)."""
        os.kill(self.pid, signal.SIGUSR1)

    def release(self) -> None:
        """Lift the page hold (``--hold-after-pages``)."""
        os.kill(self.pid, signal.SIGUSR2)

    def env(self, **extra: str) -> dict[str, str]:
        """Return an environment that points the command at this fake."""
        settings = {
            "BETTERPLACE_BASE_URL": self.base_url,
            "BETTERPLACE_CLIENT_ID": self.client_id,
            "BETTERPLACE_USERNAME": self.username,
            "BETTERPLACE_PASSWORD": self.password,
        }
        return clean_env(**(settings | extra))

    def get(self, path: str, **query: int | str) -> Any:
        """GET an API path with the client's credentials, without the SDK; return the JSON."""
        text = "&".join(f"{key}={value}" for key, value in query.items())
        request = urllib.request.Request(
            f"{self.base_url}/de/api_v4/{path}?{text}",
            headers={
                "Authorization": "Basic "
                + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def records(self, path: str, *, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Yield every record of a list, page by page (200 each), as the server sends them."""
        page, seen = 1, 0
        while True:
            body = self.get(path, page=page, per_page=200)
            for record in body["data"]:
                if limit is not None and seen >= limit:
                    return
                seen += 1
                yield record
            if page >= body["total_pages"]:
                return
            page += 1


@contextmanager
def serve_fake(*options: str) -> Iterator[ServedFake]:
    """Run ``betterplace serve-fake OPTIONS`` until the block ends."""
    process = subprocess.Popen(
        [*CLI, "serve-fake", *options],
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        fields = dict(part.split("=", 1) for part in line.split())
        if "BASE_URL" not in fields:
            raise RuntimeError(f"serve-fake did not start: {line!r}")
        yield ServedFake(
            fields["BASE_URL"],
            fields["CLIENT_ID"],
            fields["USERNAME"],
            fields["PASSWORD"],
            process.pid,
        )
    finally:
        process.terminate()
        process.communicate(timeout=30)


def line_digest(line: bytes) -> bytes:
    """Return a short digest of one JSONL line (without its newline)."""
    return hashlib.blake2b(line, digest_size=12).digest()


def record_digest(record: dict[str, Any]) -> bytes:
    """Return the digest of the line the export should write for ``record``."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return line_digest(text.encode("utf-8"))


def file_digests(path: Path) -> list[bytes]:
    """Return the digest of every line of a JSONL file; a cut-off last line fails."""
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), "the file ends inside a line"
    return [line_digest(line) for line in data.split(b"\n")[:-1]]


def summary_of(result: Result) -> str:
    """Return the one line an export writes on stderr when stderr is not a terminal."""
    (line,) = result.err_lines
    assert line.startswith("exported "), result.err
    return line
