"""The client API: everything under ``/clients/{client_id}``, sent with Basic auth."""

from __future__ import annotations

from functools import cached_property

from betterplace_async._http.requester import Requester
from betterplace_async.models.clients import (
    Client,
    ClientFundraisingEventStatistics,
    ClientProjectStatistics,
    Pool,
)
from betterplace_async.resources._base import Namespace
from betterplace_async.resources.blog_posts import BlogPosts
from betterplace_async.resources.client_donations import ClientDonations
from betterplace_async.resources.direct_deposits import DirectDeposits
from betterplace_async.resources.forwarding_requests import ForwardingRequests
from betterplace_async.resources.fundraising_events import FundraisingEvents
from betterplace_async.resources.pledges import Pledges
from betterplace_async.resources.projects import Projects
from betterplace_async.resources.subscriptions import MailingSubscriptions, NewsletterOptIns
from betterplace_async.resources.tags import Tags

__all__ = ["ClientAPI"]


class ClientAPI(Namespace):
    """Endpoints scoped to one client id; every request carries the client's credentials.

    The client-scoped lists (projects, fundraising events, blog posts) are the long-term
    replacement for the deprecated public API.
    """

    def __init__(self, requester: Requester, client_id: str) -> None:
        super().__init__(requester, prefix=("clients", client_id), authenticate=True)
        self.client_id = client_id

    def __repr__(self) -> str:
        return f"<ClientAPI client_id={self.client_id!r}>"

    async def details(self) -> Client:
        """Return the client's own record."""
        return await self._get(Client)

    async def project_statistics(self) -> ClientProjectStatistics:
        """Return donation totals across the client's projects."""
        return await self._get(ClientProjectStatistics, "project_statistics")

    async def fundraising_event_statistics(self) -> ClientFundraisingEventStatistics:
        """Return donation totals across the client's fundraising events."""
        return await self._get(ClientFundraisingEventStatistics, "fundraising_event_statistics")

    async def pool(self) -> Pool:
        """Return the client's donation pool (its balance in cents)."""
        return await self._get(Pool, "pool")

    @cached_property
    def projects(self) -> Projects:
        """The client's projects; others answer 404."""
        return Projects(self._requester, prefix=self._prefix, authenticate=True)

    @cached_property
    def fundraising_events(self) -> FundraisingEvents:
        """The client's fundraising events."""
        return FundraisingEvents(self._requester, prefix=self._prefix, authenticate=True)

    @cached_property
    def blog_posts(self) -> BlogPosts:
        """Blog posts of the client's projects (``list()`` without ids lists them all)."""
        return BlogPosts(self._requester, prefix=self._prefix, authenticate=True)

    @cached_property
    def donations(self) -> ClientDonations:
        """The client's donations (``client_donations``)."""
        return ClientDonations(self._requester, prefix=self._prefix, authenticate=True)

    @cached_property
    def pledges(self) -> Pledges:
        """Donation pledges to projects or the pool: submit, wait, submit many."""
        return Pledges(self._requester, prefix=self._prefix, authenticate=True)

    @cached_property
    def forwarding_requests(self) -> ForwardingRequests:
        """Forwarding requests: pass pool money on to a project."""
        return ForwardingRequests(self._requester, prefix=self._prefix, authenticate=True)

    @cached_property
    def direct_deposits(self) -> DirectDeposits:
        """Direct deposits: announce a bank transfer to a project."""
        return DirectDeposits(self._requester, prefix=self._prefix, authenticate=True)

    @cached_property
    def mailing_subscriptions(self) -> MailingSubscriptions:
        """Subscriptions to a project's mailings."""
        return MailingSubscriptions(self._requester, prefix=self._prefix, authenticate=True)

    @cached_property
    def newsletter_opt_ins(self) -> NewsletterOptIns:
        """Newsletter opt-ins."""
        return NewsletterOptIns(self._requester, prefix=self._prefix, authenticate=True)

    @cached_property
    def tags(self) -> Tags:
        """The client's tags, tag projects and project tags."""
        return Tags(self._requester, prefix=self._prefix, authenticate=True)
