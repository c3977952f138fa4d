"""The identity review queue (issue 34 §3 and §4): agents and managers of a department
see its pairs of core.link_review, the two records side by side with their rows as
delivered and Splink's match weights as a waterfall; they confirm or reject a pair
(append-only, with who and when), with the guard of `reconcile link` against
contradictory confirmations; the next night copies the decisions into
audit.link_decisions, beside those of `reconcile link`, and honours them."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime

import pytest

from tests.scenarios import RUN
from tests.workspace_world import (
    OFPRA_75,
    REVIEW_FILE_13,
    REVIEW_FILE_75,
    REVIEW_MATE_13,
    REVIEW_OFPRA_13,
    REVIEW_OFPRA_75,
    client_for,
    decided_by_the_run_date,
    refused_in_the_database,
)
from transforms.identity.review import carry_link_decisions, record_decision
from transforms.night import rebuild_night
from transforms.warehouse import database

PAIR_13 = (f"telemofpra:{REVIEW_OFPRA_13}", REVIEW_FILE_13)
MATE_13 = (f"telemofpra:{REVIEW_MATE_13}", REVIEW_FILE_13)
PAIR_75 = (f"telemofpra:{REVIEW_OFPRA_75}", REVIEW_FILE_75)


def pair_id(pair: tuple[str, str]) -> str:
    """How the workspace names a pair in its addresses (review_pairs.sql)."""
    return "IDP-" + hashlib.sha256("|".join(pair).encode()).hexdigest()[:16]


def pair_url(pair: tuple[str, str], decision: bool = False) -> str:
    path = f"/identites/{pair_id(pair)}/"
    return path + "decision/" if decision else path


def test_the_queue_lists_the_pairs_of_the_accounts_departments_only(workspace_app):
    page = client_for(workspace_app, "agent13").get("/identites/").content.decode()
    assert PAIR_13[0] in page and MATE_13[0] in page and PAIR_75[0] not in page
    assert "numéro AGDREF donné, identité discordante" in page
    # why each record waits for an agent tonight, in French
    assert "<th scope=\"col\">Motif</th>" in page
    assert ("le numéro AGDREF donné désigne un dossier dont l&#x27;identité ne concorde "
            "pas assez") in page
    page = client_for(workspace_app, "agent75").get("/identites/").content.decode()
    assert PAIR_75[0] in page and PAIR_13[0] not in page


def test_a_flag_waiting_for_an_identity_links_to_its_pair_and_back(workspace_app):
    """The page of what waits for an identity (here the exclusion of a claimant whose
    number did not verify) links to the pair to decide; a pair's page links to the flags
    its decision unblocks, in the account's departments."""
    import duckdb

    from workspace.identities import views

    with duckdb.connect(str(workspace_app.world.warehouse), read_only=True) as con:
        worklist, candidate = con.execute(
            "SELECT worklist, candidate_id FROM worklists.exclusions WHERE person_key = ?",
            [PAIR_13[0]]).fetchall()[0]
        agent13 = client_for(workspace_app, "agent13")
        page = agent13.get(f"/listes/{worklist}/{candidate}/").content.decode()
        assert "Identité à vérifier" in page and f'href="{pair_url(PAIR_13)}"' in page
        release = workspace_app.world.flags["release_13"]
        found = {"record_key": "genesis:E01301:000101", "num_agdref": release["person_key"]}
        waiting = views._flags_waiting(con, found, ["13"])
        assert {f["key"] for f in waiting} >= {release["flag_id"]}
        assert views._flags_waiting(con, found, ["75"]) == []


@pytest.mark.parametrize("login", ["analyst", "admin"])
def test_only_agents_and_managers_review(workspace_app, login):
    client = client_for(workspace_app, login)
    assert client.get("/identites/").status_code == 403
    assert client.get(pair_url(PAIR_13)).status_code == 403
    assert client.post(pair_url(PAIR_13, True), {"decision": "CONFIRMED"}).status_code == 403


def test_another_departments_pair_is_not_found(workspace_app):
    from workspace.decisions.models import IdentityDecision

    agent75 = client_for(workspace_app, "agent75")
    assert agent75.get(pair_url(PAIR_13)).status_code == 404
    assert agent75.post(pair_url(PAIR_13, True), {"decision": "REJECTED"}).status_code == 404
    assert agent75.get("/identites/x' OR 1=1 --/").status_code == 404
    assert not IdentityDecision.objects.filter(record_key=PAIR_13[0]).exists()


