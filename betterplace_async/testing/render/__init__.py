"""Turn the fake's facts into API JSON, one renderer per resource family.

Records follow the newest documented example of each endpoint (key sets in the documented order,
nesting, link rels, ``templated`` flags); ``Renderer`` holds one renderer per family.
"""

from __future__ import annotations

from betterplace_async.testing.data.catalog import Catalog
from betterplace_async.testing.render.client import ClientRenderer
from betterplace_async.testing.render.events import EventRenderer
from betterplace_async.testing.render.organisations import OrganisationRenderer
from betterplace_async.testing.render.people import PeopleRenderer
from betterplace_async.testing.render.posts import PostRenderer
from betterplace_async.testing.render.projects import ProjectRenderer


class Renderer:
    """Render every record of the API from one catalog, for one client."""

    def __init__(self, catalog: Catalog, client_id: str) -> None:
        self.people = PeopleRenderer(catalog.seed)
        self.projects = ProjectRenderer(catalog, self.people)
        self.posts = PostRenderer(catalog.seed, self.people)
        self.events = EventRenderer(catalog, self.people)
        self.organisations = OrganisationRenderer(catalog, self.people)
        self.client = ClientRenderer(catalog, self.people, client_id)
