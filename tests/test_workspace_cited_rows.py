"""Need to know on a flag's page: the rows as delivered that its decision cites are
shown when they are of the account's departments, or of a file or record the night ties
to the flag's person (a file of the person managed elsewhere); a row of another
department tied to no one, such as a quarantined row naming the person by identity only
(a namesake's, perhaps), is named by its citation and department, its content withheld
(workspace/lists/sql/cited_rows.sql)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from tests.scenarios import PERSON, Inbox
from tests.workspace_world import World, client_for, on_fresh_sqlite
from transforms.warehouse import database, tables
from workspace.lists import queries

REJECTED = "rejected_without_oqtf"
FINAL_LIST, LIST_75 = date(2026, 10, 9), date(2026, 11, 13)
# Someone of department 75 with nothing to do with the person of 13 but a surname and a
# first given name: born in 1990 by a date the list gives unreadable (day 00), a second
# given name, no AGDREF number, domiciled in 75; the row is quarantined (its OFPRA
# number is malformed), and so names the 13 file by identity (core_quarantined_identities.sql).
NAMESAKE_GIVEN, NAMESAKE_BIRTH, NAMESAKE_OFPRA = "MAMADOU SEKOU", "00/07/1990", "OF:75-SEKOU"
NAMESAKE_ROW = f"TELEMOFPRA_75_{LIST_75:%Y%m%d}.csv:2"


def with_namesake(inbox: Inbox) -> Inbox:
    """The person of 13 (born 14/03/1975) with a final rejection on 13's list, and the
    namesake's quarantined row in 75's list."""
    return (inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="14/03/1975")
            .person(DATE_NAISSANCE="14/03/1975")
            .telemofpra_in("75", LIST_75, NUM_OFPRA=NAMESAKE_OFPRA, NUM_AGDREF="",
                           NOM="DIALLO", PRENOMS=NAMESAKE_GIVEN,
                           DATE_NAISSANCE=NAMESAKE_BIRTH, DEPT_DOMICILIATION="75"))


def test_a_row_of_another_department_is_withheld_unless_the_night_ties_it_to_the_person(
        tmp_path, con):
    """The person of 13 is also held in a prison of 75 (a GENESIS row giving his file's
    number, linked to him): that row is the person's and is read on a page of 13; the
    namesake's quarantined row of 75 is withheld, its department named; rows of 13 and a
    unit's decision are read."""
    inbox = with_namesake(Inbox(tmp_path / "inbox", con)).genesis(
        date(2026, 11, 10), {"NUM_ECROU": "000750", "CODE_ETABLISSEMENT": "E07501",
                             "LIBELLE_ETABLISSEMENT": "MAISON D'ARRET 75-1",
                             "DEPT_ETABLISSEMENT": "75", "NOM": "DIALLO",
                             "PRENOMS": "MAMADOU", "DATE_NAISSANCE": "14/03/1975",
                             "LIEU_NAISSANCE": "Conakry, Guinée", "NATIONALITE": "GUINEE",
                             "ITF": "NON", "NUM_AGDREF": PERSON, "DATE_ECROU": "10/02/2025",
                             "CATEGORIE_PENALE": "CONDAMNE", "QUANTUM_TOTAL_JOURS": "700",
                             "DATE_LIBERATION_PREVISIBLE": "15/01/2027", "ALIAS": "",
                             "SEXE": "M"}, establishment="E07501")
    inbox.decide(allow_quarantine=True)
    [(person_key,)] = con.execute("SELECT person_key FROM core.persons WHERE num_agdref = ?",
                                  [PERSON]).fetchall()
    [(detention,)] = con.execute(
        "SELECT 'genesis:' || establishment_code || ':' || committal_number "
        "FROM staging.detainees").fetchall()
    assert con.execute("SELECT person_key, link_status FROM core.person_links "
                       "WHERE record_key = ?", [detention]).fetchall() == [
        (person_key, "LINKED")]
    held = f"GENESIS_E07501_{date(2026, 11, 10):%Y%m%d}.csv:2"
    own = [f"TELEMOFPRA_13_{FINAL_LIST:%Y%m%d}.csv:2", "AGDREF_PERSONNES_13_20261116.csv:2"]
    cited = [*own, held, NAMESAKE_ROW, "agent_decisions:D1"]
    assert queries.withheld_rows(con, cited, person_key, ["13"]) == {NAMESAKE_ROW: "75"}
    # an account of 75 reads its own department's rows, and none of 13's but the person's
    assert queries.withheld_rows(con, cited, person_key, ["75"]) == {}
    assert queries.withheld_rows(con, cited, "another person", ["75"]) == {
        own[0]: "13", own[1]: "13"}
    shown = {s["citation"]: s for s in queries.source_rows(
        con, cited, queries.withheld_rows(con, cited, person_key, ["13"]))}
    assert shown[NAMESAKE_ROW]["values"] == [] and shown[NAMESAKE_ROW]["elsewhere"] == "75"
    assert dict(shown[held]["values"])["NUM_AGDREF"] == PERSON
    assert all(shown[c]["values"] for c in own)


@pytest.fixture(scope="module")
def namesake_world(tmp_path_factory) -> World:
    """The person of 13, excluded SOURCE_ROW_QUARANTINED for the namesake's row of 75
    (principle 1: a quarantined row naming the person keeps them off the list)."""
    folder = tmp_path_factory.mktemp("namesake")
    con = database.connect(folder / "warehouse.duckdb")
    tables.create_warehouse(con)
    excluded = with_namesake(Inbox(folder / "inbox", con)).decide(
        allow_quarantine=True).only_excluded(REJECTED)
    assert (excluded["department"], excluded["reason_code"]) == ("13",
                                                                 "SOURCE_ROW_QUARANTINED")
    assert NAMESAKE_ROW in excluded["source_rows"]
    con.close()
    return World(folder / "warehouse.duckdb", {"excluded": excluded})


def test_a_13_exclusion_page_shows_no_row_of_a_75_namesake(workspace_app, namesake_world,
                                                           tmp_path):
    """Before (audit of 2026-12-07), an agent of 13 opening this exclusion's page read,
    under "Lignes sources (telles que livrées)", the namesake's row of 75: surname, given
    names, birth date, OFPRA number (queries.source_rows read raw.<kind> for every
    citation). DESIGN.md, need to know: every query of the workspace is scoped on the
    server to the account's departments."""
    from django.test import override_settings

    own = World(tmp_path / "warehouse.duckdb", namesake_world.flags)
    shutil.copyfile(namesake_world.warehouse, own.warehouse)
    candidate = own.flags["excluded"]["candidate_id"]
    with (on_fresh_sqlite(workspace_app, own) as ws,
          override_settings(RECONCILE_WAREHOUSE=own.warehouse)):
        page = client_for(ws, "agent13").get(f"/listes/{REJECTED}/{candidate}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert [v for v in (NAMESAKE_GIVEN, NAMESAKE_BIRTH, NAMESAKE_OFPRA) if v in text] == []
    assert NAMESAKE_ROW in text and "autre département (75)" in text
    assert "14/03/1975" in text  # the person's own rows are shown
