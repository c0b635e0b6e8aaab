"""Blog posts: news that project managers and event owners publish."""

from __future__ import annotations

from datetime import datetime

import attrs

from betterplace_async.models.common import Contact, Links

__all__ = ["BlogPost", "BlogPostPayout", "PayoutNeed"]


@attrs.frozen
class PayoutNeed:
    """One need a payout blog post reports money for (amount in integer cents)."""

    need_title: str | None = None
    payout_amount_in_cents: int | None = None
    links: Links = Links()


@attrs.frozen
class BlogPostPayout:
    """The payout a blog post accounts for; only some older posts carry one."""

    needs: tuple[PayoutNeed, ...] = ()
    links: Links = Links()


@attrs.frozen
class BlogPost:
    """A published blog post of a project or fundraising event.

    ``body`` is HTML. ``lang`` is the language code the post was written in; ``type`` is
    ``"BlogPost"``. ``author`` is ``None`` when the author is unknown. ``published_at``
    exists only since late 2020; ``payout`` only on some older payout reports.
    """

    id: int
    created_at: datetime | None = None
    updated_at: datetime | None = None
    published_at: datetime | None = None
    lang: str | None = None
    type: str | None = None
    title: str | None = None
    body: str | None = None
    author: Contact | None = None
    payout: BlogPostPayout | None = None
    links: Links = Links()
