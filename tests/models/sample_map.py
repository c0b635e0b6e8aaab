"""How to decode each directory of recorded API samples (``shared/samples/<kind>/``).

Every kind names its model and the body's shape: a list envelope (``Page[Model]``), one
object, or a bare JSON array. A few files do not have their kind's shape because the doc
generator captured something else; :data:`OVERRIDES` lists them with the reason.
``CURRENT_DOC_EXAMPLES`` names, per kind, the newest example from the current docs forks
(bpdocs/flori), which must decode even with the strict converter.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import attrs

from betterplace_async.models import (
    Acknowledgement,
    BlogPost,
    Category,
    Client,
    ClientDonation,
    ClientFundraisingEventStatistics,
    ClientProjectStatistics,
    ContactData,
    DirectDeposit,
    Forwarding,
    ForwardingRequest,
    FundraisingEvent,
    MailingSubscription,
    MatchingFund,
    Need,
    NewsletterOptIn,
    Opinion,
    Organisation,
    Page,
    PledgeStatus,
    Pool,
    Project,
    ProjectPicture,
    SearchResult,
    Tag,
)

SAMPLES = Path(__file__).parents[1] / "samples"


class Shape(enum.Enum):
    """The JSON shape of a response body."""

    PAGE = "list envelope"
    OBJECT = "one object"
    ARRAY = "bare JSON array"


@attrs.frozen
class Spec:
    """How to decode one sample: ``model`` in ``shape``."""

    model: type[Any]
    shape: Shape

    @property
    def target(self) -> Any:
        """The type to hand to ``converter.structure``."""
        if self.shape is Shape.PAGE:
            return Page[self.model]  # type: ignore[name-defined]
        if self.shape is Shape.ARRAY:
            return tuple[self.model, ...]  # type: ignore[name-defined]
        return self.model


def _page(model: type[Any]) -> Spec:
    return Spec(model, Shape.PAGE)


def _one(model: type[Any]) -> Spec:
    return Spec(model, Shape.OBJECT)


SAMPLE_MAP: dict[str, Spec] = {
    "blog_post_details": _one(BlogPost),
    "blog_posts_list": _page(BlogPost),
    "categories_list": _page(Category),
    "client_details": _one(Client),
    "client_direct_deposit_create": _one(DirectDeposit),
    "client_donation_details": _one(ClientDonation),
    "client_donation_pledge_status": _one(PledgeStatus),
    "client_donation_pledges_creation": _one(Acknowledgement),
    "client_donations_list": _page(ClientDonation),
    "client_forwarding_request_details": _one(ForwardingRequest),
    # The doc page is named "list" but documents the POST that creates one (202).
    "client_forwarding_requests_list": _one(Acknowledgement),
    "client_fundraising_event_statistics": _one(ClientFundraisingEventStatistics),
    "client_mailing_subscriptions": _one(MailingSubscription),
    "client_newsletter_opt_ins": _one(NewsletterOptIn),
    "client_project_statistics": _one(ClientProjectStatistics),
    "client_project_tags_list": _page(Tag),
    "client_tag_projects_list": _page(Project),
    "client_tags_list": _page(Tag),
    "contact_data_details": _one(ContactData),
    "fundraising_event_details": _one(FundraisingEvent),
    "fundraising_event_forwardings_list": _page(Forwarding),
    "fundraising_events_featured_projects_list": _page(Project),
    "fundraising_events_list": _page(FundraisingEvent),
    "matching_fund_details": _one(MatchingFund),
    "matching_fund_projects_list": _page(Project),
    "matching_funds_list": _page(MatchingFund),
    "need_details": _one(Need),
    "needs_list": _page(Need),
    "opinions_list": _page(Opinion),
    "organisation_details": _one(Organisation),
    "organisations_list": _page(Organisation),
    "pool_details": _one(Pool),
    "project_details": _one(Project),
    "project_picture_details": _one(ProjectPicture),
    "project_pictures_list": _page(ProjectPicture),
    "projects_list": _page(Project),
    "search": _page(SearchResult),
}

NOT_MODELS: dict[str, str] = {
    "errors": "error bodies are read by betterplace_async.errors.ErrorBody, not by a model",
}
"""Sample directories that hold no successful responses, with the reason."""

OVERRIDES: dict[str, tuple[Spec, str]] = {
    "client_donation_details/docs-flori_3": (
        _page(ClientDonation),
        "the 2014 doc page showed an empty list envelope instead of one donation",
    ),
    "project_pictures_list/docs-jackk_1": (
        _one(ProjectPicture),
        "the 2013 doc page showed a single picture instead of the list envelope",
    ),
}
"""Files whose body does not have their kind's shape, decoded as given here instead."""

