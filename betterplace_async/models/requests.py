"""What a client sends: donation pledges, forwarding requests and the other client POSTs.

Every request body is a frozen attrs class whose fields carry the API's own names. Each
field checks itself when the object is built (and again when rebuilt with
:func:`attrs.evolve`), raising :class:`~betterplace_async.errors.InvalidParameterError` that
names the field, so bad input never reaches the API and the namespaces need not check it
again. ``to_json()`` returns the body: every field, except those left as ``None``.

``client_reference`` is the idempotency key of pledges, forwardings and direct deposits: the
API books at most one donation per reference and silently ignores later submissions with the
same one. Leave it out and a fresh one is generated; keep the object (or its reference) to
retry safely. Note that :func:`attrs.evolve` keeps the reference, so an evolved copy counts
as the *same* transaction.

Donor contact and address fields are left out of ``repr`` so they do not end up in logs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, cast

import attrs

from betterplace_async._core import params as _params
from betterplace_async._core import validate as _validate

__all__ = [
    "NewDirectDeposit",
    "NewDonationPledge",
    "NewForwardingRequest",
    "NewMailingSubscription",
    "NewNewsletterOptIn",
    "new_client_reference",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def new_client_reference() -> str:
    """Return a fresh, practically unique ``client_reference`` (32 hex digits)."""
    return uuid.uuid4().hex


def _check(check: Callable[..., object], **options: object) -> Validator:
    """Turn a check function of the core into an attrs validator naming the field."""

    def validator(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        check(value, attribute.name, **options)

    return validator


def _optional(check: Callable[..., object]) -> Validator:
    """Like :func:`_check`, but ``None`` (not sent) always passes."""
    return attrs.validators.optional(_check(check))


def _address(check: Callable[..., object]) -> Validator:
    """Like :func:`_check`, required unless the body says ``validate_address=False``."""

    def validator(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        required = _validate.flag(instance.validate_address, "validate_address")
        check(value, attribute.name, required=required)

    return validator


def _sent(attribute: attrs.Attribute[Any], value: object) -> bool:
    return value is not None


class _Body:
    """What every request body shares: its JSON form."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        """Return the JSON body; fields left as ``None`` are not sent."""
        return attrs.asdict(cast(Any, self), recurse=False, filter=_sent)


_AMOUNT = _check(_validate.amount_in_cents)
_REFERENCE = _check(_params.reference)
_TRACKING = _optional(_params.reference)
_FLAG = _check(_validate.flag)
_NAME = _check(_validate.text)
_EMAIL = _check(_validate.email)


def _reference() -> Any:
    return attrs.field(factory=new_client_reference, validator=_REFERENCE)


def _private(check: Validator) -> Any:
    """A contact or address field: kept out of ``repr``, ``None`` unless given."""
    return attrs.field(default=None, repr=False, validator=check)


@attrs.frozen(kw_only=True)
class NewDonationPledge(_Body):
    """A donation pledge to a project or to the client's pool.

    ``amount_in_cents`` is an int in 1..1,000,000. The donor's name, e-mail and full address
    (``street``, ``zip``, ``city``, ``country_code`` as ISO 3166-1 alpha-2) are required
    unless ``validate_address=False``; without an address no donation receipt can be issued.
    ``tracking_via`` tags a campaign (``a-zA-Z0-9_-``). ``earmark`` names a project need
    the money should go to; the API may ignore it.
    """

    amount_in_cents: int = attrs.field(validator=_AMOUNT)
    client_reference: str = _reference()
    first_name: str | None = attrs.field(default=None, validator=_address(_validate.text))
    last_name: str | None = attrs.field(default=None, validator=_address(_validate.text))
    email: str | None = _private(_address(_validate.email))
    street: str | None = _private(_address(_validate.text))
    zip: str | None = _private(_address(_validate.text))
    city: str | None = _private(_address(_validate.text))
    country_code: str | None = attrs.field(default=None, validator=_address(_validate.country_code))
    tracking_via: str | None = attrs.field(default=None, validator=_TRACKING)
    earmark: int | None = attrs.field(default=None, validator=_optional(_params.positive_id))
    validate_address: bool = attrs.field(default=True, validator=_FLAG)


@attrs.frozen(kw_only=True)
class NewForwardingRequest(_Body):
    """A request to move ``amount_in_cents`` (1..1,000,000) from the client pool to a project."""

    amount_in_cents: int = attrs.field(validator=_AMOUNT)
    client_reference: str = _reference()
    tracking_via: str | None = attrs.field(default=None, validator=_TRACKING)


@attrs.frozen(kw_only=True)
class NewDirectDeposit(_Body):
    """An announced bank transfer to a project; the answer names the account to pay into.

    Note the API's names here: ``amount_cents`` (1..1,000,000) and ``country_alpha2``.
    Name and e-mail are always required; the address unless ``validate_address=False``.
    ``message`` is shown on the project page.
    """

    amount_cents: int = attrs.field(validator=_AMOUNT)
    first_name: str = attrs.field(validator=_NAME)
    last_name: str = attrs.field(validator=_NAME)
    email: str = attrs.field(repr=False, validator=_EMAIL)
    client_reference: str = _reference()
    company_name: str | None = attrs.field(
        default=None, validator=_check(_validate.text, required=False)
    )
    message: str | None = attrs.field(
        default=None, validator=_check(_validate.text, required=False)
    )
    street: str | None = _private(_address(_validate.text))
    zip: str | None = _private(_address(_validate.text))
    city: str | None = _private(_address(_validate.text))
    country_alpha2: str | None = attrs.field(
        default=None, validator=_address(_validate.country_code)
    )
    validate_address: bool = attrs.field(default=True, validator=_FLAG)


@attrs.frozen(kw_only=True)
class NewMailingSubscription(_Body):
    """Subscribe someone to a project's updates (``active=False`` unsubscribes).

    The subscription's language is the client's locale (use ``client.with_options(locale=...)``).
    """

    email: str = attrs.field(repr=False, validator=_EMAIL)
    first_name: str = attrs.field(validator=_NAME)
    last_name: str = attrs.field(validator=_NAME)
    active: bool = attrs.field(default=True, validator=_FLAG)


@attrs.frozen(kw_only=True)
class NewNewsletterOptIn(_Body):
    """Start the opt-in to the betterplace.org newsletter.

    ``wording`` is the text the person agreed to (e.g. the checkbox label); it is kept as
    consent evidence. The newsletter language is the client's locale.
    """

    email: str = attrs.field(repr=False, validator=_EMAIL)
    first_name: str = attrs.field(validator=_NAME)
    last_name: str = attrs.field(validator=_NAME)
    wording: str = attrs.field(validator=_NAME)
