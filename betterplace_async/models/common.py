"""Building blocks shared by every resource: links, pictures, people, the list envelope.

Also the short status body that several submissions (pledges, forwarding requests, mailing
subscriptions, newsletter opt-ins) answer with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Generic, TypeVar
from urllib.parse import quote

import attrs
from yarl import URL

__all__ = ["Acknowledgement", "Carrier", "Contact", "Link", "Links", "Page", "Picture"]

T = TypeVar("T")

_TEMPLATE_VAR = re.compile(r"\{([a-z_][a-z0-9_]*)\}|%7B([a-z_][a-z0-9_]*)%7D", re.IGNORECASE)


@attrs.frozen
class Link:
    """One hypermedia link: ``rel`` names the relation, ``href`` the target.

    A ``templated`` link has placeholders such as ``{client_id}`` (sometimes sent
    percent-encoded as ``%7Bclient_id%7D``); fill them with :meth:`expand`.
    """

    rel: str
    href: str
    templated: bool = False

    @property
    def url(self) -> URL:
        """The target as a :class:`yarl.URL` (placeholders left as they are)."""
        return URL(self.href, encoded=True)

    def expand(self, **values: str | int) -> Link:
        """Return a copy with every placeholder replaced by its percent-encoded value.

        Raises ``KeyError`` naming a placeholder that has no value.
        """

        def fill(match: re.Match[str]) -> str:
            name = match.group(1) or match.group(2)
            if name not in values:
                raise KeyError(f"no value for link placeholder {name!r}")
            return quote(str(values[name]), safe="")

        return Link(rel=self.rel, href=_TEMPLATE_VAR.sub(fill, self.href), templated=False)


@attrs.frozen
class Links:
    """An ordered collection of links, looked up by ``rel``."""

    items: tuple[Link, ...] = ()

    def __iter__(self) -> Iterator[Link]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, rel: object) -> bool:
        return any(link.rel == rel for link in self.items)

    def __getitem__(self, rel: str) -> Link:
        link = self.get(rel)
        if link is None:
            raise KeyError(rel)
        return link

    def get(self, rel: str) -> Link | None:
        """Return the first link with ``rel``, or ``None``."""
        for link in self.items:
            if link.rel == rel:
                return link
        return None

    def href(self, rel: str) -> str | None:
        """Return the href of the first link with ``rel``, or ``None``."""
        link = self.get(rel)
        return link.href if link is not None else None

    def rels(self) -> tuple[str, ...]:
        """Return every rel, in order."""
        return tuple(link.rel for link in self.items)


@attrs.frozen
class Picture:
    """An image in several versions; each version is a link whose rel names its size.

    ``links["original"]`` is always there; other sizes may change. ``fallback`` is true when
    the platform shows a placeholder image.
    """

    links: Links = Links()
    fallback: bool | None = None


@attrs.frozen
class Contact:
    """A person: a project's contact, a blog post's author, a donor or an event owner.

    ``name`` may be ``None`` for anonymous people.
    """

    id: int | None = None
    name: str | None = None
    picture: Picture | None = None
    links: Links = Links()


@attrs.frozen
class Carrier:
    """The organisation that carries a project and receives its donations."""

    id: int | None = None
    name: str | None = None
    city: str | None = None
    country: str | None = None
    picture: Picture | None = None
    links: Links = Links()


@attrs.frozen
class Page(Generic[T]):
    """One page of a list response.

    Every count may be ``None`` in real data; lists without pagination send
    ``offset``/``per_page`` as ``None`` and are a single page. ``data`` is never ``None``
    here: an absent or null list decodes as empty.
    """

    data: tuple[T, ...] = ()
    total_entries: int | None = None
    offset: int | None = None
    total_pages: int | None = None
    current_page: int | None = None
    per_page: int | None = None


@attrs.frozen
class Acknowledgement:
    """The short body of a 201/202 answer to a submission.

    ``status`` is the HTTP status as a word (``"accepted"``, ``"created"``), ``status_code``
    the number. After a pledge or forwarding request the ``location`` link names where to
    poll for the outcome.
    """

    status: str | None = None
    status_code: int | None = None
    links: Links = Links()

    @property
    def location(self) -> str | None:
        """The href of the ``location`` link, or ``None`` when there is none."""
        return self.links.href("location")
