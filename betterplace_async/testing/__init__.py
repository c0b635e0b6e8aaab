"""A fake betterplace.org API v4 server for tests, demos and benchmarks.

``FakeBetterplace`` serves seeded, deterministic data for every documented endpoint on a free
loopback port::

    async with FakeBetterplace(seed=1, projects=500, client_donations=100_000) as fake:
        url = fake.api_url("projects.json")          # http://127.0.0.1:PORT/de/api_v4/...
        fake.latency = (0.001, 0.005)                # knobs work while it serves
        fake.faults.script("503", "reset_after")     # the next two requests fail
        fake.processing_delay = 2.0                  # pledges stay pending for 2 s (on fake.clock)

``make_app(FakeState(...))`` gives the same API as an ``aiohttp.web.Application`` to mount in
``aiohttp.test_utils.TestServer``. The pytest plugin provides the ``fake_betterplace`` fixture.
"""

from betterplace_async.testing.app import make_app
from betterplace_async.testing.fake import FakeBetterplace
from betterplace_async.testing.http.context import STATE
from betterplace_async.testing.state.clock import FakeClock
from betterplace_async.testing.state.fake_state import (
    Churn,
    FakeOptions,
    FakeState,
    LocationMode,
    PoolAccount,
)
from betterplace_async.testing.state.faults import Fault, FaultKind, FaultPlan
from betterplace_async.testing.state.ledger import Booking, Ledger, RequestRecord
from betterplace_async.testing.state.pledges import FAILURE_CODES, Pledge

__all__ = [
    "FAILURE_CODES",
    "STATE",
    "Booking",
    "Churn",
    "FakeBetterplace",
    "FakeClock",
    "FakeOptions",
    "FakeState",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "Ledger",
    "LocationMode",
    "Pledge",
    "PoolAccount",
    "RequestRecord",
    "make_app",
]
