"""Read the fields of a submitted body: text, flags and country codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# ISO 3166-1 alpha-2, officially assigned codes, two letters each
_CODES = (
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCD"
    "CFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGF"
    "GGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKN"
    "KPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNA"
    "NCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSI"
    "SJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVI"
    "VNVUWFWSYEYTZAZMZW"
)
COUNTRIES = frozenset(_CODES[i : i + 2] for i in range(0, len(_CODES), 2))


def text(body: Mapping[str, Any], field: str) -> str:
    """Return a body field as stripped text ('' when missing)."""
    value = body.get(field)
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip()


def flag(body: Mapping[str, Any], field: str, default: bool) -> bool:
    """Return a boolean body field, reading ``"false"`` as False."""
    value = body.get(field, default)
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "")
    return bool(value)


def is_country(code: str) -> bool:
    """Return whether ``code`` is an assigned ISO 3166-1 alpha-2 code."""
    return code.upper() in COUNTRIES
