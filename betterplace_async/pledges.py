"""What a client submits: donation pledges, forwarding requests and the other client POSTs.

Every request object is a frozen attrs class whose fields carry the API's own names. It
checks itself when it is built (and again when rebuilt with :func:`attrs.evolve`), raising
:class:`~betterplace_async.errors.InvalidParameterError` that names the field, so bad input
never reaches the API. ``to_json()`` returns the request body.

``client_reference`` is the idempotency key of pledges, forwardings and direct deposits: the
API books at most one donation per reference and silently ignores later submissions with the
same one. Leave it out and a fresh one is generated; keep the object (or its reference) to
retry safely. Note that :func:`attrs.evolve` keeps the reference, so an evolved copy counts
as the *same* transaction.

Donor contact and address fields are left out of ``repr`` so they do not end up in logs.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any, Final

import attrs

from betterplace_async._core import params as _params
from betterplace_async.errors import BetterplaceError, InvalidParameterError
from betterplace_async.models.donations import ClientDonation
from betterplace_async.models.pledges import ForwardingRequest, PledgeState, PledgeStatus

__all__ = [
    "COUNTRY_CODES",
    "MAX_AMOUNT_IN_CENTS",
    "NewDirectDeposit",
    "NewDonationPledge",
    "NewForwardingRequest",
    "NewMailingSubscription",
    "NewNewsletterOptIn",
    "PledgeKind",
    "PledgeResult",
    "new_client_reference",
]

MAX_AMOUNT_IN_CENTS: Final = 1_000_000
"""The largest amount one pledge, forwarding or deposit may carry (10,000.00 in cents)."""

_CODES: Final = (
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCI"
    "CKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQ"
    "GRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLS"
    "LTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPG"
    "PHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTK"
    "TLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW"
)
COUNTRY_CODES: Final = frozenset(_CODES[i : i + 2] for i in range(0, len(_CODES), 2))
"""The officially assigned ISO 3166-1 alpha-2 country codes."""

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_MAX_EMAIL = 254


class PledgeKind:
    """What a :class:`PledgeResult` is about."""

    DONATION_PLEDGE: Final = "donation_pledge"
    FORWARDING_REQUEST: Final = "forwarding_request"


def new_client_reference() -> str:
    """Return a fresh, practically unique ``client_reference`` (32 hex digits)."""
    return uuid.uuid4().hex


# -- field checks ---------------------------------------------------------------------------


def _amount(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameterError(
            name, f"must be an int number of cents, got {type(value).__name__}"
        )
    if not 1 <= value <= MAX_AMOUNT_IN_CENTS:
        raise InvalidParameterError(
            name, f"must be between 1 and {MAX_AMOUNT_IN_CENTS} cents, got {value}"
        )
    return value


def _text(value: object, name: str, *, required: bool) -> None:
    """Check an optional or required free-text field; never echo its value (it may be PII)."""
    if value is None:
        if required:
            raise InvalidParameterError(name, "is required")
        return
    if not isinstance(value, str):
        raise InvalidParameterError(name, f"must be a string, got {type(value).__name__}")
    if required and not value.strip():
        raise InvalidParameterError(name, "must not be blank")
    if any(ord(ch) < 0x20 and ch not in "\r\n\t" for ch in value):
        raise InvalidParameterError(name, "must not contain control characters")


def _email(value: object, name: str, *, required: bool) -> None:
    _text(value, name, required=required)
    if value is None or (not required and value == ""):
        return
    assert isinstance(value, str)
    if len(value) > _MAX_EMAIL or not _EMAIL.fullmatch(value):
        raise InvalidParameterError(name, "is not an e-mail address (expected name@domain.tld)")


def _country(value: object, name: str, *, required: bool) -> None:
    _text(value, name, required=required)
    if value is None or (not required and value == ""):
        return
    if value not in COUNTRY_CODES:
        hint = ""
        if isinstance(value, str) and value.upper() in COUNTRY_CODES:
            hint = f" (use upper case: {value.upper()!r})"
        raise InvalidParameterError(
            name, f"must be an ISO 3166-1 alpha-2 code such as 'DE', got {value!r}{hint}"
        )


def _flag(value: object, name: str) -> None:
    if not isinstance(value, bool):
        raise InvalidParameterError(name, f"must be True or False, got {type(value).__name__}")


def _tracking(value: object, name: str = "tracking_via") -> None:
    if value is not None:
        _params.reference(value, name)


def _present(**fields: object) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


# -- requests -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class NewDonationPledge:
    """A donation pledge to a project or to the client's pool.

    ``amount_in_cents`` is an int in 1..1,000,000. The donor's name, e-mail and full address
    (``street``, ``zip``, ``city``, ``country_code`` as ISO 3166-1 alpha-2) are required
    unless ``validate_address=False``; without an address no donation receipt can be issued.
    ``tracking_via`` tags a campaign (``a-zA-Z0-9_-``). ``earmark`` names a project need
    the money should go to; the API may ignore it.
    """

    amount_in_cents: int
    client_reference: str = attrs.field(factory=new_client_reference)
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = attrs.field(default=None, repr=False)
    street: str | None = attrs.field(default=None, repr=False)
    zip: str | None = attrs.field(default=None, repr=False)
    city: str | None = attrs.field(default=None, repr=False)
    country_code: str | None = None
    tracking_via: str | None = None
    earmark: int | None = None
    validate_address: bool = True

    def __attrs_post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise :class:`InvalidParameterError` for the first field the API would refuse."""
        _amount(self.amount_in_cents, "amount_in_cents")
        _params.reference(self.client_reference)
        _tracking(self.tracking_via)
        _flag(self.validate_address, "validate_address")
        required = self.validate_address
        _text(self.first_name, "first_name", required=required)
        _text(self.last_name, "last_name", required=required)
        _email(self.email, "email", required=required)
        _text(self.street, "street", required=required)
        _text(self.zip, "zip", required=required)
        _text(self.city, "city", required=required)
        _country(self.country_code, "country_code", required=required)
        if self.earmark is not None:
            _params.positive_id(self.earmark, "earmark")

    def to_json(self) -> dict[str, Any]:
        """Return the JSON body; fields left as ``None`` are not sent."""
        return {
            **_present(first_name=self.first_name, last_name=self.last_name, email=self.email),
            "amount_in_cents": self.amount_in_cents,
            "client_reference": self.client_reference,
            **_present(
                tracking_via=self.tracking_via,
                earmark=self.earmark,
                street=self.street,
                city=self.city,
                zip=self.zip,
                country_code=self.country_code,
            ),
            "validate_address": self.validate_address,
        }


