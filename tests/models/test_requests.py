"""Request objects: validation before any request, exact JSON bodies, references, results."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from betterplace_async import InvalidParameterError
from betterplace_async._core.validate import COUNTRY_CODES, MAX_AMOUNT_IN_CENTS
from betterplace_async.models.requests import (
    NewDirectDeposit,
    NewDonationPledge,
    NewForwardingRequest,
    NewMailingSubscription,
    NewNewsletterOptIn,
    new_client_reference,
)
from betterplace_async.models.submissions import SubmissionKind, SubmissionResult

DONOR: dict[str, Any] = {
    "first_name": "Max",
    "last_name": "Mustermann",
    "email": "mm@example.com",
    "street": "Rheinstrasse 202",
    "city": "Wiesbaden",
    "zip": "65185",
    "country_code": "DE",
}


def _pledge(**changes: Any) -> NewDonationPledge:
    fields: dict[str, Any] = {"amount_in_cents": 100, "client_reference": "ref-1", **DONOR}
    fields.update(changes)
    return NewDonationPledge(**fields)


# -- donation pledges -----------------------------------------------------------------------


def test_pledge_body_matches_the_documented_example() -> None:
    pledge = NewDonationPledge(
        first_name="Max",
        last_name="Mustermann",
        email="mm@example.com",
        amount_in_cents=100,
        client_reference="djksbf23u4sjkdn234p",
        tracking_via="campaign-0815",
        earmark=123,
        street="Rheinstrasse 202",
        city="Wiesbaden",
        zip="65185",
        country_code="DE",
        validate_address=False,
    )
    assert pledge.to_json() == {
        "first_name": "Max",
        "last_name": "Mustermann",
        "email": "mm@example.com",
        "amount_in_cents": 100,
        "client_reference": "djksbf23u4sjkdn234p",
        "tracking_via": "campaign-0815",
        "earmark": 123,
        "street": "Rheinstrasse 202",
        "city": "Wiesbaden",
        "zip": "65185",
        "country_code": "DE",
        "validate_address": False,
    }


def test_anonymous_pledge_sends_only_what_is_set() -> None:
    pledge = NewDonationPledge(amount_in_cents=500, client_reference="a", validate_address=False)
    assert pledge.to_json() == {
        "amount_in_cents": 500,
        "client_reference": "a",
        "validate_address": False,
    }


def test_generated_references_are_unique_and_allowed() -> None:
    references = {_pledge(client_reference=new_client_reference()).client_reference}
    references |= {
        NewDonationPledge(amount_in_cents=1, **DONOR).client_reference for _ in range(500)
    }
    assert len(references) == 501
    assert all(re.fullmatch(r"[a-zA-Z0-9_-]+", ref) for ref in references)


def test_evolve_keeps_the_reference_and_validates_again() -> None:
    pledge = _pledge()
    assert attrs.evolve(pledge, amount_in_cents=200).client_reference == "ref-1"
    with pytest.raises(InvalidParameterError):
        attrs.evolve(pledge, amount_in_cents=0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"amount_in_cents": 0}, "amount_in_cents", id="amount-zero"),
        pytest.param({"amount_in_cents": -5}, "amount_in_cents", id="amount-negative"),
        pytest.param({"amount_in_cents": 1_000_001}, "amount_in_cents", id="amount-too-big"),
        pytest.param({"amount_in_cents": 10.0}, "amount_in_cents", id="amount-float"),
        pytest.param({"amount_in_cents": True}, "amount_in_cents", id="amount-bool"),
        pytest.param({"amount_in_cents": "100"}, "amount_in_cents", id="amount-str"),
        pytest.param({"client_reference": "a b"}, "client_reference", id="ref-space"),
        pytest.param({"client_reference": "a/../b"}, "client_reference", id="ref-slash"),
        pytest.param({"client_reference": ""}, "client_reference", id="ref-empty"),
        pytest.param({"client_reference": "ä"}, "client_reference", id="ref-umlaut"),
        pytest.param({"client_reference": "x" * 201}, "client_reference", id="ref-long"),
        pytest.param({"tracking_via": "camp aign"}, "tracking_via", id="tracking-space"),
        pytest.param({"tracking_via": ""}, "tracking_via", id="tracking-empty"),
        pytest.param({"email": "no-at-sign"}, "email", id="email-no-at"),
        pytest.param({"email": "a@b"}, "email", id="email-no-dot"),
        pytest.param({"email": "a b@c.de"}, "email", id="email-space"),
        pytest.param({"email": "a@b.de."}, "email", id="email-trailing-dot"),
        pytest.param({"country_code": "de"}, "country_code", id="country-lower"),
        pytest.param({"country_code": "XX"}, "country_code", id="country-unknown"),
        pytest.param({"country_code": "DEU"}, "country_code", id="country-alpha3"),
        pytest.param({"first_name": None}, "first_name", id="first-name-missing"),
        pytest.param({"last_name": "  "}, "last_name", id="last-name-blank"),
        pytest.param({"street": None}, "street", id="street-missing"),
        pytest.param({"zip": None}, "zip", id="zip-missing"),
        pytest.param({"city": None}, "city", id="city-missing"),
        pytest.param({"country_code": None}, "country_code", id="country-missing"),
        pytest.param({"email": None}, "email", id="email-missing"),
        pytest.param({"first_name": 5}, "first_name", id="name-not-str"),
        pytest.param({"city": "Wies\x00baden"}, "city", id="control-char"),
        pytest.param({"earmark": 0}, "earmark", id="earmark-zero"),
        pytest.param({"earmark": "123"}, "earmark", id="earmark-str"),
        pytest.param({"validate_address": "false"}, "validate_address", id="flag-str"),
    ],
)
def test_pledge_refuses_bad_fields_naming_them(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        _pledge(**changes)
    assert caught.value.parameter == field


def test_without_address_validation_donor_fields_are_optional() -> None:
    pledge = NewDonationPledge(amount_in_cents=1, validate_address=False)
    assert pledge.first_name is None
    with pytest.raises(InvalidParameterError, match="email"):
        NewDonationPledge(amount_in_cents=1, validate_address=False, email="broken")
    with pytest.raises(InvalidParameterError, match="country_code"):
        NewDonationPledge(amount_in_cents=1, validate_address=False, country_code="Germany")


def test_lower_case_country_gets_a_hint() -> None:
    with pytest.raises(InvalidParameterError, match="'DE'"):
        _pledge(country_code="de")


def test_email_value_never_appears_in_errors_or_repr() -> None:
    with pytest.raises(InvalidParameterError) as caught:
        _pledge(email="secret.person@nowhere")
    assert "secret.person" not in str(caught.value)
    text = repr(_pledge(email="secret.person@example.org", street="Hidden Lane 1"))
    assert "secret.person" not in text
    assert "Hidden Lane" not in text
    assert "ref-1" in text


@given(amount=st.integers(min_value=1, max_value=MAX_AMOUNT_IN_CENTS))
def test_every_amount_in_range_is_accepted(amount: int) -> None:
    assert _pledge(amount_in_cents=amount).to_json()["amount_in_cents"] == amount


@given(amount=st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_AMOUNT_IN_CENTS + 1)))
def test_every_amount_out_of_range_is_refused(amount: int) -> None:
    with pytest.raises(InvalidParameterError, match="amount_in_cents"):
        _pledge(amount_in_cents=amount)


@given(reference=st.from_regex(r"[a-zA-Z0-9_-]{1,200}", fullmatch=True))
def test_every_allowed_reference_is_accepted(reference: str) -> None:
    assert _pledge(client_reference=reference).to_json()["client_reference"] == reference


@given(code=st.sampled_from(sorted(COUNTRY_CODES)))
def test_every_assigned_country_code_is_accepted(code: str) -> None:
    assert _pledge(country_code=code).country_code == code


def test_country_code_list_is_complete() -> None:
    assert len(COUNTRY_CODES) == 249
    assert {"DE", "AT", "CH", "GB", "US", "SS", "BQ", "XK"} - COUNTRY_CODES == {"XK"}


# -- forwarding requests --------------------------------------------------------------------


def test_forwarding_body_matches_the_documented_example() -> None:
    request = NewForwardingRequest(
        amount_in_cents=100, client_reference="djksbf23u4sjkdn234p", tracking_via="campaign-0815"
    )
    assert request.to_json() == {
        "amount_in_cents": 100,
        "client_reference": "djksbf23u4sjkdn234p",
        "tracking_via": "campaign-0815",
    }
    assert "tracking_via" not in NewForwardingRequest(amount_in_cents=5).to_json()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"amount_in_cents": 0}, "amount_in_cents", id="amount"),
        pytest.param({"amount_in_cents": 1.5}, "amount_in_cents", id="float"),
        pytest.param({"client_reference": "a;b"}, "client_reference", id="reference"),
        pytest.param({"tracking_via": "a.b"}, "tracking_via", id="tracking"),
    ],
)
def test_forwarding_refuses_bad_fields(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        NewForwardingRequest(**{"amount_in_cents": 1, **changes})
    assert caught.value.parameter == field


# -- direct deposits ------------------------------------------------------------------------


def test_direct_deposit_body_matches_the_documented_example() -> None:
    deposit = NewDirectDeposit(
        first_name="Max",
        last_name="Mustermann",
        company_name="Mustermann Inc.",
        email="mm@example.com",
        message="Great Project!",
        amount_cents=100,
        client_reference="djksbf23u4sjkdn234p",
        street="Rheinstrasse 202",
        city="Wiesbaden",
        zip="65185",
        country_alpha2="DE",
        validate_address=True,
    )
    assert deposit.to_json() == {
        "first_name": "Max",
        "last_name": "Mustermann",
        "company_name": "Mustermann Inc.",
        "email": "mm@example.com",
        "message": "Great Project!",
        "amount_cents": 100,
        "client_reference": "djksbf23u4sjkdn234p",
        "street": "Rheinstrasse 202",
        "city": "Wiesbaden",
        "zip": "65185",
        "country_alpha2": "DE",
        "validate_address": True,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"amount_cents": 0}, "amount_cents", id="amount"),
        pytest.param({"first_name": ""}, "first_name", id="first-name"),
        pytest.param({"email": "x"}, "email", id="email"),
        pytest.param({"country_alpha2": "ZZ"}, "country_alpha2", id="country"),
        pytest.param({"street": None}, "street", id="street"),
        pytest.param({"message": 7}, "message", id="message-type"),
    ],
)
def test_direct_deposit_refuses_bad_fields(changes: dict[str, Any], field: str) -> None:
    fields: dict[str, Any] = {
        "amount_cents": 100,
        "first_name": "Max",
        "last_name": "M",
        "email": "m@example.com",
        "street": "S 1",
        "city": "C",
        "zip": "1",
        "country_alpha2": "DE",
        **changes,
    }
    with pytest.raises(InvalidParameterError) as caught:
        NewDirectDeposit(**fields)
    assert caught.value.parameter == field


def test_direct_deposit_needs_name_and_email_even_without_address() -> None:
    deposit = NewDirectDeposit(
        amount_cents=1, first_name="A", last_name="B", email="a@b.de", validate_address=False
    )
    assert "street" not in deposit.to_json()
    with pytest.raises(InvalidParameterError, match="last_name"):
        NewDirectDeposit(
            amount_cents=1, first_name="A", last_name="", email="a@b.de", validate_address=False
        )


# -- subscriptions --------------------------------------------------------------------------


def test_mailing_subscription_body() -> None:
    subscription = NewMailingSubscription(
        email="peter.paul@betterplace.org", first_name="Peter", last_name="Paul"
    )
    assert subscription.to_json() == {
        "email": "peter.paul@betterplace.org",
        "first_name": "Peter",
        "last_name": "Paul",
        "active": True,
    }
    with pytest.raises(InvalidParameterError, match="active"):
        NewMailingSubscription(email="a@b.de", first_name="A", last_name="B", active=1)  # type: ignore[arg-type]


def test_newsletter_opt_in_body() -> None:
    opt_in = NewNewsletterOptIn(
        email="peter.paul@betterplace.org",
        first_name="Peter",
        last_name="Paul",
        wording="I want to receive newsletters from betterplace",
    )
    assert opt_in.to_json() == {
        "email": "peter.paul@betterplace.org",
        "first_name": "Peter",
        "last_name": "Paul",
        "wording": "I want to receive newsletters from betterplace",
    }
    with pytest.raises(InvalidParameterError, match="wording"):
        NewNewsletterOptIn(email="a@b.de", first_name="A", last_name="B", wording=" ")


# -- every body, every field ----------------------------------------------------------------

VALID: dict[type[Any], dict[str, Any]] = {
    NewDonationPledge: {"amount_in_cents": 100, "earmark": 7, "tracking_via": "t", **DONOR},
    NewForwardingRequest: {"amount_in_cents": 100, "tracking_via": "t"},
    NewDirectDeposit: {
        "amount_cents": 100,
        "company_name": "ACME",
        "message": "hi",
        **{k: v for k, v in DONOR.items() if k != "country_code"},
        "country_alpha2": "DE",
    },
    NewMailingSubscription: {"email": "a@b.de", "first_name": "A", "last_name": "B"},
    NewNewsletterOptIn: {"email": "a@b.de", "first_name": "A", "last_name": "B", "wording": "w"},
}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(body, field.name, id=f"{body.__name__}.{field.name}")
        for body in VALID
        for field in attrs.fields(body)
    ],
)
def test_every_field_of_every_body_is_checked_and_named(body: type[Any], field: str) -> None:
    assert body(**VALID[body]).to_json()[field] is not None  # the valid body sends it
    with pytest.raises(InvalidParameterError) as caught:
        body(**{**VALID[body], field: object()})
    assert caught.value.parameter == field


@pytest.mark.parametrize("body", list(VALID), ids=lambda body: body.__name__)
def test_to_json_sends_every_field_but_those_left_out(body: type[Any]) -> None:
    sent = body(**VALID[body]).to_json()
    assert set(sent) == {field.name for field in attrs.fields(body)}


# -- results --------------------------------------------------------------------------------


def test_result_properties() -> None:
    now = datetime.now(UTC)
    confirmed = SubmissionResult(
        kind=SubmissionKind.DONATION_PLEDGE,
        client_reference="r",
        amount_in_cents=100,
        project_id=None,
        state="confirmed",
        submitted_at=now,
    )
    assert confirmed.confirmed
    assert not confirmed.failed
    assert confirmed.to_pool
    failed = attrs.evolve(confirmed, state="failed", failure_code="pool_empty", project_id=3)
    assert failed.failed
    assert not failed.to_pool
