"""The towns of birth kept in the warehouse (transforms/core/town_names.py): GeoNames'
names written once for a version of the reading, each place's town read once, the
workspace's review page comparing two places by the town the night read."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import row
from tests.scenarios import PERSON, Inbox
from transforms.core import birth_places, town_names
from workspace.identities import labels, queries

FIRST_LIST, SECOND_LIST = date(2026, 10, 9), date(2026, 10, 23)
DETAINEE = "genesis:E01301:000101"


def detainee(number: str, place: str, **overrides: str) -> dict:
    return row("genesis", NUM_ECROU=number, LIEU_NAISSANCE=place, **overrides)


def towns(con) -> dict[str, str | None]:
    return dict(con.execute("SELECT birth_place, birth_town FROM core.birth_towns").fetchall())


def unreadable(*_args):
    raise AssertionError("GeoNames read again")


def test_a_night_reads_new_places_in_the_kept_names_without_geonames(tmp_path, con,
                                                                     monkeypatch):
    inbox = Inbox(tmp_path, con).person(LIEU_NAISSANCE="Oran, Algérie")
    inbox.genesis(FIRST_LIST, detainee("000101", "WAHRAN, ALGERIE")).decide()
    assert towns(con) == {"Oran, Algérie": "ORAN", "WAHRAN, ALGERIE": "ORAN"}
    names = con.execute("SELECT count(*) FROM core.town_names").fetchall()[0][0]
    assert names > 100_000  # every country's, not only those read tonight

    # The next night: GeoNames is not read (the names are the warehouse's), and the
    # places it did not hold are read with them.
    monkeypatch.setattr(birth_places, "towns_of_country", unreadable)
    monkeypatch.setattr(birth_places, "_gazetteer", unreadable)
    monkeypatch.setattr(town_names, "gazetteer", unreadable)
    inbox.genesis(SECOND_LIST, detainee("000101", "WAHRAN, ALGERIE"),
                  detainee("000102", "BOMBAY, INDE", NOM="SINGH", NATIONALITE="INDE"),
                  detainee("000103", "BRESLAU POLOGNE", NOM="NOWAK", NATIONALITE="POLOGNE"),
                  detainee("000104", "INDE", NOM="KUMAR", NATIONALITE="INDE")).decide()
    assert towns(con) == {"Oran, Algérie": "ORAN", "WAHRAN, ALGERIE": "ORAN",
                          "BOMBAY, INDE": "MUMBAI", "BRESLAU POLOGNE": "WROCLAW",
                          "INDE": None}
    # and the night's tables take their towns from it
    assert con.execute("SELECT birth_town FROM source_identities WHERE record_key = ?",
                       ["genesis:E01301:000102"]).fetchall() == [("MUMBAI",)]
    assert con.execute("SELECT birth_town FROM core.persons WHERE num_agdref = ?",
                       [PERSON]).fetchall() == [("ORAN",)]


@pytest.mark.parametrize("same_reading", [True, False])
def test_the_towns_kept_are_read_again_by_another_version(tmp_path, con, monkeypatch,
                                                          same_reading):
    """A place's town is read once under one version of the reading (the code and the
    data, town_names.towns_key): kept while it is the same, read again when not."""
    inbox = Inbox(tmp_path, con).person(LIEU_NAISSANCE="Oran, Algérie")
    inbox.decide()
    con.execute("UPDATE core.birth_towns SET birth_town = 'KEPT'")
    if not same_reading:
        monkeypatch.setattr(town_names, "towns_key", lambda: "another reading")
    inbox.decide()  # the next night
    assert towns(con) == {"Oran, Algérie": "KEPT" if same_reading else "ORAN"}
    assert con.execute("SELECT towns_key FROM core.town_names_key").fetchall() == [
        (town_names.towns_key(),)]


def test_a_place_no_longer_staged_leaves_the_kept_towns(tmp_path, con):
    inbox = Inbox(tmp_path, con).person()
    inbox.genesis(FIRST_LIST, detainee("000101", "WAHRAN, ALGERIE")).decide()
    assert "WAHRAN, ALGERIE" in towns(con)
    con.execute("DELETE FROM staging.detainees")
    inbox.decide()
    assert "WAHRAN, ALGERIE" not in towns(con)


@pytest.mark.parametrize(("record_place", "file_place", "differs"), [
    ("CONAKRY, GUINEE", "Conakry", False),  # one town, each source's spelling
    ("WAHRAN, ALGERIE", "Oran, Algérie", False),  # one town under two of its names
    ("KINDIA, GUINEE", "Conakry", True),  # two towns
    ("GUINEE", "Conakry", True),  # the country only on one side: no town to agree
])
def test_the_pair_page_colours_a_town_of_birth_as_the_night_read_it(
        tmp_path, con, monkeypatch, record_place, file_place, differs):
    Inbox(tmp_path, con).person(LIEU_NAISSANCE=file_place).genesis(
        FIRST_LIST, detainee("000101", record_place, NOM="DIALLO", PRENOMS="MAMADOU",
                             DATE_NAISSANCE="14/03/1990", NATIONALITE="GUINEE")).decide()
    # the page reads the night's towns: GeoNames is not read in the web process
    monkeypatch.setattr(birth_places, "towns_of_country", unreadable)
    sides = [queries.side(con, key)["latest"] for key in (DETAINEE, f"agdref:{PERSON}")]
    shown = {f["label"]: f for f in labels.side_by_side(*sides)}
    assert shown["Lieu de naissance"]["differs"] is differs
    assert shown["Lieu de naissance"]["record"] == record_place  # shown as delivered
    assert shown["Lieu de naissance"]["file"] == file_place
    # a place the towns do not hold (a warehouse not published whole): that side
    # compared as written, never taken for "no town"
    con.execute("DELETE FROM core.birth_towns WHERE birth_place = ?", [file_place])
    sides = [queries.side(con, key)["latest"] for key in (DETAINEE, f"agdref:{PERSON}")]
    shown = {f["label"]: f for f in labels.side_by_side(*sides)}
    assert shown["Lieu de naissance"]["differs"] is True
    # a warehouse published before the towns were: the places compared as written
    con.execute("DROP TABLE core.birth_towns")
    sides = [queries.side(con, key)["latest"] for key in (DETAINEE, f"agdref:{PERSON}")]
    shown = {f["label"]: f for f in labels.side_by_side(*sides)}
    assert shown["Lieu de naissance"]["differs"] is True


@pytest.mark.parametrize(("record", "file", "differs"), [
    ({"birth_place": None}, None, False),  # a list without places, a file gone: nothing
    ({"birth_place": "Kayes, Mali", "birth_town": "KAYES"}, None, True),
    ({"birth_place": None}, {"birth_place": "GUINEE", "birth_town": None}, False),
    ({"birth_place": "KAYES MALI"}, {"birth_place": "Kayes, Mali", "birth_town": "KAYES"},
     True),  # a place the night read no town in: as written
])
def test_a_side_without_a_place_or_a_town(record, file, differs):
    shown = {f["label"]: f for f in labels.side_by_side(record, file)}
    assert shown["Lieu de naissance"]["differs"] is differs
