"""Seeded facts about each entity: the numbers and flags records are rendered from.

A facts object holds what filters, sorting and statistics need; rendering to the documented JSON
shape happens in ``_records``. Each ``make_*`` function is pure in ``(seed, id)``.
"""

from __future__ import annotations

import attrs

from betterplace_async.testing.data.seed import DAY, EPOCH, h64, pick

# city, zip, latitude, longitude, country (de), country (en)
CITIES = (
    ("Berlin", "10997", 52.49, 13.45, "Deutschland", "Germany"),
    ("Hamburg", "20095", 53.55, 10.0, "Deutschland", "Germany"),
    ("München", "80331", 48.137, 11.575, "Deutschland", "Germany"),
    ("Köln", "50667", 50.937, 6.96, "Deutschland", "Germany"),
    ("Leipzig", "04109", 51.34, 12.375, "Deutschland", "Germany"),
    ("Trier", "54290", 49.75, 6.64, "Deutschland", "Germany"),
    ("Kabul", "1001", 34.555, 69.207, "Afghanistan", "Afghanistan"),
    ("Nairobi", "00100", -1.286, 36.817, "Kenia", "Kenya"),
    ("Lima", "15001", -12.046, -77.043, "Peru", "Peru"),
    ("Wien", "1010", 48.208, 16.373, "Österreich", "Austria"),
)
PROJECT_TITLES = (
    "Clean water for {city}",
    "A school library in {city}",
    "Warm meals for children in {city}",
    "Wheelchairs for {city}",
    "Plant trees in {city}",
    "A skate park for {city}",
    "Winter aid in {city}",
    "Music lessons in {city}",
)
NEED_TITLES = ("Money for tools", "Teaching material", "Rent", "Transport", "Food packages")
CATEGORIES = (
    "Bildung",
    "Umwelt",
    "Kinder & Jugend",
    "Gesundheit",
    "Tierschutz",
    "Kultur",
    "Sport",
    "Katastrophenhilfe",
)
TAGS = ("Bildung", "Umwelt", "Region Trier", "Mitarbeiterprojekte", "Sport", "Weihnachten")
FIRST_NAMES = ("Anna", "Till", "Mira", "Jonas", "Lea", "Paul", "Emma", "Ali", "Sofia", "Ben")
LAST_NAMES = ("Behnke", "Schmidt", "Yilmaz", "Weber", "Fischer", "Nowak", "Klein", "Wolf")
MESSAGE_TEXTS = (
    "Keep up the great work!",
    "Für die Kinder.",
    "In memory of Oma Gerda",
    "Viel Erfolg!\nLiebe Grüße",
    "from the whole team &lt;3",
)
COMPANIES = ("Fressnapf", "OTTO", "Bergluft GmbH", "Volksfreund", "Wasserwerk AG")


@attrs.frozen
class NeedFacts:
    """One money need of a project."""

    id: int
    position: int
    created: int
    updated: int
    title: str
    requested: int
    donated: int

    @property
    def completed(self) -> bool:
        """Return whether the need is fully funded."""
        return self.donated >= self.requested


