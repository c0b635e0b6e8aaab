"""Mailing subscriptions and newsletter opt-ins a client submits for its users."""

from __future__ import annotations

import attrs

from betterplace_async.models.common import Acknowledgement

__all__ = ["MailingSubscription", "NewsletterOptIn"]


@attrs.frozen
class MailingSubscription(Acknowledgement):
    """The answer to subscribing someone to a project's updates.

    Today a 201 acknowledgement (``status="created"``). Older documentation showed the
    subscription echoed back instead; such a body fills ``email``, ``first_name``,
    ``last_name`` and ``active``.
    """

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    active: bool | None = None


@attrs.frozen
class NewsletterOptIn(Acknowledgement):
    """The answer to opting someone in to the betterplace.org newsletter (201 ``created``)."""
