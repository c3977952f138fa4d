"""A detainee who may be an asylum claimant whom no AGDREF file shows (PRI-07, §5,
principle 1), and the rows behind a release flag's markers (principle 2).

A claimant's file may be in another department, or not yet made: the TélémOfpra record
then links to no AGDREF file, and the detainee matches no file either. Their identities
still agree (same names, birth date and nationality): the detainee may be that claimant.
Before, such a detainee was listed IDENTITY_TO_CONFIRM with no marker, when identifying
a detainee is where a unit may turn to the consulate."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, Inbox

LIST = date(2026, 11, 12)
CLAIMANT = {"NUM_AGDREF": "", "NOM": "DIALLO", "PRENOMS": "MAMADOU",
            "DATE_NAISSANCE": "14/03/1990"}
KNOWN = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}
EARLY_END = {"SENS_DECISION": "IRRECEVABILITE", "FONDEMENT": "L531-32-3",
             "DATE_INTRODUCTION": "01/04/2026", "DATE_DECISION": "01/09/2026",
             "DATE_NOTIFICATION": "05/09/2026", "DATE_DEFINITIVE": ""}
REGISTERED = {"TYPE_DEMANDE": "REEXAMEN", "DATE_INTRODUCTION": "10/11/2026",
              "SENS_DECISION": "", "FONDEMENT": "", "DATE_DECISION": "", "MODE_CNDA": "",
              "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}
GRANTED = {"SENS_DECISION": "REFUGIE", "DATE_DECISION": "01/05/2021",
           "DATE_NOTIFICATION": "03/05/2021", "DATE_DEFINITIVE": "",
           "DATE_INTRODUCTION": "01/01/2021"}


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con)


def claimant_detained(inbox: Inbox, list_date: date, **claim: str) -> Inbox:
    """The claimant's record (no AGDREF number, no file) and a detainee of the same
    identity on the establishment's latest list (no number either)."""
    inbox.telemofpra(list_date, **{**claim, **CLAIMANT})
    return inbox.genesis(LIST, row("genesis", **CLAIMANT, NATIONALITE="GUINEE"))


def test_pri_07_a_detainee_who_may_be_a_claimant_whose_claim_ended_early_is_marked(inbox):
    """RTR-06: the right to remain ended at notification, an appeal may still be pending
    at the CNDA: listed to confirm identity, never with the consulate."""
    flag = claimant_detained(inbox, date(2026, 9, 11), **EARLY_END).decide(
        ).only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM"
    assert "NO_CONSULAR_CONTACT" in flag["markers"]
    assert "TELEMOFPRA_13_20260911.csv:2" in flag["source_rows"], flag["source_rows"]


def test_a_detainee_who_may_be_a_claimant_awaiting_a_decision_is_excluded(inbox):
    """RTR-08: a first re-examination registered and undecided: the right to remain runs."""
    excluded = claimant_detained(inbox, date(2026, 11, 13), **REGISTERED).decide(
        ).only_excluded(RELEASES)
    assert excluded["reason_code"] == "ASYLUM_PENDING", excluded
    assert "TELEMOFPRA_13_20261113.csv:2" in excluded["source_rows"]
    assert "PRI-07" in excluded["rule_ids"]


def test_rtr_10_a_detainee_who_may_be_a_refugee_is_excluded(inbox):
    excluded = claimant_detained(inbox, date(2021, 5, 7), **GRANTED).decide(
        ).only_excluded(RELEASES)
    assert excluded["reason_code"] == "PROTECTION_GRANTED", excluded
    assert "RTR-10" in excluded["rule_ids"]


def test_a_claimant_of_another_identity_leaves_the_detainee_as_he_was(inbox):
    """Another birth date: not the same person; the detainee is listed without marker."""
    inbox.telemofpra(date(2026, 11, 13), **REGISTERED,
                     **{**CLAIMANT, "DATE_NAISSANCE": "02/07/1985"})
    flag = inbox.genesis(LIST, row("genesis", **CLAIMANT, NATIONALITE="GUINEE")).decide(
        ).only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM" and flag["markers"] == []


