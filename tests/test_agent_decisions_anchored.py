"""Agents' decisions honoured by the nights that follow (OQ-02, PRI-05, principle 2):
an examination on another ground or an answer to the prison holds for the person it was
recorded for whatever their files become (merged, split apart by an agent, a duplicate
gone from AGDREF's extract: core.agent_decision_anchors); a unit closes its own
examination, never another department's; a flag cites the answer that lifted its
marker."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime

import pytest

from schemas.codes import NEXT_STEP, OTHER_GROUND, PRISON_ANSWER, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, RUN, SECOND, Inbox
from tests.test_rules_agent_decisions import _detainee_released_in
from transforms.identity.review import record_decision

# Two or three nights a test: the file goes to a worker early (tests/conftest.py).
pytestmark = pytest.mark.slow

FINAL_LIST = date(2026, 10, 9)
AT = datetime(2026, 11, 16, 9)


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con)


def test_pri_05_the_answer_that_lifts_prison_answer_due_is_cited_by_the_flag(inbox):
    inbox.person().genesis(RUN, _detainee_released_in(3))
    flag = inbox.decide().only_listed(RELEASES)
    assert "PRISON_ANSWER_DUE" in flag["markers"]
    inbox.agent_decision(PRISON_ANSWER, flag, RELEASES)
    listed = inbox.decide().only_listed(RELEASES)
    assert "PRISON_ANSWER_DUE" not in listed["markers"]
    # the flag's state now rests on the unit's answer: it must cite it (principle 2)
    assert "agent_decisions:D1" in listed["source_rows"], listed["source_rows"]


def test_oq_02_an_examination_follows_the_claimant_when_the_files_are_split(tmp_path, con):
    inbox = Inbox(tmp_path / "inbox", con).person().others().second_file()
    # the claim names the second file (written DIALO, as that file is)
    inbox.telemofpra(FINAL_LIST, NUM_AGDREF=SECOND, NOM="DIALO")
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["person_key"] == PERSON  # the two files merged as one person
    inbox.agent_decision(OTHER_GROUND, flag, REJECTED)
    assert inbox.decide().reason(REJECTED) == "OTHER_GROUND_UNDER_EXAMINATION"
    # an agent says the two files are two persons: the claim stays with its own file
    record_decision(con, f"agdref:{PERSON}", SECOND, "REJECTED", "agent.13", AT)
    out = inbox.decide()
    # the examination was recorded on this claimant's flag and was never closed
    assert not out.listed(REJECTED), out.listed(REJECTED)
    # and the workspace finds it on the claimant's page, under the key it was recorded
    # under, so that the unit can close it there
    from workspace.lists.queries import person_keys

    excluded = out.only_excluded(REJECTED)
    assert excluded["person_key"] == SECOND
    assert PERSON in person_keys(con, SECOND)


@contextmanager
def examined_by_75(workspace_app, tmp_path):
    """Department 75 opened an examination on another ground for DIALLO when he lived in
    75 (his flag was then on 75's list) and never closed it. He now lives in 13: the night
    excludes him from 13's list for 75's examination. Yields the workspace on its own
    copy of the world, that rejected flag of 13, and the client of an account, on the
    night's warehouse."""
    import shutil

    from django.test import override_settings

    from tests.workspace_world import World, next_night, on_fresh_sqlite
    from workspace.decisions.models import DecisionEvent

    own = World(tmp_path / "warehouse.duckdb", workspace_app.world.flags)
    shutil.copyfile(workspace_app.world.warehouse, own.warehouse)
    flag = own.flags["rejected_13"]
    with on_fresh_sqlite(workspace_app, own) as ws:
        DecisionEvent.objects.create(
            kind=OTHER_GROUND, worklist=REJECTED, flag_id="ROQ-75aaaaaaaaaaaaaa",
            person_key=flag["person_key"], department="75",
            decided_by=ws.accounts["agent75"], effective_date=RUN)
        night = next_night(ws, tmp_path / "night1")
        [(reason,)] = night.execute(
            "SELECT reason_code FROM worklists.exclusions WHERE candidate_id = ?",
            [flag["flag_id"]]).fetchall()
        assert reason == "OTHER_GROUND_UNDER_EXAMINATION"  # 75's examination, honoured
        night.close()
        with override_settings(RECONCILE_WAREHOUSE=tmp_path / "night1" / "night.duckdb"):
            yield ws, flag


def listed_after_night(ws, tmp_path, flag) -> list[tuple]:
    """The rejected flags of the flag's person the next night."""
    from tests.workspace_world import next_night

    night = next_night(ws, tmp_path / "night2")
    listed = night.execute("SELECT flag_id FROM worklists.rejected_without_oqtf "
                           "WHERE person_key = ?", [flag["person_key"]]).fetchall()
    night.close()
    return listed


def test_oq_02_a_unit_closing_its_own_examination_does_not_close_another_department_s(
        workspace_app, tmp_path):
    """An agent of 13, who cannot see 75's examination (examined_by_75), opens one of
    13's own, then closes it: 75's examination must still hold."""
    from tests.workspace_world import client_for
    from workspace.decisions.in_force import decisions_in_force
    from workspace.decisions.models import DecisionEvent

    with examined_by_75(workspace_app, tmp_path) as (ws, flag):
        agent13 = client_for(ws, "agent13")
        page = f"/listes/{REJECTED}/{flag['flag_id']}/decisions/"
        assert agent13.post(page, {"kind": OTHER_GROUND}).status_code == 302
        assert agent13.post(page, {"kind": "OTHER_GROUND_CLOSED"}).status_code == 302
        # 75 never closed its examination
        assert [e.kind for e in DecisionEvent.objects.filter(department="75")] == [OTHER_GROUND]
        in_force = [d["kind"] for d in decisions_in_force(ws.database)]
        listed = listed_after_night(ws, tmp_path, flag)
    assert OTHER_GROUND in in_force, in_force
    assert listed == [], listed


def test_oq_02_an_examination_closed_by_an_account_of_two_departments_is_closed_at_night(
        workspace_app, tmp_path):
    """OQ-02, "until the unit closes that examination": an agent whose account sees 13
    and 75 (a regional unit) closes 75's examination (examined_by_75) from 13's page: the
    close is recorded under the examination's department too, as the night pairs them
    (decisions_in_force.sql), and the next night lists him again."""
    from tests.workspace_world import PASSWORD, client_for
    from workspace.accounts.registry import add_account
    from workspace.decisions import state
    from workspace.decisions.in_force import decisions_in_force

    with examined_by_75(workspace_app, tmp_path) as (ws, flag):
        ws.accounts["regional"] = add_account("regional", "agent", ["13", "75"], PASSWORD)
        page = f"/listes/{REJECTED}/{flag['flag_id']}/decisions/"
        # the examination it sees open is 75's: closing it is what is offered
        assert client_for(ws, "regional").post(page, {"kind": "OTHER_GROUND_CLOSED"}
                                              ).status_code == 302
        seen = state.events(flag["flag_id"], flag["department"], [flag["person_key"]],
                            ["13", "75"])
        in_force = [(d["kind"], d["person_key"]) for d in decisions_in_force(ws.database)]
        listed = listed_after_night(ws, tmp_path, flag)
    assert state.open_examination(seen) is None  # the workspace shows it closed
    assert (OTHER_GROUND, flag["person_key"]) not in in_force, in_force
    assert listed == [(flag["flag_id"],)], listed


def test_pri_05_an_answer_on_a_detainee_s_flag_holds_after_the_link_is_rejected(inbox, con):
    inbox.person().others().genesis(RUN, _detainee_released_in(3))
    flag = inbox.decide().only_listed(RELEASES)
    assert flag["person_key"] == PERSON
    inbox.agent_decision(PRISON_ANSWER, flag, RELEASES)
    assert "PRISON_ANSWER_DUE" not in inbox.decide().only_listed(RELEASES)["markers"]
    # an agent says the detainee is not the person of that file: same committal, same flag
    record_decision(con, "genesis:E01301:000101", PERSON, "REJECTED", "agent.13", AT)
    listed = inbox.decide().only_listed(RELEASES)
    assert listed["flag_id"] == flag["flag_id"]  # the same flag, the same detainee
    # the prison has had its answer for this detainee
    assert "PRISON_ANSWER_DUE" not in listed["markers"], listed


LOWER = "0012345678"


def test_oq_02_an_examination_holds_when_agdref_drops_the_duplicate_file(tmp_path, con):
    """The examination was recorded while the person's key was their duplicate file's
    (lower) number; AGDREF then removes that duplicate from its snapshot (the two files
    are one person: AGDREF keeps the other). The same person, the same claim."""
    inbox = Inbox(tmp_path / "inbox", con).person().others()
    inbox.person(NUM_AGDREF=LOWER, NOM="DIALO")
    flag = inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)
    assert flag["person_key"] == LOWER
    inbox.agent_decision(OTHER_GROUND, flag, REJECTED)
    assert inbox.decide().reason(REJECTED) == "OTHER_GROUND_UNDER_EXAMINATION"
    night = date(2026, 11, 17)
    inbox.agdref("PERSONNES", night)  # PERSON's file only, with the others
    for identity in inbox.other_files:
        inbox.agdref("PERSONNES", night, **identity)
    out = inbox.decide(night)
    assert not out.listed(REJECTED), out.listed(REJECTED)