def test_the_pair_page_shows_both_records_and_the_weights_as_a_waterfall(workspace_app):
    from workspace.accounts.models import PageView

    response = client_for(workspace_app, "agent13").get(pair_url(PAIR_13))
    assert response.status_code == 200
    page = response.content.decode()
    # side by side, as delivered: the birth dates differ, each row cited with its file
    assert "07/08/1987" in page and "17/07/1987" in page and 'class="differe"' in page
    # the town of birth and the date of entry, compared by the model, shown too (the
    # file's; a TélémOfpra list has neither)
    assert "Lieu de naissance</th><td>—</td><td>Conakry</td>" in page
    assert "Entrée en France</th><td>—</td><td>01/12/2024</td>" in page
    assert ("motif : le numéro AGDREF donné désigne un dossier dont l&#x27;identité ne "
            "concorde pas assez") in page
    assert re.search(r"TELEMOFPRA_13_\d{8}\.csv:\d+", page)
    assert re.search(r"AGDREF_PERSONNES_13_\d{8}\.csv:\d+", page)
    # the prior, ten comparisons and the final weight, drawn and tabulated
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count("<rect") == 12 and "<script" not in page.lower()
    # SVG geometry as plain numbers, never the page's French decimal comma
    for attribute in re.findall(r' (?:x|y|width|x1|x2)="([^"]*)"', svg):
        float(attribute)
    for label in ("A priori", "Nom", "Date de naissance", "Poids final"):
        assert label in svg
    assert "Probabilité a priori" in page and "probabilité finale" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert PageView.objects.filter(kind="identity", target=pair_id(PAIR_13)).exists()


def test_addresses_and_the_request_log_carry_no_persons_number(workspace_app, caplog):
    agent13, agent75 = client_for(workspace_app, "agent13"), client_for(workspace_app, "agent75")
    queue = agent13.get("/identites/").content.decode()
    assert f'href="/identites/{pair_id(PAIR_13)}/"' in queue
    numbers = (REVIEW_OFPRA_13, REVIEW_MATE_13, REVIEW_FILE_13)
    assert not any(n in href for href in re.findall(r'href="([^"]*)"', queue) for n in numbers)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        agent75.get(pair_url(PAIR_13))  # 404, logged with its path
        agent13.post(pair_url(PAIR_13, True), {"decision": "PEUT-ETRE"})  # 400
    assert len(caplog.records) == 2
    assert not any(n in caplog.text for n in numbers)


def test_a_decision_without_its_csrf_token_is_refused(workspace_app):
    client = client_for(workspace_app, "agent13", enforce_csrf_checks=True)
    assert client.post(pair_url(PAIR_13, True), {"decision": "CONFIRMED"}).status_code == 403


@pytest.fixture(scope="module")
def confirmed(decisions_workspace):
    """agent13 confirms the record of 13 to the file it gave the number of."""
    ws = decisions_workspace
    response = client_for(ws, "agent13").post(pair_url(PAIR_13, True),
                                              {"decision": "CONFIRMED"})
    assert response.status_code == 302
    return ws


def test_a_decision_is_an_event_with_who_and_when(confirmed):
    from workspace.decisions.models import AppendOnly, IdentityDecision

    decision = IdentityDecision.objects.get(record_key=PAIR_13[0])
    assert (decision.num_agdref, decision.decision, decision.department,
            decision.decided_by.username) == (PAIR_13[1], "CONFIRMED", "13", "agent13")
    assert decision.decided_at is not None
    page = client_for(confirmed, "agent13").get(pair_url(PAIR_13)).content.decode()
    assert "agent13 : même personne (lien confirmé)" in page
    with pytest.raises(AppendOnly):
        decision.save()
    with pytest.raises(AppendOnly):
        decision.delete()


def test_identity_decisions_are_append_only_in_the_database(confirmed):
    refused_in_the_database("decisions_identitydecision")