# Principle 2: a release flag cites the TélémOfpra rows of the markers it carries, as the
# measures list's flag of the same person does.

def test_a_release_flag_cites_the_rows_of_its_person_s_markers(inbox):
    inbox.person().telemofpra(date(2026, 9, 11), **EARLY_END)
    out = inbox.genesis(LIST, row("genesis", **KNOWN)).decide()
    flag = out.only_listed(RELEASES)
    assert {"NO_CONSULAR_CONTACT", "SUSPENSION_REQUEST_POSSIBLE"} <= set(flag["markers"])
    assert "TELEMOFPRA_13_20260911.csv:2" in flag["source_rows"], flag["source_rows"]


def test_a_release_flag_cites_the_row_of_execution_after_notification(inbox):
    inbox.person().telemofpra(date(2026, 11, 13), ORGANE="CNDA", MODE_CNDA="ORDONNANCE",
                              DATE_DECISION="10/11/2026", DATE_NOTIFICATION="",
                              DATE_DEFINITIVE="")
    flag = inbox.genesis(LIST, row("genesis", **KNOWN)).decide().only_listed(RELEASES)
    assert "EXECUTION_AFTER_NOTIFICATION" in flag["markers"]
    assert "TELEMOFPRA_13_20261113.csv:2" in flag["source_rows"], flag["source_rows"]


