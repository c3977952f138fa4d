"""A file two detainees are tied to (ANOTHER_DETAINEE, core_person_links.sql): one person
is not held in two places, so the pair's page names the other detainee held now, for the
agent who must tell which one is the file's person; its establishment and its pair only
where the account's departments reach it (need to know), its department otherwise."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from tests.builders import row
from tests.scenarios import PERSON, Inbox
from tests.test_workspace_identities import pair_url
from tests.workspace_world import World, client_for, on_fresh_sqlite
from transforms.warehouse import database, tables

LIST_DATE = date(2026, 10, 9)
HERE = "genesis:E01301:000101"  # a prison of department 13
THERE = "genesis:E07501:000202"  # a prison of department 75
DETAINEE = {"NOM": "DIALLO", "PRENOMS": "MAMADOU", "DATE_NAISSANCE": "14/03/1990",
            "LIEU_NAISSANCE": "CONAKRY, GUINEE", "NATIONALITE": "GUINEE"}


@pytest.fixture(scope="module")
def held_twice(tmp_path_factory) -> World:
    """DIALLO MAMADOU's file (department 13, among 300 others), and a detainee of their
    identity on the latest list of a prison of 13 and of a prison of 75."""
    folder = tmp_path_factory.mktemp("held_twice")
    path = folder / "warehouse.duckdb"
    con = database.connect(path)
    tables.create_warehouse(con)
    inbox = Inbox(folder / "inbox", con).person().measure().others()
    inbox.genesis(LIST_DATE, row("genesis", **DETAINEE))
    inbox.genesis(LIST_DATE, row("genesis", NUM_ECROU="000202", CODE_ETABLISSEMENT="E07501",
                                 LIBELLE_ETABLISSEMENT="MAISON D'ARRET 75-1",
                                 DEPT_ETABLISSEMENT="75", DATE_ECROU="03/05/2024",
                                 **DETAINEE), establishment="E07501")
    inbox.decide()
    con.close()
    return World(path, {})


@pytest.fixture
def installed(workspace_app, held_twice, tmp_path):
    from django.test import override_settings

    own = World(tmp_path / "warehouse.duckdb", {})
    shutil.copyfile(held_twice.warehouse, own.warehouse)
    with (on_fresh_sqlite(workspace_app, own) as ws,
          override_settings(RECONCILE_WAREHOUSE=own.warehouse)):
        yield ws


def test_both_detainees_wait_for_an_agent(held_twice):
    with database.connect(held_twice.warehouse) as con:
        found = dict(con.execute(
            "SELECT record_key, link_rule FROM core.person_links WHERE record_key IN (?, ?)",
            [HERE, THERE]).fetchall())
    assert found == {HERE: "ANOTHER_DETAINEE", THERE: "ANOTHER_DETAINEE"}


def test_the_pair_names_the_other_detainee_as_far_as_the_account_may_know(installed):
    # an agent of 13: the other detainee's department only (a prison of 75)
    page = client_for(installed, "agent13").get(pair_url((HERE, PERSON)))
    assert page.status_code == 200
    shown = page.content.decode()
    assert "Autres détenus rattachés à ce dossier" in shown
    assert "un détenu d'un établissement du département 75" in shown
    assert THERE not in shown and "E07501" not in shown and pair_url((THERE, PERSON)) not in shown
    # an agent of 75 on the other pair: the same, the other way round
    page = client_for(installed, "agent75").get(pair_url((THERE, PERSON)))
    assert page.status_code == 200
    shown = page.content.decode()
    assert "un détenu d'un établissement du département 13" in shown
    assert HERE not in shown and "E01301" not in shown
    # an account of both departments: the establishment, the reason and the other pair
    from workspace.accounts.models import Account
    from workspace.accounts.registry import add_account

    if not Account.objects.filter(username="manager1375").exists():
        installed.accounts["manager1375"] = add_account(
            "manager1375", "manager", ["13", "75"], "another long passphrase 1375")
    shown = client_for(installed, "manager1375").get(pair_url((HERE, PERSON))).content.decode()
    assert "MAISON D&#x27;ARRET 75-1 (E07501, département 75)" in shown
    assert THERE in shown and pair_url((THERE, PERSON)) in shown
    assert "à vérifier (jamais utilisé)" in shown



def test_a_refused_confirmation_names_the_other_department_s_detainee_by_its_department(
        installed):
    """The refusal of a confirmation that contradicts 75's confirmed pair, and the pair's
    history after a manager's override, withhold 75's detainee from 13 as the pair's page
    does; an account of both departments reads it whole."""
    assert client_for(installed, "agent75").post(
        pair_url((THERE, PERSON), True), {"decision": "CONFIRMED"}).status_code == 302
    refused = client_for(installed, "agent13").post(
        pair_url((HERE, PERSON), True), {"decision": "CONFIRMED"})
    assert refused.status_code == 400
    said = refused.content.decode()
    assert "Confirmation refusée" in said and "du département 75" in said
    assert THERE not in said and "E07501" not in said and "000202" not in said
    assert client_for(installed, "manager13").post(
        pair_url((HERE, PERSON), True),
        {"decision": "CONFIRMED", "override": "1"}).status_code == 302
    shown = client_for(installed, "agent13").get(pair_url((HERE, PERSON))).content.decode()
    assert "malgré une paire confirmée d&#x27;un enregistrement du département 75" in shown
    assert THERE not in shown and "E07501" not in shown
    from workspace.decisions.models import IdentityDecision

    # the night reads the whole pair the override contradicts
    assert IdentityDecision.objects.get(record_key=HERE).overridden_pair == f"{THERE} {PERSON}"