@attrs.frozen(kw_only=True)
class NewForwardingRequest:
    """A request to move ``amount_in_cents`` (1..1,000,000) from the client pool to a project."""

    amount_in_cents: int
    client_reference: str = attrs.field(factory=new_client_reference)
    tracking_via: str | None = None

    def __attrs_post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise :class:`InvalidParameterError` for the first field the API would refuse."""
        _amount(self.amount_in_cents, "amount_in_cents")
        _params.reference(self.client_reference)
        _tracking(self.tracking_via)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON body."""
        return {
            "amount_in_cents": self.amount_in_cents,
            "client_reference": self.client_reference,
            **_present(tracking_via=self.tracking_via),
        }


@attrs.frozen(kw_only=True)
class NewDirectDeposit:
    """An announced bank transfer to a project; the answer names the account to pay into.

    Note the API's names here: ``amount_cents`` (1..1,000,000) and ``country_alpha2``.
    Name and e-mail are always required; the address unless ``validate_address=False``.
    ``message`` is shown on the project page.
    """

    amount_cents: int
    first_name: str
    last_name: str
    email: str = attrs.field(repr=False)
    client_reference: str = attrs.field(factory=new_client_reference)
    company_name: str | None = None
    message: str | None = None
    street: str | None = attrs.field(default=None, repr=False)
    zip: str | None = attrs.field(default=None, repr=False)
    city: str | None = attrs.field(default=None, repr=False)
    country_alpha2: str | None = None
    validate_address: bool = True

    def __attrs_post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise :class:`InvalidParameterError` for the first field the API would refuse."""
        _amount(self.amount_cents, "amount_cents")
        _params.reference(self.client_reference)
        _flag(self.validate_address, "validate_address")
        _text(self.first_name, "first_name", required=True)
        _text(self.last_name, "last_name", required=True)
        _email(self.email, "email", required=True)
        _text(self.company_name, "company_name", required=False)
        _text(self.message, "message", required=False)
        required = self.validate_address
        _text(self.street, "street", required=required)
        _text(self.zip, "zip", required=required)
        _text(self.city, "city", required=required)
        _country(self.country_alpha2, "country_alpha2", required=required)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON body; fields left as ``None`` are not sent."""
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            **_present(company_name=self.company_name),
            "email": self.email,
            **_present(message=self.message),
            "amount_cents": self.amount_cents,
            "client_reference": self.client_reference,
            **_present(
                street=self.street,
                city=self.city,
                zip=self.zip,
                country_alpha2=self.country_alpha2,
            ),
            "validate_address": self.validate_address,
        }