def test_a_flag_keeps_its_id_and_its_handling_when_a_duplicate_file_merges(tmp_path, con):
    """The unit took DIALLO's rejected flag and recorded its next step. The next night
    AGDREF delivers a second file of his, with a lower number: the two files merge and
    his person key becomes that number. It is the same person and the same decision: the
    same flag, still open since the first night, with the unit's step on it (not a new
    flag, to do, and the unit's work left on a flag no list shows), and after nights off
    the list."""
    inbox = Inbox(tmp_path / "inbox", con).person().others()
    flag = inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)
    assert flag["person_key"] == PERSON
    inbox.agent_decision(NEXT_STEP, flag, REJECTED)
    night = date(2026, 11, 17)
    inbox.agdref("PERSONNES", night)
    inbox.agdref("PERSONNES", night, NUM_AGDREF=LOWER, NOM="DIALO")
    for identity in inbox.other_files:
        inbox.agdref("PERSONNES", night, **identity)
    out = inbox.decide(night)
    listed = out.only_listed(REJECTED)
    assert listed["person_key"] == LOWER  # merged: the lower number is the key
    assert (listed["flag_id"], listed["first_seen_date"]) == (flag["flag_id"], RUN)
    assert listed["handling_state"] == NEXT_STEP
    [(status,)] = con.execute("SELECT status FROM worklists.flag_history "
                              "WHERE flag_id = ? AND run_date = ?",
                              [flag["flag_id"], night]).fetchall()
    assert status == "OPEN"
    # two nights off the list (an examination on another ground), then back: the same
    # flag, the unit's step still on it
    inbox.agent_decision(OTHER_GROUND, listed, REJECTED)
    for day in (date(2026, 11, 18), date(2026, 11, 19)):
        excluded = inbox.decide(day).only_excluded(REJECTED)
        assert (excluded["reason_code"], excluded["candidate_id"]) == (
            "OTHER_GROUND_UNDER_EXAMINATION", flag["flag_id"]), day
    inbox.decisions.pop()  # the unit closed the examination
    back = inbox.decide(date(2026, 11, 20)).only_listed(REJECTED)
    assert (back["flag_id"], back["handling_state"]) == (flag["flag_id"], NEXT_STEP)
    # new again, as after any night off the list: the 19th listed and resolved nothing
    # (the person's was the only flag), which must not make the 17th the night before
    assert back["first_seen_date"] == date(2026, 11, 20)
    assert con.execute("SELECT status FROM worklists.flag_history WHERE flag_id = ? "
                       "ORDER BY run_date", [flag["flag_id"]]).fetchall() == [
        ("NEW",), ("OPEN",), ("RESOLVED",), ("NEW",)]


