"""Rules in combination over a person's history (RULES.md RTR-05, RTR-06, OQ-07, PRI-08,
PRI-07): a second re-examination whose OFPRA row gives no introduction date and whose
CNDA ordonnance is signed, not notified (the undated row was read as a claim of its own,
rights._claims merging such a row only for the claims made once); a consular pass
requested while an undated re-examination may have awaited its decision. Each test was
written by an audit of 2026-12-07 and failed before (its docstring says what the code
did then). Decided as of RUN (16/11/2026)."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, Inbox

KNOWN = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}
# first claim, rejected by OFPRA and reported final in 2025
FIRST_CLAIM = {"DATE_INTRODUCTION": "02/01/2025", "DATE_DECISION": "01/04/2025",
               "DATE_NOTIFICATION": "04/04/2025", "DATE_DEFINITIVE": "05/05/2025"}


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


def second_reexamination_with_unnotified_ordonnance(inbox: Inbox) -> Inbox:
    """First claim rejected and final (2025). A second re-examination (REEXAMEN_MULTIPLE):
    OFPRA's inadmissibility notified 07/09/2026 (RTR-06 early end), its row giving no
    introduction date (allowed: CONTRACTS §1 "empty field = unknown"); then the CNDA's
    ordonnance on that claim, signed 10/11/2026, not notified, its row giving the
    introduction date 01/08/2026."""
    inbox.telemofpra(date(2025, 5, 9), **FIRST_CLAIM)
    inbox.telemofpra(date(2026, 9, 11), TYPE_DEMANDE="REEXAMEN_MULTIPLE",
                     SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-2",
                     DATE_INTRODUCTION="", DATE_DECISION="03/09/2026",
                     DATE_NOTIFICATION="07/09/2026", DATE_DEFINITIVE="")
    inbox.telemofpra(date(2026, 11, 13), TYPE_DEMANDE="REEXAMEN_MULTIPLE", ORGANE="CNDA",
                     MODE_CNDA="ORDONNANCE", SENS_DECISION="REJET", FONDEMENT="",
                     DATE_INTRODUCTION="01/08/2026", DATE_DECISION="10/11/2026",
                     DATE_NOTIFICATION="", DATE_DEFINITIVE="")
    return inbox


def test_rtr_05_unnotified_ordonnance_of_an_undated_second_reexamination_holds_the_measure(
        inbox):
    """RULES RTR-05: "a removal may only be executed from the ordonnance's notification.
    A signed, not yet notified ordonnance may be flagged on the OQTF list with the marker
    EXECUTION_AFTER_NOTIFICATION, and never on an execution list"; OQ-07: enforceable_from
    "never ... before an ordonnance's notification (RTR-05)".

    The OFPRA row and the CNDA row of one REEXAMEN_MULTIPLE claim: only the CNDA row gives
    DATE_INTRODUCTION. rights._claims merges an undated row into its dated claim only for
    the types in ONCE_PER_APPLICANT (PREMIERE, REEXAMEN), so the OFPRA row stays a claim
    of its own, which rights._claim_order places by its decision date (03/09/2026), after
    the CNDA row's claim (01/08/2026): assess_claims takes the OFPRA early end as the
    latest claim, and claim_markers / execution_after never see the ordonnance. The OQTF
    (enforceable since 23/09) is LISTED on unexecuted_measures with no marker, although
    the ordonnance is not notified. Expected: excluded NOT_YET_ENFORCEABLE citing RTR-05,
    as for the same situation on a first claim
    (test_rtr_05_an_ordonnance_signed_after_an_early_end_holds_execution_until_notified)."""
    second_reexamination_with_unnotified_ordonnance(inbox)
    inbox.measure(DATE_DECISION="15/09/2026", DATE_NOTIFICATION="16/09/2026",
                  SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    out = inbox.decide()
    assert not out.listed(MEASURES), out.listed(MEASURES)
    excluded = out.only_excluded(MEASURES)
    assert excluded["reason_code"] == "NOT_YET_ENFORCEABLE"
    assert "RTR-05" in excluded["rule_ids"]


def test_rtr_05_unnotified_ordonnance_of_an_undated_second_reexamination_holds_the_release(
        inbox):
    """RULES RTR-05 ("never on an execution list"), OQ-07 (enforceable "never ... before an
    ordonnance's notification") and PRI-08 (ENFORCEABLE_MEASURE only when a measure "can
    support removal at release"). Same history as above, plus a detainee under a
    definitive judicial ban (GENESIS ITF): the detainee is listed ENFORCEABLE_MEASURE
    (with PRI-04, conditional release for expulsion) and without
    EXECUTION_AFTER_NOTIFICATION, because rights._claims / _claim_order split the claim
    and releases.release_flag only downgrades the situation when that marker is present.
    Expected, as for a first claim
    (test_rtr_05_an_ordonnance_after_an_undated_early_end_holds_the_release_too):
    MEASURE_TO_EXAMINE with the marker."""
    second_reexamination_with_unnotified_ordonnance(inbox)
    inbox.genesis(date(2026, 11, 12), row("genesis", ITF="DEFINITIVE", **KNOWN))
    release = inbox.decide().only_listed(RELEASES)
    assert "EXECUTION_AFTER_NOTIFICATION" in release["markers"], release["markers"]
    assert release["situation"] == "MEASURE_TO_EXAMINE", release["situation"]


def test_rtr_05_unnotified_ordonnance_of_an_undated_second_reexamination_marks_the_oqtf_list(
        inbox):
    """RULES RTR-05: "A signed, not yet notified ordonnance may be flagged on the OQTF list
    with the marker EXECUTION_AFTER_NOTIFICATION"; "Markers follow the decision that ended
    the RTR of the person's latest claim". Same history, no measure: the rejected flag
    carries no EXECUTION_AFTER_NOTIFICATION (rights.assess_claims reads the undated OFPRA
    row as a claim of its own, the latest; claim_markers never sees the ordonnance)."""
    flag = second_reexamination_with_unnotified_ordonnance(inbox).decide().only_listed(REJECTED)
    assert "EXECUTION_AFTER_NOTIFICATION" in flag["markers"], flag["markers"]


def test_pri_07_a_request_the_day_before_an_undated_reexamination_was_decided_is_an_alert(
        inbox):
    """RULES PRI-07: "A consular pass request (DEMANDE_LAISSEZ_PASSER) recorded while a
    person was in such a situation [awaiting an OFPRA or CNDA decision], or protected, is
    reported in worklists.legal_alerts with the reason CONSULAR_CONTACT_FORBIDDEN";
    RTR-08 (a first re-examination, while undecided, restores the RTR); CONTRACTS §1
    ("empty field = unknown", DATE_INTRODUCTION may be empty); principle 1.

    A first re-examination decided by OFPRA on 01/10/2026 (rejected, notified 05/10, final
    06/11), its rows giving no introduction date; a consular pass requested on
    30/09/2026, the day before that decision: the claim was introduced on or before
    01/10 and may well have been awaiting OFPRA's decision on 30/09. alerts.decision_on
    dates an undated decided claim by its decision date or first list (the latest
    possible start, whereas an undated registered request gets the earliest possible,
    rights.earliest_registration), so the claim does not exist on 30/09 and no alert is
    raised (before); the same request on 02/10 was an alert
    (test_a_consular_request_after_an_undated_claim_s_decision_is_an_alert). Now the
    claim may have been awaited from the day after the first claim's decision: the
    request of 30/09 is CONSULAR_CONTACT_FORBIDDEN."""
    inbox.telemofpra(date(2025, 6, 6), DATE_DECISION="01/04/2025",
                     DATE_NOTIFICATION="04/04/2025", DATE_DEFINITIVE="05/05/2025")
    inbox.telemofpra(date(2026, 11, 12), NUM_OFPRA="OF20250000002", TYPE_DEMANDE="REEXAMEN",
                     DATE_INTRODUCTION="", DATE_DECISION="01/10/2026",
                     DATE_NOTIFICATION="05/10/2026", DATE_DEFINITIVE="06/11/2026")
    inbox.measure(DATE_DECISION="01/06/2025", DATE_NOTIFICATION="03/06/2025")
    inbox.event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER", DATE_EVENEMENT="30/09/2026")
    out = inbox.decide()
    alerts = out.con.sql("SELECT reason_code, event_date FROM worklists.legal_alerts"
                         ).fetchall()
    assert alerts == [("CONSULAR_CONTACT_FORBIDDEN", date(2026, 9, 30))], alerts