def test_a_contradictory_confirmation_is_refused_in_one_line(confirmed):
    from workspace.accounts.models import PageView
    from workspace.decisions.models import IdentityDecision

    since = PageView.objects.order_by("-id").values_list("id", flat=True).first() or 0
    agent13 = client_for(confirmed, "agent13")
    # two rows of one delivered list are two persons: not both this file's holder
    for extra in ({}, {"override": "1"}):  # an agent may not override
        refused = agent13.post(pair_url(MATE_13, True), {"decision": "CONFIRMED", **extra})
        assert refused.status_code == 400
        message = re.search(r'<p class="erreur">(.*?)</p>', refused.content.decode()).group(1)
        assert message == (
            f"Confirmation refusée : elle contredit la paire confirmée {PAIR_13[0]} = "
            f"agdref:{PAIR_13[1]} (un autre enregistrement d&#x27;une même liste, ou un autre "
            "détenu écroué à ce jour, rattaché à cette personne).")
    # the refusal shows the other pair's record and file: a view of that pair, in the
    # views log as any page showing it is (issue 34 §6), by its id, never its numbers
    assert list(PageView.objects.filter(id__gt=since, account__username="agent13").values_list(
        "kind", "target")) == [("identity", pair_id(PAIR_13))] * 2
    # rejecting never contradicts
    assert agent13.post(pair_url(MATE_13, True), {"decision": "REJECTED"}).status_code == 302
    manager = client_for(confirmed, "manager13")
    offered = manager.post(pair_url(MATE_13, True), {"decision": "CONFIRMED"})
    assert offered.status_code == 409
    assert "Confirmer malgré la contradiction" in offered.content.decode()
    assert manager.post(pair_url(MATE_13, True),
                        {"decision": "CONFIRMED", "override": "1"}).status_code == 302
    latest = IdentityDecision.objects.filter(record_key=MATE_13[0]).last()
    assert (latest.decision, latest.decided_by.username, latest.overridden_pair) == (
        "CONFIRMED", "manager13", " ".join(PAIR_13))


def night_after(ws, tmp_path, warehouse=None):
    """The next night on a copy of the published warehouse: the workspace's identity
    decisions added to audit.link_decisions (twice: once is enough), the night rebuilt."""
    from workspace.decisions.in_force import identity_decisions

    copy = tmp_path / "night.duckdb"
    shutil.copyfile(warehouse or ws.world.warehouse, copy)
    con = database.connect(copy)
    rows = identity_decisions(ws.database)
    assert carry_link_decisions(con, rows) == len(rows)
    assert carry_link_decisions(con, rows) == 0
    decided_by_the_run_date(con)
    rebuild_night(con, RUN, 120)
    return con


def link_of(con, record_key: str) -> tuple:
    return con.execute("SELECT link_status, link_rule, person_key FROM core.person_links "
                       "WHERE record_key = ?", [record_key]).fetchall()[0]


@contextmanager
def own_installation(workspace_app, tmp_path):
    """The workspace on a copy of the world's warehouse, with its own operational
    database beside it (as an installation of that warehouse has)."""
    from django.test import override_settings

    from tests.workspace_world import World, on_fresh_sqlite

    (tmp_path / "own").mkdir()
    own = World(tmp_path / "own" / "warehouse.duckdb", workspace_app.world.flags)
    shutil.copyfile(workspace_app.world.warehouse, own.warehouse)
    with (on_fresh_sqlite(workspace_app, own) as ws,
          override_settings(RECONCILE_WAREHOUSE=own.warehouse)):
        yield ws


def test_the_next_night_links_a_confirmed_pair_and_never_a_rejected_one(
        workspace_app, tmp_path):
    with own_installation(workspace_app, tmp_path) as ws:
        agent13 = client_for(ws, "agent13")
        assert agent13.post(pair_url(PAIR_13, True), {"decision": "CONFIRMED"}
                            ).status_code == 302
        assert agent13.post(pair_url(MATE_13, True), {"decision": "REJECTED"}
                            ).status_code == 302
        con = night_after(ws, tmp_path, ws.world.warehouse)
    assert link_of(con, PAIR_13[0]) == ("LINKED", "AGENT_CONFIRMED", REVIEW_FILE_13)
    assert link_of(con, MATE_13[0])[0] == "UNLINKED"
    listed = con.execute("SELECT num_agdref FROM worklists.rejected_without_oqtf "
                         "WHERE num_agdref = ?", [REVIEW_FILE_13]).fetchall()
    assert listed == [(REVIEW_FILE_13,)]
    decided = con.execute("SELECT record_key, decision, decided_by FROM audit.link_decisions "
                          "ORDER BY decided_at").fetchall()
    assert decided == [(PAIR_13[0], "CONFIRMED", "agent13"), (MATE_13[0], "REJECTED", "agent13")]
    con.close()