def test_the_measures_flag_of_the_same_person_cites_the_same_row(inbox):
    inbox.person().telemofpra(date(2026, 9, 11), **EARLY_END).measure(
        DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    flag = inbox.decide().only_listed(MEASURES)
    assert "TELEMOFPRA_13_20260911.csv:2" in flag["source_rows"]


def test_a_linked_detainee_is_held_only_by_claimants_of_a_complete_birth_date():
    """As for the files searched (candidate_files): a claimant agreeing only on a partial
    or placeholder birth date is read for a detainee who cannot be linked; for a linked
    one, such namesakes are strangers by the hundred nationally (benchmarks/README.md)."""
    from transforms.rules.facts import Facts
    from transforms.rules.verdicts import claimants_alike

    facts = Facts()
    facts.claims_alike["genesis:E01301:000101"] = [
        {"record_key": "genesis:E01301:000101", "claim_key": "telemofpra:OF1",
         "evidence": "IDENTITY_WEAK"},
        {"record_key": "genesis:E01301:000101", "claim_key": "telemofpra:OF2",
         "evidence": "IDENTITY"}]
    key = "genesis:E01301:000101"
    assert claimants_alike(facts, key, [], weak=False) == ["telemofpra:OF2"]
    assert claimants_alike(facts, key, [], weak=True) == ["telemofpra:OF1", "telemofpra:OF2"]
    assert claimants_alike(facts, key, ["telemofpra:OF2"], weak=True) == ["telemofpra:OF1"]


# What else protects the claimant the detainee may be (audit of 2026-12-06): before, only
# the claimant's right to remain was read; a quarantined row of their claim, their age
# and the files they are tied to were not, and the detainee was ENFORCEABLE_MEASURE. Now
# they are read as the detainee's own, as the files found by identity are.

FINAL_LIST = date(2026, 10, 9)  # the builders' rejection: notified 07/09, final 09/10/2026
SLIP = {**KNOWN, "DATE_NAISSANCE": "14/03/1991"}  # gives the file's number, a year off
CLAIM_OF_SLIP = {**CLAIMANT, "DATE_NAISSANCE": "14/03/1991", "NUM_OFPRA": "OF20250000042"}


@pytest.mark.parametrize("detainee", [SLIP, {**CLAIMANT, "NATIONALITE": "GUINEE",
                                             "DATE_NAISSANCE": "14/03/1991"}])
def test_dq_01_a_quarantined_row_of_the_claim_of_whom_the_detainee_may_be_holds_him(
        inbox, detainee):
    """The claimant (no AGDREF number) has a final rejection; tonight's list holds a row
    of the same OFPRA number that cannot be read (31/09: a grant, perhaps). The detainee,
    linked to a file by its number or not linked at all, may be that claimant: excluded
    SOURCE_ROW_QUARANTINED, as the claimant is on the rejected list."""
    inbox.person().telemofpra(FINAL_LIST, **CLAIM_OF_SLIP)
    inbox.telemofpra(date(2026, 11, 16), **CLAIM_OF_SLIP, SENS_DECISION="REFUGIE",
                     DATE_DECISION="31/09/2026", DATE_NOTIFICATION="", DATE_DEFINITIVE="")
    inbox.genesis(LIST, row("genesis", **detainee, ITF="DEFINITIVE"))
    out = inbox.decide(allow_quarantine=True)
    excluded = out.only_excluded(RELEASES)
    assert excluded["reason_code"] == "SOURCE_ROW_QUARANTINED"
    assert "TELEMOFPRA_13_20261116.csv:2" in excluded["source_rows"]


def test_oq_03_a_detainee_who_may_be_a_minor_claimant_is_not_acted_on(inbox):
    """The file and the detainee (giving its number, a year off) say an adult since
    12/11/2026; a claimant of the detainee's identity read with day and month swapped
    (11/12/2008) is a minor until 11/12/2026: the detainee may be that minor."""
    inbox.person(DATE_NAISSANCE="12/11/2007")
    inbox.telemofpra(FINAL_LIST, **{**CLAIMANT, "DATE_NAISSANCE": "11/12/2008",
                                    "NUM_OFPRA": "OF20250000042"})
    inbox.genesis(LIST, row("genesis", **{**KNOWN, "DATE_NAISSANCE": "12/11/2008"},
                            ITF="DEFINITIVE"))
    excluded = inbox.decide().only_excluded(RELEASES)
    assert excluded["reason_code"] == "MINOR" and "OQ-03" in excluded["rule_ids"]


def test_a_detainee_who_may_be_a_claimant_whose_file_holds_a_valid_ada_is_not_acted_on(
        inbox):
    """The claimant gives another file's number (Y, born a year later: verified through
    the slip); Y holds a valid asylum attestation. Y is no file of the detainee's, but
    the detainee may be that claimant."""
    inbox.person().person(NUM_AGDREF="0555555555", DATE_NAISSANCE="14/03/1991",
                          DATE_ENTREE_FRANCE="01/06/2023")
    inbox.title(NUM_AGDREF="0555555555", TYPE_TITRE="ADA", DATE_DEBUT="01/10/2026",
                DATE_FIN="01/04/2027", STATUT="VALIDE")
    inbox.telemofpra(FINAL_LIST, **{**CLAIMANT, "NUM_AGDREF": "0555555555",
                                    "NUM_OFPRA": "OF20250000042"})
    inbox.genesis(LIST, row("genesis", **KNOWN, ITF="DEFINITIVE"))
    excluded = inbox.decide().only_excluded(RELEASES)
    assert excluded["reason_code"] == "ASYLUM_PENDING" and "RTR-01" in excluded["rule_ids"]
    assert "AGDREF_TITRES_13_20261116.csv:2" in excluded["source_rows"]


def test_oq_04_a_detainee_to_identify_carries_the_assessment_of_the_files_searched(inbox):
    """Markers "carried on every list": a detainee without a number whose identity agrees
    weakly (the year only) with a file of 2010's entry, whose early end may still be
    appealed, is listed to identify with NO_CONSULAR_CONTACT and INDIVIDUAL_ASSESSMENT
    from that file, as the file's person is on the rejected list."""
    inbox.person(DATE_ENTREE_FRANCE="01/01/2010")
    inbox.telemofpra(date(2026, 9, 11), SENS_DECISION="IRRECEVABILITE",
                     FONDEMENT="L531-32-3", DATE_DEFINITIVE="")
    weak = {**KNOWN, "NUM_AGDREF": "", "DATE_NAISSANCE": "00/00/1990"}
    out = inbox.genesis(LIST, row("genesis", **weak)).decide()
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM"
    assert {"NO_CONSULAR_CONTACT", "INDIVIDUAL_ASSESSMENT"} <= set(flag["markers"])
    assert "AGDREF_PERSONNES_13_20261116.csv:2" in flag["source_rows"]


def test_dq_01_a_quarantined_event_of_a_measure_of_whom_the_detainee_may_be_holds_him(
        inbox):
    """The claimant gives another file's number (Y, born a year later: verified through
    the slip); tonight's EVENEMENTS snapshot records Y's OQTF executed on 31/09/2026, no
    such day: quarantined. Read valid, the row would say Y left France (DECEASED_OR_LEFT,
    every list); the detainee may be Y's claimant, so the row names him too (DQ-01, as
    it names the detainee's own measures: verdicts.person_references)."""
    inbox.person().person(NUM_AGDREF="0555555555", DATE_NAISSANCE="14/03/1991",
                          DATE_ENTREE_FRANCE="01/06/2023")
    inbox.measure(ID_MESURE="M01300000009", NUM_AGDREF="0555555555",
                  DATE_DECISION="01/03/2025", DATE_NOTIFICATION="03/03/2025")
    inbox.event(ID_MESURE="M01300000009", TYPE_EVENEMENT="ELOIGNEMENT_EXECUTE",
                DATE_EVENEMENT="31/09/2026")
    inbox.telemofpra(FINAL_LIST, **{**CLAIMANT, "NUM_AGDREF": "0555555555",
                                    "NUM_OFPRA": "OF20250000042"})
    inbox.genesis(LIST, row("genesis", **KNOWN, ITF="DEFINITIVE"))
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("AGDREF_EVENEMENTS_13_20261116.csv", 2)]
    excluded = out.only_excluded(RELEASES)
    assert excluded["reason_code"] == "SOURCE_ROW_QUARANTINED" and \
        "DQ-01" in excluded["rule_ids"]
    assert "AGDREF_EVENEMENTS_13_20261116.csv:2" in excluded["source_rows"]


