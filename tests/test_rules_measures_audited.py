"""The unexecuted_measures list (RULES.md §4 EX-01…05, §5) and the legal alerts
(PRI-07): a measure AGDREF records executed shows the person removed (EX-02), a request
made before the asylum attestation began is no alert, RTR-02 is cited for a measure taken
before the claim only. Each test was written by an audit of 2026-12-07 and failed before
(its docstring says what the code did then)."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES
from tests.scenarios import RUN, Inbox

OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}
NIGHT_2 = date(2026, 11, 17)
REQUEST = "DEMANDE_LAISSEZ_PASSER"


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


def alerts(con) -> list[dict]:
    return con.sql("SELECT * FROM worklists.legal_alerts ORDER BY alert_id").pl().to_dicts()


# ------------------------------------------------------------- PRI-07, legal alerts


def test_pri_07_a_request_made_before_the_asylum_attestation_began_is_no_alert(inbox, con):
    """RULES.md PRI-07: only a request "recorded while a person was in such a situation"
    (awaiting an OFPRA or CNDA decision, or protected) is reported, with the reason
    `CONSULAR_CONTACT_FORBIDDEN`; principle 2: "A flag is a suggestion for review" resting
    on its facts and dates.

    The consular pass was requested on 01/06/2026, on an OQTF of March. The person's
    asylum claim came months later: the only trace of it is an ADA valid from 15/10/2026
    to 14/04/2027 (no TélémOfpra row). On 01/06 the person was neither a claimant nor
    protected, so the request was lawful; yet the run reports it as a forbidden consular
    contact. alerts.pri_07_consular_contact_forbidden asks
    rights.rtr_01_asylum_attestation(titles, day) -> title_is_valid, which reads a VALIDE
    title as valid on any day up to its end, its DATE_DEBUT ignored (a reading meant for
    the run date, principle 1), so an attestation that began four months after the
    request makes the request forbidden."""
    inbox.measure(**OLD_ENOUGH).event(TYPE_EVENEMENT=REQUEST, DATE_EVENEMENT="01/06/2026")
    inbox.title(TYPE_TITRE="ADA", DATE_DEBUT="15/10/2026", DATE_FIN="14/04/2027",
                STATUT="VALIDE")
    out = inbox.decide(RUN)
    assert out.reason(MEASURES) == "SUSPENDED_BY_RTR"  # the claim holds the measure now
    assert alerts(con) == [], [(a["reason_code"], a["event_date"], a["rule_ids"])
                               for a in alerts(con)]


# ------------------------------------------------------------- §5 DECEASED_OR_LEFT, EX-02


def test_ex_02_a_measure_agdref_records_executed_shows_the_person_removed(inbox):
    """RULES.md EX-02: a measure "executed (forced removal carried out, or departure
    recorded) is closed"; §5 `DECEASED_OR_LEFT`: "death, naturalisation, or departure
    from France recorded", an exclusion "that appl[ies] to every list"; CONTRACTS §1.3
    MESURES `STATUT` … `EXECUTEE`.

    The person holds two OQTFs: one of 01/03/2026 never executed, and a later one of
    02/05/2026 that AGDREF records EXECUTEE: the removal was carried out, after 02/05, and
    nothing of the person is dated after that (no later measure, title, claim or
    committal). The person left France, yet the older OQTF stays on the list as
    enforceable and to chase. verdicts.departure_recorded reads a departure only from
    the events ELOIGNEMENT_EXECUTE / DEPART_VOLONTAIRE_CONSTATE (core_removal_measures
    .departure_date), never from a measure's STATUT EXECUTEE, so the person's other
    measure is not held."""
    inbox.measure(ID_MESURE="M01300000001", **OLD_ENOUGH)
    inbox.measure(ID_MESURE="M01300000002", DATE_DECISION="02/05/2026",
                  DATE_NOTIFICATION="03/05/2026", STATUT="EXECUTEE")
    out = inbox.decide(RUN)
    assert not out.listed(MEASURES), [(f["measure_id"], f["enforceable_from"])
                                      for f in out.listed(MEASURES)]
    first = [x for x in out.excluded(MEASURES) if x["measure_id"] == "M01300000001"][0]
    assert first["reason_code"] == "DECEASED_OR_LEFT", first


# ------------------------------------------------------------- rule ids (minor)


def test_rtr_02_is_not_cited_for_a_measure_taken_after_the_closed_claim(inbox):
    """RULES.md RTR-02: "A removal measure taken *before* the claim is not cancelled but
    cannot be executed while the RTR runs"; opening: "every flag and every exclusion
    carries the ids that produced it"; RTR-07 gives `CLOSURE_REOPENABLE`.

    The claim was introduced on 01/04/2026 and closed (notified 07/06/2026); the OQTF came
    after it, on 20/06/2026. The exclusion CLOSURE_REOPENABLE is RTR-07's (right), but it
    also cites RTR-02, a rule about a measure taken before the claim, which did not
    produce it: unexecuted.rtr_against_measure always prepends "RTR-02" to a closure's
    finding. Minor (the person is excluded either way); first reported by the audit of
    d2dcfe0 and still there."""
    inbox.measure(DATE_DECISION="20/06/2026", DATE_NOTIFICATION="20/06/2026",
                  DELAI_DEPART_JOURS="")
    inbox.telemofpra(date(2026, 6, 12), SENS_DECISION="CLOTURE", FONDEMENT="L531-37",
                     DATE_INTRODUCTION="01/04/2026", DATE_DECISION="01/06/2026",
                     DATE_NOTIFICATION="07/06/2026", DATE_DEFINITIVE="")
    excluded = inbox.decide(RUN).only_excluded(MEASURES)
    assert excluded["reason_code"] == "CLOSURE_REOPENABLE"
    assert "RTR-02" not in excluded["rule_ids"], excluded["rule_ids"]


def test_pri_07_the_alert_stays_when_the_attestation_is_withdrawn_on_a_later_night(inbox, con):
    """RULES.md PRI-07: a consular pass request "recorded while a person was in such a
    situation" (a valid ADA: RTR-01, the right to remain running) is reported. What the
    request broke stays broken when AGDREF later withdraws the attestation.

    Night 1: the pass was requested on 01/10/2026 while the person held an ADA valid from
    01/09/2026 to 28/02/2027: alerted. Night 2: AGDREF's extract shows that ADA `RETIRE`.
    Before (note of 2026-12-07, "found and left"), the alert was read in tonight's titles
    only, and disappeared on night 2."""
    ada = {"TYPE_TITRE": "ADA", "DATE_DEBUT": "01/09/2026", "DATE_FIN": "28/02/2027"}
    inbox.measure(**OLD_ENOUGH).event(TYPE_EVENEMENT=REQUEST, DATE_EVENEMENT="01/10/2026")
    inbox.title(STATUT="VALIDE", **ada)
    inbox.decide(RUN)
    first = alerts(con)
    assert [(a["reason_code"], a["event_date"]) for a in first] == [
        ("CONSULAR_CONTACT_FORBIDDEN", date(2026, 10, 1))]
    inbox.agdref("PERSONNES", NIGHT_2).agdref("MESURES", NIGHT_2, **OLD_ENOUGH)
    inbox.agdref("EVENEMENTS", NIGHT_2, TYPE_EVENEMENT=REQUEST, DATE_EVENEMENT="01/10/2026")
    inbox.agdref("TITRES", NIGHT_2, STATUT="RETIRE", **ada)
    inbox.decide(NIGHT_2)
    second = alerts(con)
    assert [(a["alert_id"], a["first_seen_date"]) for a in second] == [
        (first[0]["alert_id"], RUN)]
    # the attestation is cited as the night-1 extract delivered it (the request's day)
    assert any(row.startswith("AGDREF_TITRES_13_20261116.csv:") for row in
               second[0]["source_rows"]), second[0]["source_rows"]
    assert "RTR-01" in second[0]["rule_ids"]


def test_pri_07_an_attestation_withdrawn_before_the_request_is_no_alert(inbox, con):
    """RULES.md PRI-07, the other side: an attestation AGDREF showed withdrawn before the
    request's day no longer covered it. Night 1 (16/11) shows the ADA valid to 28/02/2027,
    night 2 (17/11) shows it `RETIRE`; the pass is requested on 18/11 and read on 19/11:
    no alert (the person had no attestation then, and no claim is known)."""
    ada = {"TYPE_TITRE": "ADA", "DATE_DEBUT": "01/09/2026", "DATE_FIN": "28/02/2027"}
    inbox.measure(**OLD_ENOUGH).event(TYPE_EVENEMENT=REQUEST, DATE_EVENEMENT="01/06/2026")
    inbox.title(STATUT="VALIDE", **ada)
    inbox.decide(RUN)
    inbox.agdref("PERSONNES", NIGHT_2).agdref("MESURES", NIGHT_2, **OLD_ENOUGH)
    inbox.agdref("EVENEMENTS", NIGHT_2, TYPE_EVENEMENT=REQUEST, DATE_EVENEMENT="01/06/2026")
    inbox.agdref("TITRES", NIGHT_2, STATUT="RETIRE", **ada)
    inbox.decide(NIGHT_2)
    night_3 = date(2026, 11, 19)
    inbox.agdref("PERSONNES", night_3).agdref("MESURES", night_3, **OLD_ENOUGH)
    inbox.agdref("EVENEMENTS", night_3, TYPE_EVENEMENT=REQUEST, DATE_EVENEMENT="18/11/2026")
    inbox.agdref("TITRES", night_3, STATUT="RETIRE", **ada)
    out = inbox.decide(night_3)
    assert out.only_listed(MEASURES)["measure_id"]  # the attestation is withdrawn
    assert alerts(con) == [], [(a["event_date"], a["source_rows"]) for a in alerts(con)]
