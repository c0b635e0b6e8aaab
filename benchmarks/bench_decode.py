"""Row 2: typed decode of list pages, bytes in, typed records out (no HTTP).

Bodies are pages of 200 client donations and 200 projects as the fake server renders them.
Three decoders see the same bytes:

* the SDK: ``decode_json`` (orjson when installed) then ``structure_page`` with the converter
  of ``make_converter()``, exactly what ``Requester.get_page`` runs per page;
* pydantic v2: ``PageModel.model_validate_json`` of models with the same fields and types
  (aware datetimes, int cents, optional fields, frozen), defined below;
* ``json.loads`` alone: the floor (parsing, no types).

Before timing, every record the SDK decoded is compared field by field with pydantic's, so
both do the same work. The timing runs in a fresh child process with the setup's objects
frozen out of garbage collection (see :func:`measure`). Run alone:
``python -m benchmarks.bench_decode [--quick]``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import aiohttp
import attrs
from pydantic import AwareDatetime, BaseModel, ConfigDict

from betterplace_async._core.converter import make_converter
from betterplace_async._core.decode import structure_page
from betterplace_async._core.protocol import decode_json
from betterplace_async.models import ClientDonation, Project
from betterplace_async.models.common import Links
from betterplace_async.testing import FakeBetterplace

from ._common import Row, Section, at_least, fmt, median, run_child, spread, standalone

MODULE = "benchmarks.bench_decode"
PER_PAGE = 200


# -- pydantic models mirroring the SDK's attrs models ----------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class PLink(_Model):
    rel: str
    href: str
    templated: bool = False


class PPicture(_Model):
    links: tuple[PLink, ...] = ()
    fallback: bool | None = None


class PContact(_Model):
    id: int | None = None
    name: str | None = None
    picture: PPicture | None = None
    links: tuple[PLink, ...] = ()


class PCarrier(_Model):
    id: int | None = None
    name: str | None = None
    city: str | None = None
    country: str | None = None
    picture: PPicture | None = None
    links: tuple[PLink, ...] = ()


class PClientDonation(_Model):
    token: str | None = None
    client_reference: str | None = None
    state: str | None = None
    amount_in_cents: int | None = None
    created_at: AwareDatetime | None = None
    receiver_type: str | None = None
    receiver_id: int | None = None
    receiver_title: str | None = None
    message: str | None = None
    donor: PContact | None = None
    links: tuple[PLink, ...] = ()


class PMatchingEvent(_Model):
    id: int
    matching_percentage: float | None = None
    banner_background_color: str | None = None
    banner_text_color: str | None = None
    links: tuple[PLink, ...] = ()


class PMatchingFund(_Model):
    id: int
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    activated_at: AwareDatetime | None = None
    title: str | None = None
    description: str | None = None
    company_name: str | None = None
    client_id: str | None = None
    provided_amount_in_cents: int | None = None
    donated_amount_in_cents: int | None = None
    state: str | None = None
    logo_url: str | None = None
    maximum_matching_amount_in_cents: int | None = None
    links: tuple[PLink, ...] = ()


class PClosedNotice(_Model):
    text: str | None = None
    links: tuple[PLink, ...] = ()


class PProject(_Model):
    id: int
    title: str | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    content_updated_at: AwareDatetime | None = None
    activated_at: AwareDatetime | None = None
    completed_at: AwareDatetime | None = None
    closed_at: AwareDatetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None
    description: str | None = None
    summary: str | None = None
    tax_deductible: bool | None = None
    donations_prohibited: bool | None = None
    open_amount_in_cents: int | None = None
    donated_amount_in_cents: int | None = None
    positive_opinions_count: int | None = None
    negative_opinions_count: int | None = None
    donations_count: int | None = None
    newsletter_subscriptions_count: int | None = None
    comments_count: int | None = None
    donor_count: int | None = None
    progress_percentage: float | None = None
    incomplete_need_count: int | None = None
    completed_need_count: int | None = None
    blog_post_count: int | None = None
    around_distance: float | None = None
    matching_events: tuple[PMatchingEvent, ...] = ()
    contact: PContact | None = None
    carrier: PCarrier | None = None
    profile_picture: PPicture | None = None
    active_matching_fund: PMatchingFund | None = None
    closed_notice: PClosedNotice | None = None
    name: str | None = None
    picture: PPicture | None = None
    outstanding_amount_in_cents: int | None = None
    news_count: int | None = None
    number_of_all_unique_supporters: int | None = None
    positive_opinions_with_donations_count: int | None = None
    positive_opinions_without_donations_count: int | None = None
    links: tuple[PLink, ...] = ()


class PDonationPage(_Model):
    data: tuple[PClientDonation, ...] = ()
    total_entries: int | None = None
    offset: int | None = None
    total_pages: int | None = None
    current_page: int | None = None
    per_page: int | None = None


class PProjectPage(_Model):
    data: tuple[PProject, ...] = ()
    total_entries: int | None = None
    offset: int | None = None
    total_pages: int | None = None
    current_page: int | None = None
    per_page: int | None = None


# -- bodies ---------------------------------------------------------------------------------


async def fetch_bodies(pages: int) -> dict[str, list[bytes]]:
    """Return ``pages`` full pages (200 records) of client donations and of projects."""
    async with (
        FakeBetterplace(
            seed=1, projects=PER_PAGE * pages + 1, client_donations=PER_PAGE * pages
        ) as fake,
        aiohttp.ClientSession() as session,
    ):
        import base64

        token = base64.b64encode(f"{fake.username}:{fake.password}".encode()).decode()
        headers = {"Authorization": f"Basic {token}"}
        out: dict[str, list[bytes]] = {"donations": [], "projects": []}
        for page in range(1, pages + 1):
            query = {"per_page": PER_PAGE, "page": page}
            url = fake.api_url(f"clients/{fake.client_id}/client_donations.json")
            async with session.get(url, params=query, headers=headers) as resp:
                resp.raise_for_status()
                out["donations"].append(await resp.read())
            async with session.get(fake.api_url("projects.json"), params=query) as resp:
                resp.raise_for_status()
                out["projects"].append(await resp.read())
        for kind, bodies in out.items():
            for body in bodies:
                if len(json.loads(body)["data"]) != PER_PAGE:
                    raise RuntimeError(f"a {kind} page does not hold {PER_PAGE} records")
        return out


# -- equivalence check ----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Reduce an attrs or pydantic record to plain, comparable Python data."""
    if isinstance(value, BaseModel):
        return {k: _plain(getattr(value, k)) for k in type(value).model_fields}
    if isinstance(value, Links):
        return [_plain(link) for link in value]
    if attrs.has(type(value)):
        return {a.name: _plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def check_equivalent(body: bytes, model: type[Any], pmodel: type[BaseModel]) -> int:
    """Decode ``body`` both ways and fail unless every record agrees field by field."""
    converter = make_converter()
    ours = structure_page(converter, decode_json(body, method="GET", url="", status=200), model)
    theirs = pmodel.model_validate_json(body)
    left, right = _plain(ours.data), _plain(theirs.data)  # type: ignore[attr-defined]
    if left != right:
        for a, b in zip(left, right, strict=True):
            if a != b:
                diff = {k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)}
                raise AssertionError(f"SDK and pydantic disagree on {model.__name__}: {diff}")
    return len(left)


