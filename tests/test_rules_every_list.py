"""What protects a person holds on every list where they may appear (RULES.md principle 1
and §5, "Exclusions that apply to every list"), found by an adversarial reading of the
rule book against the three lists side by side:

- a record that may be the person without being tied to them (in identity review, or
  giving their AGDREF number without it verifying) and shows a protection, a right to
  remain still running or a minor's birth date: IDENTITY_CONFLICT on each list, not on
  the unexecuted measures alone;
- an examination of admission on another ground recorded by the unit (OQ-02):
  OTHER_GROUND_UNDER_EXAMINATION on each list, not on the rejected list alone;
- the person's latest claim (RTR-03, RTR-08) found when its rows give no date of
  introduction (nullable in CONTRACTS §1.1), on each list.

The builders' default person is DIALLO MAMADOU (AGDREF 0123456789), whose OFPRA rejection
was notified on 07/09/2026 and reported final in the list of 09/10/2026; every scenario is
decided as of 16/11/2026."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, OTHER_GROUND, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, RUN, SECOND, Inbox

FINAL_LIST = date(2026, 10, 9)
LIST = date(2026, 11, 12)  # a GENESIS list 4 days old
KNOWN = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}
REGISTERED = {"SENS_DECISION": "", "FONDEMENT": "", "DATE_DECISION": "", "MODE_CNDA": "",
              "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}
# A claim of the person under another OFPRA number, no AGDREF number, the year of birth
# only: the model cannot tie it to the file with confidence (REVIEW).
IN_REVIEW = {"NUM_OFPRA": "OF20260000009", "NUM_AGDREF": "", "DATE_NAISSANCE": "00/00/1990"}
GRANT = {"SENS_DECISION": "REFUGIE", "DATE_DECISION": "01/11/2026",
         "DATE_NOTIFICATION": "05/11/2026", "DATE_DEFINITIVE": ""}


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


def with_ban(inbox: Inbox) -> Inbox:
    """The person on a prison's latest list, with a judicial ITF (PRI-06)."""
    return inbox.genesis(LIST, row("genesis", ITF="DEFINITIVE", **KNOWN))


def enforceable(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["situation"] == "ENFORCEABLE_MEASURE"]


def person_flags(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["num_agdref"] == PERSON]


@pytest.mark.parametrize("claim", [GRANT, {"TYPE_DEMANDE": "REEXAMEN",
                                           "DATE_INTRODUCTION": "05/11/2026", **REGISTERED}],
                         ids=["refugee", "registered-reexamination"])
def test_a_protection_shown_by_a_record_in_review_holds_the_rejected_flag(inbox, claim):
    inbox.others().telemofpra(FINAL_LIST)
    out = inbox.telemofpra(date(2026, 11, 13), **IN_REVIEW, **claim).decide()
    assert out.con.execute("SELECT link_status FROM core.person_links WHERE record_key = "
                           "'telemofpra:OF20260000009'").fetchall() == [("REVIEW",)]
    assert not person_flags(out.listed(REJECTED))
    [excluded] = [e for e in out.excluded(REJECTED) if e["num_agdref"] == PERSON]
    assert excluded["reason_code"] == "IDENTITY_CONFLICT"
    assert any(r.startswith("TELEMOFPRA_13_20261113") for r in excluded["source_rows"])


@pytest.mark.parametrize("claim", [GRANT, {"DATE_DEFINITIVE": ""}],
                         ids=["refugee", "rejection-not-final"])
def test_a_protection_shown_by_a_record_in_review_holds_the_detainee_with_a_ban(inbox, claim):
    inbox.others().telemofpra(date(2026, 11, 13), **IN_REVIEW, **claim)
    out = with_ban(inbox).decide()
    assert not enforceable(out.listed(RELEASES))
    assert out.reason(RELEASES) == "IDENTITY_CONFLICT"


def test_a_claim_giving_the_number_with_a_minor_s_birth_date_holds_the_detainee(inbox):
    """The claim gives the file's number, but its birth date (a minor's) does not verify
    it: the person may be a minor (OQ-03)."""
    inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="14/03/2009")
    out = with_ban(inbox).decide()
    assert not enforceable(out.listed(RELEASES))
    assert out.reason(RELEASES) == "IDENTITY_CONFLICT"


