"""Validate POST bodies the way the documented endpoints do; errors are keyed by field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from betterplace_async.testing.data.bodies import flag, is_country, text

Errors = dict[str, list[str]]

REFERENCE = re.compile(r"[a-zA-Z0-9_-]+")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_AMOUNT = 1_000_000
BLANK = "can't be blank"


def _amount(body: Mapping[str, Any], field: str, errors: Errors) -> int:
    value = body.get(field)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if value is None or value == "":
        errors.setdefault(field, []).append(BLANK)
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        errors.setdefault(field, []).append("is not an integer")
        return 0
    if not 1 <= value <= MAX_AMOUNT:
        errors.setdefault(field, []).append(f"must be between 1 and {MAX_AMOUNT}")
    return value


def _reference(body: Mapping[str, Any], field: str, errors: Errors, *, required: bool) -> str:
    value = text(body, field)
    if not value:
        if required:
            errors.setdefault(field, []).append(BLANK)
    elif not REFERENCE.fullmatch(value) or len(value) > 255:
        errors.setdefault(field, []).append("may only contain a-z, A-Z, 0-9, _ and -")
    return value


def _require(body: Mapping[str, Any], fields: tuple[str, ...], errors: Errors) -> None:
    for field in fields:
        if not text(body, field):
            errors.setdefault(field, []).append(BLANK)


def _email(body: Mapping[str, Any], errors: Errors) -> None:
    value = text(body, "email")
    if value and not EMAIL.fullmatch(value):
        errors.setdefault("email", []).append("is invalid")


def _country(body: Mapping[str, Any], field: str, errors: Errors) -> None:
    value = text(body, field)
    if value and not is_country(value):
        errors.setdefault(field, []).append("is not an ISO 3166-1 alpha-2 code")


def validate_pledge(body: Mapping[str, Any]) -> Errors:
    """Check a donation pledge; donor fields are optional with ``validate_address: false``."""
    errors: Errors = {}
    _amount(body, "amount_in_cents", errors)
    _reference(body, "client_reference", errors, required=True)
    _reference(body, "tracking_via", errors, required=False)
    if flag(body, "validate_address", True):
        fields = ("first_name", "last_name", "email", "street", "city", "zip", "country_code")
        _require(body, fields, errors)
        _country(body, "country_code", errors)
    _email(body, errors)
    earmark = body.get("earmark")
    if earmark is not None and (isinstance(earmark, bool) or not isinstance(earmark, int)):
        errors.setdefault("earmark", []).append("is not an integer")
    return errors


def validate_forwarding(body: Mapping[str, Any]) -> Errors:
    """Check a forwarding request."""
    errors: Errors = {}
    _amount(body, "amount_in_cents", errors)
    _reference(body, "client_reference", errors, required=True)
    _reference(body, "tracking_via", errors, required=False)
    return errors


def validate_direct_deposit(body: Mapping[str, Any]) -> Errors:
    """Check a direct deposit; the address is optional with ``validate_address: false``."""
    errors: Errors = {}
    _amount(body, "amount_cents", errors)
    _reference(body, "client_reference", errors, required=True)
    _require(body, ("first_name", "last_name", "email"), errors)
    _email(body, errors)
    if flag(body, "validate_address", True):
        _require(body, ("street", "city", "zip", "country_alpha2"), errors)
        _country(body, "country_alpha2", errors)
    return errors


def validate_mailing_subscription(body: Mapping[str, Any]) -> Errors:
    """Check a project mailing subscription."""
    errors: Errors = {}
    _require(body, ("email", "first_name", "last_name"), errors)
    _email(body, errors)
    active = body.get("active")
    if not isinstance(active, bool) and str(active).lower() not in ("true", "false"):
        errors.setdefault("active", []).append("must be true or false")
    return errors


def validate_newsletter_opt_in(body: Mapping[str, Any]) -> Errors:
    """Check a newsletter opt-in."""
    errors: Errors = {}
    _require(body, ("email", "first_name", "last_name", "wording"), errors)
    _email(body, errors)
    return errors
