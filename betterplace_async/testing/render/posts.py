"""Render blog posts and opinions of projects and fundraising events."""

from __future__ import annotations

import attrs

from betterplace_async.testing.data.facts import (
    MESSAGE_TEXTS,
    person_name,
)
from betterplace_async.testing.data.seed import DAY, h64, pick, timestamp
from betterplace_async.testing.render.common import (
    DOCS,
    BlogPostRef,
    Json,
    Urls,
    link,
)
from betterplace_async.testing.render.people import PeopleRenderer


@attrs.frozen
class PostRenderer:
    """Render blog posts and opinions."""

    seed: int
    people: PeopleRenderer

    def blog_times(self, post: BlogPostRef, parent_created: int) -> tuple[int, int]:
        """Return when a blog post was created and published (POSIX seconds)."""
        h = h64(self.seed, "blog", post.id)
        created = parent_created + DAY * (5 + post.index * 20 + pick(h, 0, 15))
        return created, created + pick(h, 8, 7200)

    def blog_post(self, post: BlogPostRef, parent_created: int, author_id: int, u: Urls) -> Json:
        """Return a blog post of a project or fundraising event."""
        h = h64(self.seed, "blog", post.id)
        created, published = self.blog_times(post, parent_created)
        parent = "projects" if post.parent == "project" else "fundraising-events"
        return {
            "id": post.id,
            "created_at": timestamp(created),
            "updated_at": timestamp(published + pick(h, 20, 3) * DAY),
            "lang": "de" if pick(h, 24, 3) else "en",
            "type": "BlogPost",
            "title": f"News #{post.index + 1}: what your donations did",
            "published_at": timestamp(published),
            "body": "<p>Thank you! Here is what happened since our last update.</p>",
            "author": self.people.contact(author_id, u),
            "links": [
                link("self", u.api(f"blog_posts/{post.id}.json")),
                link("platform", u.web(f"{parent}/{post.parent_id}/news/{post.id}")),
                link("documentation", f"{DOCS}/blog_post_details.md"),
            ],
        }

    def opinion(self, parent: str, parent_id: int, index: int, created: int, u: Urls) -> Json:
        """Return opinion ``index`` of a project or fundraising event."""
        opinion_id = ((parent_id * 100 + index + 1) << 1) | (parent == "fundraising_event")
        h = h64(self.seed, "opinion", opinion_id)
        at = created + DAY * (1 + index) + pick(h, 0, 3600)
        first, last = person_name(self.seed, 1 + pick(h, 14, 97))
        name = "Anonym" if pick(h, 12, 3) == 0 else f"{first} {last[0]}."
        target = "projects" if parent == "project" else "fundraising_events"
        return {
            "id": opinion_id,
            "created_at": timestamp(at),
            "updated_at": timestamp(at + 60),
            "donated_amount_in_cents": (1 + pick(h, 20, 40)) * 500,
            "score": "positive",
            "author": self.people.donor(name),
            "message": None
            if pick(h, 30, 3) == 0
            else MESSAGE_TEXTS[pick(h, 34, len(MESSAGE_TEXTS))],
            "confirmed_at": timestamp(at + 30),
            "links": [link(parent, u.api(f"{target}/{parent_id}.json"))],
        }
