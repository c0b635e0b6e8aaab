"""The fake's state and knobs, independent of any running server.

``FakeState`` is what handlers read and tests steer: seeded data, pledges, the ledger, the
request log, latency, faults and live data changes. Every knob is a plain attribute (or a
method) and may be changed while requests are being served.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from typing import Literal, TypedDict

import attrs

from betterplace_async.testing.data.catalog import Catalog
from betterplace_async.testing.data.donations import ClientDonations, ListOrder
from betterplace_async.testing.data.seed import EPOCH, h64
from betterplace_async.testing.state.capacity import Capacity
from betterplace_async.testing.state.clock import Clock
from betterplace_async.testing.state.faults import FaultLike, FaultPlan
from betterplace_async.testing.state.hold import PageHold
from betterplace_async.testing.state.ledger import Ledger, RequestRecord
from betterplace_async.testing.state.pledges import FAILURE_CODES, Pledge, PledgeDesk, process

LocationMode = Literal["status", "client_donation"]
"""What the ``location`` link of an accepted submission points at."""


@attrs.define
class Churn:
    """Live changes applied after each served page of a list.

    ``inserts`` new records arrive at the list's newest end; ``revokes`` records are removed
    at random positions, or among the newest ``revoke_within`` records when that is set.
    """

    inserts: int = 0
    revokes: int = 0
    revoke_within: int | None = None


@attrs.define
class PoolAccount:
    """The client's donation pool; ``exists=False`` makes pool operations fail."""

    exists: bool = True
    id: int = 1
    donated_amount_in_cents: int = 0
    forwarded_amount_in_cents: int = 0

    @property
    def balance_in_cents(self) -> int:
        """Return what is left to forward."""
        return self.donated_amount_in_cents - self.forwarded_amount_in_cents


class FakeOptions(TypedDict, total=False):
    """The keyword arguments of ``FakeState`` (see there)."""

    seed: int
    projects: int
    client_donations: int
    organisations: int | None
    fundraising_events: int
    matching_funds: int
    client_id: str
    username: str
    password: str
    latency: float | tuple[float, float]
    processing_delay: float
    location_mode: LocationMode
    clock: Clock | None
    fault_rate: float
    fault_kinds: Sequence[FaultLike]
    fault_path: str | None
    fault_script: Sequence[FaultLike]
    client_donations_churn: Churn | None
    client_donations_order: ListOrder
    client_donations_spacing: float
    client_donations_newest_at: float | None
    projects_churn: Churn | None
    pool_balance_in_cents: int
    has_pool: bool
    redirect_prohibited_pledges: bool
    capacity: int | None
    queue_limit: int | None
    service_time: float


