"""Typed models of the API's responses."""

from .common import Carrier, Contact, Link, Links, Page, Picture
from .projects import ActiveMatchingFund, ClosedNotice, MatchingEvent, Project

__all__ = [
    "ActiveMatchingFund",
    "Carrier",
    "ClosedNotice",
    "Contact",
    "Link",
    "Links",
    "MatchingEvent",
    "Page",
    "Picture",
    "Project",
]
