"""``FakeBetterplace``: the public face of the fake, a state served on a loopback port.

The facade *has* a :class:`FakeState` (``fake.state``) and a loopback server; every knob and
method of the state is reachable on the facade as well, read and written through to the state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import Concatenate, Generic, ParamSpec, TypeVar, Unpack, overload

from betterplace_async.testing.app import make_app
from betterplace_async.testing.http.server import LoopbackServer
from betterplace_async.testing.state.capacity import Capacity
from betterplace_async.testing.state.clock import Clock
from betterplace_async.testing.state.fake_state import (
    Churn,
    FakeOptions,
    FakeState,
    LocationMode,
    PoolAccount,
)
from betterplace_async.testing.state.faults import FaultPlan
from betterplace_async.testing.state.ledger import Ledger, RequestRecord
from betterplace_async.testing.state.pledges import Pledge

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


class _Knob(Generic[T]):
    """A facade attribute that reads and writes the same attribute of the state."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> _Knob[T]: ...
    @overload
    def __get__(self, obj: FakeBetterplace, objtype: type | None = None) -> T: ...
    def __get__(self, obj: FakeBetterplace | None, objtype: type | None = None) -> T | _Knob[T]:
        if obj is None:
            return self
        value: T = getattr(obj.state, self.name)
        return value

    def __set__(self, obj: FakeBetterplace, value: T) -> None:
        setattr(obj.state, self.name, value)


def _on_state(
    method: Callable[Concatenate[FakeState, P], R],
) -> Callable[Concatenate[FakeBetterplace, P], R]:
    """Return a facade method that calls ``method`` on the facade's state."""

    @functools.wraps(method)
    def call(self: FakeBetterplace, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return method(self.state, *args, **kwargs)

    return call


class FakeBetterplace:
    """Serve the fake API on ``host`` (loopback) and a free port while the context is open.

    All knobs of :class:`FakeState` are attributes of this object and work while it serves
    (the state itself is ``fake.state``). Point a client at it with ``base_url=fake.base_url``,
    ``client_id=fake.client_id`` and ``auth=(fake.username, fake.password)``.

    Args:
        host: The address to listen on; keep it loopback.
        port: The port; 0 picks a free one (read ``port`` or ``base_url`` after start).
        **options: Every keyword of :class:`FakeState`: data sizes and seed, credentials,
            ``latency``, ``processing_delay``, ``location_mode``, ``clock``, preset faults
            and churn, the pool.
    """

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, **options: Unpack[FakeOptions]
    ) -> None:
        self.state = FakeState(**options)
        self.app = make_app(self.state)
        self._server = LoopbackServer(self.app, host, port)

    # -- the state's knobs and records, read and written through -------------------------------

    seed = _Knob[int]()
    client_id = _Knob[str]()
    username = _Knob[str]()
    password = _Knob[str]()
    latency = _Knob[float | tuple[float, float]]()
    processing_delay = _Knob[float]()
    location_mode = _Knob[LocationMode]()
    clock = _Knob[Clock]()
    redirect_prohibited_pledges = _Knob[bool]()
    faults = _Knob[FaultPlan]()
    client_donations_churn = _Knob[Churn]()
    projects_churn = _Knob[Churn]()
    capacity = _Knob[Capacity]()
    pool = _Knob[PoolAccount]()
    requests = _Knob[list[RequestRecord]]()
    in_flight = _Knob[int]()
    max_in_flight = _Knob[int]()
    ledger_before_settling = _Knob[Ledger]()

    @property
    def ledger(self) -> Ledger:
        """Return the ledger after settling every pledge that is due (see ``FakeState``)."""
        return self.state.ledger

    @property
    def pledges(self) -> list[Pledge]:
        """Return every (settled) pledge and forwarding request in submission order."""
        return self.state.pledges

    request_latency = _on_state(FakeState.request_latency)
    clear_requests = _on_state(FakeState.clear_requests)
    fail_pledge = _on_state(FakeState.fail_pledge)
    pledge = _on_state(FakeState.pledge)
    projects_where = _on_state(FakeState.projects_where)
    insert_client_donations = _on_state(FakeState.insert_client_donations)
    revoke_client_donations = _on_state(FakeState.revoke_client_donations)
    revoke_client_donations_at = _on_state(FakeState.revoke_client_donations_at)
    revoke_client_donations_aged = _on_state(FakeState.revoke_client_donations_aged)
    client_donation_tokens = _on_state(FakeState.client_donation_tokens)
    insert_projects = _on_state(FakeState.insert_projects)
    revoke_projects = _on_state(FakeState.revoke_projects)
    apply_churn = _on_state(FakeState.apply_churn)
    settle = _on_state(FakeState.settle)

    def hold_after(self, pages: int) -> None:
        """Answer pages 1 to ``pages`` of every list, then hold requests for later pages.

        Held requests wait (the client sees no answer) until :meth:`release`; use it to stop
        a client at a known point of a list, e.g. before sending it a signal.
        """
        self.state.hold.hold_after(pages)

    def release(self, pages: int | None = None) -> None:
        """Let ``pages`` more held pages through, or lift the hold entirely (``None``)."""
        self.state.hold.release(pages)

    # -- serving --------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """Return the address the server listens on."""
        return self._server.host

    @property
    def port(self) -> int:
        """Return the port; 0 before start when a free one is to be picked."""
        return self._server.port

    @property
    def base_url(self) -> str:
        """Return ``http://host:port``; API paths follow as ``/{locale}/api_v4/...json``."""
        if not self._server.running:
            raise RuntimeError("the fake server is not running; use 'async with' or start()")
        return f"http://{self.host}:{self.port}"

    def api_url(self, path: str, locale: str = "de") -> str:
        """Return the full URL of an API ``path`` such as ``"projects.json"``."""
        return f"{self.base_url}/{locale}/api_v4/{path.lstrip('/')}"

    async def start(self) -> None:
        """Start serving; the port is known afterwards."""
        await self._server.start()

    async def close(self) -> None:
        """Stop serving and close every connection."""
        await self._server.close()

    async def __aenter__(self) -> FakeBetterplace:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
