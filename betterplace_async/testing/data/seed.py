"""Deterministic building blocks: hashing, timestamps, JSON bytes.

Every seeded value is a pure function of ``(seed, kind, index)``, so records can be generated on
demand in any order and the same seed always gives the same bytes.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

try:  # orjson is optional; the output is compact JSON either way
    import orjson

    def dumps(obj: Any) -> bytes:
        """Serialise ``obj`` to compact UTF-8 JSON."""
        return orjson.dumps(obj)

except ImportError:  # pragma: no cover - exercised only without the speed extra
    _encode: Callable[[Any], str] = json.JSONEncoder(
        ensure_ascii=False, separators=(",", ":")
    ).encode

    def dumps(obj: Any) -> bytes:
        """Serialise ``obj`` to compact UTF-8 JSON."""
        return _encode(obj).encode()


#: 2019-01-01T00:00:00Z; seeded records are dated after this instant.
EPOCH = 1_546_300_800
DAY = 86_400


def h64(seed: int, kind: str, index: int) -> int:
    """Return a 64-bit hash of ``(seed, kind, index)``."""
    digest = hashlib.blake2b(f"{seed}:{kind}:{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def pick(h: int, shift: int, modulo: int) -> int:
    """Return an independent small number in ``range(modulo)`` taken from bits of ``h``."""
    return (h >> shift) % modulo


@functools.lru_cache(maxsize=64)
def _dst_window(year: int) -> tuple[int, int]:
    """Return the UTC seconds when Central European Summer Time starts and ends in ``year``."""

    def last_sunday(month: int) -> int:
        last_day = calendar.monthrange(year, month)[1]
        weekday = calendar.weekday(year, month, last_day)  # Monday == 0
        day = last_day - (weekday + 1) % 7
        return calendar.timegm((year, month, day, 1, 0, 0))

    return last_sunday(3), last_sunday(10)


def timestamp(seconds: float) -> str:
    """Format POSIX ``seconds`` as Berlin local time, e.g. ``2021-06-02T12:05:02+02:00``."""
    t = int(seconds)
    start, end = _dst_window(time.gmtime(t).tm_year)
    offset = 7200 if start <= t < end else 3600
    local = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t + offset))
    return local + ("+02:00" if offset == 7200 else "+01:00")


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug of ``text``."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    chars = [c if c.isalnum() and c.isascii() else "-" for c in text.lower().translate(table)]
    return "-".join(part for part in "".join(chars).split("-") if part)
