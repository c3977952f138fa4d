"""Decisions units record (core.agent_decisions, copied each night from the workspace's
operational database), honoured by the next night: OQ-02's examination on another ground
and PRI-05's answer to the prison."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import OTHER_GROUND, PRISON_ANSWER, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, RUN, Inbox, fr

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