def test_a_workspace_database_gone_keeps_last_night_s_decisions(inbox, con, tmp_path):
    """The night cannot find the workspace's SQLite file (a wrong --warehouse path, a
    moved folder) while last night held decisions: they stay in force, never dropped."""
    from flows.pipeline import copy_decisions
    from transforms.night import rebuild_night

    inbox.person().others().telemofpra(FINAL_LIST)
    flag = inbox.decide().only_listed(REJECTED)
    inbox.agent_decision(OTHER_GROUND, flag, REJECTED)
    assert inbox.decide().reason(REJECTED) == "OTHER_GROUND_UNDER_EXAMINATION"
    gone = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "absent.sqlite3")}
    assert copy_decisions(con, gone) == (1, 0)
    rebuild_night(con, RUN, 120)
    [(reason,)] = con.execute("SELECT reason_code FROM worklists.exclusions "
                              "WHERE candidate_id = ?", [flag["flag_id"]]).fetchall()
    assert reason == "OTHER_GROUND_UNDER_EXAMINATION"


def link_of(con, record: str) -> tuple:
    return con.execute("SELECT link_status, link_rule, person_key FROM core.person_links "
                       "WHERE record_key = ?", [record]).fetchall()[0]


def test_oq_02_an_examination_does_not_follow_a_detainee_an_agent_said_is_someone_else(
        inbox, con):
    """13 examines another ground for DIALLO, the claimant of its list. That night the
    model tied a detainee of a prison of 75 to DIALLO's file, so the examination was
    anchored to that committal too. An agent then says the detainee is not DIALLO: 13's
    examination is about DIALLO, not about that detainee, a person of 75's list whose
    identity is to be established (PRI-09), for whom 75 could not even close it."""
    there = "genesis:E07501:000202"
    inbox.person().others().telemofpra(FINAL_LIST)
    inbox.genesis(FINAL_LIST, row(
        "genesis", NUM_ECROU="000202", CODE_ETABLISSEMENT="E07501",
        LIBELLE_ETABLISSEMENT="MAISON D'ARRET 75-1", DEPT_ETABLISSEMENT="75", NOM="DIALLO",
        PRENOMS="MAMADOU", DATE_NAISSANCE="14/03/1990", LIEU_NAISSANCE="CONAKRY, GUINEE",
        NATIONALITE="GUINEE"), establishment="E07501")
    flag = inbox.decide().only_listed(REJECTED)
    assert link_of(con, there)[::2] == ("LINKED", PERSON)
    inbox.agent_decision(OTHER_GROUND, flag, REJECTED)
    assert inbox.decide().reason(REJECTED) == "OTHER_GROUND_UNDER_EXAMINATION"
    record_decision(con, there, PERSON, "REJECTED", "agent.75", AT)
    out = inbox.decide()
    assert link_of(con, there)[2] == there  # the detainee is their own person now
    assert out.reason(REJECTED) == "OTHER_GROUND_UNDER_EXAMINATION"  # DIALLO still
    assert [r["situation"] for r in out.listed(RELEASES)
            if r["person_key"] == there] == ["IDENTITY_TO_CONFIRM"], out.excluded(RELEASES)


