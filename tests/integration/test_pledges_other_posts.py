"""Direct deposits, mailing subscriptions and newsletter opt-ins against the fake server.

None of them is idempotent: a request that may have reached the server is never resent, so
a broken connection surfaces as an error and the server holds at most one copy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from betterplace_async import APIConnectionError, BetterplaceClient, ServerError
from betterplace_async.models.requests import (
    NewDirectDeposit,
    NewMailingSubscription,
    NewNewsletterOptIn,
)
from betterplace_async.resources.direct_deposits import DirectDeposits
from betterplace_async.resources.subscriptions import MailingSubscriptions, NewsletterOptIns
from betterplace_async.testing import FakeBetterplace

SUBSCRIPTION = NewMailingSubscription(
    email="peter.paul@example.org", first_name="Peter", last_name="Paul"
)
OPT_IN = NewNewsletterOptIn(
    email="peter.paul@example.org",
    first_name="Peter",
    last_name="Paul",
    wording="Ja, ich möchte den Newsletter erhalten",
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeBetterplace]:
    async with FakeBetterplace(seed=1) as server:
        yield server


@pytest.fixture
async def client(fake: FakeBetterplace) -> AsyncIterator[BetterplaceClient]:
    async with BetterplaceClient(
        base_url=fake.base_url, client_id=fake.client_id, auth=(fake.username, fake.password)
    ) as opened:
        yield opened


def _project(fake: FakeBetterplace) -> int:
    return fake.projects_where(in_client_scope=True, prohibited=False, closed=False)[0]


def _prefix(fake: FakeBetterplace) -> tuple[str, str]:
    return ("clients", fake.client_id)


async def test_direct_deposit_answers_where_to_pay(
    fake: FakeBetterplace, client: BetterplaceClient
) -> None:
    deposits = DirectDeposits(client._requester, prefix=_prefix(fake), authenticate=True)
    request = NewDirectDeposit(
        amount_cents=5_000,
        first_name="Max",
        last_name="Mustermann",
        email="mm@example.com",
        street="Rheinstrasse 202",
        city="Wiesbaden",
        zip="65185",
        country_alpha2="DE",
        message="Great project!",
    )
    deposit = await deposits.create(request, project_id=_project(fake))
    assert deposit.iban is not None
    assert deposit.iban.startswith("DE")
    assert deposit.reference_id is not None
    (stored,) = fake.ledger.direct_deposits
    assert stored["client_reference"] == request.client_reference
    assert stored["amount_cents"] == 5_000


async def test_mailing_subscription_is_stored_with_the_locale(
    fake: FakeBetterplace, client: BetterplaceClient
) -> None:
    english = client.with_options(locale="en")
    api = MailingSubscriptions(english._requester, prefix=_prefix(fake), authenticate=True)
    answer = await api.create(SUBSCRIPTION, project_id=_project(fake))
    assert answer.status_code == 201
    (stored,) = fake.ledger.mailing_subscriptions
    assert stored["email"] == SUBSCRIPTION.email
    assert stored["active"] is True
    assert stored["locale"] == "en"


async def test_newsletter_opt_in_is_stored(
    fake: FakeBetterplace, client: BetterplaceClient
) -> None:
    api = NewsletterOptIns(client._requester, prefix=_prefix(fake), authenticate=True)
    answer = await api.create(OPT_IN)
    assert answer.status == "created"
    (stored,) = fake.ledger.newsletter_opt_ins
    assert stored["wording"] == OPT_IN.wording
    assert stored["locale"] == "de"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        pytest.param("reset_after", APIConnectionError, id="reset-after-storing"),
        pytest.param("reset_before", APIConnectionError, id="reset-before"),
        pytest.param("503", ServerError, id="503"),
    ],
)
async def test_non_idempotent_posts_are_never_resent(
    fake: FakeBetterplace, client: BetterplaceClient, fault: str, error: type[Exception]
) -> None:
    api = NewsletterOptIns(client._requester, prefix=_prefix(fake), authenticate=True)
    fake.faults.script(fault)
    with pytest.raises(error):
        await api.create(OPT_IN)
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 1
    assert len(fake.ledger.newsletter_opt_ins) == (1 if fault == "reset_after" else 0)
