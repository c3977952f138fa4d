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
from tests.builders import write_file
from tests.conftest import ingest
from tests.scenarios import PERSON, Inbox
from transforms.identity.review import InvalidDecision, record_decision
from transforms.night import rebuild_night
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables

FINAL_LIST = date(2026, 10, 9)
RECORD = "telemofpra:OF20250000001"


def link_of(con) -> tuple:
    return con.execute("SELECT link_status, link_rule, person_key FROM core.person_links "
                       "WHERE record_key = ?", [RECORD]).fetchall()[0]


def test_a_rejected_pair_is_never_linked_again(tmp_path, con):
    inbox = Inbox(tmp_path, con).person()
    assert inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)["num_agdref"] == PERSON
    record_decision(con, RECORD, PERSON, "REJECTED", "agent.13", datetime(2026, 11, 16, 9))
    out = inbox.decide()
    assert link_of(con) == ("UNLINKED", "AGENT_REJECTED", RECORD)
    assert out.listed(REJECTED) == [] and out.reason(REJECTED) == "IDENTITY_CONFLICT"


def test_a_confirmed_pair_is_linked_and_acted_on(tmp_path, con):
    # The list gives the number but another birth date: not verified, so not acted on.
    inbox = Inbox(tmp_path, con).person()
    out = inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="14/03/1991").decide()
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