NOT_A_RESPONSE: dict[str, str] = {
    "client_donation_details/docs-malterei_3": (
        "the doc generator captured a Rails backtrace (a JSON array of strings), not a donation"
    ),
}
"""Files that are no response of their endpoint; decoding them must fail, never guess."""

CURRENT_DOC_EXAMPLES: dict[str, tuple[str, ...]] = {
    "blog_post_details": ("docs-flori_1",),
    "blog_posts_list": ("docs-flori_1",),
    "categories_list": ("docs-flori_1",),
    "client_details": ("docs-flori_1",),
    "client_direct_deposit_create": ("docs-flori_1",),
    "client_donation_details": ("docs-flori_1",),
    "client_donation_pledge_status": ("docs-flori_1",),
    "client_donation_pledges_creation": ("docs-flori_1",),
    "client_donations_list": ("docs-flori_1",),
    "client_forwarding_request_details": ("docs-flori_1",),
    "client_forwarding_requests_list": ("docs-flori_1",),
    "client_fundraising_event_statistics": ("docs-flori_1",),
    # flori_2 is the page's response example; flori_1, from the same commit, is the page's
    # request-body example (its fields are what the API once echoed back).
    "client_mailing_subscriptions": ("docs-flori_2", "docs-flori_1"),
    "client_newsletter_opt_ins": ("docs-flori_1",),
    "client_project_statistics": ("docs-flori_1",),
    "client_project_tags_list": ("docs-flori_1",),
    # The current page has no example; the newest bpdocs/flori one is from 2014.
    "client_tag_projects_list": ("docs-flori_1",),
    "client_tags_list": ("docs-flori_1",),
    "contact_data_details": ("docs-flori_1",),
    "fundraising_event_details": ("docs-flori_1",),
    "fundraising_event_forwardings_list": ("docs-flori_1",),
    "fundraising_events_featured_projects_list": ("docs-flori_2",),
    "fundraising_events_list": ("docs-flori_2",),
    "matching_fund_details": ("docs-bpdocs_1",),
    # No page documents this list any more; the newest example (bpdocs, 2015) stands in.
    "matching_fund_projects_list": ("docs-bpdocs_2",),
    "matching_funds_list": ("docs-bpdocs_1",),
    "need_details": ("docs-flori_1",),
    "needs_list": ("docs-flori_1",),
    "opinions_list": ("docs-flori_1",),
    "organisation_details": ("docs-flori_1",),
    "organisations_list": ("docs-flori_1",),
    "pool_details": ("docs-flori_1",),
    "project_details": ("docs-flori_2",),
    "project_picture_details": ("docs-flori_1",),
    "project_pictures_list": ("docs-flori_1",),
    "projects_list": ("docs-flori_2",),
    "search": ("docs-flori_2",),
}
"""Per kind, the newest DOC-GEN example of the current docs forks (see PROVENANCE.md)."""


def sample_id(path: Path) -> str:
    """Readable id such as ``projects_list/docs-flori_3``."""
    return f"{path.parent.name}/{path.stem}"


def all_samples() -> list[Path]:
    """Every sample file, sorted; empty when the samples folder is absent."""
    return sorted(SAMPLES.glob("*/*.json")) if SAMPLES.is_dir() else []


def spec_for(path: Path) -> Spec:
    """The decoding spec of one sample file (its override, else its kind's)."""
    override = OVERRIDES.get(sample_id(path))
    return override[0] if override else SAMPLE_MAP[path.parent.name]
