"""Second wave of rule scenarios, written from RULES.md (amended) and docs/contracts.md alone,
independently of the implementation: registered re-examinations (RTR-08), quarantined
source rows (DQ-01), the markers of §5, legal alerts (PRI-07), source freshness and the
detention history (PRI-01, EX-04), unidentified detainees (PRI-09), EU citizens with a
judicial ban (PRI-10), the boundary readings of RULES.md's last paragraph, the optional
ETAT_MEMBRE column and the UNCHANGED delivery.

Where the text allows two readings, the test takes the one that never shortens a
protection (RULES principle 1) and says so in its docstring. Every scenario is decided as
of RUN (16/11/2026) unless it says otherwise. The builders' default person is a Guinean
adult (AGDREF 0123456789, DIALLO MAMADOU) whose OFPRA rejection was notified on
07/09/2026 and reported final (DATE_DEFINITIVE 09/10/2026) in the list of 09/10/2026."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from schemas.codes import MEASURES, REJECTED, RELEASES
from schemas.sources import SOURCE_MODELS
from tests.builders import row
from tests.scenarios import PERSON, RUN, Inbox, Outcome, fr, someone

FINAL_LIST = date(2026, 10, 9)
LIST = date(2026, 11, 12)  # a GENESIS list 4 days old on RUN
KNOWN = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}
GENESIS_KEY = "genesis:E01301:000101"
# A request registered at OFPRA, not decided (CONTRACTS §1.1): the six decision fields empty.
REGISTERED = {"SENS_DECISION": "", "FONDEMENT": "", "DATE_DECISION": "", "MODE_CNDA": "",
              "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}
# Early end (RTR-06) by inadmissibility L531-32-2, notified 07/09/2026, shown on 11/09.
EARLY_END = {"SENS_DECISION": "IRRECEVABILITE", "FONDEMENT": "L531-32-2",
             "DATE_DEFINITIVE": ""}
EARLY_LIST = date(2026, 9, 11)
# A closure (RTR-07) decided 05/01/2026, notified 12/01/2026: the window ends 12/10/2026.
CLOSURE = {"SENS_DECISION": "CLOTURE", "FONDEMENT": "L531-37", "DATE_DECISION": "05/01/2026",
           "DATE_NOTIFICATION": "12/01/2026", "DATE_DEFINITIVE": ""}
CLOSURE_LIST = date(2026, 1, 16)
OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}
DUBLIN = {"TYPE_MESURE": "TRANSFERT_DUBLIN", "FONDEMENT": "L572-1", "DELAI_DEPART_JOURS": ""}


def detainee(**overrides: str) -> dict:
    return row("genesis", **overrides)


def of_person(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["num_agdref"] == PERSON or r["person_key"] == GENESIS_KEY]


def reasons(excluded: dict) -> set[str]:
    return {excluded["reason_code"], *(excluded.get("other_reasons") or [])}


def table(out: Outcome, name: str) -> list[dict]:
    return out.con.sql(f"SELECT * FROM {name}").pl().to_dicts()  # noqa: S608


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


@pytest.fixture
def bare(tmp_path, con) -> Inbox:
    """An inbox without any AGDREF file."""
    return Inbox(tmp_path / "inbox", con)


# ---------------------------------------------------------------- 1. RTR-08 requests


def rejected_then_requested(inbox: Inbox, claim_type: str) -> Inbox:
    inbox.telemofpra(FINAL_LIST)
    return inbox.telemofpra(date(2026, 11, 13), TYPE_DEMANDE=claim_type,
                            DATE_INTRODUCTION="05/11/2026", **REGISTERED)


def test_rtr_08_registered_first_reexamination_is_staged_and_protects(inbox):
    """RTR-08 + CONTRACTS §1.1: a REEXAMEN row with the six decision fields empty is a
    valid row (staged, not quarantined) and restores the RTR: ASYLUM_PENDING, citing
    the request's row."""
    out = rejected_then_requested(inbox, "REEXAMEN").decide(allow_quarantine=True)
    assert out.quarantined() == []
    staged = out.con.execute("SELECT rows_staged FROM audit.files WHERE file_name = ?",
                             ["TELEMOFPRA_13_20261113.csv"]).fetchall()
    assert staged == [(1,)]
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "ASYLUM_PENDING"
    assert "RTR-08" in excluded["rule_ids"]
    assert "TELEMOFPRA_13_20261113.csv:2" in excluded["source_rows"]


def test_rtr_08_detainee_with_a_ban_and_a_registered_reexamination_is_not_removable(inbox):
    """RTR-08 + RTR-02: the judicial ITF cannot be executed while the restored RTR runs;
    the detainee is excluded (ASYLUM_PENDING), never ENFORCEABLE_MEASURE."""
    rejected_then_requested(inbox, "REEXAMEN")
    inbox.genesis(LIST, detainee(ITF="DEFINITIVE", **KNOWN))
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == []
    assert not of_person(out.listed(RELEASES))
    excluded = of_person(out.excluded(RELEASES))
    assert len(excluded) == 1 and excluded[0]["reason_code"] == "ASYLUM_PENDING"


def test_rtr_08_registered_second_reexamination_gives_no_right_to_remain(inbox):
    """RTR-08 / RTR-06: a REEXAMEN_MULTIPLE gives no RTR, so the person stays listed with
    the first claim's dates. Its row is valid (staged). Reading (principle 1, PRI-07): the
    person's latest claim awaits an OFPRA decision, so the flag carries
    NO_CONSULAR_CONTACT."""
    out = rejected_then_requested(inbox, "REEXAMEN_MULTIPLE").decide(allow_quarantine=True)
    assert out.quarantined() == []
    flag = out.only_listed(REJECTED)
    assert flag["reason"] == "NO_MEASURE"
    assert flag["rtr_end_date"] == date(2026, 9, 7)
    assert flag["knowledge_date"] == FINAL_LIST
    assert "NO_CONSULAR_CONTACT" in flag["markers"]