def test_a_detainee_giving_the_number_with_a_minor_s_birth_date_holds_the_rejected_flag(
        inbox):
    inbox.telemofpra(FINAL_LIST)
    inbox.genesis(LIST, row("genesis", **{**KNOWN, "DATE_NAISSANCE": "14/03/2009"}))
    out = inbox.decide()
    assert out.reason(RELEASES) == "MINOR"
    assert not person_flags(out.listed(REJECTED))
    assert out.reason(REJECTED) == "IDENTITY_CONFLICT"


def test_an_examination_on_another_ground_holds_the_person_on_every_list(inbox):
    """OQ-02 and §5: the unit examines admission on another ground; no list pursues the
    person's removal meanwhile: neither their earlier OQTF nor their release."""
    inbox.measure(DATE_DECISION="01/11/2023", DATE_NOTIFICATION="03/11/2023")
    flag = inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)
    assert inbox.decide().only_listed(MEASURES)["measure_type"] == "OQTF"
    inbox.agent_decision(OTHER_GROUND, flag, REJECTED, effective=RUN)
    out = with_ban(inbox).decide()
    for worklist in (REJECTED, MEASURES, RELEASES):
        excluded = out.only_excluded(worklist)
        assert excluded["reason_code"] == "OTHER_GROUND_UNDER_EXAMINATION", worklist
        assert "OQ-02" in excluded["rule_ids"]
        assert "agent_decisions:D1" in excluded["source_rows"]


def undated_reexamination_open_to_appeal(inbox: Inbox) -> Inbox:
    """A first claim finally rejected in 2025; a first re-examination rejected on
    01/10/2026, notified 05/10/2026, not reported final (an appeal may be pending,
    RTR-03), whose rows give no DATE_INTRODUCTION."""
    inbox.telemofpra(date(2025, 6, 6), DATE_DECISION="01/04/2025",
                     DATE_NOTIFICATION="04/04/2025", DATE_DEFINITIVE="05/05/2025")
    return inbox.telemofpra(FINAL_LIST, NUM_OFPRA="OF20250000002", TYPE_DEMANDE="REEXAMEN",
                            DATE_INTRODUCTION="", DATE_DECISION="01/10/2026",
                            DATE_NOTIFICATION="05/10/2026", DATE_DEFINITIVE="")


def test_an_undated_reexamination_open_to_appeal_is_the_latest_claim(inbox):
    undated_reexamination_open_to_appeal(inbox)
    inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    out = with_ban(inbox).decide()
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "RTR_END_UNCONFIRMED"
    assert any(r.startswith("TELEMOFPRA_13_20261009") for r in excluded["source_rows"])
    assert out.reason(MEASURES) == "SUSPENDED_BY_RTR"
    assert out.reason(RELEASES) == "RTR_END_UNCONFIRMED"


def test_a_consular_request_after_an_undated_claim_s_decision_is_an_alert(inbox):
    """PRI-07: a consular pass requested on 20/10/2026, while the re-examination rejected
    on 01/10 (notified 05/10) could still be brought before the CNDA (reported final on
    06/11 only): CONSULAR_CONTACT_FORBIDDEN, though the claim's rows give no date of
    introduction and the first list showing it came after the request."""
    inbox.telemofpra(date(2025, 6, 6), DATE_DECISION="01/04/2025",
                     DATE_NOTIFICATION="04/04/2025", DATE_DEFINITIVE="05/05/2025")
    inbox.telemofpra(date(2026, 11, 12), NUM_OFPRA="OF20250000002", TYPE_DEMANDE="REEXAMEN",
                     DATE_INTRODUCTION="", DATE_DECISION="01/10/2026",
                     DATE_NOTIFICATION="05/10/2026", DATE_DEFINITIVE="06/11/2026")
    inbox.measure(DATE_DECISION="01/06/2025", DATE_NOTIFICATION="03/06/2025")
    inbox.event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER", DATE_EVENEMENT="20/10/2026")
    out = inbox.decide()
    alerts = out.con.sql("SELECT reason_code, event_date, rule_ids FROM worklists.legal_alerts"
                         ).fetchall()
    assert [(r, d) for r, d, _ in alerts] == [("CONSULAR_CONTACT_FORBIDDEN", date(2026, 10, 20))]
    assert "PRI-07" in alerts[0][2]


