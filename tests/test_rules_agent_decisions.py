"""Decisions units record (core.agent_decisions, copied each night from the workspace's
operational database), honoured by the next night: OQ-02's examination on another ground
and PRI-05's answer to the prison."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from schemas.codes import OTHER_GROUND, PRISON_ANSWER, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, RUN, Inbox, fr
from workspace.decisions.in_force import decisions_in_force

FINAL_LIST = date(2026, 10, 9)


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con)


def test_oq_02_other_ground_under_examination_takes_the_person_off_the_list(inbox):
    flag = inbox.telemofpra(FINAL_LIST).person().decide().only_listed(REJECTED)
    excluded = (inbox.agent_decision(OTHER_GROUND, flag, REJECTED, effective=RUN)
                .decide().only_excluded(REJECTED))
    assert excluded["reason_code"] == "OTHER_GROUND_UNDER_EXAMINATION"
    assert excluded["rule_ids"] == ["OQ-02"]
    assert "agent_decisions:D1" in excluded["source_rows"]
    assert excluded["candidate_id"] == flag["flag_id"]  # followed from the flag


def test_oq_02_an_examination_recorded_for_a_later_day_does_not_act_yet(inbox):
    inbox.telemofpra(FINAL_LIST).person()
    flag = inbox.decide().only_listed(REJECTED)
    inbox.agent_decision(OTHER_GROUND, flag, REJECTED, effective=date(2026, 11, 17))
    assert inbox.decide().only_listed(REJECTED)["flag_id"] == flag["flag_id"]


def _detainee_released_in(days: int) -> dict:
    release = date.fromordinal(RUN.toordinal() + days)
    return row("genesis", NUM_AGDREF=PERSON, NOM="DIALLO", PRENOMS="MAMADOU",
               DATE_NAISSANCE="14/03/1990", NATIONALITE="GUINEE", ITF="DEFINITIVE",
               DATE_LIBERATION_PREVISIBLE=fr(release))


def test_pri_05_answer_recorded_removes_prison_answer_due(inbox):
    inbox.person().genesis(RUN, _detainee_released_in(3))
    flag = inbox.decide().only_listed(RELEASES)
    assert "PRISON_ANSWER_DUE" in flag["markers"] and "PRI-05" in flag["rule_ids"]
    inbox.agent_decision(PRISON_ANSWER, flag, RELEASES)
    assert "PRISON_ANSWER_DUE" not in inbox.decide().only_listed(RELEASES)["markers"]


def workspace_db(path: Path, events: list[tuple]) -> dict:
    """A workspace database holding `events`: (kind, worklist, flag, day recorded),
    recorded by agent13 of department 13 at 10:00 UTC of that day (effective that day,
    as workspace.decisions.views.decide records them: timezone.localdate())."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE accounts_account (id INTEGER PRIMARY KEY, username TEXT, "
                "is_active BOOLEAN)")
    con.execute("INSERT INTO accounts_account VALUES (1, 'agent13', TRUE)")
    con.execute("CREATE TABLE decisions_decisionevent (id INTEGER PRIMARY KEY, kind TEXT, "
                "worklist TEXT, flag_id TEXT, person_key TEXT, department TEXT, "
                "decided_by_id INTEGER, assigned_to_id INTEGER, decided_at TEXT, "
                "effective_date TEXT)")
    for n, (kind, worklist, flag, day) in enumerate(events, start=1):
        con.execute("INSERT INTO decisions_decisionevent VALUES (?,?,?,?,?,?,1,NULL,?,?)",
                    [n, kind, worklist, flag["flag_id"], flag["person_key"],
                     flag["department"], datetime(day.year, day.month, day.day, 10).isoformat(" "),
                     day.isoformat()])
    con.commit()
    con.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def test_oq_02_a_night_as_of_a_past_date_honours_an_examination_closed_after_it(
        inbox, tmp_path):
    """RULES.md OQ-02: "the person leaves the list with the exclusion
    OTHER_GROUND_UNDER_EXAMINATION until the unit closes that examination"; CONTRACTS §4:
    "`--as-of` ... fixes every date computation. The same inbox and `--as-of` always give
    the same worklists" (and the identity decisions already follow it: core_person_links.sql
    "a night run --as-of a past date sees what was decided by then").

    The unit opened an examination on 10/11 and closed it on 20/11. A night run as of
    16/11 (a missed night caught up, a replay) must exclude the person: the examination
    was open that day. Before (audit of 2026-12-07), decisions_in_force.sql kept the
    latest event whatever its date: the close of 20/11 wiped the examination from every
    night, even one as of 16/11, and the person was listed."""
    flag = inbox.telemofpra(FINAL_LIST).person().decide().only_listed(REJECTED)
    database = workspace_db(tmp_path / "ws.sqlite3", [
        (OTHER_GROUND, REJECTED, flag, date(2026, 11, 10)),
        ("OTHER_GROUND_CLOSED", REJECTED, flag, date(2026, 11, 20))])
    inbox.decisions = decisions_in_force(database, RUN)  # as the night of RUN reads them
    out = inbox.decide(run_date=RUN)
    assert not out.listed(REJECTED), out.listed(REJECTED)
    assert out.reason(REJECTED) == "OTHER_GROUND_UNDER_EXAMINATION"


def test_oqtf_taken_is_not_shown_on_the_flag_once_resolved_and_listed_again(inbox):
    """README (workspace, Handling any flag): 'On a rejected asylum seeker, "OQTF prise le
    …" ...: the flag shows it until AGDREF records the OQTF and the night resolves the
    flag.' and 'The state is the latest outcome recorded'.

    The unit records "OQTF prise" on DIALLO's flag; AGDREF then records the OQTF and the
    night resolves the flag; the court annuls that OQTF and the same flag (same person,
    same final rejection) is listed again: the OQTF the unit recorded no longer answers
    the flag, which is to be handled again: an outcome recorded before the flag's current
    stay on the list no longer counts (handling.with_handling, as the workspace's
    state.fold). Before (audit of 2026-12-07), the night kept showing the flag as
    handled ("OQTF prise") on the list and in the exports."""
    from schemas.codes import OQTF_TAKEN

    flag = inbox.telemofpra(FINAL_LIST).person().decide().only_listed(REJECTED)
    inbox.agent_decision(OQTF_TAKEN, flag, REJECTED, effective=RUN)
    assert inbox.decide().only_listed(REJECTED)["handling_state"] == OQTF_TAKEN
    day2, day3 = date(2026, 11, 17), date(2026, 11, 18)
    inbox.agdref("PERSONNES", snapshot=day2).agdref("MESURES", snapshot=day2)
    resolved = inbox.decide(run_date=day2)
    assert not resolved.listed(REJECTED), resolved.listed(REJECTED)  # the night resolved it
    inbox.agdref("PERSONNES", snapshot=day3).agdref(
        "MESURES", snapshot=day3, STATUT="ANNULEE", RECOURS="ANNULE")
    again = inbox.decide(run_date=day3).only_listed(REJECTED)
    assert again["flag_id"] == flag["flag_id"]
    assert again["handling_state"] != OQTF_TAKEN, again["handling_state"]
