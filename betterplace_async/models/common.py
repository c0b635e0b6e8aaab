"""Building blocks shared by every resource: links, pictures, people, the list envelope.

Also the short status body that several submissions (pledges, forwarding requests, mailing
subscriptions, newsletter opt-ins) answer with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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


class Links:
    """An ordered, immutable collection of links, looked up by ``rel``.

    Decoding keeps each link as a plain ``(rel, href, templated)`` triple and builds
    :class:`Link` objects only when asked for: most records' links are never read, and a
    page of 200 donations carries about 600 of them.
    """

    __slots__ = ("_triples",)
    _triples: tuple[tuple[str, str, bool], ...]

    def __init__(self, items: Iterable[Link] = ()) -> None:
        triples = tuple((link.rel, link.href, link.templated) for link in items)
        object.__setattr__(self, "_triples", triples)

    @classmethod
    def from_triples(cls, triples: tuple[tuple[str, str, bool], ...]) -> Links:
        """Wrap already-checked ``(rel, href, templated)`` triples without copying them."""
        links = object.__new__(cls)
        object.__setattr__(links, "_triples", triples)
        return links

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Links is immutable")

    def __repr__(self) -> str:
        return f"Links({list(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Links):
            return NotImplemented
        return self._triples == other._triples

    def __hash__(self) -> int:
        return hash(self._triples)

    def __iter__(self) -> Iterator[Link]:
        return (Link(rel, href, templated) for rel, href, templated in self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, rel: object) -> bool:
        return any(triple[0] == rel for triple in self._triples)

    def __getitem__(self, rel: str) -> Link:
        link = self.get(rel)
        if link is None:
            raise KeyError(rel)
        return link

    @property
    def items(self) -> tuple[Link, ...]:
        """Every link, in order."""
        return tuple(self)

    def get(self, rel: str) -> Link | None:
        """Return the first link with ``rel``, or ``None``."""
        for triple in self._triples:
            if triple[0] == rel:
                return Link(*triple)
        return None

    def href(self, rel: str) -> str | None:
        """Return the href of the first link with ``rel``, or ``None``."""
        for triple in self._triples:
            if triple[0] == rel:
                return triple[1]
        return None

    def rels(self) -> tuple[str, ...]:
        """Return every rel, in order."""
        return tuple(triple[0] for triple in self._triples)


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
