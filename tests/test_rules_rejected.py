"""Rejected asylum seekers without an OQTF: RULES.md §1 (RTR-01…10), §2 (OQ-01…04,
OQ-08) and the exclusions of §5, each from a tiny inbox as of RUN (16/11/2026).

The builders' default person is a Guinean adult (AGDREF 0123456789) whose OFPRA
rejection was notified on 07/09/2026 and reported final on 09/10/2026."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, REJECTED
from tests.builders import row
from tests.scenarios import PERSON, RUN, SECOND, Inbox, fr

FINAL_LIST = date(2026, 10, 9)
REGISTERED = {"SENS_DECISION": "", "FONDEMENT": "", "DATE_DECISION": "", "MODE_CNDA": "",
              "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


def test_rtr_03_final_ofpra_rejection_is_listed_with_its_dates(inbox):
    flag = inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)
    assert flag["num_agdref"] == PERSON and flag["department"] == "13"
    assert flag["rtr_end_date"] == date(2026, 9, 7)  # notification
    assert flag["knowledge_date"] == FINAL_LIST
    assert flag["oqtf_due_date"] == date(2026, 10, 24)  # OQ-02: + 15 days
    assert flag["days_overdue"] == 23
    # a final rejection (RTR-03): OFPRA may now be asked for the documents
    assert flag["reason"] == "NO_MEASURE" and flag["markers"] == ["OFPRA_DOCUMENTS_REQUESTABLE"]
    assert flag["rule_ids"] == ["OQ-01", "OQ-02", "RTR-03"]
    assert flag["source_rows"] == ["TELEMOFPRA_13_20261009.csv:2",
                                   "AGDREF_PERSONNES_13_20261116.csv:2"]
    assert flag["first_seen_date"] == RUN


def test_rtr_03_ofpra_rejection_without_final_date_is_unconfirmed(inbox):
    out = inbox.telemofpra(FINAL_LIST, DATE_DEFINITIVE="").decide()
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "RTR_END_UNCONFIRMED"
    assert excluded["rule_ids"] == ["RTR-03"]
    assert "TELEMOFPRA_13_20261009.csv:2" in excluded["source_rows"]


def test_oq_02_knowledge_date_is_the_first_list_that_proved_the_end(inbox):
    early = date(2026, 9, 11)
    inbox.telemofpra(early, DATE_DEFINITIVE="")  # shown, not yet final: no knowledge
    inbox.telemofpra(FINAL_LIST)
    # Repeated a week later, in a list that also holds someone else's decision.
    inbox.telemofpra(date(2026, 10, 16)).telemofpra(
        date(2026, 10, 16), NUM_OFPRA="OF20250000002", NUM_AGDREF="", NOM="KONE")
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["knowledge_date"] == FINAL_LIST
    assert flag["oqtf_due_date"] == date(2026, 10, 24)
    assert len(flag["source_rows"]) == 4  # three list rows and the AGDREF file


def test_oq_02_not_overdue_within_fifteen_days(inbox):
    flag = inbox.telemofpra(date(2026, 11, 13)).decide().only_listed(REJECTED)
    assert flag["oqtf_due_date"] == date(2026, 11, 28) and flag["days_overdue"] == 0


def test_rtr_04_cnda_hearing_ends_on_reading_date(inbox):
    flag = inbox.telemofpra(
        date(2026, 10, 30), ORGANE="CNDA", MODE_CNDA="AUDIENCE", DATE_DECISION="20/10/2026",
        DATE_NOTIFICATION="", DATE_DEFINITIVE="").decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 10, 20)
    assert flag["knowledge_date"] == date(2026, 10, 30)
    # a CNDA reading is a final rejection: OFPRA may be asked for the documents
    assert "RTR-04" in flag["rule_ids"] and flag["markers"] == ["OFPRA_DOCUMENTS_REQUESTABLE"]


def test_rtr_05_unnotified_ordonnance_flagged_with_execution_marker(inbox):
    flag = inbox.telemofpra(
        date(2026, 11, 13), ORGANE="CNDA", MODE_CNDA="ORDONNANCE", DATE_DECISION="10/11/2026",
        DATE_NOTIFICATION="", DATE_DEFINITIVE="").decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 11, 10)  # signature
    assert flag["markers"] == ["EXECUTION_AFTER_NOTIFICATION"]
    assert "RTR-05" in flag["rule_ids"]


def test_rtr_04_cnda_row_without_mode_is_not_acted_on(inbox):
    out = inbox.telemofpra(date(2026, 10, 30), ORGANE="CNDA", DATE_DEFINITIVE="").decide()
    assert out.reason(REJECTED) == "RTR_END_UNCONFIRMED"


# An early end with neither a CNDA decision nor DATE_DEFINITIVE may still await the
# CNDA: NO_CONSULAR_CONTACT (PRI-07), except after a withdrawal.
@pytest.mark.parametrize(("outcome", "basis", "procedure", "marker"), [
    ("IRRECEVABILITE", "L531-32-3", "NORMALE",
     ["NO_CONSULAR_CONTACT", "SUSPENSION_REQUEST_POSSIBLE"]),
    ("IRRECEVABILITE", "L531-32-1", "NORMALE", ["NO_CONSULAR_CONTACT"]),
    ("REJET", "L531-24", "ACCELEREE", ["NO_CONSULAR_CONTACT", "SUSPENSION_REQUEST_POSSIBLE"]),
    ("RETRAIT", "", "NORMALE", []),
])
def test_rtr_06_early_end_at_notification_even_without_final_date(
        inbox, outcome, basis, procedure, marker):
    flag = inbox.telemofpra(
        date(2026, 9, 11), SENS_DECISION=outcome, FONDEMENT=basis, PROCEDURE=procedure,
        DATE_DEFINITIVE="").decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 9, 7)
    assert flag["knowledge_date"] == date(2026, 9, 11)
    assert flag["markers"] == marker and "RTR-06" in flag["rule_ids"]


def test_rtr_06_early_end_not_yet_notified_is_unconfirmed(inbox):
    out = inbox.telemofpra(date(2026, 9, 11), SENS_DECISION="IRRECEVABILITE",
                           FONDEMENT="L531-32-2", DATE_NOTIFICATION="",
                           DATE_DEFINITIVE="").decide()
    assert out.reason(REJECTED) == "RTR_END_UNCONFIRMED"


def test_rtr_06_accelerated_rejection_without_basis_needs_final_proof(inbox):
    out = inbox.telemofpra(date(2026, 9, 11), PROCEDURE="ACCELEREE",
                           DATE_DEFINITIVE="").decide()
    assert out.reason(REJECTED) == "RTR_END_UNCONFIRMED"


def test_rtr_07_recent_closure_is_reopenable(inbox):
    out = inbox.telemofpra(date(2026, 9, 11), SENS_DECISION="CLOTURE", FONDEMENT="L531-38",
                           DATE_DEFINITIVE="").decide()
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "CLOSURE_REOPENABLE"
    assert "RTR-07" in excluded["rule_ids"]


def test_rtr_07_closure_listed_once_nine_months_have_passed(inbox):
    flag = inbox.telemofpra(
        date(2026, 1, 16), SENS_DECISION="CLOTURE", FONDEMENT="L531-37",
        DATE_DECISION="05/01/2026", DATE_NOTIFICATION="12/01/2026",
        DATE_DEFINITIVE="").decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 1, 12)
    # The end is known for good the day after the reopening window (12/01 + 9 months,
    # its anniversary included): 13/10 (RTR-07).
    assert flag["knowledge_date"] == date(2026, 10, 13)
    assert flag["oqtf_due_date"] == date(2026, 10, 28)


def test_rtr_07_reopening_window_boundary(inbox):
    inbox.telemofpra(date(2026, 2, 20), SENS_DECISION="CLOTURE", FONDEMENT="L531-37",
                     DATE_DECISION="16/02/2026", DATE_NOTIFICATION="17/02/2026",
                     DATE_DEFINITIVE="")
    # notified 17/02: the window's last day is its 9-month anniversary, 17/11
    assert inbox.decide(RUN).reason(REJECTED) == "CLOSURE_REOPENABLE"
    assert inbox.decide(date(2026, 11, 17)).reason(REJECTED) == "CLOSURE_REOPENABLE"
    flag = inbox.decide(date(2026, 11, 18)).only_listed(REJECTED)
    assert flag["knowledge_date"] == date(2026, 11, 18)


def test_rtr_08_second_reexamination_rejected_ends_early(inbox):
    flag = inbox.telemofpra(date(2026, 9, 11), TYPE_DEMANDE="REEXAMEN_MULTIPLE",
                            SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-3",
                            DATE_DEFINITIVE="").decide().only_listed(REJECTED)
    assert {"RTR-06", "RTR-08"} <= set(flag["rule_ids"])


def test_rtr_08_open_first_reexamination_outweighs_an_older_end(inbox):
    inbox.telemofpra(date(2025, 6, 6), DATE_DECISION="01/04/2025",
                     DATE_NOTIFICATION="04/04/2025", DATE_DEFINITIVE="05/05/2025")
    inbox.telemofpra(FINAL_LIST, TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="01/08/2026",
                     DATE_DEFINITIVE="")
    assert inbox.decide().reason(REJECTED) == "RTR_END_UNCONFIRMED"


def test_rtr_01_valid_asylum_attestation_means_asylum_pending(inbox):
    inbox.title(TYPE_TITRE="ADA", DATE_DEBUT="01/11/2026", DATE_FIN="01/05/2027",
                STATUT="VALIDE")
    excluded = inbox.telemofpra(FINAL_LIST).decide().only_excluded(REJECTED)
    assert excluded["reason_code"] == "ASYLUM_PENDING"
    assert excluded["rule_ids"] == ["RTR-01", "RTR-08"]
    assert "AGDREF_TITRES_13_20261116.csv:2" in excluded["source_rows"]


def test_rtr_01_attestation_on_a_second_file_of_the_linked_person_protects(tmp_path, con):
    """The rejected row gives only a birth year, so the person's second AGDREF file
    (surname transliterated otherwise, valid ADA of a new claim) agrees only weakly with
    the row; it agrees fully with the linked file, and that is enough to protect."""
    inbox = Inbox(tmp_path, con).person().person(NUM_AGDREF="0987654321", NOM="DJALLO")
    inbox.title(NUM_AGDREF="0987654321", TYPE_TITRE="ADA", DATE_DEBUT="01/11/2026",
                DATE_FIN="01/05/2027", STATUT="VALIDE")
    excluded = inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="00/00/1990").decide(
    ).only_excluded(REJECTED)
    assert excluded["reason_code"] == "ASYLUM_PENDING"
    assert "AGDREF_TITRES_13_20261116.csv:2" in excluded["source_rows"]


def test_rtr_01_expired_attestation_does_not_protect(inbox):
    inbox.title()  # ADA expired on 03/10/2026
    assert inbox.telemofpra(FINAL_LIST).decide().listed(REJECTED)


@pytest.mark.parametrize(("status", "end", "protects"), [
    ("EXPIRE", "16/11/2026", True),   # said expired, its end still to come: contradictory
    ("EXPIRE", "15/11/2026", False),  # expired, as its end says
    ("RETIRE", "01/05/2027", False),  # withdrawn before its term
])
def test_rtr_01_an_attestation_said_expired_before_its_end_still_protects(
        inbox, status, end, protects):
    # Principle 1: contradictory data never put a person on an action list.
    inbox.title(DATE_DEBUT="01/10/2026", DATE_FIN=end, STATUT=status)
    out = inbox.telemofpra(FINAL_LIST).decide()
    if protects:
        assert out.reason(REJECTED) == "ASYLUM_PENDING"
    else:
        assert out.only_listed(REJECTED)


def test_rtr_01_a_valid_attestation_starting_after_the_run_date_protects(inbox):
    # Issued, said valid, its first day tomorrow: contradictory, so it protects.
    inbox.title(DATE_DEBUT="17/11/2026", DATE_FIN="01/05/2027", STATUT="VALIDE")
    assert inbox.telemofpra(FINAL_LIST).decide().reason(REJECTED) == "ASYLUM_PENDING"


def test_rtr_09_dublin_procedure_is_not_a_rejection(inbox):
    inbox.measure(TYPE_MESURE="TRANSFERT_DUBLIN", FONDEMENT="L572-1",
                  DATE_ACCORD_ETAT_MEMBRE="01/10/2026", DELAI_DEPART_JOURS="")
    excluded = inbox.telemofpra(FINAL_LIST).decide().only_excluded(REJECTED)
    assert excluded["reason_code"] == "ASYLUM_PENDING" and excluded["rule_ids"] == ["RTR-09"]


@pytest.mark.parametrize(("body", "outcome", "mode"), [
    ("OFPRA", "REFUGIE", ""), ("OFPRA", "APATRIDE", ""),
    ("CNDA", "ANNULATION_PROTECTION_SUBSIDIAIRE", "AUDIENCE"),
])
def test_rtr_10_protection_granted_is_never_flagged(inbox, body, outcome, mode):
    inbox.telemofpra(date(2026, 4, 10), DATE_DECISION="01/03/2026",
                     DATE_NOTIFICATION="03/03/2026", DATE_DEFINITIVE="04/04/2026")
    inbox.telemofpra(FINAL_LIST, ORGANE=body, SENS_DECISION=outcome, MODE_CNDA=mode,
                     DATE_DEFINITIVE="")
    excluded = inbox.decide().only_excluded(REJECTED)
    assert excluded["reason_code"] == "PROTECTION_GRANTED"
    assert excluded["rule_ids"] == ["RTR-10"]


def test_oq_01_valid_residence_permit_excludes(inbox):
    inbox.title(TYPE_TITRE="CST", DATE_DEBUT="01/11/2026", DATE_FIN="31/10/2027",
                STATUT="VALIDE")
    assert inbox.telemofpra(FINAL_LIST).decide().reason(REJECTED) == "RESIDENCE_PERMIT"


def test_oq_01_coercible_oqtf_takes_the_person_off_the_list(inbox):
    inbox.measure(DATE_DECISION="20/10/2026")
    assert inbox.telemofpra(FINAL_LIST).decide().reason(REJECTED) == "MEASURE_IN_FORCE"


@pytest.mark.parametrize("measure_type", ["APE", "ITF"])
def test_oq_01_expulsion_or_judicial_ban_counts_as_a_measure(inbox, measure_type):
    inbox.measure(TYPE_MESURE=measure_type, DATE_DECISION="01/02/2020",
                  DELAI_DEPART_JOURS="")
    assert inbox.telemofpra(FINAL_LIST).decide().reason(REJECTED) == "MEASURE_IN_FORCE"


def test_oq_01_annulled_oqtf_does_not_count(inbox):
    inbox.measure(STATUT="ANNULEE", RECOURS="ANNULE")
    assert inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)["reason"] == (
        "NO_MEASURE")


def test_oq_08_prior_oqtf_three_years_old_is_not_coercible(inbox):
    inbox.measure(DATE_DECISION=fr(date(2023, 11, 16)), DATE_NOTIFICATION="20/11/2023")
    flag = inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)
    assert flag["reason"] == "PRIOR_MEASURE_NOT_COERCIBLE" and "OQ-08" in flag["rule_ids"]
    assert "AGDREF_MESURES_13_20261116.csv:2" in flag["source_rows"]


def test_oq_08_prior_oqtf_a_day_younger_still_counts(inbox):
    inbox.measure(DATE_DECISION=fr(date(2023, 11, 17)), DATE_NOTIFICATION="20/11/2023")
    assert inbox.telemofpra(FINAL_LIST).decide().reason(REJECTED) == "MEASURE_IN_FORCE"


def test_oq_03_minor_on_run_date_is_excluded(tmp_path, con):
    inbox = Inbox(tmp_path, con).person(DATE_NAISSANCE="17/11/2008")
    out = inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="17/11/2008").decide()
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "MINOR" and excluded["rule_ids"] == ["OQ-03"]


def test_oq_03_eighteenth_birthday_is_adult(tmp_path, con):
    inbox = Inbox(tmp_path, con).person(DATE_NAISSANCE="16/11/2008")
    assert inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="16/11/2008").decide().listed(REJECTED)


@pytest.mark.parametrize("birth", ["00/00/2008", "01/01/2008", "00/12/2008"])
def test_oq_03_partial_birth_date_that_may_be_a_minor_protects(tmp_path, con, birth):
    inbox = Inbox(tmp_path, con).person(DATE_NAISSANCE=birth)
    assert inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE=birth).decide().reason(
        REJECTED) == "MINOR"


def test_oq_03_youngest_source_wins_when_systems_disagree(tmp_path, con):
    # Same day and month, AGDREF says 1990, the asylum row says 2009: the row does not
    # verify the number, and the younger reading still protects.
    inbox = Inbox(tmp_path, con).person()
    out = inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="14/03/2009").decide()
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "MINOR"
    assert "IDENTITY_CONFLICT" in excluded["other_reasons"]


@pytest.mark.parametrize("overrides", [
    {"DATE_ENTREE_FRANCE": "15/11/2016"}, {"LIEN_FAMILIAL_FRANCAIS": "PARENT"},
])
def test_oq_04_long_presence_or_french_family_marks_individual_assessment(
        tmp_path, con, overrides):
    inbox = Inbox(tmp_path, con).person(**overrides)
    flag = inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)
    assert flag["markers"] == ["INDIVIDUAL_ASSESSMENT", "OFPRA_DOCUMENTS_REQUESTABLE"]
    assert "OQ-04" in flag["rule_ids"]


def test_oq_04_presence_one_day_short_of_ten_years_is_not_marked(tmp_path, con):
    inbox = Inbox(tmp_path, con).person(DATE_ENTREE_FRANCE="17/11/2016")
    markers = inbox.telemofpra(FINAL_LIST).decide().only_listed(REJECTED)["markers"]
    assert "INDIVIDUAL_ASSESSMENT" not in markers


def test_eu_citizen_excluded(tmp_path, con):
    inbox = Inbox(tmp_path, con).person(NATIONALITE="ROU")
    out = inbox.telemofpra(FINAL_LIST, NATIONALITE="ROU").decide()
    assert out.reason(REJECTED) == "EU_CITIZEN"


@pytest.mark.parametrize("status", ["DECEDE", "NATURALISE", "PARTI"])
def test_deceased_or_left_excluded(tmp_path, con, status):
    inbox = Inbox(tmp_path, con).person(SITUATION=status)
    assert inbox.telemofpra(FINAL_LIST).decide().reason(REJECTED) == "DECEASED_OR_LEFT"


def test_identity_conflict_when_the_number_points_to_someone_else(inbox):
    out = inbox.telemofpra(FINAL_LIST, NOM="KONE", PRENOMS="AWA", SEXE="F",
                           DATE_NAISSANCE="02/02/1995").decide()
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "IDENTITY_CONFLICT"
    assert excluded["num_agdref"] is None
    assert excluded["person_key"] == "telemofpra:OF20250000001"
    link = out.con.execute("SELECT link_status, link_rule FROM core.person_links "
                           "WHERE record_key = 'telemofpra:OF20250000001'").fetchone()
    # the pair is an agent's to decide (core.link_review): in review, never acted on
    assert link == ("REVIEW", "NUMBER_NOT_VERIFIED")


def test_identity_transliteration_and_swapped_names_still_link(inbox):
    flag = inbox.telemofpra(FINAL_LIST, NOM="MAMADOU", PRENOMS="DYALLO").decide()
    assert flag.only_listed(REJECTED)["num_agdref"] == PERSON


def test_identity_protection_on_a_second_file_is_found_without_a_number(inbox):
    # Same person, a second AGDREF file (spelling variant) holding a valid permit.
    inbox.person(NUM_AGDREF="9876543210", NOM="DYALLO")
    inbox.title(NUM_AGDREF="9876543210", TYPE_TITRE="CSP", DATE_DEBUT="01/01/2026",
                DATE_FIN="01/01/2028", STATUT="VALIDE")
    excluded = inbox.telemofpra(FINAL_LIST).decide().only_excluded(REJECTED)
    assert excluded["reason_code"] == "RESIDENCE_PERMIT"
    assert "AGDREF_TITRES_13_20261116.csv:2" in excluded["source_rows"]


def test_one_row_per_person_and_earliest_end_wins(inbox):
    # OFPRA inadmissibility (early end at notification), then the CNDA rejection.
    inbox.telemofpra(date(2026, 9, 11), SENS_DECISION="IRRECEVABILITE",
                     FONDEMENT="L531-32-2", DATE_DEFINITIVE="")
    inbox.telemofpra(date(2026, 10, 30), ORGANE="CNDA", MODE_CNDA="AUDIENCE",
                     DATE_DECISION="20/10/2026", DATE_NOTIFICATION="", DATE_DEFINITIVE="")
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 9, 7)
    assert flag["knowledge_date"] == date(2026, 9, 11)


def test_decisions_listed_after_the_run_date_are_not_yet_known(inbox):
    inbox.telemofpra(FINAL_LIST)
    assert not inbox.decide(date(2026, 10, 8)).listed(REJECTED)


# A registered first re-examination whose rows give no introduction date (allowed) is the
# claim its later decision belongs to (audit of 2026-12-06: before, keyed by its first
# list, it stayed undecided for good and the person ASYLUM_PENDING after the decision
# was reported final).
def test_rtr_08_an_undated_registered_reexamination_ends_with_its_final_decision(tmp_path, con):
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.telemofpra(date(2025, 6, 6), DATE_DECISION="01/04/2025",
                     DATE_NOTIFICATION="04/04/2025", DATE_DEFINITIVE="05/05/2025")
    inbox.telemofpra(date(2025, 9, 5), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="",
                     SENS_DECISION="", FONDEMENT="", DATE_DECISION="", MODE_CNDA="",
                     DATE_NOTIFICATION="", DATE_DEFINITIVE="")
    inbox.telemofpra(date(2026, 10, 9), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="01/09/2025")
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 9, 7)  # the decision's notification
    assert flag["knowledge_date"] == date(2026, 10, 9)  # the first list reporting it final
    assert flag["reason"] == "NO_MEASURE"


def test_rtr_08_an_undated_request_registered_after_the_decision_stays_apart(tmp_path, con):
    """The same request's decision was first listed on 09/10/2026; a first re-examination
    registered, undated, on a later list (13/11) cannot be the one decided before it: it
    stays a request undecided, and the right to remain it restores holds (principle 1)."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.telemofpra(date(2025, 6, 6), DATE_DECISION="01/04/2025",
                     DATE_NOTIFICATION="04/04/2025", DATE_DEFINITIVE="05/05/2025")
    inbox.telemofpra(date(2026, 10, 9), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="01/09/2025")
    inbox.telemofpra(date(2026, 11, 13), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="",
                     SENS_DECISION="", FONDEMENT="", DATE_DECISION="", MODE_CNDA="",
                     DATE_NOTIFICATION="", DATE_DEFINITIVE="")
    assert inbox.decide().reason(REJECTED) == "ASYLUM_PENDING"