def test_an_eu_nationality_given_by_a_record_with_the_number_holds_the_measure(inbox):
    """A GENESIS record gives the file's number and identity, but a Romanian nationality:
    it is not tied to the file (the number does not verify), the releases list excludes
    the detainee as EU_CITIZEN, and the file's OQTF is not pursued meanwhile."""
    inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    inbox.genesis(LIST, row("genesis", **{**KNOWN, "NATIONALITE": "ROUMANIE"}))
    out = inbox.decide()
    assert out.reason(RELEASES) == "EU_CITIZEN"
    excluded = out.only_excluded(MEASURES)
    assert excluded["reason_code"] == "IDENTITY_CONFLICT"
    assert "GENESIS_E01301_20261112.csv:2" in excluded["source_rows"]


@pytest.mark.parametrize("nationality", ["HOLLANDE", "EIRE"])
def test_an_eu_nationality_written_in_everyday_french_holds_the_detainee(inbox, nationality):
    """§5 EU_CITIZEN on a GENESIS nationality written as French speaks it, not as ISO
    does (PAYS-BAS, IRLANDE): the detainee of the file (Malian by AGDREF) is excluded
    from the releases, where a name left unread listed them ENFORCEABLE_MEASURE."""
    inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    inbox.genesis(LIST, row("genesis", **{**KNOWN, "NATIONALITE": nationality}))
    out = inbox.decide()
    assert out.reason(RELEASES) == "EU_CITIZEN"
    assert out.listed(MEASURES) == []


def test_individual_assessment_is_carried_on_every_list(tmp_path, con):
    """OQ-04 and the Markers paragraph: ten years in France by AGDREF's entry date; the
    person is on the three lists (rejected, their OQTF of 2023, a prison's list): the
    marker INDIVIDUAL_ASSESSMENT on each."""
    inbox = Inbox(tmp_path / "inbox", con).person(DATE_ENTREE_FRANCE="01/01/2010")
    inbox.telemofpra(FINAL_LIST).genesis(LIST, row("genesis", **KNOWN))
    out = inbox.decide()
    rejected = out.only_listed(REJECTED)
    release = out.only_listed(RELEASES)
    assert release["situation"] == "MEASURE_TO_EXAMINE"
    for flag in (rejected, release):
        assert "INDIVIDUAL_ASSESSMENT" in flag["markers"] and "OQ-04" in flag["rule_ids"]
    inbox.measure(DATE_DECISION="01/11/2023", DATE_NOTIFICATION="03/11/2023")
    measure = inbox.decide().only_listed(MEASURES)
    assert "INDIVIDUAL_ASSESSMENT" in measure["markers"] and "OQ-04" in measure["rule_ids"]


def test_individual_assessment_recorded_on_the_person_s_second_file(tmp_path, con):
    """A French spouse recorded on the person's second file, which the model merged with
    the first: the marker as if it were on the first."""
    inbox = Inbox(tmp_path / "inbox", con).person().others()
    inbox.second_file(LIEN_FAMILIAL_FRANCAIS="CONJOINT")
    flag = inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)
    assert "INDIVIDUAL_ASSESSMENT" in flag["markers"]


def test_a_genesis_ban_agdref_records_as_withdrawn_is_no_measure_on_the_rejected_list(inbox):
    """GENESIS says ITF DEFINITIVE, AGDREF the person's ITF ABROGEE and none in force: no
    list acts on the ban (principle 1); on the rejected list the person has no measure
    (NO_MEASURE), rather than an exclusion pointing to a measure no list follows."""
    inbox.measure(TYPE_MESURE="ITF", DELAI_DEPART_JOURS="", DATE_NOTIFICATION="",
                  DATE_DECISION="01/03/2025", STATUT="ABROGEE")
    inbox.telemofpra(FINAL_LIST)
    out = inbox.genesis(LIST, row("genesis", ITF="DEFINITIVE",
                                  DATE_LIBERATION_PREVISIBLE="15/01/2030", **KNOWN)).decide()
    assert out.only_listed(REJECTED)["reason"] == "NO_MEASURE"
    assert out.reason(MEASURES) == "MEASURE_CLOSED"


