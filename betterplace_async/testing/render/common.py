"""Shared pieces of rendering: links, pictures, URLs, people, blog post ids.

Records follow the newest documented example of each endpoint: key sets (in the documented
order), nesting, link rels and ``templated`` flags. API links point back at the fake server (its
origin comes from the request); platform and asset links point at betterplace.org hosts. The
renderers are composed in ``render.Renderer``, one module per resource family.
"""

from __future__ import annotations

from typing import Any

import attrs

from betterplace_async.testing.data.facts import EventFacts

PLATFORM = "https://www.betterplace.org"
ASSETS = "https://betterplace-assets.betterplace.org"
DOCS = "https://github.com/betterplace/betterplace_apidocs/blob/master/sections"

Json = dict[str, Any]


def link(rel: str, href: str, *, templated: bool = False) -> Json:
    """Return one entry of a ``links`` list."""
    if templated:
        return {"rel": rel, "href": href, "templated": True}
    return {"rel": rel, "href": href}


def _picture(fallback: bool, urls: list[tuple[str, str]]) -> Json:
    return {"fallback": fallback, "links": [link(rel, href) for rel, href in urls]}


_USER_DEFAULT = f"{ASSETS}/assets/default/user_profile_picture/default.svg"
USER_PICTURE = _picture(True, [("fill_100x100", _USER_DEFAULT), ("original", _USER_DEFAULT)])
_DONOR_DEFAULT = f"{ASSETS}/assets/default/donation_profile_picture/fill_100x100_default.png"
DONOR_PICTURE = _picture(True, [("fill_100x100", _DONOR_DEFAULT), ("original", _DONOR_DEFAULT)])
_SQUARE = f"{ASSETS}/assets/default/square_profile_picture"
CARRIER_PICTURE = _picture(
    True,
    [
        ("fill_100x100", f"{_SQUARE}/fill_100x100_default.jpg"),
        ("original", f"{_SQUARE}/crop_original_default.jpg"),
    ],
)
ORGANISATION_PICTURE = _picture(
    True,
    [
        ("fill_100x100", f"{_SQUARE}/fill_100x100_default.jpg"),
        ("fill_200x200", f"{_SQUARE}/fill_200x200_default.jpg"),
        ("fill_400x400", f"{_SQUARE}/fill_400x400_default.jpg"),
        ("original", f"{_SQUARE}/crop_original_default.jpg"),
    ],
)
_BANNER_SIZES = ("fill_960x500", "fill_730x380", "fill_618x322", "fill_410x214", "fill_270x141")


def profile_picture(kind: str, entity_id: int | None, *, limits: bool) -> Json:
    """Return a project or event profile picture; ``entity_id`` None gives the fallback."""
    rels = [*_BANNER_SIZES, "original"] + (["limit_1240x646", "limit_450x235"] if limits else [])
    if entity_id is None:
        base = f"{ASSETS}/assets/default/{kind}_profile_picture"
        return _picture(True, [(r, f"{base}/{_file(r)}_default.jpg") for r in rels])
    base = f"{ASSETS}/uploads/{kind}/profile_picture/{entity_id:09d}"
    base = f"{base[:-6]}/{base[-6:-3]}/{base[-3:]}"
    return _picture(False, [(r, f"{base}/{_file(r)}_{kind}_{entity_id}.jpg") for r in rels])


def _file(rel: str) -> str:
    return "crop_original" if rel == "original" else rel


@attrs.frozen
class Urls:
    """Build absolute URLs for one request (API origin and locale)."""

    origin: str
    locale: str

    def api(self, path: str) -> str:
        """Return the API URL of ``path`` (no leading slash, ``.json`` included)."""
        return f"{self.origin}/{self.locale}/api_v4/{path}"

    def web(self, path: str) -> str:
        """Return the betterplace.org platform URL of ``path``."""
        return f"{PLATFORM}/{self.locale}/{path}"


@attrs.frozen
class BlogPostRef:
    """Identify a blog post: ``index`` among the posts of its parent."""

    id: int
    parent: str  # "project" or "fundraising_event"
    parent_id: int
    index: int

    @classmethod
    def make(cls, parent: str, parent_id: int, index: int) -> BlogPostRef:
        """Return the post ``index`` of a parent."""
        post_id = ((parent_id * 10 + index + 1) << 1) | (parent == "fundraising_event")
        return cls(post_id, parent, parent_id, index)

    @classmethod
    def parse(cls, post_id: int) -> BlogPostRef | None:
        """Return the reference a blog post id encodes, or None."""
        parent = "fundraising_event" if post_id & 1 else "project"
        parent_id, rest = divmod(post_id >> 1, 10)
        if rest == 0 or parent_id < 1:
            return None
        return cls(post_id, parent, parent_id, rest - 1)


def event_progress(e: EventFacts) -> int | None:
    """Return the funded share of an event, or None when it asks for no fixed amount."""
    if e.requested is None:
        return None
    return min(100, e.donated * 100 // max(1, e.requested))
