"""Mailing subscriptions and newsletter opt-ins over mocked HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from aioresponses import aioresponses
from yarl import URL

from betterplace_async import BetterplaceClient, InvalidParameterError, ServerError
from betterplace_async.models import MailingSubscription, NewsletterOptIn
from betterplace_async.models.requests import NewMailingSubscription, NewNewsletterOptIn
from betterplace_async.resources.subscriptions import MailingSubscriptions, NewsletterOptIns
from tests.conftest import FakeClock, load_sample, sample_files, sample_id

BASE = "https://api.betterplace.org/{locale}/api_v4/clients/acme"
SUBSCRIBE = BASE.format(locale="de") + "/projects/4425/mailing_subscriptions.json"
OPT_IN = BASE.format(locale="en") + "/newsletter_opt_ins.json"

SUBSCRIPTION = NewMailingSubscription(
    email="peter.paul@betterplace.org", first_name="Peter", last_name="Paul"
)
OPT_IN_BODY = NewNewsletterOptIn(
    email="peter.paul@betterplace.org",
    first_name="Peter",
    last_name="Paul",
    wording="I want to receive newsletters from betterplace",
)


def _client(clock: FakeClock) -> BetterplaceClient:
    return BetterplaceClient(auth=("u", "p"), client_id="acme", clock=clock, sleep=clock.sleep)


@pytest.mark.parametrize("path", sample_files("client_mailing_subscriptions"), ids=sample_id)
async def test_mailing_subscription_decodes_every_sample(
    mock_api: aioresponses, clock: FakeClock, path: Path
) -> None:
    mock_api.post(SUBSCRIBE, status=201, payload=load_sample(path.parent.name, path.stem))
    async with _client(clock) as client:
        api = MailingSubscriptions(client._requester, prefix=("clients", "acme"), authenticate=True)
        answer = await api.create(SUBSCRIPTION, project_id=4425)
    assert isinstance(answer, MailingSubscription)
    (call,) = mock_api.requests[("POST", URL(SUBSCRIBE))]
    assert call.kwargs["json"] == SUBSCRIPTION.to_json()


async def test_newsletter_opt_in_uses_the_locale(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(
        OPT_IN, status=201, payload=load_sample("client_newsletter_opt_ins", "docs-flori_1")
    )
    async with _client(clock) as client:
        english = client.with_options(locale="en")
        api = NewsletterOptIns(english._requester, prefix=("clients", "acme"), authenticate=True)
        answer = await api.create(OPT_IN_BODY)
    assert isinstance(answer, NewsletterOptIn)
    assert answer.status_code == 201
    (call,) = mock_api.requests[("POST", URL(OPT_IN))]
    assert call.kwargs["json"] == OPT_IN_BODY.to_json()


async def test_failures_are_not_resent(mock_api: aioresponses, clock: FakeClock) -> None:
    mock_api.post(SUBSCRIBE, status=503, payload={})
    async with _client(clock) as client:
        api = MailingSubscriptions(client._requester, prefix=("clients", "acme"), authenticate=True)
        with pytest.raises(ServerError):
            await api.create(SUBSCRIPTION, project_id=4425)
    assert len(mock_api.requests[("POST", URL(SUBSCRIBE))]) == 1


async def test_input_is_checked_first(mock_api: aioresponses, clock: FakeClock) -> None:
    async with _client(clock) as client:
        subscriptions = MailingSubscriptions(
            client._requester, prefix=("clients", "acme"), authenticate=True
        )
        opt_ins = NewsletterOptIns(client._requester, prefix=("clients", "acme"), authenticate=True)
        with pytest.raises(InvalidParameterError, match="project_id"):
            await subscriptions.create(SUBSCRIPTION, project_id=0)
        with pytest.raises(InvalidParameterError, match="subscription"):
            await subscriptions.create(OPT_IN_BODY, project_id=1)  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match="opt_in"):
            await opt_ins.create(SUBSCRIPTION)  # type: ignore[arg-type]
    assert not mock_api.requests