def test_a_decision_from_a_page_older_than_a_colleague_s_is_refused(workspace_app, tmp_path):
    """Two reviewers on one pair: a confirmation from a page drawn before a colleague's
    rejection would overturn it unseen, and the night would link two persons. Refused
    (409) with who decided what and when, until the page is reloaded."""
    from workspace.decisions.models import IdentityDecision

    with own_installation(workspace_app, tmp_path) as ws:
        agent13, manager13 = client_for(ws, "agent13"), client_for(ws, "manager13")

        def seen(client) -> str:
            page = client.get(pair_url(PAIR_13)).content.decode()
            return re.search(r'name="seen" value="(\d+)"', page).group(1)

        def to_decide() -> int:
            home = agent13.get("/").content.decode()
            return int(re.search(r"Identités à vérifier</a> : (\d+) paires? à décider",
                                 home).group(1))

        drawn, before = seen(manager13), to_decide()
        assert agent13.post(pair_url(PAIR_13, True), {"decision": "REJECTED"}
                            ).status_code == 302
        assert to_decide() == before - 1  # decided, though the night has not run yet
        stale = manager13.post(pair_url(PAIR_13, True),
                               {"decision": "CONFIRMED", "seen": drawn})
        assert stale.status_code == 409
        text = stale.content.decode()
        assert "agent13 a enregistré « rejeté (personnes différentes) »" in text
        assert "rechargez-la" in text and "malgré la contradiction" not in text
        assert [d.decision for d in IdentityDecision.objects.filter(
            record_key=PAIR_13[0])] == ["REJECTED"]
        # the agent's own later decision from the same page is not stale
        assert agent13.post(pair_url(PAIR_13, True), {"decision": "REJECTED", "seen": drawn}
                            ).status_code == 302
        # reloaded, the manager decides knowing the rejection
        assert manager13.post(pair_url(PAIR_13, True),
                              {"decision": "CONFIRMED", "seen": seen(manager13)}
                              ).status_code == 302
        # MATE_13 contradicts that confirmation: the manager is offered the override, a
        # colleague rejects MATE_13 meanwhile, and the override from the page drawn
        # before is refused as any decision from it (it carries the page's `seen`)
        drawn = re.search(r'name="seen" value="(\d+)"',
                          manager13.get(pair_url(MATE_13)).content.decode()).group(1)
        offered = manager13.post(pair_url(MATE_13, True), {"decision": "CONFIRMED",
                                                           "seen": drawn})
        assert offered.status_code == 409 and "malgré la contradiction" in offered.content.decode()
        override = dict(re.findall(r'name="(\w+)" value="([^"]*)"',
                                   offered.content.decode()))
        assert override["seen"] == drawn and override["override"] == "1"
        assert agent13.post(pair_url(MATE_13, True), {"decision": "REJECTED"}
                            ).status_code == 302
        stale = manager13.post(pair_url(MATE_13, True), {
            k: override[k] for k in ("decision", "override", "seen")})
        assert stale.status_code == 409 and "rechargez-la" in stale.content.decode()
        assert [d.decision for d in IdentityDecision.objects.filter(
            record_key=MATE_13[0])] == ["REJECTED"]


def test_the_waterfall_adds_each_weight_to_the_prior_up_to_the_final_weight():
    from workspace.identities import waterfall

    pair = {"match_weight": -2.0, "match_probability": 0.2,
            **{f"weight_{name}": 0.0 for name, _ in waterfall.COMPARISONS},
            "weight_surname": 4.0, "weight_birth": -1.0, "weight_sex": None}
    drawn = waterfall.bars(pair)
    assert [b.kind for b in drawn] == ["prior", "for", *["for"] * 2, "against",
                                       *["for"] * 6, "total"]
    assert drawn[0].weight == -5.0 and drawn[-2].end == drawn[-1].end == -2.0
    assert waterfall.percent(waterfall.probability(drawn[0].weight)) == "3,0 %"
    # near certain is not certain: a pair in review never reads 100 %
    assert waterfall.percent(0.99996) == "plus de 99,9 %"
    assert waterfall.percent(0.999) == "99,9 %" and waterfall.percent(1.0) == "100,0 %"
    chart = waterfall.chart(pair)
    # plain numbers for SVG, whatever the page's locale; a rising bar starts at the end
    # of the one before
    assert all(isinstance(r["x"], float) and r["width"] >= 1 for r in chart["rows"])
    assert chart["rows"][1]["x"] == chart["rows"][0]["x"]  # prior ends where Nom starts
    assert waterfall.chart({**pair, "match_weight": None}) is None


