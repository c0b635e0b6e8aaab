"""Client donations: a million seeded records computed from their index, plus live changes.

Every donation has a sequence number ``seq``: seeded ones are ``0..seeded-1`` (oldest first),
inserted and booked ones continue from there, so ``created_at`` grows with ``seq``. The API docs
show both list orders, so the fake serves either: ``"newest_first"`` (a new record lands at the
head and shifts every later page) or ``"oldest_first"`` (a new record lands at the tail). Revoked
sequence numbers are skipped.

The token encodes ``seq`` (last 8 characters) behind a keyed hash (first 16), so looking a token
up needs no index. Seeded client references are ``fake-<seed>-<seq>``.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
from collections.abc import Callable, Iterator
from typing import Literal

import attrs

from betterplace_async.testing.data.facts import FIRST_NAMES, LAST_NAMES, MESSAGE_TEXTS
from betterplace_async.testing.data.seed import h64, pick

#: 2021-01-01T00:00:00Z; seeded donations follow each other about every 30 seconds.
DONATION_EPOCH = 1_609_459_200
AMOUNTS = (500, 1000, 2500, 5000, 1000, 2000, 10_000, 1500, 3000, 500, 25_000, 1000, 5000, 7500)
CYCLE = len(AMOUNTS) * 20  # amounts repeat every 14 records, event receivers every 20
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_DECODE = {c: i for i, c in enumerate(_ALPHABET)}

ListOrder = Literal["newest_first", "oldest_first"]
LIST_ORDERS: tuple[ListOrder, ...] = ("newest_first", "oldest_first")


@attrs.frozen
class DonationFacts:
    """One client donation. ``donor`` None means no donor object; receiver ids may be revoked."""

    seq: int
    token: str
    client_reference: str | None
    amount: int
    receiver_type: str  # "Project", "FundraisingEvent" or "Pool"
    receiver_id: int
    created: int
    message: str | None
    donor: str | None


@attrs.frozen
class Totals:
    """Count and sum of visible donations, split by receiver kind."""

    count: int
    amount: int
    event_count: int
    event_amount: int


class ClientDonations:
    """The client's donation list with O(log n) page access."""

    def __init__(
        self,
        *,
        seed: int,
        count: int,
        pick_project: Callable[[int], int | None],
        pick_event: Callable[[int], int | None],
        pool_id: int,
        order: ListOrder = "newest_first",
        spacing: float = 30.0,
        newest_at: float | None = None,
    ) -> None:
        if order not in LIST_ORDERS:
            raise ValueError(f"order must be one of {LIST_ORDERS}, not {order!r}")
        if not spacing >= 1:
            raise ValueError(f"spacing must be at least 1 second, not {spacing!r}")
        self.order: ListOrder = order
        self._spacing = float(spacing)
        self._jitter = min(int(spacing), 30)
        first = DONATION_EPOCH if newest_at is None else newest_at - (count - 1) * spacing
        self._first_created = int(first)
        self.seed = seed
        self.seeded = count
        self._pick_project = pick_project
        self._pick_event = pick_event
        self._pool_id = pool_id
        self._offset = seed % CYCLE
        self._extras: dict[int, DonationFacts] = {}
        # Seeded donations are pure functions of (seed, seq): each is made once, on first
        # read (about 400 bytes each), so serving a page costs its rendering, not hashing.
        self._made: dict[int, DonationFacts] = {}
        self._references: dict[str, int] = {}
        self._revoked: list[int] = []
        self._revoked_set: set[int] = set()
        self._prefix = f"fake-{seed}-"
        self._has_events = pick_event(0) is not None

    # -- identity -----------------------------------------------------------------------------

    def token(self, seq: int) -> str:
        """Return the token of ``seq``."""
        key = hashlib.blake2b(f"{self.seed}:token:{seq}".encode(), digest_size=12).digest()
        tail = "".join(_ALPHABET[(seq >> shift) & 63] for shift in range(42, -1, -6))
        return base64.urlsafe_b64encode(key).decode() + tail

    def _seq_of_token(self, token: str) -> int | None:
        if len(token) != 24 or any(c not in _DECODE for c in token[16:]):
            return None
        seq = 0
        for c in token[16:]:
            seq = seq * 64 + _DECODE[c]
        return seq if seq < self.next_seq and self.token(seq) == token else None

    def _seq_of_reference(self, reference: str) -> int | None:
        if reference in self._references:
            return self._references[reference]
        digits = reference.removeprefix(self._prefix)
        if digits != reference and digits.isdigit() and str(int(digits)).zfill(7) == digits:
            seq = int(digits)
            return seq if seq < self.seeded else None
        return None

    def find(self, identity: str) -> DonationFacts | None:
        """Return the visible donation with this token or client reference."""
        seq = self._seq_of_token(identity)
        if seq is None:
            seq = self._seq_of_reference(identity)
        if seq is None or seq in self._revoked_set:
            return None
        return self.facts(seq)

    # -- records ------------------------------------------------------------------------------

    @property
    def next_seq(self) -> int:
        """Return the sequence number the next inserted donation gets."""
        return self.seeded + len(self._extras)

    @property
    def total(self) -> int:
        """Return how many donations are visible."""
        return self.next_seq - len(self._revoked)

    def facts(self, seq: int) -> DonationFacts:
        """Return donation ``seq`` (visible or not)."""
        extra = self._extras.get(seq)
        if extra is not None:
            return extra
        made = self._made.get(seq)
        if made is None:
            made = self._made[seq] = self._seeded_facts(seq)
        return made

    def _seeded_facts(self, seq: int) -> DonationFacts:
        h = h64(self.seed, "donation", seq)
        amount, is_event = self._cycle(seq)
        receiver_type, receiver_id = "Project", self._pick_project(h)
        if is_event:
            receiver_type, receiver_id = "FundraisingEvent", self._pick_event(h)
        if receiver_id is None:
            receiver_type, receiver_id = "Pool", self._pool_id
        donor_kind = pick(h, 40, 20)
        return DonationFacts(
            seq=seq,
            token=self.token(seq),
            client_reference=f"{self._prefix}{seq:07d}",
            amount=amount,
            receiver_type=receiver_type,
            receiver_id=receiver_id,
            created=self._first_created + int(seq * self._spacing) + pick(h, 0, self._jitter),
            message=None if pick(h, 8, 5) < 2 else MESSAGE_TEXTS[pick(h, 12, len(MESSAGE_TEXTS))],
            donor=None
            if donor_kind == 0
            else "Anonym"
            if donor_kind < 6
            else f"{FIRST_NAMES[pick(h, 20, 10)]} {LAST_NAMES[pick(h, 28, 8)][0]}.",
        )

    def _cycle(self, seq: int) -> tuple[int, bool]:
        r = (seq + self._offset) % CYCLE
        return AMOUNTS[r % len(AMOUNTS)], self._has_events and r % 20 == 0

    def page(self, offset: int, limit: int) -> list[DonationFacts]:
        """Return up to ``limit`` visible donations starting at list position ``offset``."""
        if offset >= self.total or limit <= 0:
            return []
        found: list[DonationFacts] = []
        if self.order == "newest_first":
            seq, step, end = self._seq_at_from_newest(offset), -1, -1
        else:
            seq, step, end = self._seq_at_from_oldest(offset), 1, self.next_seq
        while seq != end and len(found) < limit:
            if seq not in self._revoked_set:
                found.append(self.facts(seq))
            seq += step
        return found

    def _seq_at_from_newest(self, position: int) -> int:
        """Return the sequence number of the ``position``-th newest visible donation (0-based)."""
        lo, hi = 0, self.next_seq - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            visible = (self.next_seq - mid) - (
                len(self._revoked) - bisect.bisect_left(self._revoked, mid)
            )
            if visible >= position + 1:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _seq_at_from_oldest(self, position: int) -> int:
        """Return the sequence number of the ``position``-th oldest visible donation (0-based)."""
        lo, hi = 0, self.next_seq - 1
        while lo < hi:
            mid = (lo + hi) // 2
            visible = (mid + 1) - bisect.bisect_right(self._revoked, mid)
            if visible >= position + 1:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def iter_tokens(self) -> Iterator[str]:
        """Yield the token of every visible donation in list order."""
        seqs = range(self.next_seq)
        for seq in reversed(seqs) if self.order == "newest_first" else seqs:
            if seq not in self._revoked_set:
                yield self.token(seq)

    # -- live changes -------------------------------------------------------------------------

    def append(
        self,
        *,
        amount: int,
        receiver_type: str,
        receiver_id: int,
        created: float,
        client_reference: str | None = None,
        message: str | None = None,
        donor: str | None = "Anonym",
    ) -> DonationFacts:
        """Add a donation at the newest end of the list (the head or the tail, by ``order``)."""
        seq = self.next_seq
        if client_reference is None:
            client_reference = f"{self._prefix}{seq:07d}"
        newest = self.facts(seq - 1).created if seq else 0
        facts = DonationFacts(
            seq=seq,
            token=self.token(seq),
            client_reference=client_reference,
            amount=amount,
            receiver_type=receiver_type,
            receiver_id=receiver_id,
            created=max(int(created), newest + 1),
            message=message,
            donor=donor,
        )
        self._extras[seq] = facts
        self._references[client_reference] = seq
        return facts

    def revoke(self, seq: int) -> bool:
        """Hide donation ``seq``; return False if it was not visible."""
        if seq >= self.next_seq or seq in self._revoked_set:
            return False
        bisect.insort(self._revoked, seq)
        self._revoked_set.add(seq)
        return True

    # -- statistics ---------------------------------------------------------------------------

    def totals(self) -> Totals:
        """Return count and amounts of the visible donations without visiting every record."""
        full, rest = divmod(self.seeded, CYCLE)
        count, amount, event_count, event_amount = 0, 0, 0, 0
        for seq in range(CYCLE):
            cents, is_event = self._cycle(seq)
            times = full + (1 if seq < rest else 0)
            amount += cents * times
            if is_event:
                event_count += times
                event_amount += cents * times
        count = self.seeded
        hidden = [self.facts(s) for s in self._revoked]
        for facts, sign in [(f, 1) for f in self._extras.values()] + [(f, -1) for f in hidden]:
            count += sign
            amount += sign * facts.amount
            if facts.receiver_type == "FundraisingEvent":
                event_count += sign
                event_amount += sign * facts.amount
        return Totals(count, amount, event_count, event_amount)
