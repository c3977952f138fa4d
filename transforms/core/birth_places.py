"""The town of a place of birth, as the identity stage compares it: LIEU_NAISSANCE is free
text, "town, country" (docs/contracts.md §1.2, §1.3), keyed by clerks who spell, accent
and case it their own way, or write the country only. The town is the text before the
last comma, in ASCII capitals, punctuation to spaces (Béjaïa -> BEJAIA, Port-au-Prince
-> PORT AU PRINCE); a country's name alone, or nothing, is no town (None)."""

from __future__ import annotations

import duckdb
import polars as pl

from transforms.ingest.countries import UNKNOWN, country_code, normalise_country_name
from transforms.warehouse.history import contents
from transforms.warehouse.tables import replace_table


def birth_town(place: str | None) -> str | None:
    if not place:
        return None
    town = normalise_country_name(place.rsplit(",", 1)[0])
    if not town or town == UNKNOWN or country_code(town) is not None:
        return None
    return town


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
