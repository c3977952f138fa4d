"""A departure from France recorded (RULES.md §5 DECEASED_OR_LEFT, EX-02) on one measure
of the person holds their other candidacies on every list, unless something of the
person dated after it shows them back in France."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, REJECTED
from tests.scenarios import Inbox

FINAL_LIST = date(2026, 10, 9)  # the builders' rejection: notified 07/09, final 09/10/2026
OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


@pytest.mark.parametrize("event", ["ELOIGNEMENT_EXECUTE", "DEPART_VOLONTAIRE_CONSTATE"])
def test_a_departure_recorded_on_one_measure_holds_the_person_s_other_measure(inbox, event):
    inbox.measure(ID_MESURE="M01300000001", **OLD_ENOUGH)          # OQTF, never executed
    inbox.measure(ID_MESURE="M01300000002", DATE_DECISION="02/05/2026",
                  DATE_NOTIFICATION="03/05/2026")                  # a later OQTF ...
    inbox.event(ID_MESURE="M01300000002", TYPE_EVENEMENT=event,
                DATE_EVENEMENT="01/06/2026")                       # ... executed: left France
    out = inbox.decide()
    assert not out.listed(MEASURES), out.listed(MEASURES)
    first = [r for r in out.excluded(MEASURES) if r["measure_id"] == "M01300000001"][0]
    assert first["reason_code"] == "DECEASED_OR_LEFT" and first["rule_ids"] == ["EX-02"]
    assert any("EVENEMENTS" in r for r in first["source_rows"]), first["source_rows"]


def test_a_departure_recorded_after_the_rejection_holds_the_rejected_flag(inbox):
    inbox.measure(TYPE_MESURE="REMISE", DELAI_DEPART_JOURS="", ETAT_MEMBRE="ITA",
                  DATE_ACCORD_ETAT_MEMBRE="15/10/2026", DATE_DECISION="20/10/2026",
                  DATE_NOTIFICATION="21/10/2026")
    inbox.event(TYPE_EVENEMENT="ELOIGNEMENT_EXECUTE", DATE_EVENEMENT="02/11/2026")
    out = inbox.telemofpra(FINAL_LIST).decide()
    assert out.reason(REJECTED) == "DECEASED_OR_LEFT"


def test_a_measure_decided_after_the_departure_shows_the_person_back(inbox):
    inbox.measure(ID_MESURE="M01300000001", **OLD_ENOUGH)
    inbox.event(ID_MESURE="M01300000001", TYPE_EVENEMENT="ELOIGNEMENT_EXECUTE",
                DATE_EVENEMENT="01/04/2026")                       # removed in April
    inbox.measure(ID_MESURE="M01300000002", DATE_DECISION="02/07/2026",
                  DATE_NOTIFICATION="03/07/2026")                  # back: a new OQTF
    out = inbox.decide()
    assert [r["measure_id"] for r in out.listed(MEASURES)] == ["M01300000002"]
    first = [r for r in out.excluded(MEASURES) if r["measure_id"] == "M01300000001"][0]
    assert first["reason_code"] == "MEASURE_CLOSED"