# -- timing ---------------------------------------------------------------------------------


def _rate(decode: Callable[[bytes], int], bodies: list[bytes], repeat: int) -> list[float]:
    """Return records/s of each of ``repeat`` passes over every body."""
    expected = PER_PAGE * len(bodies)
    rates = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        count = 0
        for body in bodies:
            count += decode(body)
        elapsed = time.perf_counter() - started
        if count != expected:
            raise AssertionError(f"decoded {count} records, expected {expected}")
        rates.append(expected / elapsed)
    return rates


def decoders(model: type[Any], pmodel: type[BaseModel]) -> dict[str, Callable[[bytes], int]]:
    """Return the decoders to compare; each returns how many records it decoded."""
    converter = make_converter()

    def sdk(body: bytes) -> int:
        data = decode_json(body, method="GET", url="", status=200)
        return len(structure_page(converter, data, model).data)

    def sdk_stdlib_json(body: bytes) -> int:
        return len(structure_page(converter, json.loads(body), model).data)

    def pydantic(body: bytes) -> int:
        return len(pmodel.model_validate_json(body).data)  # type: ignore[attr-defined]

    def plain_json(body: bytes) -> int:
        return len(json.loads(body)["data"])

    return {
        "sdk": sdk,
        "sdk_stdlib_json": sdk_stdlib_json,
        "pydantic": pydantic,
        "json": plain_json,
    }