def test_the_workspace_and_reconcile_link_each_honour_the_others_confirmations(
        workspace_app, tmp_path):
    """reconcile link's decisions are carried over (they are in audit.link_decisions,
    which every night keeps); the workspace's count for reconcile link before the night
    copies them."""
    from workspace.decisions.models import IdentityDecision

    with own_installation(workspace_app, tmp_path) as ws:
        # confirmed in the workspace: a record of the same list confirmed to that file
        # with the command is refused, in one line naming the pair
        IdentityDecision.objects.create(
            record_key=PAIR_75[0], num_agdref=PAIR_75[1], department="75",
            decision="CONFIRMED", decided_by=ws.accounts["agent75"])
        command = subprocess.run(
            [sys.executable, "-m", "flows", "link", "--warehouse", str(ws.world.warehouse),
             "--record", f"telemofpra:{OFPRA_75}", "--agdref", REVIEW_FILE_75, "--confirm",
             "--agent", "agent.75"],
            env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")},
            capture_output=True, text=True, timeout=120, check=False)
        assert command.returncode == 1
        assert command.stderr.splitlines() == [
            f"reconcile: contradicts the confirmed pair {PAIR_75[0]} = agdref:{PAIR_75[1]} "
            "(another record of one of its lists, or another detainee held now, the same "
            "person); pass "
            "--override-conflict to record it anyway"]
        # confirmed with the command: the workspace refuses its list-mate
        with database.connect(ws.world.warehouse) as con:
            record_decision(con, *PAIR_13, "CONFIRMED", "agent.13", datetime(2026, 11, 16))
        refused = client_for(ws, "agent13").post(pair_url(MATE_13, True),
                                                 {"decision": "CONFIRMED"})
        assert refused.status_code == 400
        assert f"paire confirmée {PAIR_13[0]} = agdref:{PAIR_13[1]}" in (
            refused.content.decode())


def test_a_merge_that_makes_two_list_mates_one_person_is_refused(workspace_app, tmp_path):
    """Issue 33 item 6 on the workspace's path: the model merged DIALO's file into
    DIALLO's (a pair of files in review); one list holds two applicants, each giving one
    of the two numbers. Confirming the files as one person would make the two rows of one
    list one person: refused, naming the pair, as `reconcile link` refuses it."""
    from datetime import date

    from django.test import override_settings

    from tests.scenarios import PERSON, SECOND, Inbox
    from tests.workspace_world import World, on_fresh_sqlite
    from transforms.warehouse import tables
    from workspace.decisions.models import IdentityDecision

    path = tmp_path / "warehouse.duckdb"
    con = database.connect(path)
    tables.create_warehouse(con)
    final_list = date(2026, 10, 9)
    Inbox(tmp_path / "inbox", con).person().others().second_file().telemofpra(
        final_list).telemofpra(final_list, NUM_OFPRA="OF20250000002", NUM_AGDREF=SECOND,
                               NOM="DIALO").decide()
    pair = (f"agdref:{min(PERSON, SECOND)}", max(PERSON, SECOND))
    assert con.execute("SELECT count(*) FROM core.link_review WHERE record_key = ? AND "
                       "num_agdref = ?", list(pair)).fetchall() == [(1,)]
    con.close()
    with (on_fresh_sqlite(workspace_app, World(path, {})) as ws,
          override_settings(RECONCILE_WAREHOUSE=path)):
        answered = client_for(ws, "agent13").post(pair_url(pair, True),
                                                  {"decision": "CONFIRMED"})
        recorded = list(IdentityDecision.objects.values_list("record_key", "decision"))
    assert answered.status_code == 400, (answered.status_code, recorded)
    message = re.search(r'<p class="erreur">(.*?)</p>', answered.content.decode()).group(1)
    assert message.startswith("Confirmation refusée : elle contredit la paire"), message
    assert recorded == []
