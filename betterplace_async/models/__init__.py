"""Typed, frozen attrs models for every response of the betterplace.org API v4.

Decode JSON with the converter from ``betterplace_async._core.converter.make_converter``; list
responses decode into :class:`Page` of the item model. Amounts are integer cents, datetimes
are timezone-aware, and fields a response may omit are ``None``. Beside them: the request
bodies a client sends (:mod:`~betterplace_async.models.requests`, checked when built) and
:class:`SubmissionResult`, how a pledge or forwarding request ended.
"""

from __future__ import annotations

from betterplace_async.models.blog_posts import BlogPost, BlogPostPayout, PayoutNeed
from betterplace_async.models.categories import Category
from betterplace_async.models.clients import (
    Client,
    ClientFundraisingEventStatistics,
    ClientProjectStatistics,
    Pool,
)
from betterplace_async.models.common import (
    Acknowledgement,
    Carrier,
    Contact,
    Link,
    Links,
    Page,
    Picture,
)
from betterplace_async.models.direct_deposits import DirectDeposit
from betterplace_async.models.donations import ClientDonation, ClientDonationState, ReceiverType
from betterplace_async.models.fundraising_events import Forwarding, FundraisingEvent
from betterplace_async.models.matching_funds import MatchingFund, MatchingFundState
from betterplace_async.models.needs import Need
from betterplace_async.models.opinions import BackedByFundraisingEvent, Opinion
from betterplace_async.models.organisations import Organisation, OrganisationImage
from betterplace_async.models.pictures import ProjectPicture
from betterplace_async.models.pledges import (
    FailureCode,
    ForwardingRequest,
    PledgeState,
    PledgeStatus,
)
from betterplace_async.models.projects import (
    ActiveMatchingFund,
    ClosedNotice,
    MatchingEvent,
    Project,
)
from betterplace_async.models.requests import (
    NewDirectDeposit,
    NewDonationPledge,
    NewForwardingRequest,
    NewMailingSubscription,
    NewNewsletterOptIn,
    new_client_reference,
)
from betterplace_async.models.search import SearchResult, SearchResultType
from betterplace_async.models.submissions import SubmissionKind, SubmissionResult
from betterplace_async.models.subscriptions import MailingSubscription, NewsletterOptIn
from betterplace_async.models.tags import Tag
from betterplace_async.models.users import ContactData

__all__ = [
    "Acknowledgement",
    "ActiveMatchingFund",
    "BackedByFundraisingEvent",
    "BlogPost",
    "BlogPostPayout",
    "Carrier",
    "Category",
    "Client",
    "ClientDonation",
    "ClientDonationState",
    "ClientFundraisingEventStatistics",
    "ClientProjectStatistics",
    "ClosedNotice",
    "Contact",
    "ContactData",
    "DirectDeposit",
    "FailureCode",
    "Forwarding",
    "ForwardingRequest",
    "FundraisingEvent",
    "Link",
    "Links",
    "MailingSubscription",
    "MatchingEvent",
    "MatchingFund",
    "MatchingFundState",
    "Need",
    "NewDirectDeposit",
    "NewDonationPledge",
    "NewForwardingRequest",
    "NewMailingSubscription",
    "NewNewsletterOptIn",
    "NewsletterOptIn",
    "Opinion",
    "Organisation",
    "OrganisationImage",
    "Page",
    "PayoutNeed",
    "Picture",
    "PledgeState",
    "PledgeStatus",
    "Pool",
    "Project",
    "ProjectPicture",
    "ReceiverType",
    "SearchResult",
    "SearchResultType",
    "SubmissionKind",
    "SubmissionResult",
    "Tag",
    "new_client_reference",
]
