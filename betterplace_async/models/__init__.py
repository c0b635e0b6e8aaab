"""Typed, frozen attrs models for every response of the betterplace.org API v4.

Decode JSON with the converter from ``betterplace_async._converter.make_converter``; list
responses decode into :class:`Page` of the item model. Amounts are integer cents, datetimes
are timezone-aware, and fields a response may omit are ``None``.
"""

from __future__ import annotations

from .blog_posts import BlogPost, BlogPostPayout, PayoutNeed
from .categories import Category
from .clients import Client, ClientFundraisingEventStatistics, ClientProjectStatistics, Pool
from .common import Acknowledgement, Carrier, Contact, Link, Links, Page, Picture
from .direct_deposits import DirectDeposit
from .donations import ClientDonation, ClientDonationState, ReceiverType
from .fundraising_events import Forwarding, FundraisingEvent
from .matching_funds import MatchingFund, MatchingFundState
from .needs import Need
from .opinions import BackedByFundraisingEvent, Opinion
from .organisations import Organisation, OrganisationImage
from .pictures import ProjectPicture
from .pledges import FailureCode, ForwardingRequest, PledgeState, PledgeStatus
from .projects import ActiveMatchingFund, ClosedNotice, MatchingEvent, Project
from .search import SearchResult, SearchResultType
from .subscriptions import MailingSubscription, NewsletterOptIn
from .tags import Tag
from .users import ContactData

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
    "Tag",
]