def test_no_consular_contact_of_another_file_the_detainee_may_be(inbox):
    """PRI-07, an absolute ban: the detainee is tied to their file by its number; another
    file with their identity (not merged: its entry date differs), searched for their
    protections, ended its claim early at OFPRA with no CNDA decision nor final date yet:
    the consulate is not contacted about the detainee either."""
    from tests.scenarios import SECOND

    inbox.others().second_file(DATE_ENTREE_FRANCE="05/12/2024")
    inbox.telemofpra(date(2026, 9, 11), NUM_AGDREF=SECOND, NOM="DIALO",
                     SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-2", DATE_DEFINITIVE="")
    flag = with_ban(inbox).decide().only_listed(RELEASES)
    assert flag["num_agdref"] == PERSON
    assert "NO_CONSULAR_CONTACT" in flag["markers"]


def test_a_consular_request_about_a_refugee_in_review_is_an_alert(inbox):
    """PRI-07: a consular pass requested on 10/11/2026 for the file's OQTF, while a claim
    in review against the file (the person, perhaps) had been granted refugee status: the
    measure is excluded (IDENTITY_CONFLICT) and the request reported."""
    inbox.others().measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    inbox.event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER", DATE_EVENEMENT="10/11/2026")
    out = inbox.telemofpra(date(2026, 11, 13), **IN_REVIEW, **GRANT).decide()
    assert out.reason(MEASURES) == "IDENTITY_CONFLICT"
    alerts = out.con.sql("SELECT reason_code, source_rows FROM worklists.legal_alerts"
                         ).fetchall()
    assert [r for r, _ in alerts] == ["CONSULAR_CONTACT_FORBIDDEN"]
    assert any(r.startswith("TELEMOFPRA_13_20261113") for r in alerts[0][1])


OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}


def alert_codes(out) -> list[str]:
    return [r for (r,) in out.con.sql("SELECT reason_code FROM worklists.legal_alerts"
                                      ).fetchall()]


def test_pri_07_a_request_registered_without_date_counts_from_the_list_before(inbox):
    """PRI-07: a second re-examination registered without its introduction date, first
    shown on the list of 06/11; the list of its department before (30/10) did not show
    it, so it may have been awaiting OFPRA since 31/10, as the lists read it
    (RTR-07, RTR-08): a consular pass requested on 03/11 is reported."""
    inbox.telemofpra(FINAL_LIST)
    inbox.telemofpra(date(2026, 10, 30), NUM_OFPRA="OF20250000002", NUM_AGDREF="",
                     NOM="KONE", PRENOMS="ISSA", DATE_NAISSANCE="01/01/1980")
    inbox.telemofpra(date(2026, 11, 6), TYPE_DEMANDE="REEXAMEN_MULTIPLE",
                     DATE_INTRODUCTION="", **REGISTERED)
    inbox.measure(DATE_DECISION="20/10/2026", DATE_NOTIFICATION="22/10/2026")
    inbox.event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER", DATE_EVENEMENT="03/11/2026")
    assert alert_codes(inbox.decide()) == ["CONSULAR_CONTACT_FORBIDDEN"]


def test_pri_07_a_request_about_a_refugee_whose_file_row_is_quarantined(tmp_path, con):
    """PRI-07: the measure's file row is quarantined (its department cannot be read);
    the TélémOfpra record giving that AGDREF number shows a refugee: the consular pass
    requested about the measure is reported."""
    inbox = Inbox(tmp_path / "inbox", con).person(DEPT_GESTION="XX")
    inbox.telemofpra(date(2026, 10, 2), SENS_DECISION="REFUGIE", DATE_DEFINITIVE="")
    inbox.measure(**OLD_ENOUGH).event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER",
                                      DATE_EVENEMENT="01/11/2026")
    assert alert_codes(inbox.decide(allow_quarantine=True)) == ["CONSULAR_CONTACT_FORBIDDEN"]


@pytest.mark.parametrize(("claim", "first"), [
    (GRANT, "PROTECTION_GRANTED"),
    ({"TYPE_DEMANDE": "REEXAMEN", "DATE_INTRODUCTION": "05/11/2026", **REGISTERED},
     "ASYLUM_PENDING"),
])
def test_a_held_back_committal_is_excluded_with_every_reason_that_applies(inbox, claim, first):
    """§5: "reason_code is the first by one fixed, documented order, and every other one
    that applies is in other_reasons" (a protection before SOURCE_ROW_QUARANTINED,
    docs/reason_order.md). The refugee (or first re-examination registered) is held back
    on the releases list by a quarantined row of the establishment's latest list (DQ-01):
    excluded for the protection, the quarantined row among the other reasons, as on the
    rejected list."""
    inbox.telemofpra(FINAL_LIST)
    inbox.telemofpra(date(2026, 11, 13), NUM_OFPRA="OF20260000002", **claim)
    with_ban(inbox)
    inbox.genesis(RUN, row("genesis", NUM_ECROU="000102"),
                  row("genesis", ITF="DEFINITIVE", DATE_LIBERATION_PREVISIBLE="31/11/2026",
                      **KNOWN))
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("GENESIS_E01301_20261116.csv", 3)]
    assert out.reason(REJECTED) == first
    [held] = person_flags(out.excluded(RELEASES))
    assert (held["reason_code"], held["other_reasons"]) == (first, ["SOURCE_ROW_QUARANTINED"])


