"""The client API: everything under ``/clients/{client_id}``, sent with Basic auth."""

from __future__ import annotations

from functools import cached_property

from .._requester import Requester
from .projects import Projects

__all__ = ["ClientAPI"]


class ClientAPI:
    """Namespaces scoped to one client id; every request carries the client's credentials."""

    def __init__(self, requester: Requester, client_id: str) -> None:
        self._requester = requester
        self.client_id = client_id

    def __repr__(self) -> str:
        return f"<ClientAPI client_id={self.client_id!r}>"

    @cached_property
    def projects(self) -> Projects:
        """The client's projects (``/clients/{id}/projects``); others answer 404."""
        return Projects(self._requester, prefix=("clients", self.client_id), authenticate=True)