@pytest.mark.parametrize(("introduced", "listed_on"), [
    (date(2026, 10, 1), date(2026, 10, 2)),   # within the 9-month window (ends 12/10/2026)
    (date(2026, 11, 2), date(2026, 11, 6)),   # after it: a first re-examination
])
def test_rtr_08_reopening_request_protects_within_and_after_the_window(
        inbox, introduced, listed_on):
    """RTR-07: a reopening within 9 months of the closure restores the RTR; RTR-08: after
    the window it is read as a re-examination request, here the first (the person's only
    earlier claim is the closed PREMIERE), which also restores the RTR. Without the
    request the closure would be listed on RUN (its window ended on 12/10/2026)."""
    inbox.telemofpra(CLOSURE_LIST, **CLOSURE)
    inbox.telemofpra(listed_on, TYPE_DEMANDE="REOUVERTURE", DATE_INTRODUCTION=fr(introduced),
                     **REGISTERED)
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == []
    excluded = out.only_excluded(REJECTED)
    assert "ASYLUM_PENDING" in reasons(excluded)


def test_rtr_08_late_reopening_after_a_first_reexamination_gives_no_right_to_remain(inbox):
    """RTR-08: a REOUVERTURE after the window, by a person who already had a first claim
    and a first re-examination (the one closed), is a second re-examination: no RTR, the
    person is listed (the closure's window ended on 12/10/2026)."""
    inbox.telemofpra(date(2025, 6, 6), DATE_DECISION="01/04/2025",
                     DATE_NOTIFICATION="04/04/2025", DATE_DEFINITIVE="05/05/2025")
    inbox.telemofpra(CLOSURE_LIST, TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="01/09/2025",
                     **CLOSURE)
    inbox.telemofpra(date(2026, 11, 6), TYPE_DEMANDE="REOUVERTURE",
                     DATE_INTRODUCTION="02/11/2026", **REGISTERED)
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == []
    assert out.only_listed(REJECTED)["num_agdref"] == PERSON


# ----------------------------------------------------------- 2. DQ-01 quarantined rows

BAD_ADA = {"TYPE_TITRE": "ADA", "DATE_DEBUT": "01/11/2026", "DATE_FIN": "31/04/2027",
           "STATUT": "VALIDE"}  # 31 April: not a calendar day, the row is quarantined


@pytest.mark.parametrize("worklist", [REJECTED, MEASURES])
def test_dq_01_quarantined_agdref_row_naming_the_person_holds_them(inbox, worklist):
    """DQ-01: a quarantined TITRES row carrying the person's well-formed number, in a
    snapshot of RUN (on/after every file that lists them), excludes the person with
    SOURCE_ROW_QUARANTINED, citing the quarantined row."""
    if worklist == REJECTED:
        inbox.telemofpra(FINAL_LIST)
    else:
        inbox.measure(**OLD_ENOUGH)
    out = inbox.title(**BAD_ADA).decide(allow_quarantine=True)
    assert out.quarantined() == [("AGDREF_TITRES_13_20261116.csv", 2)]
    excluded = out.only_excluded(worklist)
    assert excluded["reason_code"] == "SOURCE_ROW_QUARANTINED"
    assert excluded["num_agdref"] == PERSON
    assert "AGDREF_TITRES_13_20261116.csv:2" in excluded["source_rows"]
    assert "DQ-01" in excluded["rule_ids"]


def test_dq_01_quarantined_row_with_a_malformed_number_changes_nothing(inbox):
    """DQ-01 names a person only through a well-formed AGDREF number: '01234' names
    nobody, the person stays listed."""
    inbox.telemofpra(FINAL_LIST).title(NUM_AGDREF="01234", **BAD_ADA)
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("AGDREF_TITRES_13_20261116.csv", 2)]
    assert out.only_listed(REJECTED)["reason"] == "NO_MEASURE"


def test_dq_01_quarantined_row_older_than_the_listing_files_changes_nothing(inbox):
    """DQ-01: the quarantined TélémOfpra row (list of 04/09/2026) is older than every
    file whose rows list the person (09/10/2026 list, AGDREF snapshot of 16/11/2026)."""
    inbox.telemofpra(date(2026, 9, 4), DATE_NOTIFICATION="31/09/2026", DATE_DEFINITIVE="")
    out = inbox.telemofpra(FINAL_LIST).decide(allow_quarantine=True)
    assert out.quarantined() == [("TELEMOFPRA_13_20260904.csv", 2)]
    assert out.only_listed(REJECTED)["knowledge_date"] == FINAL_LIST


def on_every_list(inbox: Inbox) -> Inbox:
    """The default person with an enforceable OQTF (measures list) and in detention with
    a judicial ban (releases list)."""
    inbox.measure(DATE_DECISION="15/09/2026", DATE_NOTIFICATION="16/09/2026",
                  SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    return inbox.genesis(LIST, row("genesis", ITF="DEFINITIVE", **KNOWN))


@pytest.mark.parametrize("worklist", [REJECTED, MEASURES, RELEASES])
def test_dq_01_quarantined_telemofpra_row_with_the_ofpra_number_holds_the_person(
        inbox, worklist):
    """DQ-01, on every list: a quarantined row of the list of RUN carrying only the OFPRA
    number of the person's staged claim (no AGDREF number) names them."""
    on_every_list(inbox.telemofpra(FINAL_LIST))
    inbox.telemofpra(RUN, NUM_AGDREF="", DATE_NOTIFICATION="31/09/2026", DATE_DEFINITIVE="")
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("TELEMOFPRA_13_20261116.csv", 2)]
    excluded = out.only_excluded(worklist)
    assert excluded["reason_code"] == "SOURCE_ROW_QUARANTINED"
    assert "TELEMOFPRA_13_20261116.csv:2" in excluded["source_rows"]


def test_dq_01_quarantined_row_without_any_number_names_the_person_by_identity(inbox):
    """DQ-01 read by principle 1: the registered re-examination that protects the person
    (RTR-08) lost its OFPRA number and gives no AGDREF number, so it is quarantined and
    names nobody by number; its surname, given names and birth date are those of the
    AGDREF file: the person waits, excluded with SOURCE_ROW_QUARANTINED, citing the row."""
    inbox.telemofpra(FINAL_LIST)
    inbox.telemofpra(RUN, NUM_OFPRA="", NUM_AGDREF="", TYPE_DEMANDE="REEXAMEN",
                     DATE_INTRODUCTION="02/11/2026", **REGISTERED)
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("TELEMOFPRA_13_20261116.csv", 2)]
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "SOURCE_ROW_QUARANTINED"
    assert "TELEMOFPRA_13_20261116.csv:2" in excluded["source_rows"]
    assert "DQ-01" in excluded["rule_ids"]