def measure(quick: bool = False) -> dict[str, dict[str, list[float]]]:
    """Return records/s per decoder and kind, every pass (decoders take turns).

    Runs in a fresh child process. Garbage collection stays on, but everything that exists
    before timing starts (imports, bodies, the fake server's leftovers) is frozen with
    ``gc.freeze()``, so collections see only what the decoders allocate: otherwise a full
    collection over the benchmark's own heap landing in one decoder's pass swung pydantic's
    rate by 2x between runs.
    """
    bodies = asyncio.run(fetch_bodies(4 if quick else 8))
    repeat = 5 if quick else 15
    kinds = {"donations": (ClientDonation, PDonationPage), "projects": (Project, PProjectPage)}
    tables = {kind: decoders(model, pmodel) for kind, (model, pmodel) in kinds.items()}
    for kind, (model, pmodel) in kinds.items():
        for body in bodies[kind]:
            check_equivalent(body, model, pmodel)
        for decode in tables[kind].values():  # warm up: hooks are generated on first use
            _rate(decode, bodies[kind][:1], 1)
    gc.collect()
    gc.freeze()
    results: dict[str, dict[str, list[float]]] = {
        kind: {name: [] for name in table} for kind, table in tables.items()
    }
    for _ in range(repeat):
        for kind, table in tables.items():
            for name, decode in table.items():
                results[kind][name] += _rate(decode, bodies[kind], 1)
    return results


def child(argv: list[str]) -> int:
    """Measure in this (fresh) process and print the runs as JSON."""
    results = measure("--quick" in argv)
    print(json.dumps(results))
    return 0


def run(quick: bool = False) -> Section:
    """Measure (in a child process) and return the rows of this benchmark."""
    results = run_child(MODULE, ["--quick"] if quick else [])
    section = Section()
    for kind, runs in results.items():
        rate = {name: median(values) for name, values in runs.items()}
        ratio = rate["sdk"] / rate["pydantic"]
        target, met = at_least(ratio, 1.0)
        section.rows.append(
            Row(
                "2",
                f"decode {kind} pages: SDK / pydantic v2 model_validate_json",
                f"{fmt(rate['sdk'])} vs {fmt(rate['pydantic'])} rec/s",
                ratio,
                target,
                met,
            )
        )
        section.rows.append(
            Row(
                "2",
                f"decode {kind} pages: SDK / json.loads only (floor, untyped)",
                f"{fmt(rate['sdk'])} vs {fmt(rate['json'])} rec/s",
                rate["sdk"] / rate["json"],
            )
        )
        section.details.append(
            f"decode {kind}: "
            + "; ".join(f"{name} {fmt(rate[name])} rec/s ({spread(runs[name])})" for name in runs)
        )
    return section


def main(argv: list[str] | None = None) -> int:
    """Run this benchmark alone (or the measuring child with ``--child``)."""
    return standalone(argv, "typed decode benchmark (row 2)", run, child)


if __name__ == "__main__":
    sys.exit(main())