# A reopening registered after a closure's window, read as a second re-examination
# (RTR-08, by the person's history), ends the right to remain at its decision's
# notification once decided (RTR-06), as its registration gave none (audit of
# 2026-12-06: before, its decision was read as an ordinary OFPRA decision, and without
# DATE_DEFINITIVE the person was excluded RTR_END_UNCONFIRMED).
CLOSED = {"SENS_DECISION": "CLOTURE", "FONDEMENT": "L531-37", "DATE_DEFINITIVE": ""}


def test_rtr_06_the_decision_on_a_late_reopening_read_as_a_second_reexamination_ends_early(
        tmp_path, con):
    """First claim rejected (final, 2023); a first re-examination closed, notified
    03/03/2025 (window ends 03/12/2025); a reopening introduced 01/06/2026, rejected and
    notified 07/09/2026, on the list of 11/09 without DATE_DEFINITIVE."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.telemofpra(date(2023, 6, 2), DATE_INTRODUCTION="02/01/2023",
                     DATE_DECISION="01/04/2023", DATE_NOTIFICATION="04/04/2023",
                     DATE_DEFINITIVE="05/05/2023")
    inbox.telemofpra(date(2025, 3, 7), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="01/09/2024",
                     DATE_DECISION="01/03/2025", DATE_NOTIFICATION="03/03/2025", **CLOSED)
    inbox.telemofpra(date(2026, 6, 5), TYPE_DEMANDE="REOUVERTURE",
                     DATE_INTRODUCTION="01/06/2026", SENS_DECISION="", FONDEMENT="",
                     DATE_DECISION="", MODE_CNDA="", DATE_NOTIFICATION="", DATE_DEFINITIVE="")
    inbox.telemofpra(date(2026, 9, 11), TYPE_DEMANDE="REOUVERTURE",
                     DATE_INTRODUCTION="01/06/2026", DATE_DEFINITIVE="")
    flag = inbox.decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 9, 7)
    assert flag["knowledge_date"] == date(2026, 9, 11)
    assert {"RTR-06", "RTR-08"} <= set(flag["rule_ids"])


def test_rtr_07_a_reexamination_decided_within_a_closure_s_window_does_not_close_it(
        tmp_path, con):
    """RTR-07: "Within that window, its 9-month anniversary included, the person is
    excluded with CLOSURE_REOPENABLE", on every list (§5). A request typed REEXAMEN made
    within the window is the reopening the law provides for (RTR-08 reads a request as a
    re-examination only after it): its inadmissibility (L531-32-3, notified 09/11/2026)
    left the person on the rejected list and their OQTF on the measures list (audit of
    2026-12-07). The closure, notified 03/03/2026, keeps its window to 03/12/2026; from
    04/12 the re-examination's decision stands."""
    inbox = Inbox(tmp_path / "inbox", con).person().measure(
        DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    inbox.telemofpra(date(2026, 3, 6), DATE_DECISION="01/03/2026",
                     DATE_NOTIFICATION="03/03/2026", **CLOSED)
    inbox.telemofpra(date(2026, 11, 13), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="01/10/2026",
                     SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-3",
                     DATE_DECISION="05/11/2026", DATE_NOTIFICATION="09/11/2026",
                     DATE_DEFINITIVE="")
    for day in (RUN, date(2026, 12, 3)):
        out = inbox.decide(day)
        for worklist in (REJECTED, MEASURES):
            excluded = out.only_excluded(worklist)
            assert excluded["reason_code"] == "CLOSURE_REOPENABLE", (day, worklist)
            assert {"RTR-07", "RTR-08"} <= set(excluded["rule_ids"])
            assert {"TELEMOFPRA_13_20260306.csv:2", "TELEMOFPRA_13_20261113.csv:2"} <= set(
                excluded["source_rows"])
    out = inbox.decide(date(2026, 12, 4))
    assert out.reason(REJECTED) == "MEASURE_IN_FORCE"  # the OQTF of March
    assert "SUSPENSION_REQUEST_POSSIBLE" in out.only_listed(MEASURES)["markers"]


def test_rtr_06_an_early_end_reported_final_without_its_notification_date_is_listed(
        tmp_path, con):
    """RTR-03: DATE_DEFINITIVE proves no appeal was lodged; §5 RTR_END_UNCONFIRMED is a
    rejection "not proven final". An accelerated L531-24 rejection reported final on the
    list of 09/10/2026, its notification date missing: the end is taken at the final
    date (the later reading), known from that list, as for the normal procedure."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    flag = inbox.telemofpra(date(2026, 10, 9), FONDEMENT="L531-24", PROCEDURE="ACCELEREE",
                            DATE_NOTIFICATION="").decide().only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 10, 9)
    assert flag["knowledge_date"] == date(2026, 10, 9)
    assert "RTR-06" in flag["rule_ids"]


def test_rtr_09_a_merged_file_s_dublin_transfer_runs_12_months_for_a_person_held(inbox):
    """RTR-09 and EX-04 ("12 months if the person was imprisoned at any time since the
    acceptance"): two files of the person, merged by the model; the Dublin transfer on the
    second (accepted 16/03/2026), the person held now by the latest list, which gives the
    first file's number. On 16/11/2026 the transfer still runs: not a rejected asylum
    seeker. The detention counted only when tied firmly to the transfer's own file, a
    reading the measures list needs (a wrong merge never keeps a lapsed transfer alive)
    and that here listed him (rules audit of 2026-12-07). Not held: 6 months, lapsed."""
    inbox.others().second_file().telemofpra(FINAL_LIST)
    inbox.measure(NUM_AGDREF=SECOND, TYPE_MESURE="TRANSFERT_DUBLIN", FONDEMENT="L572-1",
                  DELAI_DEPART_JOURS="", DATE_ACCORD_ETAT_MEMBRE="16/03/2026",
                  DATE_DECISION="20/03/2026", DATE_NOTIFICATION="22/03/2026")
    assert inbox.decide().only_listed(REJECTED)["person_key"] == PERSON  # not held: lapsed
    inbox.genesis(date(2026, 11, 12), row("genesis", NUM_AGDREF=PERSON, NOM="DIALLO",
                                          PRENOMS="MAMADOU", DATE_NAISSANCE="14/03/1990",
                                          NATIONALITE="GUINEE"))
    out = inbox.decide()
    assert out.con.execute("SELECT person_key FROM core.persons WHERE num_agdref = ?",
                           [SECOND]).fetchall() == [(PERSON,)]
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "ASYLUM_PENDING" and "RTR-09" in excluded["rule_ids"]


# --- Audit of 2026-12-07: a correction of two fields at once (core_asylum_decisions.sql)

def early_end_corrected_into_an_appealable_rejection(inbox: Inbox) -> Inbox:
    """List of 11/09: an inadmissibility L531-32-2 decided 03/09, notified 07/09 (RTR-06,
    early end). List of 18/09, same OFPRA file, same claim: a plain rejection (normal
    procedure) decided 04/09, notified 07/09, not reported final (RTR-03)."""
    inbox.telemofpra(date(2026, 9, 11), SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-2",
                     DATE_DEFINITIVE="")
    return inbox.telemofpra(date(2026, 9, 18), DATE_DECISION="04/09/2026", DATE_DEFINITIVE="")


def second_reexamination_corrected_into_a_first(inbox: Inbox) -> Inbox:
    """A first claim finally rejected in 2025; a re-examination introduced 01/09/2026,
    rejected, given as a second one (REEXAMEN_MULTIPLE, decided 05/10, notified 08/10) on
    16/10, corrected on 23/10 into a first one (REEXAMEN) decided 06/10, notified 08/10,
    not final."""
    inbox.telemofpra(date(2025, 6, 6), DATE_DECISION="01/04/2025",
                     DATE_NOTIFICATION="04/04/2025", DATE_DEFINITIVE="05/05/2025")
    second = {"DATE_INTRODUCTION": "01/09/2026", "DATE_NOTIFICATION": "08/10/2026",
              "DATE_DEFINITIVE": ""}
    inbox.telemofpra(date(2026, 10, 16), TYPE_DEMANDE="REEXAMEN_MULTIPLE",
                     DATE_DECISION="05/10/2026", **second)
    return inbox.telemofpra(date(2026, 10, 23), TYPE_DEMANDE="REEXAMEN",
                            DATE_DECISION="06/10/2026", **second)


@pytest.mark.parametrize("corrected", [early_end_corrected_into_an_appealable_rejection,
                                       second_reexamination_corrected_into_a_first],
                         ids=["outcome_and_date", "claim_type_and_date"])
def test_a_decision_corrected_in_two_fields_at_once_still_ends_the_right_to_remain(
        inbox, corrected):
    """RULES.md RTR-03: "an OFPRA rejection without that proof is `RTR_END_UNCONFIRMED`
    (excluded, never flagged)"; RTR-08: "A first re-examination, while undecided, restores
    the RTR"; principle 1: "When data are missing or contradictory, the person is *not*
    put on an execution-oriented list". core_asylum_decisions.sql states the reading: "A
    version that a later list gives otherwise (another outcome, basis, claim type or
    decision date) is superseded and no longer acts".

    One introduction date is one claim, which a body decides once: the corrected version
    supersedes the earlier. Before, the `superseded` CTE dropped an earlier version only
    with the same decision date, or the same claim, claim type AND outcome; a correction
    of the date with the outcome (or the claim type) escaped both, the earlier version (an
    early end, RTR-06) kept acting, and the person was listed (rtr_end_date 07/09 resp.
    08/10) although the list that now describes the decision says their right to remain
    still runs (audit of 2026-12-07)."""
    out = corrected(inbox).decide()
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "RTR_END_UNCONFIRMED", excluded


# --- 2. A later claim's early end while the earlier claim's end is not proven -------------

def test_rtr_03_a_later_claim_s_early_end_does_not_override_an_unproven_first_rejection(
        tmp_path, con):
    """RULES.md RTR-01: "An asylum seeker whose claim is introduced at OFPRA may stay until
    OFPRA, and the CNDA if seized, have ruled"; RTR-03: "Only rows that OFPRA reports as
    final (`DATE_DEFINITIVE` filled) prove that no appeal was lodged; an OFPRA rejection
    without that proof is `RTR_END_UNCONFIRMED` (excluded, never flagged)"; principle 1.

    First claim: OFPRA rejection (normal procedure) decided 03/03/2026, notified
    07/03/2026, never reported final (list of 13/03). A re-examination introduced
    01/08/2026 is declared inadmissible (L531-32-3), notified 07/09 (list of 11/09): a
    later claim decided while the earlier one may still be before the CNDA (it is: the
    CNDA reads its rejection on 20/10/2026, list of 30/10). On 01/10/2026 the first
    claim's end is not proven (rights._earlier_end_unproven). Before, the latest claim
    alone decided and the person was listed with rtr_end_date 07/09/2026: a person whose
    appeal was pending flagged for an OQTF (audit of 2026-12-07)."""
    inbox = Inbox(tmp_path / "inbox", con).agdref("PERSONNES", snapshot=date(2026, 10, 1))
    inbox.telemofpra(date(2026, 3, 13), DATE_DECISION="03/03/2026",
                     DATE_NOTIFICATION="07/03/2026", DATE_DEFINITIVE="")
    inbox.telemofpra(date(2026, 9, 11), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="01/08/2026",
                     SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-3",
                     DATE_DEFINITIVE="")
    out = inbox.decide(date(2026, 10, 1))
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "RTR_END_UNCONFIRMED", excluded
    assert "RTR-03" in excluded["rule_ids"]


# --- 3. A reopening request with no closure to measure a window from ---------------------

def test_rtr_08_a_reopening_with_no_known_closure_is_not_read_as_late(inbox):
    """RULES.md RTR-07: a closure may be reopened for 9 months, "which restores the RTR";
    RTR-08: "A `REOUVERTURE` request registered *after the 9-month window of RTR-07* is
    read as a re-examination request (first or later, by the person's history)";
    principle 1 ("When data are missing ... the person is *not* put on an
    execution-oriented list").

    First claim finally rejected (2023); first re-examination rejected and final (2025);
    a REOUVERTURE request registered 02/11/2026 (list of 06/11), undecided. The warehouse
    holds no closure at all, so nothing shows the request came after a window: the
    closure it reopens is simply not held (the code says as much for an earlier reopening,
    rights._earlier_late_reopening: "a closure the warehouse does not hold may have kept
    it a reopening"). It is read as a reopening: ASYLUM_PENDING. Before, it was read as a
    REEXAMEN_MULTIPLE (no right to remain) because an earlier REEXAMEN exists, and the
    person was listed while their reopening request was pending (audit of 2026-12-07)."""
    inbox.telemofpra(date(2023, 6, 2), DATE_INTRODUCTION="02/01/2023",
                     DATE_DECISION="01/04/2023", DATE_NOTIFICATION="04/04/2023",
                     DATE_DEFINITIVE="05/05/2023")
    inbox.telemofpra(date(2025, 4, 11), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="01/09/2024",
                     DATE_DECISION="01/03/2025", DATE_NOTIFICATION="03/03/2025",
                     DATE_DEFINITIVE="04/04/2025")
    inbox.telemofpra(date(2026, 11, 6), TYPE_DEMANDE="REOUVERTURE",
                     DATE_INTRODUCTION="02/11/2026", **REGISTERED)
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == []
    assert not out.listed(REJECTED), out.listed(REJECTED)
    assert out.only_excluded(REJECTED)["reason_code"] == "ASYLUM_PENDING"


# --- 4. A decided late reopening still marked as awaiting its decision -------------------

def test_pri_07_a_late_reopening_decided_and_final_is_no_longer_awaited(inbox):
    """RULES.md PRI-07: "A listed person ... whose latest claim may still await a decision
    carries the marker `NO_CONSULAR_CONTACT`"; §5 Markers: "Markers follow the decision that
    ended the RTR of the person's latest claim".

    First claim finally rejected (2023); a first re-examination closed, notified
    03/03/2025 (window ended 03/12/2025); a reopening introduced 01/06/2026 (list of
    05/06, registered), so a second re-examination (RTR-08), then rejected, notified
    07/09/2026 and reported FINAL on 09/10/2026 (list of 09/10). Nothing awaits a
    decision: the registration row is read as its decided rows are (decided_as_read), one
    claim. Before, it stayed a REOUVERTURE, another claim (`_claim_key`) taken for a later
    request still awaited, and the flag carried NO_CONSULAR_CONTACT (audit of
    2026-12-07)."""
    inbox.telemofpra(date(2023, 6, 2), DATE_INTRODUCTION="02/01/2023",
                     DATE_DECISION="01/04/2023", DATE_NOTIFICATION="04/04/2023",
                     DATE_DEFINITIVE="05/05/2023")
    inbox.telemofpra(date(2025, 3, 7), TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="01/09/2024",
                     SENS_DECISION="CLOTURE", FONDEMENT="L531-37", DATE_DECISION="01/03/2025",
                     DATE_NOTIFICATION="03/03/2025", DATE_DEFINITIVE="")
    inbox.telemofpra(date(2026, 6, 5), TYPE_DEMANDE="REOUVERTURE",
                     DATE_INTRODUCTION="01/06/2026", **REGISTERED)
    inbox.telemofpra(date(2026, 10, 9), TYPE_DEMANDE="REOUVERTURE",
                     DATE_INTRODUCTION="01/06/2026")  # rejected 03/09, notified 07/09, final
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == []
    flag = out.only_listed(REJECTED)
    assert flag["rtr_end_date"] == date(2026, 9, 7)
    assert "NO_CONSULAR_CONTACT" not in flag["markers"], flag["markers"]
    assert "PRI-07" not in flag["rule_ids"], flag["rule_ids"]