def second_file(inbox: Inbox, **overrides: str) -> Inbox:
    """The person's second AGDREF file, entered on another day: not merged, but searched
    for the person's protections on every list (its titles, status and claims hold them)."""
    return inbox.others().second_file(DATE_ENTREE_FRANCE="05/12/2024", **overrides)


def test_individual_assessment_read_on_a_second_file_searched(inbox):
    """OQ-04 ("the parent/spouse of a French national where AGDREF records it") and the
    Markers: the second file records a French spouse; the flag carries
    INDIVIDUAL_ASSESSMENT and cites that file's row."""
    second_file(inbox, LIEN_FAMILIAL_FRANCAIS="CONJOINT")
    out = inbox.telemofpra(FINAL_LIST).decide()
    assert out.con.execute(
        "SELECT count(DISTINCT person_key) FROM core.person_links WHERE record_key IN (?, ?)",
        [f"agdref:{PERSON}", f"agdref:{SECOND}"]).fetchall() == [(2,)]
    [flag] = person_flags(out.listed(REJECTED))
    assert "INDIVIDUAL_ASSESSMENT" in flag["markers"]
    assert "AGDREF_PERSONNES_13_20261116.csv:303" in flag["source_rows"]  # the second file


@pytest.mark.parametrize("worklist", [MEASURES, REJECTED])
def test_a_second_file_s_early_end_marks_every_flag_as_its_consular_ban_does(inbox, worklist):
    """RTR-06: "every flag of that person, on any of the three lists, carries the marker
    SUSPENSION_REQUEST_POSSIBLE". The second file's claim was rejected in the accelerated
    procedure as from a safe country (L531-24), notified, not final: its
    NO_CONSULAR_CONTACT (PRI-07) is carried on the person's flags, and so is the
    suspension marker of the same decision, with its rows."""
    inbox.telemofpra(FINAL_LIST)
    if worklist == MEASURES:  # on the rejected list the OQTF would be a measure in force
        inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    second_file(inbox).telemofpra(date(2026, 9, 11), NUM_OFPRA="OF20260000002",
                                  NUM_AGDREF=SECOND, NOM="DIALO", SENS_DECISION="REJET",
                                  FONDEMENT="L531-24", PROCEDURE="ACCELEREE",
                                  DATE_DEFINITIVE="")
    [flag] = person_flags(inbox.decide().listed(worklist))
    assert {"NO_CONSULAR_CONTACT", "SUSPENSION_REQUEST_POSSIBLE"} <= set(flag["markers"])
    assert "TELEMOFPRA_13_20260911.csv:2" in flag["source_rows"], flag["source_rows"]


# A claim in identity review against the person's file (a year of birth only): it may be
# theirs (PRI-07 reads it so: NO_CONSULAR_CONTACT).
IN_REVIEW = {"NUM_OFPRA": "OF20260000009", "NUM_AGDREF": "", "DATE_NAISSANCE": "00/00/1990"}


@pytest.mark.parametrize("worklist", [MEASURES, REJECTED, RELEASES])
def test_the_markers_of_a_claim_in_review_are_carried_on_every_list(inbox, worklist):
    """RTR-06: "every flag of that person, on any of the three lists, carries the marker
    SUSPENSION_REQUEST_POSSIBLE"; RTR-05 and the Markers paragraph: an ordonnance signed,
    not notified, marks EXECUTION_AFTER_NOTIFICATION "on every list where the person
    appears". A claim in review against the file gave its flags NO_CONSULAR_CONTACT but
    neither of the others (rules audit of 2026-12-07): an accelerated rejection on the
    safe-country ground (L531-24), notified, not final; on the rejected list, a CNDA
    ordonnance signed and not notified besides."""
    inbox.others()
    if worklist == REJECTED:
        inbox.telemofpra(FINAL_LIST)
        inbox.telemofpra(date(2026, 11, 13), **IN_REVIEW, ORGANE="CNDA", SENS_DECISION="REJET",
                         MODE_CNDA="ORDONNANCE", DATE_DECISION="01/11/2026",
                         DATE_NOTIFICATION="", DATE_DEFINITIVE="")
    elif worklist == MEASURES:
        inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    else:
        inbox.genesis(LIST, row("genesis", **KNOWN, ITF="DEFINITIVE"))
    if worklist != REJECTED:
        inbox.telemofpra(date(2026, 9, 11), **IN_REVIEW, SENS_DECISION="REJET",
                         FONDEMENT="L531-24", PROCEDURE="ACCELEREE", DATE_DEFINITIVE="")
    out = inbox.decide()
    assert out.con.execute("SELECT link_status FROM core.person_links WHERE record_key = "
                           "'telemofpra:OF20260000009'").fetchall() == [("REVIEW",)]
    [flag] = [f for f in out.listed(worklist) if f["num_agdref"] == PERSON]
    if worklist == REJECTED:  # the CNDA has decided: no claim awaits a decision
        assert "EXECUTION_AFTER_NOTIFICATION" in flag["markers"]
        assert "TELEMOFPRA_13_20261113.csv:2" in flag["source_rows"]
    else:
        assert {"NO_CONSULAR_CONTACT", "SUSPENSION_REQUEST_POSSIBLE"} <= set(flag["markers"])
        assert "TELEMOFPRA_13_20260911.csv:2" in flag["source_rows"]


