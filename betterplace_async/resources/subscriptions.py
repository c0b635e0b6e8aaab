"""Mailing subscriptions to project updates and newsletter opt-ins, submitted for users.

Both are tagged with the client's locale (``client.with_options(locale="en")`` for English).
Neither is idempotent, so each is only retried when the connection could not be opened.
"""

from __future__ import annotations

from typing import TypeVar

from betterplace_async._core import params as _params
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.requests import NewMailingSubscription, NewNewsletterOptIn
from betterplace_async.models.subscriptions import MailingSubscription, NewsletterOptIn
from betterplace_async.resources._base import Namespace

__all__ = ["MailingSubscriptions", "NewsletterOptIns"]

T = TypeVar("T")


class MailingSubscriptions(Namespace):
    """``/clients/{id}/projects/{project_id}/mailing_subscriptions``."""

    async def create(
        self, subscription: NewMailingSubscription, *, project_id: int
    ) -> MailingSubscription:
        """Create or update someone's subscription to project ``project_id`` (201).

        A 422 raises :class:`UnprocessableEntityError` with the per-field ``errors``.
        """
        if not isinstance(subscription, NewMailingSubscription):
            raise InvalidParameterError(
                "subscription",
                f"must be a NewMailingSubscription, got {type(subscription).__name__}",
            )
        project = _params.positive_id(project_id, "project_id")
        return await self._post(
            MailingSubscription,
            ("projects", project, "mailing_subscriptions"),
            subscription.to_json(),
            idempotent=False,
        )


class NewsletterOptIns(Namespace):
    """``/clients/{id}/newsletter_opt_ins``."""

    async def create(self, opt_in: NewNewsletterOptIn) -> NewsletterOptIn:
        """Start the newsletter opt-in process for someone (201).

        A 422 raises :class:`UnprocessableEntityError` with the per-field ``errors``.
        """
        if not isinstance(opt_in, NewNewsletterOptIn):
            raise InvalidParameterError(
                "opt_in", f"must be a NewNewsletterOptIn, got {type(opt_in).__name__}"
            )
        return await self._post(
            NewsletterOptIn, ("newsletter_opt_ins",), opt_in.to_json(), idempotent=False
        )