def test_dq_01_quarantined_row_of_someone_else_changes_nothing(inbox):
    """A quarantined row without any number whose identity is another person's (another
    surname) names nobody here: the person stays listed."""
    inbox.telemofpra(FINAL_LIST)
    inbox.telemofpra(RUN, NUM_OFPRA="", NUM_AGDREF="", NOM="OUEDRAOGO",
                     TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="02/11/2026", **REGISTERED)
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("TELEMOFPRA_13_20261116.csv", 2)]
    assert out.only_listed(REJECTED)["num_agdref"] == PERSON


@pytest.mark.parametrize(("final", "listed"), [("", False), ("02/11/2026", True)])
def test_a_record_in_identity_review_with_a_running_claim_holds_the_measure(
        inbox, final, listed):
    """Principle 1: a TélémOfpra record still in identity review against the file (only
    the birth year known: REVIEW, WEAK_BIRTH_DATE) whose claim is not finally decided
    may be the person the measure concerns: the measure waits, IDENTITY_CONFLICT, until
    an agent decides the pair. Once the claim's end is final, the measure is listed."""
    inbox.others().measure(**OLD_ENOUGH)
    inbox.telemofpra(date(2026, 11, 13), NUM_AGDREF="", DATE_NAISSANCE="00/00/1990",
                     DATE_DEFINITIVE=final)
    out = inbox.decide()
    if listed:
        assert out.only_listed(MEASURES)["num_agdref"] == PERSON
        return
    excluded = out.only_excluded(MEASURES)
    assert excluded["reason_code"] == "IDENTITY_CONFLICT"
    assert any(r.startswith("TELEMOFPRA_13_") for r in excluded["source_rows"])


def test_dq_01_quarantined_genesis_row_with_the_committal_number_holds_the_detainee(inbox):
    """DQ-01: the latest list of the establishment (16/11) names committal 000101 in a
    quarantined row (release date 31/11/2026); the 12/11 list would list the detainee
    (judicial ITF). Reading (principle 1): the detainee is not silently dropped as
    'left' but excluded with SOURCE_ROW_QUARANTINED, citing the quarantined row."""
    inbox.genesis(LIST, detainee(ITF="DEFINITIVE", **KNOWN))
    inbox.genesis(RUN, detainee(NUM_ECROU="000102"),
                  detainee(ITF="DEFINITIVE", DATE_LIBERATION_PREVISIBLE="31/11/2026", **KNOWN))
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("GENESIS_E01301_20261116.csv", 3)]
    assert not of_person(out.listed(RELEASES))
    excluded = of_person(out.excluded(RELEASES))
    assert len(excluded) == 1
    assert excluded[0]["reason_code"] == "SOURCE_ROW_QUARANTINED"
    assert "GENESIS_E01301_20261116.csv:3" in excluded[0]["source_rows"]


# ------------------------------------------------------------------ 3. "without OQTF"


@pytest.mark.parametrize(("ban", "listed"), [("TEMPORAIRE", False), ("NON", True)])
def test_judicial_ban_in_the_latest_genesis_list_counts_as_a_measure(inbox, ban, listed):
    """§2 'Who is without OQTF': a judicial ITF recorded only in the latest GENESIS list of
    the establishment holding the person (the earlier list said NON) is a measure: the
    person is not listed NO_MEASURE. Without a ban they are listed NO_MEASURE."""
    inbox.telemofpra(FINAL_LIST)
    inbox.genesis(date(2026, 10, 29), detainee(**KNOWN))
    inbox.genesis(LIST, detainee(ITF=ban, **KNOWN))
    out = inbox.decide()
    if listed:
        assert out.only_listed(REJECTED)["reason"] == "NO_MEASURE"
    else:
        assert not out.listed(REJECTED)
        assert out.reason(REJECTED) == "MEASURE_IN_FORCE"


# --------------------------------------------------------------------------- 4. markers