def test_oq_02_an_account_of_two_departments_closes_every_examination_it_sees(
        workspace_app, tmp_path):
    """75 opened an examination (examined_by_75), then 13 opened its own; the night pairs
    opens and closes per person and department. A regional account (13 and 75) closes the
    examination from the flag's page: both are closed (one event each, under its
    department), the page no longer shows one open, and the next night lists the person
    again. Before, only 13's was closed: the page showed the person "à traiter" while
    75's examination still kept them off the list, and a second close was refused."""
    from tests.workspace_world import PASSWORD, client_for
    from workspace.accounts.registry import add_account
    from workspace.decisions import state
    from workspace.decisions.in_force import decisions_in_force
    from workspace.decisions.models import DecisionEvent

    with examined_by_75(workspace_app, tmp_path) as (ws, flag):
        ws.accounts["regional3"] = add_account("regional3", "agent", ["13", "75"], PASSWORD)
        page = f"/listes/{REJECTED}/{flag['flag_id']}/decisions/"
        assert client_for(ws, "agent13").post(page, {"kind": OTHER_GROUND}).status_code == 302
        seen = state.events(flag["flag_id"], flag["department"], [flag["person_key"]],
                            ["13", "75"])
        assert len(state.open_examinations(seen)) == 2
        assert client_for(ws, "regional3").post(page, {"kind": "OTHER_GROUND_CLOSED"}
                                               ).status_code == 302
        closes = sorted(DecisionEvent.objects.filter(kind="OTHER_GROUND_CLOSED")
                        .values_list("department", flat=True))
        seen = state.events(flag["flag_id"], flag["department"], [flag["person_key"]],
                            ["13", "75"])
        in_force = [(d["kind"], d["person_key"]) for d in decisions_in_force(ws.database)]
        listed = listed_after_night(ws, tmp_path, flag)
    assert closes == ["13", "75"]
    assert state.open_examinations(seen) == [] and state.fold(seen).state != OTHER_GROUND
    assert (OTHER_GROUND, flag["person_key"]) not in in_force, in_force
    assert listed == [(flag["flag_id"],)], listed