@attrs.frozen(kw_only=True)
class NewMailingSubscription:
    """Subscribe someone to a project's updates (``active=False`` unsubscribes).

    The subscription's language is the client's locale (use ``client.with_options(locale=...)``).
    """

    email: str = attrs.field(repr=False)
    first_name: str
    last_name: str
    active: bool = True

    def __attrs_post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise :class:`InvalidParameterError` for the first field the API would refuse."""
        _email(self.email, "email", required=True)
        _text(self.first_name, "first_name", required=True)
        _text(self.last_name, "last_name", required=True)
        _flag(self.active, "active")

    def to_json(self) -> dict[str, Any]:
        """Return the JSON body."""
        return {
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "active": self.active,
        }


@attrs.frozen(kw_only=True)
class NewNewsletterOptIn:
    """Start the opt-in to the betterplace.org newsletter.

    ``wording`` is the text the person agreed to (e.g. the checkbox label); it is kept as
    consent evidence. The newsletter language is the client's locale.
    """

    email: str = attrs.field(repr=False)
    first_name: str
    last_name: str
    wording: str

    def __attrs_post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise :class:`InvalidParameterError` for the first field the API would refuse."""
        _email(self.email, "email", required=True)
        _text(self.first_name, "first_name", required=True)
        _text(self.last_name, "last_name", required=True)
        _text(self.wording, "wording", required=True)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON body."""
        return {
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "wording": self.wording,
        }


# -- outcome --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PledgeResult:
    """How a donation pledge or forwarding request ended, or where it stood when waiting ended.

    ``kind`` is a :class:`PledgeKind` value. ``project_id`` is ``None`` for a pledge to the
    client pool. ``state`` is the last state seen (``"confirmed"``, ``"failed"``,
    ``"pending"``, a state this SDK does not know yet, or ``None`` when none was seen).
    ``error`` says why the result is not confirmed: :class:`PledgeFailedError`,
    :class:`WaitTimeoutError`, or the error that stopped the submission (e.g. a 422).

    ``status`` is the last status document when the status endpoint was polled;
    ``donation`` the client donation when that was polled instead. ``submitted_at`` is when
    the API accepted the submission (this machine's clock, UTC); ``settled_at`` when it
    settled (the server's timestamp when it sent one). ``polls`` counts status requests.
    """

    kind: str
    client_reference: str
    amount_in_cents: int
    project_id: int | None
    state: str | None
    failure_code: str | None = None
    failure_reason: str | None = None
    pledge_id: int | None = None
    status: PledgeStatus | ForwardingRequest | None = None
    donation: ClientDonation | None = None
    submitted_at: datetime | None = None
    settled_at: datetime | None = None
    polls: int = 0
    error: BetterplaceError | None = attrs.field(default=None, eq=False)

    @property
    def confirmed(self) -> bool:
        """Whether the money was booked."""
        return self.state == PledgeState.CONFIRMED

    @property
    def failed(self) -> bool:
        """Whether the API settled it as failed (see ``failure_code``)."""
        return self.state == PledgeState.FAILED

    @property
    def to_pool(self) -> bool:
        """Whether it went to the client pool rather than a project."""
        return self.project_id is None