# PRI-07 / principle 1 (audit of 2026-12-06): a detainee whom the model sends to an agent
# against the one file they may be (REVIEW) is read with that file's protections, as a
# file found by identity is. Before, a birth date a day off agreed with no file, so no
# file was searched: the detainee was listed IDENTITY_TO_CONFIRM with no marker, when
# the file's holder was a refugee or an asylum seeker (the consulate may be asked).
REFUGEE_GRANT = {"SENS_DECISION": "REFUGIE", "DATE_DEFINITIVE": "", "DATE_DECISION": "03/09/2025",
                 "DATE_NOTIFICATION": "07/09/2025"}


@pytest.mark.parametrize(("protection", "reason", "birth", "sex", "rule"), [
    ("refugee", "PROTECTION_GRANTED", "15/03/1990", "M", "WEAK_BIRTH_DATE"),  # a day off
    ("asylum_attestation", "ASYLUM_PENDING", "14/03/1990", "F",
     "CANDIDATE_CONFLICTS"),  # sex keyed otherwise
])
def test_pri_07_a_detainee_in_review_against_a_protected_file_is_not_acted_on(
        tmp_path, con, protection, reason, birth, sex, rule):
    inbox = Inbox(tmp_path / "inbox", con).person().others()
    if protection == "refugee":
        inbox.telemofpra(FINAL_LIST, **REFUGEE_GRANT)  # gives the file's number: verified
    else:
        inbox.title(TYPE_TITRE="ADA", DATE_DEBUT="01/06/2026", DATE_FIN="31/12/2026",
                    STATUT="VALIDE")
    out = inbox.genesis(LIST, row("genesis", **{
        **CLAIMANT, "NATIONALITE": "GUINEE", "LIEU_NAISSANCE": "GUINEE",
        "DATE_LIBERATION_PREVISIBLE": "15/12/2026", "DATE_NAISSANCE": birth,
        "SEXE": sex})).decide()
    assert con.execute("SELECT link_status, link_rule FROM core.person_links WHERE "
                       "record_key = 'genesis:E01301:000101'").fetchall() == [("REVIEW", rule)]
    assert not out.listed(RELEASES)
    assert out.reason(RELEASES) == reason
