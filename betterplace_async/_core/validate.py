"""Check the fields of request bodies: amounts, free text, e-mail, country codes, flags.

The same style as :mod:`~betterplace_async._core.params`: each check takes the value and the
field's name, returns the value when it is acceptable and otherwise raises
:class:`InvalidParameterError` naming the field. Free-text values are never echoed in a
message, since they may be personal data.
"""

from __future__ import annotations

import re
from typing import Final

from betterplace_async.errors import InvalidParameterError

__all__ = [
    "COUNTRY_CODES",
    "MAX_AMOUNT_IN_CENTS",
    "amount_in_cents",
    "country_code",
    "email",
    "flag",
    "text",
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


def amount_in_cents(value: object, name: str) -> int:
    """Return ``value`` when it is an int number of cents in 1..:data:`MAX_AMOUNT_IN_CENTS`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameterError(
            name, f"must be an int number of cents, got {type(value).__name__}"
        )
    if not 1 <= value <= MAX_AMOUNT_IN_CENTS:
        raise InvalidParameterError(
            name, f"must be between 1 and {MAX_AMOUNT_IN_CENTS} cents, got {value}"
        )
    return value


def text(value: object, name: str, *, required: bool = True) -> str | None:
    """Return a free-text field; ``None`` is allowed unless ``required`` (then also no blanks)."""
    if value is None:
        if required:
            raise InvalidParameterError(name, "is required")
        return None
    if not isinstance(value, str):
        raise InvalidParameterError(name, f"must be a string, got {type(value).__name__}")
    if required and not value.strip():
        raise InvalidParameterError(name, "must not be blank")
    if any(ord(ch) < 0x20 and ch not in "\r\n\t" for ch in value):
        raise InvalidParameterError(name, "must not contain control characters")
    return value


def email(value: object, name: str, *, required: bool = True) -> str | None:
    """Return an e-mail address shaped ``name@domain.tld`` (``""`` passes when optional)."""
    checked = text(value, name, required=required)
    if checked and (len(checked) > _MAX_EMAIL or not _EMAIL.fullmatch(checked)):
        raise InvalidParameterError(name, "is not an e-mail address (expected name@domain.tld)")
    return checked


def country_code(value: object, name: str, *, required: bool = True) -> str | None:
    """Return an upper-case ISO 3166-1 alpha-2 code (``""`` passes when optional)."""
    checked = text(value, name, required=required)
    if checked and checked not in COUNTRY_CODES:
        hint = ""
        if checked.upper() in COUNTRY_CODES:
            hint = f" (use upper case: {checked.upper()!r})"
        raise InvalidParameterError(
            name, f"must be an ISO 3166-1 alpha-2 code such as 'DE', got {checked!r}{hint}"
        )
    return checked


def flag(value: object, name: str) -> bool:
    """Return ``value`` when it is ``True`` or ``False`` (no other truthy values)."""
    if not isinstance(value, bool):
        raise InvalidParameterError(name, f"must be True or False, got {type(value).__name__}")
    return value
