"""Starting and stopping: the context manager, make_app, the pytest plugin and serve.py."""

from __future__ import annotations

import asyncio
import re
import signal
import sys

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from fake_server_helpers import basic_auth

import betterplace_async.testing as testing
from betterplace_async.testing import FakeBetterplace, FakeState, make_app
from betterplace_async.testing.pytest_plugin import Factory


def test_all_is_complete() -> None:
    public = {name for name in vars(testing) if not name.startswith("_")}
    modules = {name for name in public if type(vars(testing)[name]).__name__ == "module"}
    assert set(testing.__all__) == public - modules - {"annotations"}


async def test_starts_on_a_free_loopback_port_and_stops_cleanly() -> None:
    fake = FakeBetterplace(seed=1)
    with pytest.raises(RuntimeError, match="not running"):
        _ = fake.base_url
    async with fake, aiohttp.ClientSession() as session:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", fake.base_url)
        assert fake.port != 0
        url = fake.api_url("projects.json")
        async with session.get(url) as response:
            assert response.status == 200
        with pytest.raises(RuntimeError, match="already running"):
            await fake.start()
    assert asyncio.all_tasks() == {asyncio.current_task()}
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(url)
    await fake.close()  # closing twice is harmless


async def test_two_fakes_side_by_side() -> None:
    async with FakeBetterplace() as one, FakeBetterplace() as two:
        assert one.base_url != two.base_url


async def test_make_app_in_a_test_server() -> None:
    state = FakeState(seed=4, projects=5, client_donations=3)
    async with TestServer(make_app(state)) as server, aiohttp.ClientSession() as session:
        async with session.get(server.make_url("/en/api_v4/projects.json")) as response:
            body = await response.json()
        assert body["total_entries"] == 5
        assert body["data"][0]["links"][0]["href"].startswith(str(server.make_url("/en/api_v4/")))
    assert len(state.requests) == 1


async def test_plugin_fixture(fake_betterplace: FakeBetterplace) -> None:
    async with aiohttp.ClientSession() as session:
        url = fake_betterplace.api_url("projects.json")
        async with session.get(url) as response:
            assert (await response.json())["total_entries"] == 40


async def test_plugin_factory(fake_betterplace_factory: Factory) -> None:
    fake = await fake_betterplace_factory(client_donations=3, location_mode="client_donation")
    assert fake.state.donations.total == 3
    assert fake.location_mode == "client_donation"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_serve_prints_the_line_and_stops_on_signal(signum: signal.Signals) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "betterplace_async.testing.serve",
        "--port",
        "0",
        "--seed",
        "5",
        "--projects",
        "12",
        "--client-donations",
        "30",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), timeout=30)).decode()
        match = re.fullmatch(
            r"BASE_URL=(http://127\.0\.0\.1:\d+) CLIENT_ID=(\S+) USERNAME=(\S+) PASSWORD=(\S+)\n",
            line,
        )
        assert match, line
        base_url, client_id, user, password = match.groups()
        async with aiohttp.ClientSession() as session:
            url = f"{base_url}/de/api_v4/clients/{client_id}/client_donations.json"
            async with session.get(url, headers=basic_auth(user, password)) as response:
                assert (await response.json())["total_entries"] == 30
        proc.send_signal(signum)
        stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
        assert proc.returncode == 0, stderr
        assert stdout == b""
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


def test_serve_rejects_a_bad_fault_rate(capsys: pytest.CaptureFixture[str]) -> None:
    from betterplace_async.testing.serve import main

    assert main(["--fault-rate", "2"]) == 2
    assert "fault-rate" in capsys.readouterr().err
