"""Blog posts of projects, fundraising events, or all of a client's projects."""

from __future__ import annotations

from typing import Unpack

from betterplace_async._core import params as _params
from betterplace_async._core.params import PairsInput
from betterplace_async.errors import InvalidParameterError
from betterplace_async.models.blog_posts import BlogPost
from betterplace_async.resources._base import Listing, Namespace, PageOptions

__all__ = ["BlogPosts"]


class BlogPosts(Namespace):
    """``/projects/{id}/blog_posts``, ``/fundraising_events/{id}/blog_posts``, ``/blog_posts``.

    Scoped to a client, :meth:`list` without an owner lists ``/clients/{id}/blog_posts``.
    """

    async def get(self, blog_post_id: int, *, project_id: int | None = None) -> BlogPost:
        """Return one blog post, under its project when ``project_id`` is given."""
        post = _params.positive_id(blog_post_id, "blog_post_id")
        if project_id is None:
            return await self._get(BlogPost, "blog_posts", post)
        project = _params.positive_id(project_id, "project_id")
        return await self._get(BlogPost, "projects", project, "blog_posts", post)

    def list(
        self,
        *,
        project_id: int | None = None,
        fundraising_event_id: int | None = None,
        order: PairsInput = None,
        **options: Unpack[PageOptions],
    ) -> Listing[BlogPost]:
        """Stream blog posts of one project or one fundraising event (newest first by default).

        With both ids, the project's posts are filtered to those about that event.
        """
        params: dict[str, object | None] = {"order": _params.order(order)}
        if project_id is not None:
            segments: tuple[str | int, ...] = (
                "projects",
                _params.positive_id(project_id, "project_id"),
                "blog_posts",
            )
            if fundraising_event_id is not None:
                params["fundraising_event_id"] = _params.positive_id(
                    fundraising_event_id, "fundraising_event_id"
                )
        elif fundraising_event_id is not None:
            event = _params.positive_id(fundraising_event_id, "fundraising_event_id")
            segments = ("fundraising_events", event, "blog_posts")
        elif self._scoped:
            segments = ("blog_posts",)
        else:
            raise InvalidParameterError(
                "project_id", "give project_id or fundraising_event_id (or use the client API)"
            )
        return self._list(BlogPost, segments, options, params=params)
