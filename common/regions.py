"""World regions (UN M49 continents) for grouping countries in pickers, audiences and reports.

Babel's CLDR data gives each country's time zones; the zone's area names its continent. The
few countries whose zones sit in an ocean area, or span two continents, are listed by hand
with their UN M49 region. Region names come translated from CLDR.
"""

from functools import cache

from babel import Locale
from babel.core import get_global
from django.utils import translation

AFRICA, AMERICAS, ASIA, EUROPE, OCEANIA = "002", "019", "142", "150", "009"
REGIONS = (AFRICA, AMERICAS, ASIA, EUROPE, OCEANIA)

_AREA_REGION = {
    "Africa": AFRICA,
    "America": AMERICAS,
    "Asia": ASIA,
    "Europe": EUROPE,
    "Australia": OCEANIA,
    "Pacific": OCEANIA,
}
# Countries whose time zones do not name one continent (UN M49 region by hand).
_BY_HAND = {
    "AQ": OCEANIA, "AU": OCEANIA, "BM": AMERICAS, "BV": AMERICAS, "CC": OCEANIA,
    "CL": AMERICAS, "CV": AFRICA, "CX": OCEANIA, "EC": AMERICAS, "ES": EUROPE,
    "FK": AMERICAS, "FO": EUROPE, "GS": AMERICAS, "HM": OCEANIA, "IO": AFRICA,
    "IS": EUROPE, "KM": AFRICA, "MG": AFRICA, "MU": AFRICA, "MV": ASIA, "PT": EUROPE,
    "RE": AFRICA, "RU": EUROPE, "SC": AFRICA, "SH": AFRICA, "SJ": EUROPE, "TF": AFRICA,
    "US": AMERICAS, "YT": AFRICA,
}  # fmt: skip


@cache
def _region_table() -> dict[str, str]:
    areas: dict[str, set[str]] = {}
    for zone, territory in get_global("zone_territories").items():
        areas.setdefault(territory, set()).add(zone.split("/")[0])
    table = {}
    for territory, zone_areas in areas.items():
        regions = {_AREA_REGION[area] for area in zone_areas if area in _AREA_REGION}
        if len(regions) == 1:
            table[territory] = regions.pop()
    table.update(_BY_HAND)
    return table


def region_of(country: str) -> str:
    """The UN M49 region code of an ISO 3166 alpha-2 country ("" when unknown)."""
    return _region_table().get(str(country).upper(), "")


def region_name(region: str, language: str | None = None) -> str:
    """The region's name in `language` (default: the active language), from CLDR."""
    code = (language or translation.get_language() or "en").replace("-", "_")
    try:
        locale = Locale.parse(code)
    except (ValueError, LookupError):
        locale = Locale.parse("en")
    return locale.territories.get(region, region)


def countries_in_region(region: str) -> list[str]:
    return sorted(code for code, found in _region_table().items() if found == region)
