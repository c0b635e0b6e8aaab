"""Validate and encode caller input before it becomes part of a request.

Pure functions, no I/O. Every failure raises :class:`InvalidParameterError` naming the
parameter, so bad input is reported before anything is sent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Final, Literal, TypeAlias

import attrs

from betterplace_async.errors import InvalidParameterError

Locale: TypeAlias = Literal["de", "en"]
LOCALES: Final = ("de", "en")
PER_PAGE_CAP: Final = 200

PairsInput: TypeAlias = Mapping[str, object] | Iterable[tuple[str, object]] | None

_PAIR_KEY = re.compile(r"^[A-Za-z0-9_.\-]+$")
_REFERENCE = re.compile(r"^[A-Za-z0-9_-]+$")


def locale(value: object, name: str = "locale") -> Locale:
    """Return ``value`` when it is a supported locale (``de`` or ``en``)."""
    if value == "de":
        return "de"
    if value == "en":
        return "en"
    raise InvalidParameterError(name, f"must be one of {', '.join(LOCALES)}, got {value!r}")


MAX_ID: Final = 2**63 - 1


def positive_id(value: object, name: str) -> int:
    """Return ``value`` as an id: an int in 1..2**63-1 (bools and numeric strings refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameterError(name, f"must be a positive int, got {type(value).__name__}")
    if not 1 <= value <= MAX_ID:
        raise InvalidParameterError(name, f"must be an int from 1 to 2**63-1, got {value}")
    return value


def segment(value: object, name: str) -> str:
    """Return ``value`` as one path segment (permalink, slug, token, reference).

    The URL builder percent-encodes it, so ``/`` or ``?`` stay inside the segment; the dot
    segments ``.`` and ``..`` and control characters are refused outright.
    """
    if isinstance(value, bool):
        raise InvalidParameterError(name, "must be a non-empty string, got bool")
    if isinstance(value, int):
        if value < 1:
            raise InvalidParameterError(name, f"must be a positive int or a string, got {value}")
        return str(value)
    if not isinstance(value, str):
        raise InvalidParameterError(name, f"must be a non-empty string, got {type(value).__name__}")
    if not value or not value.strip():
        raise InvalidParameterError(name, "must not be empty")
    if value in {".", ".."}:
        raise InvalidParameterError(name, f"{value!r} is not a valid path segment")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise InvalidParameterError(name, "must not contain control characters")
    if len(value) > 200:
        raise InvalidParameterError(name, "is longer than 200 characters")
    return value


def reference(value: object, name: str = "client_reference") -> str:
    """Return ``value`` when it is made only of ``a-zA-Z0-9_-`` (at most 200 characters)."""
    if not isinstance(value, str) or not _REFERENCE.match(value):
        raise InvalidParameterError(
            name, f"may contain only letters a-z, A-Z, digits, '_' and '-', got {value!r}"
        )
    if len(value) > 200:
        raise InvalidParameterError(name, "is longer than 200 characters")
    return value


def per_page(value: object, name: str = "per_page") -> int:
    """Return a page size in 1..200; larger values are refused, never sent."""
    number = positive_id(value, name)
    if number > PER_PAGE_CAP:
        raise InvalidParameterError(
            name, f"the API caps pages at {PER_PAGE_CAP} entries, got {number}"
        )
    return number


def _pair_value(value: object, name: str, key: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        text = str(value)
    else:
        raise InvalidParameterError(
            name, f"value for {key!r} must be str, int, float or bool, got {type(value).__name__}"
        )
    if not text or any(ch in text for ch in "|:") or any(ord(ch) < 0x20 for ch in text):
        raise InvalidParameterError(
            name, f"value for {key!r} must be non-empty and contain no '|' or ':', got {text!r}"
        )
    return text


def pairs(value: object, name: str) -> str | None:
    """Encode ``{"a": 1, "b": "x"}`` or ``[("a", 1)]`` as the API's ``a:1|b:x`` format.

    A ready-made string is refused on purpose: callers pass structured data and this
    function does the quoting rules, so a stray ``|`` can never smuggle in another pair.
    """
    if value is None:
        return None
    if isinstance(value, str | bytes):
        raise InvalidParameterError(
            name, "pass a mapping or a sequence of (key, value) pairs, not a string"
        )
    encoded: list[str] = []
    try:
        iterator = iter(value.items() if isinstance(value, Mapping) else value)  # type: ignore[call-overload]
    except TypeError:
        raise InvalidParameterError(
            name, f"must be a mapping or a sequence of pairs, got {type(value).__name__}"
        ) from None
    for item in iterator:
        if not isinstance(item, tuple) or len(item) != 2:
            raise InvalidParameterError(
                name, f"each entry must be a (key, value) pair, got {item!r}"
            )
        key, raw = item
        if not isinstance(key, str) or not _PAIR_KEY.match(key):
            raise InvalidParameterError(name, f"key must match [A-Za-z0-9_.-]+, got {key!r}")
        encoded.append(f"{key}:{_pair_value(raw, name, key)}")
    return "|".join(encoded) if encoded else None


def order(value: object, name: str = "order") -> str | None:
    """Encode an ordering such as ``{"rank": "DESC"}``; directions must be ASC or DESC."""
    text = pairs(value, name)
    if text is None:
        return None
    for pair in text.split("|"):
        direction = pair.rsplit(":", 1)[1]
        if direction.upper() not in {"ASC", "DESC"}:
            raise InvalidParameterError(
                name, f"direction must be ASC or DESC, got {direction!r} in {pair!r}"
            )
    return "|".join(
        f"{key}:{direction.upper()}"
        for key, direction in (pair.rsplit(":", 1) for pair in text.split("|"))
    )


def query_text(value: object, name: str) -> str | None:
    """Return a free-text parameter (``q``, ``around``) or ``None``; refuses control chars."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidParameterError(name, f"must be a string, got {type(value).__name__}")
    if any(ord(ch) < 0x20 for ch in value):
        raise InvalidParameterError(name, "must not contain control characters")
    return value


def coordinate(value: object, name: str, limit: float) -> float:
    """Return a latitude (limit 90) or longitude (limit 180) as float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidParameterError(name, f"must be a number, got {type(value).__name__}")
    number = float(value)
    if not -limit <= number <= limit:
        raise InvalidParameterError(name, f"must be within -{limit:g}..{limit:g}, got {number}")
    return number


def around_distance(value: object, name: str = "around_distance") -> str | None:
    """Return a distance such as ``"25km"`` or ``"500m"``; an int is read as kilometres."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            raise InvalidParameterError(name, f"must be positive, got {value}")
        return f"{value}km"
    if isinstance(value, str) and re.fullmatch(r"[1-9][0-9]*(m|km)", value):
        return value
    raise InvalidParameterError(
        name, f"must be an int of kilometres or a string like '25km' or '500m', got {value!r}"
    )


def choice(value: object, name: str, allowed: tuple[str, ...]) -> str | None:
    """Return ``value`` when it is ``None`` or one of ``allowed``."""
    if value is None:
        return None
    if isinstance(value, str) and value in allowed:
        return value
    raise InvalidParameterError(name, f"must be one of {', '.join(allowed)}, got {value!r}")


def limit(value: object, name: str = "limit") -> int | None:
    """Return a maximum item count (an int >= 0) or ``None`` for no limit."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidParameterError(name, f"must be an int >= 0 or None, got {value!r}")
    return value


def seconds(value: object, name: str, *, positive: bool = False, finite: bool = True) -> float:
    """Return a duration in seconds: a number >= 0 (> 0 if ``positive``), never NaN.

    ``finite=False`` also accepts ``math.inf`` (wait without bound).
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise InvalidParameterError(name, f"must be a number of seconds, got {value!r}")
    if finite and math.isinf(value):
        raise InvalidParameterError(name, f"must be a finite number, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise InvalidParameterError(name, f"must be {'> 0' if positive else '>= 0'}, got {value}")
    return value


@attrs.frozen
class BoundingBox:
    """A rectangle on the map: north-east and south-west corners in decimal degrees."""

    nelat: float
    nelng: float
    swlat: float
    swlng: float

    def to_params(self) -> dict[str, float]:
        """Return the four query parameters, validated."""
        return {
            "nelat": coordinate(self.nelat, "bounds.nelat", 90),
            "nelng": coordinate(self.nelng, "bounds.nelng", 180),
            "swlat": coordinate(self.swlat, "bounds.swlat", 90),
            "swlng": coordinate(self.swlng, "bounds.swlng", 180),
        }


def bounds(value: object, name: str = "bounds") -> dict[str, float]:
    """Return the query parameters of a :class:`BoundingBox` (or none for ``None``)."""
    if value is None:
        return {}
    if not isinstance(value, BoundingBox):
        raise InvalidParameterError(name, f"must be a BoundingBox, got {type(value).__name__}")
    return value.to_params()


DEFAULT_MAX_CONCURRENCY: Final = 64
"""Requests one client keeps in flight at most, unless given ``max_concurrency``."""

AUTO: Final = "auto"
Concurrency: TypeAlias = int | Literal["auto"]
"""A ``concurrency`` argument: a fixed number of requests in flight, or ``"auto"``."""


def concurrency_arg(value: object, name: str = "concurrency") -> Concurrency:
    """Return ``value`` when it is ``"auto"`` or a positive int."""
    if value == AUTO:
        return AUTO
    if isinstance(value, str):
        raise InvalidParameterError(name, f"must be a positive int or 'auto', got {value!r}")
    return positive_id(value, name)