class FakeState:
    """Seeded data plus every knob of the fake server.

    Sizes: ``projects`` (ids 1..n, about three in four in the client's scope),
    ``client_donations`` (generated on demand, so millions are cheap), ``organisations``
    (default: one per five projects), ``fundraising_events``, ``matching_funds``.
    ``latency`` is seconds per request, fixed or a ``(min, max)`` range drawn from a seeded
    generator. ``processing_delay`` is the seconds (on ``clock``) from a pledge's submission to
    its outcome. ``location_mode`` picks what the ``location`` link of a 202 points at: the
    status endpoint (``"status"``) or the client donation (``"client_donation"``).
    ``fault_rate``/``fault_kinds``/``fault_path`` and ``fault_script`` preset ``faults``;
    the churn options preset the live changes applied after each served list page.
    ``client_donations_order`` lists client donations ``"newest_first"`` (new ones arrive at
    the head) or ``"oldest_first"`` (new ones arrive at the tail); seeded donations lie
    ``client_donations_spacing`` seconds apart, the newest at ``client_donations_newest_at``
    (POSIX seconds; None starts the oldest on 2021-01-01).
    ``capacity``/``queue_limit``/``service_time`` preset :attr:`capacity` (a
    :class:`~betterplace_async.testing.state.capacity.Capacity`: K requests served at once,
    a bounded queue, 503 with ``Retry-After`` beyond it).
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        projects: int = 40,
        client_donations: int = 250,
        organisations: int | None = None,
        fundraising_events: int = 8,
        matching_funds: int = 4,
        client_id: str = "fake-client",
        username: str = "fake-user",
        password: str = "fake-password",
        latency: float | tuple[float, float] = 0.0,
        processing_delay: float = 0.0,
        location_mode: LocationMode = "status",
        clock: Clock | None = None,
        fault_rate: float = 0.0,
        fault_kinds: Sequence[FaultLike] = ("500", "502", "503"),
        fault_path: str | None = None,
        fault_script: Sequence[FaultLike] = (),
        client_donations_churn: Churn | None = None,
        client_donations_order: ListOrder = "newest_first",
        client_donations_spacing: float = 30.0,
        client_donations_newest_at: float | None = None,
        projects_churn: Churn | None = None,
        pool_balance_in_cents: int = 1_000_000,
        has_pool: bool = True,
        redirect_prohibited_pledges: bool = True,
        capacity: int | None = None,
        queue_limit: int | None = None,
        service_time: float = 0.0,
    ) -> None:
        if min(projects, client_donations, fundraising_events, matching_funds) < 0:
            raise ValueError("sizes must not be negative")
        if location_mode not in ("status", "client_donation"):
            raise ValueError(
                f"location_mode must be 'status' or 'client_donation', not {location_mode!r}"
            )
        self.seed = seed
        self.client_id = client_id
        self.username = username
        self.password = password
        self.latency = latency
        self.processing_delay = processing_delay
        self.location_mode: LocationMode = location_mode
        self.clock: Clock = clock or time.time
        self.redirect_prohibited_pledges = redirect_prohibited_pledges
        self.faults = FaultPlan(rng=random.Random(seed * 3 + 1), clock=lambda: self.clock())
        self.faults.set_rate(fault_rate, kinds=fault_kinds, path=fault_path)
        self.faults.script(*fault_script)
        self.client_donations_churn = client_donations_churn or Churn()
        self.projects_churn = projects_churn or Churn()
        self.capacity = Capacity(capacity, queue_limit, service_time)
        self.hold = PageHold()
        self.requests: list[RequestRecord] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.pool = PoolAccount(
            exists=has_pool,
            donated_amount_in_cents=pool_balance_in_cents + 250_000,
            forwarded_amount_in_cents=250_000,
        )
        self.pool_created = EPOCH + 86_400 * 30
        self.catalog = Catalog(
            seed=seed,
            projects=projects,
            organisations=max(1, projects // 5) if organisations is None else organisations,
            fundraising_events=fundraising_events,
            matching_funds=matching_funds,
            client_id=client_id,
        )
        self._initial_projects = projects
        self._client_events = [e.id for e in self.catalog.events() if e.in_client]
        self.donations = ClientDonations(
            seed=seed,
            count=client_donations,
            pick_project=self._pick_project,
            pick_event=self._pick_event,
            pool_id=self.pool.id,
            order=client_donations_order,
            spacing=client_donations_spacing,
            newest_at=client_donations_newest_at,
        )
        self.desk = PledgeDesk()
        self.ledger_before_settling = Ledger()
        self._latency_rng = random.Random(seed * 3 + 2)
        self._churn_rng = random.Random(seed * 3 + 3)

    # -- seeded receivers ---------------------------------------------------------------------

    def _pick_project(self, h: int) -> int | None:
        count = self._initial_projects
        for step in range(64 if count else 0):
            pid = 1 + (h + step) % count
            project = self.catalog.project(pid, include_revoked=True)
            if project is not None and project.in_client:
                return pid
        return None

    def _pick_event(self, h: int) -> int | None:
        events = self._client_events
        return events[h % len(events)] if events else None

    # -- knobs --------------------------------------------------------------------------------

    def request_latency(self) -> float:
        """Return the delay for the next request, in seconds."""
        if isinstance(self.latency, tuple):
            low, high = self.latency
            return self._latency_rng.uniform(low, high)
        return float(self.latency)

    @property
    def ledger(self) -> Ledger:
        """Return the ledger after settling every pledge that is due.

        ``ledger_before_settling`` is the same object without settling first.
        """
        self.settle()
        return self.ledger_before_settling

    def clear_requests(self) -> None:
        """Forget the request log and reset the in-flight maximum."""
        self.requests.clear()
        self.max_in_flight = self.in_flight

    def fail_pledge(self, client_reference: str, code: str, reason: str | None = None) -> None:
        """Make the pledge with ``client_reference`` fail with ``code`` when it is processed."""
        if code not in FAILURE_CODES:
            raise ValueError(f"unknown failure code {code!r}; known: {', '.join(FAILURE_CODES)}")
        self.desk.forced[client_reference] = (code, reason or f"Forced failure: {code}")

    @property
    def pledges(self) -> list[Pledge]:
        """Return every (settled) pledge and forwarding request in submission order."""
        self.settle()
        return self.desk.all()

    def pledge(self, client_reference: str) -> Pledge | None:
        """Return the (settled) pledge or forwarding request that used ``client_reference``."""
        self.settle()
        return self.desk.by_reference(client_reference)

    def projects_where(
        self,
        *,
        in_client_scope: bool | None = None,
        prohibited: bool | None = None,
        closed: bool | None = None,
    ) -> list[int]:
        """Return the ids of visible projects with the given properties, ascending."""
        found = [
            p.id
            for p in self.catalog.projects()
            if in_client_scope in (None, p.in_client)
            and prohibited in (None, p.prohibited)
            and closed in (None, p.closed_at is not None)
        ]
        return sorted(found)

    # -- live data ----------------------------------------------------------------------------

    def insert_client_donations(
        self, count: int = 1, *, amount_in_cents: int | None = None, project_id: int | None = None
    ) -> list[str]:
        """Add donations at the newest end of the client donations list; return their tokens."""
        tokens = []
        for _ in range(count):
            seq = self.donations.next_seq
            h = h64(self.seed, "inserted", seq)
            receiver = project_id or self._pick_project(h)
            facts = self.donations.append(
                amount=amount_in_cents or 100 * (1 + h % 200),
                receiver_type="Project" if receiver else "Pool",
                receiver_id=receiver or self.pool.id,
                created=self.clock(),
            )
            tokens.append(facts.token)
        return tokens

    def revoke_client_donations(self, *identities: str) -> int:
        """Revoke donations by token or client reference; return how many were visible."""
        revoked = 0
        for identity in identities:
            facts = self.donations.find(identity)
            if facts is not None and self.donations.revoke(facts.seq):
                revoked += 1
        return revoked

    def revoke_client_donations_at(self, *positions: int) -> list[str]:
        """Revoke the donations at list positions (0 is the first listed); return their tokens."""
        found = [self.donations.page(p, 1) for p in sorted(set(positions))]
        tokens = [page[0].token for page in found if page]
        self.revoke_client_donations(*tokens)
        return tokens

    def revoke_client_donations_aged(self, *ages: float) -> list[str]:
        """Revoke, per age in seconds, the newest visible donation created at or before
        ``clock() - age``; return their tokens (older ones where a pick was revoked already)."""
        tokens: list[str] = []
        for age in ages:
            seq = self._last_seq_created_by(self.clock() - age)
            while seq >= 0 and not self.revoke_client_donations(self.donations.token(seq)):
                seq -= 1
            if seq >= 0:
                tokens.append(self.donations.token(seq))
        return tokens

    def _last_seq_created_by(self, when: float) -> int:
        """Return the highest sequence number created at or before ``when`` (-1: none)."""
        lo, hi = -1, self.donations.next_seq - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.donations.facts(mid).created <= when:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def client_donation_tokens(self) -> Iterator[str]:
        """Yield the token of every visible client donation in list order."""
        return self.donations.iter_tokens()

    def insert_projects(self, count: int = 1) -> list[int]:
        """Add projects at the head of the default project order; return their ids."""
        return self.catalog.insert_projects(count, self.clock())

    def revoke_projects(self, *ids: int) -> None:
        """Remove projects from every list and detail endpoint."""
        self.catalog.revoke_projects(ids)

    def apply_churn(self, collection: Literal["client_donations", "projects"]) -> None:
        """Apply the configured churn after a page of ``collection`` was served."""
        if collection == "client_donations":
            churn = self.client_donations_churn
            total = self.donations.total
            if churn.revokes and total:
                span = min(total, churn.revoke_within or total)
                newest_first = self.donations.order == "newest_first"
                positions = {
                    (r if newest_first else total - 1 - r)
                    for r in (self._churn_rng.randrange(span) for _ in range(churn.revokes))
                }
                self.revoke_client_donations_at(*positions)
            if churn.inserts:
                self.insert_client_donations(churn.inserts)
            return
        churn = self.projects_churn
        visible = self.catalog.projects()
        if churn.revokes and visible:
            victims = {self._churn_rng.choice(visible).id for _ in range(churn.revokes)}
            self.revoke_projects(*victims)
        if churn.inserts:
            self.insert_projects(churn.inserts)

    # -- pledge processing --------------------------------------------------------------------

    def settle(self) -> None:
        """Process every pledge whose delay is over, oldest first."""
        now = self.clock()
        while (pledge := self.desk.pop_due(now)) is not None:
            process(self, pledge)
