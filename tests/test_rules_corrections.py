"""A decision corrected by a later TélémOfpra list (OQ-02, RTR-03, RTR-06, RTR-08,
principle 1). A weekly list repeats or corrects what earlier lists said of a decision;
one body does not decide one OFPRA file twice on one day, nor one claim twice with one
outcome. The latest list's version is the decision; the earlier version, which no list
repeats any more, no longer acts (a grant excepted: RTR-10, never flagged on a doubt).
The knowledge date is the first list that proved the decision as it now reads."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, REJECTED
from tests.scenarios import Inbox

FINAL_LIST = date(2026, 10, 9)  # the builders' rejection: notified 07/09, final 09/10/2026
EARLY_END = {"SENS_DECISION": "IRRECEVABILITE", "FONDEMENT": "L531-32-2", "DATE_DEFINITIVE": ""}
CNDA = {"ORGANE": "CNDA", "DATE_DEFINITIVE": ""}
OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}
SECOND = {"DATE_INTRODUCTION": "01/09/2026", "DATE_DECISION": "05/10/2026",
          "DATE_NOTIFICATION": "08/10/2026", "DATE_DEFINITIVE": ""}


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


def outcome_corrected(inbox: Inbox) -> Inbox:
    """An early end (RTR-06) on 11/09, corrected on 18/09 into a plain rejection not yet
    final (RTR-03): the right to remain still runs."""
    return inbox.telemofpra(date(2026, 9, 11), **EARLY_END).telemofpra(
        date(2026, 9, 18), DATE_DEFINITIVE="")


def claim_type_corrected(inbox: Inbox) -> Inbox:
    """A first claim finally rejected in 2025; a re-examination rejected on 05/10/2026,
    given as a second one (REEXAMEN_MULTIPLE, no RTR) on 16/10, corrected on 23/10 into a
    first one (REEXAMEN, RTR-08), not yet final."""
    inbox.telemofpra(date(2025, 6, 6), DATE_DECISION="01/04/2025",
                     DATE_NOTIFICATION="04/04/2025", DATE_DEFINITIVE="05/05/2025")
    inbox.telemofpra(date(2026, 10, 16), TYPE_DEMANDE="REEXAMEN_MULTIPLE", **SECOND)
    return inbox.telemofpra(date(2026, 10, 23), TYPE_DEMANDE="REEXAMEN", **SECOND)


@pytest.mark.parametrize("corrected", [outcome_corrected, claim_type_corrected],
                         ids=["outcome", "claim_type"])
def test_a_corrected_decision_leaves_the_earlier_version_without_effect(inbox, corrected):
    excluded = corrected(inbox).decide().only_excluded(REJECTED)
    assert excluded["reason_code"] == "RTR_END_UNCONFIRMED", excluded


@pytest.mark.parametrize("corrected", [outcome_corrected, claim_type_corrected],
                         ids=["outcome", "claim_type"])
def test_a_corrected_decision_keeps_the_oqtf_off_the_execution_list(inbox, corrected):
    out = corrected(inbox.measure(**OLD_ENOUGH)).decide()
    assert out.reason(MEASURES) == "SUSPENDED_BY_RTR"


def test_rtr_04_a_corrected_reading_date_is_the_end_and_its_list_is_cited(inbox):
    inbox.telemofpra(date(2026, 10, 23), **CNDA, MODE_CNDA="AUDIENCE",
                     DATE_DECISION="20/10/2026", DATE_NOTIFICATION="")
    inbox.telemofpra(date(2026, 10, 30), **CNDA, MODE_CNDA="AUDIENCE",
                     DATE_DECISION="22/10/2026", DATE_NOTIFICATION="")
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 10, 22)
    assert "TELEMOFPRA_13_20261030.csv:2" in flag["source_rows"], flag["source_rows"]


def test_rtr_10_a_grant_corrected_into_a_rejection_still_protects(inbox):
    """Principle 1: a grant is final (RTR-10); a later list giving the same decision as
    a rejection contradicts it, and the person is not flagged on that doubt."""
    inbox.telemofpra(date(2026, 9, 11), SENS_DECISION="REFUGIE", DATE_DEFINITIVE="")
    out = inbox.telemofpra(FINAL_LIST).decide()
    assert out.reason(REJECTED) == "PROTECTION_GRANTED"


def test_a_decision_repeated_unchanged_keeps_its_knowledge_date(inbox):
    inbox.telemofpra(FINAL_LIST).telemofpra(date(2026, 10, 16))
    assert inbox.decide().only_listed(REJECTED)["knowledge_date"] == FINAL_LIST


def test_oq_02_the_knowledge_date_follows_a_corrected_notification(inbox):
    """RTR-06: the early end notified 07/09 per the list of 11/09, corrected to 20/10 by
    the list of 23/10: the list that proved the decision as it now reads is 23/10."""
    inbox.telemofpra(date(2026, 9, 11), **EARLY_END)
    inbox.telemofpra(date(2026, 10, 23), **EARLY_END, DATE_NOTIFICATION="20/10/2026")
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 10, 20)
    assert flag["knowledge_date"] == date(2026, 10, 23), flag


def test_oq_02_rtr_03_the_knowledge_date_follows_a_corrected_final_date(inbox):
    inbox.telemofpra(FINAL_LIST)                          # notified 07/09, final 09/10
    inbox.telemofpra(date(2026, 11, 13), DATE_NOTIFICATION="10/10/2026",
                     DATE_DEFINITIVE="11/11/2026")
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 10, 10)
    assert flag["knowledge_date"] == date(2026, 11, 13), flag["knowledge_date"]
    assert flag["oqtf_due_date"] == date(2026, 11, 28)


@pytest.mark.parametrize(("mode", "rule"), [("AUDIENCE", "RTR-04"), ("ORDONNANCE", "RTR-05")])
def test_oq_02_a_cnda_decision_is_known_from_the_list_that_gives_its_mode(inbox, mode, rule):
    """A CNDA rejection read on 10/09 shown by the list of 18/09 without MODE_CNDA, which
    cannot say whether the reading or a signature ends the right to remain
    (RTR_END_UNCONFIRMED), then by the list of 09/10 with it: the knowledge date is
    09/10, the list that first proved the end; it was 18/09, 21 days earlier (rules
    audit of 2026-12-07)."""
    decided = {**CNDA, "SENS_DECISION": "REJET", "DATE_DECISION": "10/09/2026",
               "DATE_NOTIFICATION": "12/09/2026"}
    inbox.telemofpra(date(2026, 9, 18), MODE_CNDA="", **decided)
    assert inbox.decide(date(2026, 9, 20)).reason(REJECTED) == "RTR_END_UNCONFIRMED"
    inbox.telemofpra(date(2026, 10, 9), MODE_CNDA=mode, **decided)
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 9, 10)
    assert (flag["knowledge_date"], flag["oqtf_due_date"]) == (date(2026, 10, 9),
                                                               date(2026, 10, 24))
    assert rule in flag["rule_ids"]


def test_the_grants_never_superseded_are_the_rules_grants():
    """core_asylum_decisions.sql names the grant outcomes a correction never drops: the
    same as the rules' (RTR-10)."""
    from pathlib import Path

    from transforms.rules.rights import GRANT_OUTCOMES

    sql = (Path(__file__).parents[1] / "transforms" / "core" / "core_asylum_decisions.sql"
           ).read_text(encoding="utf-8")
    listed = sql.split("WHERE a.outcome NOT IN (", 1)[1].split(")", 1)[0]
    assert sorted(o.strip().strip("'") for o in listed.split(",")) == sorted(GRANT_OUTCOMES)