# PRI-07 legal alerts, audit of 2026-12-07 (each failed before its change).

def alerts(out) -> list[tuple]:
    return out.con.sql("SELECT reason_code, measure_id, event_date FROM "
                       "worklists.legal_alerts ORDER BY alert_id").fetchall()


def test_pri_07_a_consular_request_about_a_refugee_whose_measure_row_is_quarantined(
        tmp_path, con):
    """RULES.md PRI-07: "A consular pass request (`DEMANDE_LAISSEZ_PASSER`) recorded while
    a person was in such a situation, or protected (RTR-10), is reported in
    `worklists.legal_alerts` with the reason `CONSULAR_CONTACT_FORBIDDEN`".

    The person is a refugee (OFPRA grant listed on 02/10/2026). On 01/11/2026 a consular
    pass is requested about his OQTF M01300000001. Tonight the OQTF's row in the latest
    MESURES extract is quarantined (an unknown SITUATION_NOTIFICATION). The night knows the
    measure and its file all the same: the measures list holds it back and excludes it
    PROTECTION_GRANTED (facts.quarantined_measures), and the alert reads the request under
    the file the held-back row names. Before, a request whose measure was not among
    tonight's staged measures was passed over: no alert."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.telemofpra(date(2026, 10, 2), SENS_DECISION="REFUGIE", DATE_DEFINITIVE="")
    inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026",
                  SITUATION_NOTIFICATION="PRISON")  # not a contract value: quarantined
    inbox.event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER", DATE_EVENEMENT="01/11/2026")
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("AGDREF_MESURES_13_20261116.csv", 2)]
    assert out.reason(MEASURES) == "PROTECTION_GRANTED"  # the measure is known to the night
    assert alerts(out) == [("CONSULAR_CONTACT_FORBIDDEN", "M01300000001", date(2026, 11, 1))]


def test_pri_07_a_request_registered_without_date_on_a_department_s_first_list(tmp_path, con):
    """RULES.md PRI-07: a consular pass request recorded while the person was "awaiting an
    OFPRA or CNDA decision" is reported (`CONSULAR_CONTACT_FORBIDDEN`); RTR-08: a first
    re-examination registered and undecided restores the RTR; principle 1 (missing data
    never shorten a protection).

    The department's first TélémOfpra list in the warehouse (06/11/2026) shows the
    person's final rejection and a first re-examination registered at OFPRA with no
    DATE_INTRODUCTION. The lists read such a request as possibly registered "any day"
    when no list of its department came before (rights.earliest_registration: "None: no
    such list, any day"). A consular pass was requested on 03/11/2026, when the request may
    already have been awaiting OFPRA. Before, alerts.decision_on dropped the lists'
    reading when no earlier list existed and dated the request
    from 06/11, and the request was not reported. It is now: the request may have been
    registered any day."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.telemofpra(date(2026, 11, 6))  # rejection notified 07/09, final 09/10/2026
    inbox.telemofpra(date(2026, 11, 6), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="",
                     **REGISTERED)
    inbox.measure(DATE_DECISION="20/10/2026", DATE_NOTIFICATION="22/10/2026")
    inbox.event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER", DATE_EVENEMENT="03/11/2026")
    out = inbox.decide()
    assert alerts(out) == [("CONSULAR_CONTACT_FORBIDDEN", "M01300000001", date(2026, 11, 3))]