@attrs.frozen
class ProjectFacts:
    """A project; ``contact_id`` doubles as the id of its manager (a user)."""

    id: int
    created: int
    updated: int
    city: int
    latitude: float
    longitude: float
    street: str | None
    title: str
    needs: tuple[NeedFacts, ...]
    completed_at: int | None
    closed_at: int | None
    prohibited: bool
    donations_count: int
    donor_count: int
    opinions: int
    blog_posts: int
    pictures: int
    rank: int
    last_donation_at: int | None
    carrier_id: int | None
    category_ids: tuple[int, ...]
    tag_ids: tuple[int, ...]
    in_client: bool
    has_picture: bool

    @property
    def contact_id(self) -> int:
        """Return the id of the managing user."""
        return self.id

    @property
    def requested(self) -> int:
        """Return the sum requested by all needs, in cents."""
        return sum(n.requested for n in self.needs)

    @property
    def donated(self) -> int:
        """Return the sum donated to all needs, in cents."""
        return sum(n.donated for n in self.needs)

    @property
    def progress(self) -> int:
        """Return the funded share as a whole percentage (0..100)."""
        return min(100, self.donated * 100 // max(1, self.requested))


def make_need(seed: int, project_id: int, position: int, created: int) -> NeedFacts:
    """Return need number ``position`` (0-based) of a project."""
    h = h64(seed, "need", project_id * 16 + position)
    requested = (1 + pick(h, 0, 40)) * 2500
    share = pick(h, 8, 130)  # some needs end up over-funded, as on the platform
    donated = min(requested * share // 100, requested * 2) if share < 115 else requested
    return NeedFacts(
        id=project_id * 10 + position + 1,
        position=position + 1,
        created=created + position * 600,
        updated=created + DAY * (1 + pick(h, 16, 200)),
        title=NEED_TITLES[pick(h, 24, len(NEED_TITLES))],
        requested=requested,
        donated=donated,
    )


def make_project(
    seed: int, project_id: int, *, organisations: int, spacing: int, created: int | None = None
) -> ProjectFacts:
    """Return the facts of project ``project_id``; seeded ones start ``spacing`` seconds apart."""
    h = h64(seed, "project", project_id)
    g = h64(seed, "project+", project_id)
    if created is None:
        created = EPOCH + project_id * spacing + pick(h, 0, spacing // 2)
    city = pick(h, 12, len(CITIES))
    _, _, lat, lng, _, _ = CITIES[city]
    needs = tuple(make_need(seed, project_id, j, created) for j in range(1 + pick(h, 16, 4)))
    closed = pick(h, 20, 100) < 6
    opinions = pick(g, 0, 31)
    donations = opinions + pick(g, 6, 10)
    all_done = all(n.completed for n in needs)
    category = 1 + pick(g, 10, len(CATEGORIES))
    second = 1 + pick(g, 14, len(CATEGORIES))
    in_client = pick(g, 18, 4) != 0
    return ProjectFacts(
        id=project_id,
        created=created,
        updated=created + DAY * (1 + pick(h, 24, 400)),
        city=city,
        latitude=round(lat + (pick(h, 32, 2001) - 1000) / 20000, 6),
        longitude=round(lng + (pick(h, 44, 2001) - 1000) / 20000, 6),
        street=None if pick(h, 56, 3) == 0 else f"Hauptstraße {1 + pick(h, 58, 99)}",
        title=PROJECT_TITLES[pick(g, 22, len(PROJECT_TITLES))].format(city=CITIES[city][0]),
        needs=needs,
        completed_at=max(n.updated for n in needs) if all_done else None,
        closed_at=created + DAY * (60 + pick(g, 26, 300)) if closed else None,
        prohibited=closed or pick(g, 36, 100) < 3,
        donations_count=donations,
        donor_count=max(0, donations - pick(g, 43, 3)),
        opinions=opinions,
        blog_posts=pick(g, 45, 4),
        pictures=pick(g, 47, 4),
        rank=pick(g, 49, 1000),
        last_donation_at=created + DAY * (1 + pick(h, 60, 15)) if donations else None,
        carrier_id=None
        if organisations == 0 or pick(g, 52, 20) == 0
        else 1 + (project_id - 1) % organisations,
        category_ids=(category,) if second == category else tuple(sorted((category, second))),
        tag_ids=tuple(t + 1 for t in range(len(TAGS)) if in_client and pick(g, 56 + t, 3) == 0),
        in_client=in_client,
        has_picture=pick(g, 54, 3) != 0,
    )


@attrs.frozen
class EventFacts:
    """A fundraising event."""

    id: int
    created: int
    updated: int
    title: str
    contact_id: int
    donated: int
    forwardings: tuple[tuple[int, int], ...]  # (project id, forwarded cents)
    requested: int | None
    closed_at: int | None
    prohibited: bool
    donations_count: int
    featured: tuple[int, ...]
    opinions: int
    blog_posts: int
    rank: int
    last_donation_at: int | None
    in_client: bool
    has_picture: bool

    @property
    def forwarded(self) -> int:
        """Return the sum forwarded to projects, in cents."""
        return sum(amount for _, amount in self.forwardings)


def make_event(seed: int, event_id: int, *, projects: int) -> EventFacts:
    """Return the facts of fundraising event ``event_id``."""
    h = h64(seed, "event", event_id)
    created = EPOCH + event_id * 11 * 3600 + pick(h, 0, 3600)
    city = CITIES[pick(h, 12, len(CITIES))][0]
    featured = (
        tuple(sorted({1 + pick(h, 16 + 6 * k, projects) for k in range(1 + pick(h, 14, 4))}))
        if projects
        else ()
    )
    donated = (1 + pick(h, 40, 60)) * 5000
    forwardings = tuple((pid, donated // (2 * len(featured))) for pid in featured[:2])
    closed = pick(h, 46, 10) == 0
    donations = pick(h, 50, 25)
    return EventFacts(
        id=event_id,
        created=created,
        updated=created + DAY * (1 + pick(h, 55, 90)),
        title=f"Run for {city} #{event_id}",
        contact_id=1 + (event_id - 1) % max(1, projects),
        donated=donated,
        forwardings=forwardings,
        requested=None if pick(h, 59, 2) else donated * 2,
        closed_at=created + DAY * 45 if closed else None,
        prohibited=closed,
        donations_count=donations,
        featured=featured,
        opinions=donations,
        blog_posts=pick(h, 61, 3),
        rank=pick(h, 20, 1000),
        last_donation_at=created + DAY * 3 if donations else None,
        in_client=pick(h, 30, 3) != 0,
        has_picture=pick(h, 34, 2) == 0,
    )


@attrs.frozen
class OrganisationFacts:
    """An organisation that carries projects."""

    id: int
    created: int
    name: str
    city: int
    street: str
    website: str


def make_organisation(seed: int, org_id: int) -> OrganisationFacts:
    """Return the facts of organisation ``org_id``."""
    h = h64(seed, "organisation", org_id)
    name = f"{LAST_NAMES[pick(h, 0, len(LAST_NAMES))]} Stiftung #{org_id}"
    return OrganisationFacts(
        id=org_id,
        created=EPOCH - DAY * (1 + pick(h, 8, 900)),
        name=name,
        city=pick(h, 20, len(CITIES)),
        street=f"Mainzer Straße {1 + pick(h, 28, 80)}",
        website="" if pick(h, 36, 3) == 0 else f"https://example.org/{org_id}",
    )


@attrs.frozen
class FundFacts:
    """A matching fund; a project takes part when ``member(project_id)``."""

    id: int
    seed: int
    created: int
    company: str
    client_id: str | None
    provided: int
    donated: int
    state: str

    def member(self, project_id: int) -> bool:
        """Return whether the project takes part in this fund."""
        return h64(self.seed, f"fund{self.id}", project_id) % 3 == 0


def make_fund(seed: int, fund_id: int, client_id: str) -> FundFacts:
    """Return the facts of matching fund ``fund_id``."""
    h = h64(seed, "fund", fund_id)
    provided = (1 + pick(h, 0, 20)) * 50_000
    state = "activated" if pick(h, 10, 3) else "closed"
    owner = pick(h, 12, 3)
    return FundFacts(
        id=fund_id,
        seed=seed,
        created=EPOCH + DAY * (fund_id * 20 + pick(h, 16, 20)),
        company=COMPANIES[pick(h, 24, len(COMPANIES))],
        client_id=client_id if owner == 0 else (None if owner == 1 else "other-client"),
        provided=provided,
        donated=provided if state == "closed" else provided * pick(h, 32, 100) // 100,
        state=state,
    )


def person_name(seed: int, user_id: int) -> tuple[str, str]:
    """Return the first and last name of user ``user_id``."""
    h = h64(seed, "user", user_id)
    return FIRST_NAMES[pick(h, 0, len(FIRST_NAMES))], LAST_NAMES[pick(h, 8, len(LAST_NAMES))]
