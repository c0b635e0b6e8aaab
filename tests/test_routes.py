"""The route table: which model a path returns, and which status endpoint a location names."""

from __future__ import annotations

import pytest

from betterplace_async._core import routes
from betterplace_async._core.routes import STATUS_RESOURCES, StatusLocation, status_location
from betterplace_async.models import ClientDonation, ForwardingRequest, PledgeStatus

BASE = "https://api.betterplace.org/de/api_v4/clients/acme"


@pytest.mark.parametrize(
    ("href", "target"),
    [
        pytest.param(f"{BASE}/donation_pledges/17.json", ("donation_pledges", 17), id="status"),
        pytest.param(
            "https://api.betterplace.dev/de/api_v4/clients/x/forwarding_requests/1337",
            ("forwarding_requests", 1337),
            id="forwarding-no-suffix",
        ),
        pytest.param(f"{BASE}/client_donations/666-a-reference", None, id="client-donation"),
        pytest.param(f"{BASE}/donation_pledges/abc.json", None, id="not-an-id"),
        pytest.param(f"{BASE}/donation_pledges/0.json", None, id="zero"),
        pytest.param(f"{BASE}/donation_pledges/%EF%BC%91.json", None, id="non-ascii-digit"),
        pytest.param("/17.json", None, id="one-segment"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="none"),
        pytest.param("http://[broken", None, id="garbage"),
    ],
)
def test_status_location(href: str | None, target: tuple[str, int] | None) -> None:
    found = status_location(href)
    assert (None if found is None else (found.resource, found.id)) == target


@pytest.mark.parametrize(
    ("resource", "model"),
    [("donation_pledges", PledgeStatus), ("forwarding_requests", ForwardingRequest)],
)
def test_a_status_location_names_the_model_its_route_returns(
    resource: str, model: type[object]
) -> None:
    location = StatusLocation(resource, 17)
    assert location.model is model
    route = routes.match(f"clients/acme/{resource}/17")
    assert route is not None
    assert route.model is model
    assert route.authenticate


def test_only_status_endpoints_are_status_resources() -> None:
    assert set(STATUS_RESOURCES) == {"donation_pledges", "forwarding_requests"}
    route = routes.match("clients/acme/client_donations/a-reference")
    assert route is not None
    assert route.model is ClientDonation
    assert status_location(f"{BASE}/client_donations/17") is None