# --- Audit of 2026-12-07 (nights): a list correcting only the decision's date ---------

def date_corrected_on_a_later_night(inbox: Inbox) -> tuple[dict, dict]:
    """Night 1 (16/11): the rejection of the list of 09/10 (decided 03/09, notified 07/09,
    final 09/10) is listed. The list of 17/11 gives the same decision with its decision
    date corrected to 04/09 (notification and final date unchanged): night 2 (17/11)."""
    first = inbox.telemofpra(FINAL_LIST).decide(date(2026, 11, 16)).only_listed(REJECTED)
    inbox.agdref("PERSONNES", date(2026, 11, 17))
    inbox.telemofpra(date(2026, 11, 17), DATE_DECISION="04/09/2026")
    return first, inbox.decide(date(2026, 11, 17)).only_listed(REJECTED)


def test_oq_02_a_corrected_decision_date_does_not_move_the_knowledge_date(inbox):
    """OQ-02: the knowledge date is the first list that proved the RTR-ending decision
    (RTR-03: the first carrying DATE_DEFINITIVE). Only the decision's date is corrected:
    the end (notification 07/09) and its proof (final date, list of 09/10) are unchanged.
    Before (audit of 2026-12-07), the night of 17/11 moved the knowledge date to 17/11
    and days_overdue from 24 to 0: an overdue OQTF left the overdue count for a date
    that ends nothing. Now the lists before the correction prove the same decision, and
    are cited with it."""
    first, second = date_corrected_on_a_later_night(inbox)
    assert first["knowledge_date"] == FINAL_LIST
    assert second["rtr_end_date"] == first["rtr_end_date"] == date(2026, 9, 7)
    assert (second["knowledge_date"], second["oqtf_due_date"], second["days_overdue"]) == (
        FINAL_LIST, date(2026, 10, 24), 24)
    assert {"TELEMOFPRA_13_20261009.csv:2", "TELEMOFPRA_13_20261117.csv:2"} <= set(
        second["source_rows"])


def test_a_flag_keeps_its_id_when_its_decision_is_corrected(inbox):
    """CONTRACTS §2: flag_id is stable for the same situation (person and decision); a
    corrected decision is the same decision. Before (audit of 2026-12-07), night 2
    listed it under a new flag_id (new, the unit's work on the old flag left behind) and
    resolved the old one NO_LONGER_CANDIDATE. Now a decision correcting versions an
    earlier list gave goes on under the id one of them was listed with, whichever fields
    the correction changed."""
    first, second = date_corrected_on_a_later_night(inbox)
    assert second["flag_id"] == first["flag_id"]
    assert second["first_seen_date"] == date(2026, 11, 16)
    inbox.agdref("PERSONNES", date(2026, 11, 18))
    inbox.telemofpra(date(2026, 11, 18), DATE_DECISION="04/09/2026",
                     SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-2")
    third = inbox.decide(date(2026, 11, 18)).only_listed(REJECTED)
    assert third["flag_id"] == first["flag_id"] and "RTR-06" in third["rule_ids"]