def test_oq_02_an_examination_does_not_follow_a_detainee_the_night_now_ties_to_someone_else(
        inbox):
    """RULES.md OQ-02: "When a unit records that admission on another ground is being
    examined ... the person leaves the list"; README: "from the next night the person
    leaves every list, their measures and their release included". The examination is
    about the person of the flag it was recorded on, and nobody else; rule_files.sql
    itself says a record found to be someone else "no longer carries the decision".

    13 opens an examination for DIALLO (the claimant of its rejected list) while a
    detainee of E01301 is tied to DIALLO's file by the number the prison gave. The next
    list of E01301 corrects that committal: it is NGUYEN AN (someone(1)), file 0500000001,
    who is under an OQTF of his own. The examination keeps DIALLO off the lists and does
    not touch the other man's measure (rule_files.sql: a record tied tonight to a person
    none of the decision's files is, is someone else). Before (audit of 2026-12-07), it
    followed the committal to the other man: his OQTF left the measures list with
    OTHER_GROUND_UNDER_EXAMINATION, citing DIALLO's examination."""
    from tests.scenarios import fr, measure_of, someone

    other = someone(1)
    release = fr(date(2027, 1, 20))
    inbox.person().person(**other).measure(
        ID_MESURE=measure_of(1), NUM_AGDREF=other["NUM_AGDREF"], DATE_DECISION="02/03/2026",
        DATE_NOTIFICATION="04/03/2026")
    inbox.telemofpra(FINAL_LIST)
    inbox.genesis(RUN, row("genesis", NUM_AGDREF=PERSON, NOM="DIALLO", PRENOMS="MAMADOU",
                           DATE_NAISSANCE="14/03/1990", NATIONALITE="GUINEE",
                           DATE_LIBERATION_PREVISIBLE=release))
    first = inbox.decide()
    flag = first.only_listed(REJECTED)
    measure = [m for m in first.listed("unexecuted_measures")
               if m["measure_id"] == measure_of(1)]
    assert measure, first.excluded("unexecuted_measures")  # his OQTF is to execute
    inbox.agent_decision(OTHER_GROUND, flag, REJECTED, effective=RUN)
    day2 = date(2026, 11, 17)
    inbox.decide(run_date=day2)  # the examination is read, anchored to DIALLO's records
    day3 = date(2026, 11, 18)
    inbox.genesis(day3, row("genesis", NUM_AGDREF=other["NUM_AGDREF"], NOM=other["NOM"],
                            PRENOMS=other["PRENOMS"],
                            DATE_NAISSANCE=other["DATE_NAISSANCE"], NATIONALITE="GUINEE",
                            DATE_LIBERATION_PREVISIBLE=release))
    out = inbox.decide(run_date=day3)
    [(tied,)] = inbox.con.execute("SELECT person_key FROM core.person_links "
                                  "WHERE record_key = 'genesis:E01301:000101'").fetchall()
    assert tied == other["NUM_AGDREF"]  # the committal is now the other man's (number verified)
    assert out.reason(REJECTED) == "OTHER_GROUND_UNDER_EXAMINATION"  # DIALLO: still off
    excluded = [e for e in out.excluded("unexecuted_measures")
                if e["measure_id"] == measure_of(1)]
    assert not [e for e in excluded if e["reason_code"] == OTHER_GROUND], excluded
