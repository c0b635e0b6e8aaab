"""Client donations, pledge and forwarding states, and submission acknowledgements."""

from __future__ import annotations

from datetime import datetime, timedelta

from betterplace_async._core.converter import make_converter
from betterplace_async.models import (
    Acknowledgement,
    ClientDonation,
    ClientDonationState,
    FailureCode,
    ForwardingRequest,
    MailingSubscription,
    NewsletterOptIn,
    Page,
    PledgeState,
    PledgeStatus,
    ReceiverType,
)

from .conftest import Decode


def test_client_donation_list(decode: Decode) -> None:
    page: Page[ClientDonation] = decode("client_donations_list/docs-flori_1")
    assert (page.total_entries, page.offset, page.per_page) == (2, 0, 3)
    donation = page.data[0]
    assert donation.token == "vMEx-YVNjwRNBKz1Ht2wv2c9"
    assert donation.amount_in_cents == 50000
    assert type(donation.amount_in_cents) is int
    assert donation.state == ClientDonationState.CONFIRMED
    assert donation.client_reference is None
    assert donation.receiver_type == ReceiverType.PROJECT
    assert donation.receiver_id == 1
    assert donation.created_at == datetime.fromisoformat("2025-11-10T12:29:57+01:00")
    assert donation.donor is not None
    assert donation.donor.name == "Anonym"
    assert donation.donor.id is None
    assert donation.donor.picture is not None
    assert donation.donor.picture.fallback is True
    assert len(donation.donor.links) == 0
    assert (
        donation.links.href("receiver") == "https://api.betterplace.dev/de/api_v4/projects/1.json"
    )


def test_old_client_donation_without_token_or_donor(decode: Decode) -> None:
    donation: ClientDonation = decode("client_donation_details/docs-flori_2")
    assert donation.token is None
    assert donation.donor is None
    assert donation.message is None
    assert donation.client_reference == ""
    assert donation.amount_in_cents == 500
    assert donation.created_at is not None
    assert donation.created_at.utcoffset() == timedelta(0)  # sent with a "Z"


def test_pledge_status_confirmed(decode: Decode) -> None:
    status: PledgeStatus = decode("client_donation_pledge_status/docs-flori_1")
    assert status.id == 1
    assert status.state == PledgeState.CONFIRMED
    assert status.is_final
    assert status.failed_at is None
    assert status.failure_code is None
    # The current doc example is confirmed yet has neither confirmed_at nor a donation link.
    assert status.confirmed_at is None
    assert status.links.get("donation") is None
    older: PledgeStatus = decode("client_donation_pledge_status/docs-bpdocs_1")
    assert older.confirmed_at == datetime.fromisoformat("2016-04-04T17:50:23+02:00")
    assert older.links.href("donation") is not None


def test_forwarding_request_failed_and_pending(decode: Decode) -> None:
    failed: ForwardingRequest = decode("client_forwarding_request_details/docs-flori_1")
    assert failed.state == PledgeState.FAILED
    assert failed.is_final
    assert failed.failure_code == FailureCode.POOL_EMPTY
    assert failed.failed_at == datetime.fromisoformat("2025-11-29T04:15:17+01:00")
    assert failed.confirmed_at is None
    assert failed.failure_reason is not None
    pending: ForwardingRequest = decode("client_forwarding_request_details/docs-bpdocs_2")
    assert pending.state == PledgeState.PENDING
    assert not pending.is_final


def test_unknown_states_and_failure_codes_pass_through() -> None:
    status = make_converter(strict=True).structure(
        {"id": 7, "state": "revoked", "failure_code": "brand_new_code"}, PledgeStatus
    )
    assert status.state == "revoked"
    assert status.failure_code == "brand_new_code"
    assert status.failure_code not in FailureCode.KNOWN
    assert not status.is_final
    assert {"pending", "confirmed", "failed"} == PledgeState.KNOWN


def test_pledge_acknowledgement_location(decode: Decode) -> None:
    ack: Acknowledgement = decode("client_donation_pledges_creation/docs-flori_1")
    assert (ack.status, ack.status_code) == ("accepted", 202)
    assert ack.location == (
        "https://api.betterplace.dev/de/api_v4/clients/some_client/client_donations/666-a-reference"
    )
    forwarding: Acknowledgement = decode("client_forwarding_requests_list/docs-flori_1")
    assert forwarding.location is not None
    assert forwarding.location.endswith("/forwarding_requests/1337")


def test_subscriptions(decode: Decode) -> None:
    created: MailingSubscription = decode("client_mailing_subscriptions/docs-flori_2")
    assert (created.status, created.status_code, created.location) == ("created", 201, None)
    assert created.email is None
    echoed: MailingSubscription = decode("client_mailing_subscriptions/docs-flori_3")
    assert echoed.email == "peter.paul@betterplace.org"
    assert echoed.active is True
    assert echoed.status is None
    opt_in: NewsletterOptIn = decode("client_newsletter_opt_ins/docs-flori_1")
    assert isinstance(opt_in, Acknowledgement)
    assert opt_in.status_code == 201
