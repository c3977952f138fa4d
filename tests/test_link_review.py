"""Agents decide ambiguous identities: core.link_review lists the pairs with how each part
of the identity compares; `reconcile link` records a decision in audit.link_decisions;
every later run honours it, and the worklists follow."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime

import pytest

from schemas.codes import REJECTED
from tests.builders import row, write_file
from tests.conftest import ingest
from tests.scenarios import PERSON, SECOND, Inbox
from transforms.identity.review import InvalidDecision, record_decision
from transforms.night import rebuild_night
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables

FINAL_LIST = date(2026, 10, 9)
RECORD = "telemofpra:OF20250000001"


def link_of(con) -> tuple:
    return link_of_record(con, RECORD)


def link_of_record(con, record: str) -> tuple:
    return con.execute("SELECT link_status, link_rule, person_key FROM core.person_links "
                       "WHERE record_key = ?", [record]).fetchall()[0]


def test_a_rejected_pair_is_never_linked_again(tmp_path, con):
    inbox = Inbox(tmp_path, con).person()
    assert inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)["num_agdref"] == PERSON
    record_decision(con, RECORD, PERSON, "REJECTED", "agent.13", datetime(2026, 11, 16, 9))
    out = inbox.decide()
    assert link_of(con) == ("UNLINKED", "AGENT_REJECTED", RECORD)
    assert out.listed(REJECTED) == [] and out.reason(REJECTED) == "IDENTITY_CONFLICT"


def test_a_confirmed_pair_is_linked_and_acted_on(tmp_path, con):
    # The list gives the number but another birth date (month and year): not verified, so
    # not acted on.
    inbox = Inbox(tmp_path, con).person()
    out = inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="14/07/1991").decide()
    assert out.reason(REJECTED) == "IDENTITY_CONFLICT"
    review = con.execute(
        "SELECT num_agdref, evidence, birth_agreement, sex_agreement, nationality_agreement, "
        "surname_similarity, decision FROM core.link_review WHERE record_key = ?",
        [RECORD]).fetchall()
    assert review == [(PERSON, "NUMBER_NOT_VERIFIED", "DIFFERENT", "SAME", "SAME", 1.0, None)]
    record_decision(con, RECORD, PERSON, "CONFIRMED", "agent.13", datetime(2026, 11, 16, 9))
    out = inbox.decide()
    assert link_of(con) == ("LINKED", "AGENT_CONFIRMED", PERSON)
    assert out.only_listed(REJECTED)["num_agdref"] == PERSON
    # The latest decision counts: rejected an hour later, the link is gone.
    record_decision(con, RECORD, PERSON, "REJECTED", "agent.13", datetime(2026, 11, 16, 10))
    inbox.decide()
    assert link_of(con)[0] == "UNLINKED"


@pytest.mark.parametrize(("record", "number", "agent", "message"), [
    (RECORD, PERSON, "Jean Dupont", "login"),
    ("telemofpra:NOPE", PERSON, "agent.13", "no TélémOfpra or GENESIS record"),
    (RECORD, "0000000000", "agent.13", "no AGDREF file"),
    (f"agdref:{PERSON}", PERSON, "agent.13", "two AGDREF numbers"),
    ("agdref:0000000000", PERSON, "agent.13", "two AGDREF numbers"),
])
def test_a_decision_on_nothing_known_is_refused(tmp_path, con, record, number, agent,
                                                message):
    Inbox(tmp_path, con).person().telemofpra(FINAL_LIST).decide()
    with pytest.raises(InvalidDecision, match=message):
        record_decision(con, record, number, "CONFIRMED", agent, datetime(2026, 11, 16))


def test_the_command_records_a_decision(tmp_path):
    inbox = Inbox(tmp_path / "inbox", None).person().telemofpra(FINAL_LIST)
    for (name, kind), rows in inbox.files.items():
        write_file(inbox.folder, name, kind, rows)
    path = tmp_path / "warehouse.duckdb"
    with warehouse.connect(path) as con:
        tables.create_warehouse(con)
        ingest(con, inbox.folder)
        rebuild_night(con, date(2026, 11, 16), horizon_days=120)
    result = subprocess.run(
        [sys.executable, "-m", "flows", "link", "--warehouse", str(path), "--record", RECORD,
         "--agdref", PERSON, "--reject", "--agent", "agent.13"],
        env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}, capture_output=True,
        text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "REJECTED" in result.stdout
    with warehouse.connect(path, read_only=True) as con:
        rows = con.execute("SELECT record_key, num_agdref, decision, decided_by "
                           "FROM audit.link_decisions").fetchall()
    assert rows == [(RECORD, PERSON, "REJECTED", "agent.13")]


OTHER = "0111111111"  # a file of someone else (KONE AWA)
SAME_LIST = "telemofpra:OF20250000002"  # a second applicant on the list of RECORD
AT = datetime(2026, 11, 16, 9)


def decided(con) -> list[tuple]:
    return con.execute("SELECT record_key, num_agdref, decision, overridden_pair "
                       "FROM audit.link_decisions ORDER BY decided_at, record_key").fetchall()


def test_a_record_cannot_be_confirmed_to_the_person_a_list_mate_is_linked_to(tmp_path, con):
    # Issue 33 item 6: the list's first row is linked to the file by its verified number,
    # without an agent; confirming the list's second row (another person) to that file
    # would make the two rows one person the next night just the same.
    inbox = Inbox(tmp_path, con).person().telemofpra(FINAL_LIST).telemofpra(
        FINAL_LIST, NUM_OFPRA="OF20250000002", NUM_AGDREF="", NOM="KONE", PRENOMS="AWA",
        SEXE="F", DATE_NAISSANCE="02/02/1985")
    inbox.decide()
    assert link_of(con)[0] == "LINKED"
    assert con.execute("SELECT count(*) FROM audit.link_decisions").fetchall() == [(0,)]
    with pytest.raises(InvalidDecision, match=rf"^contradicts the linked pair {RECORD} = "
                                              rf"agdref:{PERSON} \(another record"):
        record_decision(con, SAME_LIST, PERSON, "CONFIRMED", "agent.13", AT)
    record_decision(con, SAME_LIST, PERSON, "CONFIRMED", "agent.13", AT, override=True)
    assert decided(con) == [(SAME_LIST, PERSON, "CONFIRMED", f"{RECORD} {PERSON}")]


def test_a_record_linked_tonight_cannot_be_confirmed_to_another_person_s_file(tmp_path, con):
    """Issue 33 item 6, "one record confirmed to two files" (audit of 2026-12-06): the
    list's row is linked to PERSON by its verified number; an agent confirming it to
    OTHER's file would tie it to another person the next night. Refused in one line
    naming the pair, unless overridden (recorded); before, it was recorded silently."""
    inbox = Inbox(tmp_path, con).person().person(
        NUM_AGDREF=OTHER, NOM="KONE", PRENOMS="AWA", SEXE="F", DATE_NAISSANCE="02/02/1985")
    inbox.telemofpra(FINAL_LIST).decide()
    assert link_of(con) == ("LINKED", "NUMBER_VERIFIED", PERSON)
    with pytest.raises(InvalidDecision, match=rf"^contradicts the linked pair {RECORD} = "
                                              rf"agdref:{PERSON} \(one record, another"):
        record_decision(con, RECORD, OTHER, "CONFIRMED", "agent.13", AT)
    record_decision(con, RECORD, PERSON, "CONFIRMED", "agent.13", AT)  # its own: no conflict
    record_decision(con, RECORD, OTHER, "CONFIRMED", "agent.13", datetime(2026, 11, 16, 10),
                    override=True)
    assert decided(con)[-1] == (RECORD, OTHER, "CONFIRMED", f"{RECORD} {PERSON}")


def test_two_records_of_one_list_cannot_be_confirmed_to_one_person(tmp_path, con):
    # Two rows of one delivered list are two persons: confirming both to one file would
    # make them one person the next night.
    inbox = Inbox(tmp_path, con).person().telemofpra(FINAL_LIST).telemofpra(
        FINAL_LIST, NUM_OFPRA="OF20250000002", NUM_AGDREF="", NOM="KONE", PRENOMS="AWA",
        SEXE="F", DATE_NAISSANCE="02/02/1985")
    inbox.genesis(FINAL_LIST, row("genesis", NUM_AGDREF="")).decide()
    record_decision(con, RECORD, PERSON, "CONFIRMED", "agent.13", AT)
    with pytest.raises(InvalidDecision, match=rf"^contradicts the confirmed pair {RECORD} = "
                                              rf"agdref:{PERSON} \(another record"):
        record_decision(con, SAME_LIST, PERSON, "CONFIRMED", "agent.13", AT)
    # A record of another list (a detainee) may be that person; rejecting never conflicts.
    record_decision(con, "genesis:E01301:000101", PERSON, "CONFIRMED", "agent.13", AT)
    record_decision(con, SAME_LIST, PERSON, "REJECTED", "agent.13", AT)
    # The agent's explicit override is recorded with the pair it overrides.
    record_decision(con, SAME_LIST, PERSON, "CONFIRMED", "agent.13", datetime(2026, 11, 16, 10),
                    override=True)
    assert decided(con)[-1] == (SAME_LIST, PERSON, "CONFIRMED", f"{RECORD} {PERSON}")


def test_two_detainees_held_now_cannot_be_confirmed_to_one_person(tmp_path, con):
    # One person is not held in two places (PRI-01): a detainee on an establishment's
    # latest list is a mate of every other detainee held now, whatever their lists.
    identity = {"NOM": "DIALLO", "PRENOMS": "MAMADOU", "DATE_NAISSANCE": "14/03/1990",
                "NATIONALITE": "GUINEE"}
    here, there, earlier = ("genesis:E01301:000101", "genesis:E01302:000202",
                            "genesis:E01303:000303")
    inbox = Inbox(tmp_path, con).person().others()
    inbox.genesis(FINAL_LIST, row("genesis", **identity))
    inbox.genesis(FINAL_LIST, row("genesis", NUM_ECROU="000202", CODE_ETABLISSEMENT="E01302",
                                  NUM_AGDREF=PERSON, **identity), establishment="E01302")
    # released since from a third establishment: its latest list no longer holds them
    inbox.genesis(date(2026, 9, 1), row("genesis", NUM_ECROU="000303", CODE_ETABLISSEMENT="E01303",
                                        **identity), establishment="E01303")
    inbox.genesis(FINAL_LIST, row("genesis", NUM_ECROU="000404", CODE_ETABLISSEMENT="E01303"),
                  establishment="E01303")
    inbox.decide()
    assert link_of_record(con, there)[:2] == ("LINKED", "NUMBER_VERIFIED")
    with pytest.raises(InvalidDecision, match=rf"^contradicts the linked pair {there} = "
                                              rf"agdref:{PERSON} \(another record"):
        record_decision(con, here, PERSON, "CONFIRMED", "agent.13", AT)
    # a detainee of an earlier list only is no mate: the same person, held before
    record_decision(con, earlier, PERSON, "CONFIRMED", "agent.13", AT)
    record_decision(con, here, PERSON, "CONFIRMED", "agent.13", datetime(2026, 11, 16, 10),
                    override=True)
    assert decided(con)[-1] == (here, PERSON, "CONFIRMED", f"{there} {PERSON}")


def test_one_record_cannot_be_confirmed_to_two_persons(tmp_path, con):
    inbox = Inbox(tmp_path, con).person().person(
        NUM_AGDREF=OTHER, NOM="KONE", PRENOMS="AWA", SEXE="F", DATE_NAISSANCE="02/02/1985")
    inbox.telemofpra(FINAL_LIST).decide()
    record_decision(con, RECORD, PERSON, "CONFIRMED", "agent.13", AT)
    with pytest.raises(InvalidDecision, match=rf"pair {RECORD} = agdref:{PERSON} \(one record"):
        record_decision(con, RECORD, OTHER, "CONFIRMED", "agent.13", AT)
    # Once the first pair is rejected, the record is free to be confirmed elsewhere.
    record_decision(con, RECORD, PERSON, "REJECTED", "agent.13", datetime(2026, 11, 16, 10))
    record_decision(con, RECORD, OTHER, "CONFIRMED", "agent.13", datetime(2026, 11, 16, 10))
    assert decided(con)[-1] == (RECORD, OTHER, "CONFIRMED", None)


def test_a_record_may_be_confirmed_to_two_files_of_one_person(tmp_path, con):
    inbox = Inbox(tmp_path, con).person().second_file().others().telemofpra(FINAL_LIST)
    inbox.decide()
    assert con.execute("SELECT DISTINCT person_key FROM core.persons WHERE num_agdref IN "
                       "(?, ?)", [PERSON, SECOND]).fetchall() == [(PERSON,)]
    record_decision(con, RECORD, PERSON, "CONFIRMED", "agent.13", AT)
    record_decision(con, RECORD, SECOND, "CONFIRMED", "agent.13", AT)
    assert [d[3] for d in decided(con)] == [None, None]


def test_a_record_rejected_for_a_person_cannot_be_confirmed_to_another_of_its_files(
        tmp_path, con):
    """README: rejecting a pair means it is never linked again, and a rejection forbids
    every file of the person. An agent rejects the claim for PERSON; a colleague confirms
    it to SECOND, the other file of that same person: refused in one line naming the
    rejected pair. Recorded anyway (--override-conflict), the agents disagree and the
    night acts on neither: in review (AGENT_DECISIONS_DISAGREE), the claimant on no
    list. Before (audit of 2026-12-07), the confirmation was accepted and the night
    linked the claim to the person the agent had rejected."""
    inbox = Inbox(tmp_path, con).person().others().second_file()
    inbox.telemofpra(FINAL_LIST).decide()
    assert con.execute("SELECT person_key FROM core.persons WHERE num_agdref = ?",
                       [SECOND]).fetchall() == [(PERSON,)]
    record_decision(con, RECORD, PERSON, "REJECTED", "agent.13", AT)
    later = datetime(2026, 11, 16, 10)
    with pytest.raises(InvalidDecision, match=rf"rejected pair {RECORD} = agdref:{PERSON} "):
        record_decision(con, RECORD, SECOND, "CONFIRMED", "other.13", later)
    record_decision(con, RECORD, SECOND, "CONFIRMED", "other.13", later, override=True)
    out = inbox.decide()
    assert link_of(con) == ("REVIEW", "AGENT_DECISIONS_DISAGREE", RECORD)
    assert out.listed(REJECTED) == [] and out.reason(REJECTED) == "IDENTITY_CONFLICT"


THIRD = "0555555555"  # another DIALLO MAMADOU file, entered another day: never merged


def two_applicants_of_one_list(tmp_path, con, **first: str) -> None:
    """One list, two rows (two persons), each giving one of two DIALLO files' numbers
    (`first`: the first row's columns)."""
    inbox = Inbox(tmp_path, con).person().others()
    inbox.person(NUM_AGDREF=THIRD, DATE_ENTREE_FRANCE="05/05/2019")
    inbox.telemofpra(FINAL_LIST, **first).telemofpra(FINAL_LIST, NUM_OFPRA="OF20250000002",
                                                     NUM_AGDREF=THIRD)
    inbox.decide()
    assert link_of_record(con, SAME_LIST)[::2] == ("LINKED", THIRD)


@pytest.mark.parametrize("confirmed", [True, False])
def test_two_files_of_two_list_mates_cannot_be_confirmed_as_one_person(tmp_path, con,
                                                                       confirmed):
    # Issue 33 item 6: a pair of files confirmed merges them, and the two rows of one list
    # tied to them (by an agent, or tonight by their numbers) would be one person.
    two_applicants_of_one_list(tmp_path, con)
    assert link_of(con)[::2] == ("LINKED", PERSON)
    if confirmed:
        record_decision(con, RECORD, PERSON, "CONFIRMED", "agent.13", AT)
        record_decision(con, SAME_LIST, THIRD, "CONFIRMED", "agent.13", AT)
    with pytest.raises(InvalidDecision, match=rf"^contradicts the "
                       rf"{'confirmed' if confirmed else 'linked'} pair telemofpra:"):
        record_decision(con, f"agdref:{PERSON}", THIRD, "CONFIRMED", "agent.13",
                        datetime(2026, 11, 16, 10))
    record_decision(con, f"agdref:{PERSON}", THIRD, "CONFIRMED", "agent.13",
                    datetime(2026, 11, 16, 10), override=True)
    assert decided(con)[-1][:3] == (f"agdref:{PERSON}", THIRD, "CONFIRMED")
    assert decided(con)[-1][3] is not None


def test_a_record_confirmed_to_a_file_confirmed_with_its_list_mate_s_file_is_refused(
        tmp_path, con):
    # The other order: the files confirmed as one person first (no record tied to
    # PERSON's file yet), then the list's other row confirmed to PERSON's file before a
    # night merged them: the two rows would be one person all the same.
    two_applicants_of_one_list(tmp_path, con, DATE_NAISSANCE="14/07/1991")
    assert link_of(con)[0] != "LINKED"  # another birth date: the number is not verified
    record_decision(con, f"agdref:{PERSON}", THIRD, "CONFIRMED", "agent.13", AT)
    with pytest.raises(InvalidDecision, match=rf"^contradicts the linked pair {SAME_LIST}"):
        record_decision(con, RECORD, PERSON, "CONFIRMED", "agent.13",
                        datetime(2026, 11, 16, 10))


def test_the_command_refuses_a_contradiction_in_one_line(tmp_path):
    inbox = Inbox(tmp_path / "inbox", None).person().person(
        NUM_AGDREF=OTHER, NOM="KONE", PRENOMS="AWA", SEXE="F", DATE_NAISSANCE="02/02/1985")
    inbox.telemofpra(FINAL_LIST)
    for (name, kind), rows in inbox.files.items():
        write_file(inbox.folder, name, kind, rows)
    path = tmp_path / "warehouse.duckdb"
    with warehouse.connect(path) as con:
        tables.create_warehouse(con)
        ingest(con, inbox.folder)
        rebuild_night(con, date(2026, 11, 16), horizon_days=120)
        record_decision(con, RECORD, PERSON, "CONFIRMED", "agent.13", AT)

    def link(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "flows", "link", "--warehouse", str(path), "--record",
             RECORD, "--agdref", OTHER, "--confirm", "--agent", "agent.13", *extra],
            env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")},
            capture_output=True, text=True, timeout=120, check=False)

    refused = link()
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"reconcile: contradicts the confirmed pair {RECORD} = agdref:{PERSON} (one record, "
        "another person's file); pass --override-conflict to record it anyway"]
    assert link("--override-conflict").returncode == 0
    with warehouse.connect(path, read_only=True) as con:
        assert decided(con)[-1] == (RECORD, OTHER, "CONFIRMED", f"{RECORD} {PERSON}")


def test_the_workspace_names_a_linked_pair_as_linked_tonight():
    from transforms.identity.review import Conflict
    from workspace.identities.labels import conflict_message

    message = conflict_message(Conflict(RECORD, PERSON, False, "13"), SAME_LIST, ["13"])
    assert message == (f"Confirmation refusée : elle contredit la paire rapprochée cette nuit "
                       f"{RECORD} = agdref:{PERSON} (un autre enregistrement d'une même liste, "
                       "ou un autre détenu écroué à ce jour, rattaché à cette personne).")
    # a record beyond the account's departments: its department alone (need to know)
    message = conflict_message(Conflict(RECORD, PERSON, False, "75"), SAME_LIST, ["13"])
    assert RECORD not in message and PERSON not in message
    assert "d'un enregistrement du département 75" in message