def everything_of_a_person_with_an_early_end(inbox: Inbox, outcome: str, basis: str,
                                             procedure: str) -> Outcome:
    """Early end notified 07/09, an OQTF decided after it (enforceable since 23/09) and a
    detainee's judicial ban: the person appears on the releases and the measures lists."""
    inbox.telemofpra(EARLY_LIST, SENS_DECISION=outcome, FONDEMENT=basis, PROCEDURE=procedure,
                     DATE_DEFINITIVE="")
    inbox.measure(DATE_DECISION="15/09/2026", DATE_NOTIFICATION="16/09/2026",
                  SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    return inbox.genesis(LIST, detainee(ITF="DEFINITIVE", **KNOWN)).decide()


@pytest.mark.parametrize(("outcome", "basis", "procedure"), [
    ("IRRECEVABILITE", "L531-32-3", "NORMALE"),
    ("REJET", "L753-5", "ACCELEREE"),
    ("REJET", "L531-24", "ACCELEREE"),
    ("REJET", "L531-27-5", "ACCELEREE"),
])
def test_rtr_06_suspension_marker_on_every_list_releases_included(
        inbox, outcome, basis, procedure):
    """RTR-06 / L. 542-6: in the cases L531-32 3°, L753-5, L531-24 and L531-27 5°
    (accelerated) every flag of the person, on any list, carries
    SUSPENSION_REQUEST_POSSIBLE."""
    out = everything_of_a_person_with_an_early_end(inbox, outcome, basis, procedure)
    releases, measures = of_person(out.listed(RELEASES)), of_person(out.listed(MEASURES))
    assert releases and measures
    for flag in releases + measures + of_person(out.listed(REJECTED)):
        assert "SUSPENSION_REQUEST_POSSIBLE" in flag["markers"], flag
        assert "RTR-06" in flag["rule_ids"], flag


def test_rtr_06_no_suspension_marker_for_other_inadmissibilities(inbox):
    """RTR-06: L531-32 1° is an early end without the L. 542-6 suspension request."""
    out = everything_of_a_person_with_an_early_end(inbox, "IRRECEVABILITE", "L531-32-1",
                                                   "NORMALE")
    releases = of_person(out.listed(RELEASES))
    assert len(releases) == 1
    assert "SUSPENSION_REQUEST_POSSIBLE" not in releases[0]["markers"]


@pytest.mark.parametrize(("later", "marked"), [
    (None, True),  # early end, no CNDA decision, no DATE_DEFINITIVE: may await the CNDA
    ({"ORGANE": "CNDA", "MODE_CNDA": "AUDIENCE", "SENS_DECISION": "REJET", "FONDEMENT": "",
      "DATE_DECISION": "20/10/2026", "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}, False),
    ({**EARLY_END, "DATE_DEFINITIVE": "09/10/2026"}, False),  # reported final: no appeal
])
def test_pri_07_no_consular_contact_while_the_cnda_may_still_decide(inbox, later, marked):
    """PRI-07: an RTR ended early (RTR-06) with no CNDA decision and no DATE_DEFINITIVE
    yet: the claim may still await a decision, NO_CONSULAR_CONTACT. A CNDA decision or a
    DATE_DEFINITIVE on that claim lifts it."""
    inbox.telemofpra(EARLY_LIST, **EARLY_END)
    if later:
        inbox.telemofpra(date(2026, 10, 30), **later)
    flag = inbox.decide().only_listed(REJECTED)
    assert ("NO_CONSULAR_CONTACT" in flag["markers"]) is marked
    if marked:
        assert "PRI-07" in flag["rule_ids"]


def test_pri_07_withdrawal_is_not_marked_no_consular_contact(inbox):
    """PRI-07: the early end by withdrawal (RETRAIT, L531-36) is excepted."""
    inbox.telemofpra(EARLY_LIST, SENS_DECISION="RETRAIT", FONDEMENT="", DATE_DEFINITIVE="")
    assert "NO_CONSULAR_CONTACT" not in inbox.decide().only_listed(REJECTED)["markers"]


CNDA = {"ORGANE": "CNDA", "FONDEMENT": "", "DATE_DEFINITIVE": ""}


DOCUMENTS_CASES = [
    (FINAL_LIST, {}, True),  # RTR-03 with DATE_DEFINITIVE
    (date(2026, 10, 30), {**CNDA, "MODE_CNDA": "AUDIENCE", "DATE_DECISION": "20/10/2026",
                          "DATE_NOTIFICATION": ""}, True),  # RTR-04
    (date(2026, 11, 13), {**CNDA, "MODE_CNDA": "ORDONNANCE", "DATE_DECISION": "10/11/2026",
                          "DATE_NOTIFICATION": "12/11/2026"}, True),  # RTR-05 notified
    (date(2026, 11, 13), {**CNDA, "MODE_CNDA": "ORDONNANCE", "DATE_DECISION": "10/11/2026",
                          "DATE_NOTIFICATION": ""}, False),  # RTR-05 not yet notified
    (EARLY_LIST, EARLY_END, False),  # RTR-06 early end, not final
    # a withdrawal or a closure reported final is no rejection
    (FINAL_LIST, {"SENS_DECISION": "RETRAIT", "FONDEMENT": ""}, False),
    (FINAL_LIST, {"SENS_DECISION": "CLOTURE", "FONDEMENT": "L531-37",
                  "DATE_DECISION": "05/01/2026", "DATE_NOTIFICATION": "12/01/2026",
                  "DATE_DEFINITIVE": "13/02/2026"}, False),
]


def test_ofpra_documents_requestable_only_for_a_final_rejection(bare):
    """Markers table: OFPRA_DOCUMENTS_REQUESTABLE when the rejection is final (RTR-03 with
    DATE_DEFINITIVE, RTR-04, RTR-05 notified); never for a signed, not notified
    ordonnance nor an early end, a withdrawal or a closure. One claimant per case."""
    for n, (list_date, decision, _) in enumerate(DOCUMENTS_CASES):
        bare.person(**someone(n)).telemofpra(list_date, **someone(n), **decision,
                                              NUM_OFPRA=f"OF2025{n:07d}")
    flags = {f["num_agdref"]: f for f in bare.decide().listed(REJECTED)}
    for n, (_, decision, marked) in enumerate(DOCUMENTS_CASES):
        flag = flags[someone(n)["NUM_AGDREF"]]
        assert ("OFPRA_DOCUMENTS_REQUESTABLE" in flag["markers"]) is marked, decision


@pytest.mark.parametrize(("list_date", "stale"), [
    (date(2026, 10, 30), True),   # 17 days old on RUN: more than 16
    (date(2026, 10, 31), False),  # 16 days old
])
def test_pri_01_stale_prison_list_marker(bare, list_date, stale):
    """PRI-01: an establishment whose latest list is more than 16 days older than the run
    date: its rows carry STALE_PRISON_LIST and the run reports it late."""
    out = bare.genesis(list_date, detainee()).decide()
    flag = out.only_listed(RELEASES)
    assert ("STALE_PRISON_LIST" in flag["markers"]) is stale
    late = [(r["latest_file_date"], r["days_old"], r["is_late"])
            for r in table(out, "audit.source_freshness")
            if r["system"] == "genesis" and "E01301" in r["unit"]]
    assert late == [(list_date, (RUN - list_date).days, stale)]


@pytest.mark.parametrize(("release", "due"), [
    (date(2026, 11, 23), True),   # 7 days away
    (date(2026, 11, 24), False),  # 8 days away
])
def test_pri_05_prison_answer_due_within_seven_days(bare, release, due):
    """PRI-05: a listed detainee without recorded answer whose release is at most 7 days
    away carries PRISON_ANSWER_DUE."""
    out = bare.genesis(LIST, detainee(DATE_LIBERATION_PREVISIBLE=fr(release))).decide()
    flag = out.only_listed(RELEASES)
    assert flag["release_date"] == release
    assert ("PRISON_ANSWER_DUE" in flag["markers"]) is due
    if due:
        assert "PRI-05" in flag["rule_ids"]


# ---------------------------------------------------------------- 5. PRI-07 legal alerts


def consular_request_on(inbox: Inbox, day: date) -> Inbox:
    """Early end notified 07/09 (no DATE_DEFINITIVE), CNDA rejection read on 20/10, an
    OQTF of 15/09, and a consular pass request on `day`."""
    inbox.telemofpra(EARLY_LIST, **EARLY_END)
    inbox.telemofpra(date(2026, 10, 30), **CNDA, MODE_CNDA="AUDIENCE", SENS_DECISION="REJET",
                     DATE_DECISION="20/10/2026", DATE_NOTIFICATION="")
    inbox.measure(DATE_DECISION="15/09/2026", DATE_NOTIFICATION="16/09/2026")
    return inbox.event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER", DATE_EVENEMENT=fr(day))


def test_pri_07_consular_request_while_the_cnda_had_not_decided_is_a_legal_alert(inbox):
    """PRI-07: a DEMANDE_LAISSEZ_PASSER dated 01/10/2026, when the RTR had ended early and
    the CNDA had not yet decided (it read its rejection on 20/10): one alert
    CONSULAR_CONTACT_FORBIDDEN, whose alert_id and first_seen_date do not change on the
    next run."""
    out = consular_request_on(inbox, date(2026, 10, 1)).decide()
    alerts = table(out, "worklists.legal_alerts")
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert["reason_code"] == "CONSULAR_CONTACT_FORBIDDEN"
    assert "PRI-07" in alert["rule_ids"]
    assert alert["num_agdref"] == PERSON and alert["department"] == "13"
    assert alert["measure_id"] == "M01300000001"
    assert alert["event_date"] == date(2026, 10, 1)
    assert "AGDREF_EVENEMENTS_13_20261116.csv:2" in alert["source_rows"]
    assert alert["first_seen_date"] == RUN
    again = table(inbox.decide(date(2026, 11, 17)), "worklists.legal_alerts")
    assert [(a["alert_id"], a["first_seen_date"]) for a in again] == [
        (alert["alert_id"], RUN)]


def test_pri_07_consular_request_after_the_rejection_became_final_is_no_alert(inbox):
    """PRI-07: the same request dated 05/11/2026, after the CNDA's reading of 20/10."""
    out = consular_request_on(inbox, date(2026, 11, 5)).decide()
    assert table(out, "worklists.legal_alerts") == []


def test_pri_07_consular_request_about_a_refugee_is_a_legal_alert(inbox):
    """PRI-07 / RTR-10: a consular pass request recorded while the person is protected."""
    inbox.telemofpra(date(2026, 10, 2), SENS_DECISION="REFUGIE", DATE_DEFINITIVE="")
    inbox.measure(**OLD_ENOUGH).event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER",
                                      DATE_EVENEMENT="01/11/2026")
    alerts = table(inbox.decide(), "worklists.legal_alerts")
    assert [(a["reason_code"], a["num_agdref"]) for a in alerts] == [
        ("CONSULAR_CONTACT_FORBIDDEN", PERSON)]


# ------------------------------------------- 6. PRI-01 freshness and history, EX-04


def test_pri_01_source_freshness_per_unit_with_each_systems_limit(bare):
    """PRI-01: one row per unit (TélémOfpra department, GENESIS establishment, AGDREF
    department and table); late after 8 days (TélémOfpra), 16 (GENESIS), 2 (AGDREF)."""
    bare.telemofpra(date(2026, 11, 8))  # 8 days
    bare.telemofpra_in("83", date(2026, 11, 7), NUM_OFPRA="OF20250000002", NUM_AGDREF="",
                       NOM="KONE", PRENOMS="AWA", SEXE="F", DEPT_DOMICILIATION="83")  # 9
    bare.genesis(date(2026, 10, 31), detainee())  # 16 days
    bare.genesis(date(2026, 10, 30), detainee(CODE_ETABLISSEMENT="E01302", NUM_ECROU="000201"),
                 establishment="E01302")  # 17 days
    bare.agdref("PERSONNES", date(2026, 11, 14))  # 2 days
    bare.agdref("MESURES", date(2026, 11, 13))  # 3 days
    rows = table(bare.decide(), "audit.source_freshness")

    def unit(system: str, *parts: str) -> tuple:
        found = [r for r in rows if r["system"] == system
                 and all(p in r["unit"] for p in parts)]
        assert len(found) == 1, (system, parts, rows)
        assert found[0]["run_id"]
        return found[0]["latest_file_date"], found[0]["days_old"], found[0]["is_late"]

    assert unit("telemofpra", "13") == (date(2026, 11, 8), 8, False)
    assert unit("telemofpra", "83") == (date(2026, 11, 7), 9, True)
    assert unit("genesis", "E01301") == (date(2026, 10, 31), 16, False)
    assert unit("genesis", "E01302") == (date(2026, 10, 30), 17, True)
    assert unit("agdref", "13", "PERSONNES") == (date(2026, 11, 14), 2, False)
    assert unit("agdref", "13", "MESURES") == (date(2026, 11, 13), 3, True)


def test_pri_01_detention_history_keeps_a_committal_that_left_the_latest_list(bare):
    """PRI-01: every committal ever seen stays in core.detention_history, with the last
    list that showed it; the latest list alone decides who is listed."""
    bare.genesis(date(2026, 10, 29), detainee(), detainee(NUM_ECROU="000102"))
    out = bare.genesis(LIST, detainee()).decide()
    assert [f["person_key"] for f in out.listed(RELEASES)] == [GENESIS_KEY]
    history = table(out, "core.detention_history")
    left = [r for r in history if any("000102" in str(v) for v in r.values())]
    stays = [r for r in history if any("000101" in str(v) for v in r.values())]
    assert len(left) == 1 and date(2026, 10, 29) in left[0].values()
    assert len(stays) == 1 and LIST in stays[0].values()


def dublin_accepted(inbox: Inbox, accepted: date) -> Inbox:
    return inbox.measure(**DUBLIN, DATE_ACCORD_ETAT_MEMBRE=fr(accepted),
                         DATE_DECISION=fr(accepted), DATE_NOTIFICATION=fr(accepted))


@pytest.mark.parametrize("held", [True, False])
def test_ex_04_imprisonment_since_acceptance_found_in_the_detention_history(inbox, held):
    """EX-04: acceptance 8 months ago (16/03/2026). Held on 01/06/2026 (an earlier GENESIS
    list; the establishment's latest list no longer shows them): 12 months, still listed.
    Never held: 6 months, DUBLIN_DEADLINE_EXPIRED."""
    dublin_accepted(inbox, date(2026, 3, 16))
    if held:
        inbox.genesis(date(2026, 6, 1), detainee(NUM_ECROU="000555", **KNOWN))
        inbox.genesis(LIST, detainee())  # someone else
    out = inbox.decide()
    if held:
        flag = out.only_listed(MEASURES)
        assert "EX-04" in flag["rule_ids"] and not flag["in_detention"]
    else:
        excluded = out.only_excluded(MEASURES)
        assert excluded["reason_code"] == "DUBLIN_DEADLINE_EXPIRED"


def test_ex_04_transfer_still_possible_on_the_six_month_anniversary(inbox):
    """EX-04 (Reg. 1182/71 art. 3): accepted 17/05/2026, the transfer may still be carried
    out on 17/11/2026; from 18/11/2026 it is DUBLIN_DEADLINE_EXPIRED."""
    dublin_accepted(inbox, date(2026, 5, 17))
    assert inbox.decide(date(2026, 11, 17)).only_listed(MEASURES)["measure_type"] == (
        "TRANSFERT_DUBLIN")
    assert inbox.decide(date(2026, 11, 18)).reason(MEASURES) == "DUBLIN_DEADLINE_EXPIRED"


# ------------------------------------------------------------------------- 7. PRI-09


def test_pri_09_unlinked_remand_prisoner_is_listed_to_confirm_identity(bare):
    """PRI-09: a remand prisoner on the latest list, tied to no AGDREF file, is listed
    IDENTITY_TO_CONFIRM with no release date and no window start."""
    out = bare.genesis(LIST, detainee(CATEGORIE_PENALE="PREVENU", QUANTUM_TOTAL_JOURS="",
                                      DATE_LIBERATION_PREVISIBLE="")).decide()
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM" and flag["person_key"] == GENESIS_KEY
    assert flag["release_date"] is None and flag["window_start_date"] is None
    assert "PRI-09" in flag["rule_ids"]


def test_pri_09_identified_remand_prisoner_is_not_listed(inbox):
    """PRI-02: once identified, a remand prisoner has no release to plan."""
    out = inbox.genesis(LIST, detainee(CATEGORIE_PENALE="PREVENU", QUANTUM_TOTAL_JOURS="",
                                       DATE_LIBERATION_PREVISIBLE="", **KNOWN)).decide()
    assert out.reason(RELEASES) == "NOT_SENTENCED"


def test_pri_09_unlinked_detainee_released_in_two_years_is_listed(bare):
    """PRI-09: identity is established during detention, whatever the release date."""
    out = bare.genesis(LIST, detainee(QUANTUM_TOTAL_JOURS="1500",
                                      DATE_LIBERATION_PREVISIBLE="16/11/2028")).decide()
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM"
    assert flag["release_date"] == date(2028, 11, 16)
    assert "PRI-09" in flag["rule_ids"]


# ------------------------------------------------------------------------- 8. PRI-10


@pytest.mark.parametrize("recorded_in", ["GENESIS", "AGDREF"])
def test_pri_10_eu_detainee_with_a_judicial_ban_is_listed(tmp_path, con, recorded_in):
    """PRI-10: an EU national whose judicial ITF is recorded (GENESIS or AGDREF) is listed
    ENFORCEABLE_MEASURE with the marker EU_CITIZEN, not excluded."""
    inbox = Inbox(tmp_path / "inbox", con).person(NATIONALITE="ROU")
    ban = "DEFINITIVE" if recorded_in == "GENESIS" else "NON"
    if recorded_in == "AGDREF":
        inbox.measure(TYPE_MESURE="ITF", DELAI_DEPART_JOURS="", DATE_NOTIFICATION="",
                      DATE_DECISION="01/03/2025")
    inbox.genesis(LIST, detainee(**{**KNOWN, "NATIONALITE": "ROUMANIE", "ITF": ban}))
    flag = of_person(inbox.decide().listed(RELEASES))
    assert len(flag) == 1
    assert flag[0]["situation"] == "ENFORCEABLE_MEASURE"
    assert "EU_CITIZEN" in flag[0]["markers"] and "PRI-10" in flag[0]["rule_ids"]


def test_pri_10_eu_detainee_without_a_ban_stays_excluded(tmp_path, con):
    inbox = Inbox(tmp_path / "inbox", con).person(NATIONALITE="ROU")
    inbox.genesis(LIST, detainee(**{**KNOWN, "NATIONALITE": "ROUMANIE"}))
    assert inbox.decide().reason(RELEASES) == "EU_CITIZEN"


# ----------------------------------------------------------------------- 9. readings


def test_rtr_07_closure_window_includes_its_nine_month_anniversary(inbox):
    """RTR-07: closure decided and notified on 16/02/2026: the window includes 16/11/2026
    (CLOSURE_REOPENABLE on RUN); on 17/11/2026 the person is listed, known on the day
    after the window (17/11/2026), OQTF due 15 days later."""
    inbox.telemofpra(date(2026, 2, 20), **{**CLOSURE, "DATE_DECISION": "16/02/2026",
                                           "DATE_NOTIFICATION": "16/02/2026"})
    assert inbox.decide(RUN).reason(REJECTED) == "CLOSURE_REOPENABLE"
    flag = inbox.decide(date(2026, 11, 17)).only_listed(REJECTED)
    assert flag["knowledge_date"] == date(2026, 11, 17)
    assert flag["oqtf_due_date"] == date(2026, 12, 2)


def test_oq_02_knowledge_date_is_the_first_list_with_date_definitive(inbox):
    """OQ-02: the knowledge date is the list that first PROVED the end (first carrying
    DATE_DEFINITIVE, 16/10), neither the first list showing the decision (11/09) nor the
    DATE_DEFINITIVE itself (09/10), nor a later repetition (23/10)."""
    inbox.telemofpra(EARLY_LIST, DATE_DEFINITIVE="")
    inbox.telemofpra(date(2026, 10, 2), DATE_DEFINITIVE="")
    inbox.telemofpra(date(2026, 10, 16)).telemofpra(date(2026, 10, 23))
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 9, 7)
    assert flag["knowledge_date"] == date(2026, 10, 16)
    assert flag["oqtf_due_date"] == date(2026, 10, 31)


@pytest.mark.parametrize(("period", "enforceable"), [
    ("", date(2026, 2, 28)),    # no DDV: notification + 1 month (clamped)
    ("30", date(2026, 3, 2)),   # 30 days outlast the month
])
def test_oq_05_empty_departure_period_means_none_granted(inbox, period, enforceable):
    """OQ-05/OQ-07 (CONTRACTS §1.3): an empty DELAI_DEPART_JOURS means no DDV; at liberty,
    enforceable_from = notification + one month (OQ-06)."""
    inbox.measure(DATE_DECISION="31/01/2026", DATE_NOTIFICATION="31/01/2026",
                  SITUATION_NOTIFICATION="LIBRE", DELAI_DEPART_JOURS=period)
    assert inbox.decide().only_listed(MEASURES)["enforceable_from"] == enforceable


@pytest.mark.parametrize(("appeal", "reason"), [
    ("AUCUN", "NOT_YET_ENFORCEABLE"), ("", "NOT_YET_ENFORCEABLE"),
    ("EN_COURS", "APPEAL_PENDING"),
])
def test_oq_06_appeal_pending_only_for_a_recorded_challenge(inbox, appeal, reason):
    """§5: APPEAL_PENDING only when RECOURS = EN_COURS; while the challenge window runs
    with no challenge recorded, NOT_YET_ENFORCEABLE (notified at liberty on 17/10: the
    window runs until 16/11 inclusive)."""
    inbox.measure(DATE_DECISION="17/10/2026", DATE_NOTIFICATION="17/10/2026",
                  SITUATION_NOTIFICATION="LIBRE", DELAI_DEPART_JOURS="0", RECOURS=appeal)
    assert inbox.decide().reason(MEASURES) == reason


def test_oq_06_window_closed_without_challenge_is_enforceable(inbox):
    inbox.measure(DATE_DECISION="17/10/2026", DATE_NOTIFICATION="17/10/2026",
                  SITUATION_NOTIFICATION="LIBRE", DELAI_DEPART_JOURS="0", RECOURS="AUCUN")
    flag = inbox.decide(date(2026, 11, 17)).only_listed(MEASURES)
    assert flag["enforceable_from"] == date(2026, 11, 17)


def test_oq_03_born_on_29_february_is_adult_on_1_march(tmp_path, con):
    """RULES boundaries: born 29/02/2008, a minor on 28/02/2026, an adult on 01/03/2026
    (the reading that never shortens a minor's protection)."""
    born = "29/02/2008"
    inbox = Inbox(tmp_path / "inbox", con).agdref("PERSONNES", date(2026, 1, 20),
                                                  DATE_NAISSANCE=born)
    inbox.telemofpra(date(2026, 1, 16), DATE_NAISSANCE=born, DATE_DECISION="01/12/2025",
                     DATE_NOTIFICATION="03/12/2025", DATE_DEFINITIVE="10/01/2026")
    assert inbox.decide(date(2026, 2, 28)).reason(REJECTED) == "MINOR"
    assert inbox.decide(date(2026, 3, 1)).only_listed(REJECTED)["num_agdref"] == PERSON


@pytest.mark.parametrize(("sentence", "window_start"), [
    ("731", date(2026, 10, 15)),  # at most 731 days: 3 months before release
    ("732", date(2027, 1, 15)),   # longer: at release
])
def test_pri_03_two_years_is_731_days(bare, sentence, window_start):
    out = bare.genesis(LIST, detainee(QUANTUM_TOTAL_JOURS=sentence)).decide()
    flag = out.only_listed(RELEASES)
    assert flag["release_date"] == date(2027, 1, 15)
    assert flag["window_start_date"] == window_start


@pytest.mark.parametrize(("first", "latest"), [("13", "83"), ("83", "13")])
def test_latest_domicile_decides_the_department(inbox, first, latest):
    """RULES boundaries: when the domicile department differs between lists, the latest
    list decides; the knowledge date stays that of the first list proving the end."""
    inbox.telemofpra_in(first, FINAL_LIST, DEPT_DOMICILIATION=first)
    inbox.telemofpra_in(latest, date(2026, 10, 30), DEPT_DOMICILIATION=latest)
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["department"] == latest
    assert flag["knowledge_date"] == FINAL_LIST


def test_latest_domicile_is_that_of_a_latest_list_delivered_unchanged(inbox):
    """The latest list decides even when it is an earlier list delivered again, the same
    bytes under a later date (CONTRACTS §2, UNCHANGED: "it is that date's delivery"): 13's
    list of 23/10 repeats its list of 09/10, after 75's of 16/10. The flag goes to 13."""
    inbox.telemofpra_in("13", FINAL_LIST, DEPT_DOMICILIATION="13")
    inbox.telemofpra_in("75", date(2026, 10, 16), DEPT_DOMICILIATION="75")
    inbox.telemofpra_in("13", date(2026, 10, 23), DEPT_DOMICILIATION="13")
    out = inbox.decide()
    statuses = dict(out.con.execute("SELECT file_name, status FROM audit.files").fetchall())
    assert statuses["TELEMOFPRA_13_20261023.csv"] == "UNCHANGED"
    flag = out.only_listed(REJECTED)
    assert flag["department"] == "13"
    assert flag["knowledge_date"] == FINAL_LIST


# ---------------------------------------------------------------------- 10. ETAT_MEMBRE


def write_measures(inbox: Path, name: str, rows: list[dict], with_state: bool) -> None:
    """A MESURES file as AGDREF writes it, with or without the last column ETAT_MEMBRE
    (written by hand: the builders may not know the column)."""
    columns = [c for c in SOURCE_MODELS["agdref_mesures"].to_schema().columns
               if c != "ETAT_MEMBRE"] + (["ETAT_MEMBRE"] if with_state else [])
    path = inbox / "agdref" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter=";",
                                lineterminator="\r\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows({c: r.get(c, "") for c in columns} for r in rows)


HANDOVERS = [
    {**row("agdref_mesures", TYPE_MESURE="REMISE", DELAI_DEPART_JOURS="",
           DATE_ACCORD_ETAT_MEMBRE="25/02/2026", **OLD_ENOUGH), "ETAT_MEMBRE": "ITA"},
    {**row("agdref_mesures", ID_MESURE="M01300000002", DATE_ACCORD_ETAT_MEMBRE="15/08/2026",
           DATE_DECISION="20/08/2026", DATE_NOTIFICATION="22/08/2026", **DUBLIN),
     "ETAT_MEMBRE": "ESP"},
]
MEASURES_FILE = "AGDREF_MESURES_13_20261116.csv"


@pytest.mark.parametrize("with_state", [False, True])
def test_mesures_file_loads_with_or_without_the_member_state_column(inbox, with_state):
    """CONTRACTS §1.3: ETAT_MEMBRE is the last column; extracts without it are still
    valid. Either way the file is LOADED, no row quarantined, both handovers listed."""
    write_measures(inbox.folder, MEASURES_FILE, HANDOVERS, with_state)
    out = inbox.decide()
    files = out.con.execute("SELECT status, rows_staged, rows_quarantined FROM audit.files "
                            "WHERE file_name = ?", [MEASURES_FILE]).fetchall()
    assert files == [("LOADED", 2, 0)]
    assert sorted(f["measure_id"] for f in out.listed(MEASURES)) == [
        "M01300000001", "M01300000002"]


def test_handovers_mart_has_the_destination_state(inbox):
    """CONTRACTS §1.3: with ETAT_MEMBRE, marts.handovers_quarterly shows the State each
    handover goes to."""
    write_measures(inbox.folder, MEASURES_FILE, HANDOVERS, with_state=True)
    inbox.marts = True
    marts = table(inbox.decide(), "marts.handovers_quarterly")
    states = {v for r in marts for v in r.values() if isinstance(v, str)}
    assert {"ITA", "ESP"} <= states


# ------------------------------------------------------------------------ 11. UNCHANGED


def test_pri_01_unchanged_list_on_a_later_date_is_the_latest_list(bare):
    """PRI-01 / CONTRACTS §2: list of 17/10 (X, Y), of 01/11 (Y), of 16/11 the same bytes
    as 17/10: the 16/11 file is recorded UNCHANGED and is the latest list, so X is held
    and listed again."""
    x, y = detainee(), detainee(NUM_ECROU="000102", NOM="KONE", PRENOMS="ISSA")
    bare.genesis(date(2026, 10, 17), x, y).decide(date(2026, 10, 17))
    out = bare.genesis(date(2026, 11, 1), y).decide(date(2026, 11, 1))
    assert [f["person_key"] for f in out.listed(RELEASES)] == ["genesis:E01301:000102"]
    out = bare.genesis(RUN, x, y).decide(RUN)
    first = bare.folder / "genesis" / "GENESIS_E01301_20261017.csv"
    assert (bare.folder / "genesis" / "GENESIS_E01301_20261116.csv").read_bytes() == (
        first.read_bytes())
    status = out.con.execute("SELECT status FROM audit.files WHERE file_name = ?",
                             ["GENESIS_E01301_20261116.csv"]).fetchall()
    assert status == [("UNCHANGED",)]
    assert sorted(f["person_key"] for f in out.listed(RELEASES)) == [
        GENESIS_KEY, "genesis:E01301:000102"]
    held = out.con.execute("SELECT list_date FROM core.detentions WHERE record_key = ?",
                           [GENESIS_KEY]).fetchall()
    assert held == [(RUN,)]


def test_rtr_05_nothing_is_enforceable_at_release_before_the_ordonnance_is_notified(inbox):
    # RTR-05 / OQ-07: a signed CNDA ordonnance not yet notified: no removal, the judicial
    # ban's included, may be executed; the detainee is not ENFORCEABLE_MEASURE.
    inbox.telemofpra(date(2026, 9, 18), ORGANE="CNDA", MODE_CNDA="ORDONNANCE",
                     SENS_DECISION="REJET", FONDEMENT="", DATE_DECISION="10/09/2026",
                     DATE_NOTIFICATION="", DATE_DEFINITIVE="")
    flag = on_every_list(inbox).decide().only_listed(RELEASES)
    assert flag["situation"] == "MEASURE_TO_EXAMINE"
    assert "EXECUTION_AFTER_NOTIFICATION" in flag["markers"] and "RTR-05" in flag["rule_ids"]
    # PRI-04's release conditional on removal is not open before the notification.
    assert "PRI-04" not in flag["rule_ids"]


@pytest.mark.parametrize("introduced", ["02/01/2025", ""])
def test_rtr_05_an_ordonnance_after_an_undated_early_end_holds_the_release_too(
        inbox, introduced):
    """RTR-05 / OQ-07 with PRI-04: OFPRA's inadmissibility (an early end at its
    notification, RTR-06) then the CNDA's ordonnance, signed, not notified, on one claim;
    the OFPRA row may not say when the claim was introduced (empty is unknown, CONTRACTS
    §1.1). A detainee under a definitive judicial ban is not ENFORCEABLE_MEASURE before
    the notification."""
    inbox.telemofpra(date(2026, 9, 11), SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-2",
                     DATE_DECISION="03/09/2026", DATE_NOTIFICATION="07/09/2026",
                     DATE_DEFINITIVE="", DATE_INTRODUCTION=introduced)
    inbox.telemofpra(date(2026, 11, 13), ORGANE="CNDA", MODE_CNDA="ORDONNANCE",
                     SENS_DECISION="REJET", FONDEMENT="", DATE_DECISION="10/11/2026",
                     DATE_NOTIFICATION="", DATE_DEFINITIVE="", DATE_INTRODUCTION="02/01/2025")
    inbox.genesis(date(2026, 11, 12), row("genesis", ITF="DEFINITIVE", **KNOWN))
    flag = inbox.decide().only_listed(RELEASES)
    assert flag["situation"] == "MEASURE_TO_EXAMINE"
    assert "EXECUTION_AFTER_NOTIFICATION" in flag["markers"] and "RTR-05" in flag["rule_ids"]
    assert "PRI-04" not in flag["rule_ids"]
