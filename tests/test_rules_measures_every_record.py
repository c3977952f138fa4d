"""The measures list searches the protections of a measure's person through every record
tied to them (RULES.md §5, "exclusions that apply to every list"; principle 1; RTR-06 and
PRI-07 markers "on any of the three lists"): unexecuted.person_search. Each test was
written by an audit of 2026-12-07 and failed before.

What the code did then: the releases list decided a detainee linked to an AGDREF
file with everything the detainee *may be* (verdicts.claimants_alike and
claimants_protections: a TélémOfpra claimant whose identity agrees with the detainee's;
verdicts.candidate_files called with the detainee's own record, so the files whose
identity agrees with the *detainee's* identity). The measures list decides the same
file's measures (unexecuted.decide_measure / screen_measure / measure_flag) from
candidate_files(facts, ["agdref:<number>"]) alone: neither the claimants alike the
detainee tied to that file, nor the files alike him, are read. The same person, held
tonight (`in_detention` true), is then excluded from the releases list as protected while
his OQTF was on the measures list, an execution list, without exclusion or marker. So
was the OQTF of a person whose confirmed claim's identity agreed with a file holding a
residence card (the rejected list excluded them RESIDENCE_PERMIT).

Synthetic data only. Scenario as of RUN (16/11/2026).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from schemas.codes import MEASURES, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, Inbox
from transforms.identity.review import record_decision

LIST = date(2026, 11, 12)
# The detainee gives the AGDREF file's number; his birth date is a year off the file's
# (verified through the slip: LINKED, NUMBER_VERIFIED, a firm tie).
DETAINEE = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
            "DATE_NAISSANCE": "14/03/1991", "NATIONALITE": "GUINEE"}
# A TélémOfpra claimant of the detainee's identity, giving no AGDREF number (his file is
# in another department, or not made yet): unlinked, but alike the detainee.
CLAIMANT = {"NUM_AGDREF": "", "NOM": "DIALLO", "PRENOMS": "MAMADOU",
            "DATE_NAISSANCE": "14/03/1991", "NUM_OFPRA": "OF20250000042"}
GRANT = {"SENS_DECISION": "REFUGIE", "DATE_INTRODUCTION": "01/01/2021",
         "DATE_DECISION": "01/05/2021", "DATE_NOTIFICATION": "03/05/2021",
         "DATE_DEFINITIVE": ""}
REGISTERED = {"TYPE_DEMANDE": "REEXAMEN", "DATE_INTRODUCTION": "10/11/2026",
              "SENS_DECISION": "", "FONDEMENT": "", "DATE_DECISION": "", "MODE_CNDA": "",
              "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}
EARLY_END = {"SENS_DECISION": "IRRECEVABILITE", "FONDEMENT": "L531-32-3",
             "DATE_INTRODUCTION": "01/04/2026", "DATE_DECISION": "01/09/2026",
             "DATE_NOTIFICATION": "05/09/2026", "DATE_DEFINITIVE": ""}
# An OQTF of the file, enforceable since 03/04/2026, coercible, no challenge.
OQTF = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person().measure(**OQTF)


def linked_detainee(out) -> None:
    assert out.con.execute(
        "SELECT person_key, link_status FROM core.person_links "
        "WHERE record_key = 'genesis:E01301:000101'").fetchall() == [(PERSON, "LINKED")]


@pytest.mark.parametrize(("claim", "releases_reason"), [
    ("refugee", "PROTECTION_GRANTED"),
    ("reexamination_pending", "ASYLUM_PENDING"),
])
def test_the_measures_list_holds_a_detainee_the_releases_list_holds_as_a_possible_claimant(
        inbox, claim, releases_reason):
    """RULES.md principle 1: "When data are missing or contradictory, the person is *not*
    put on an execution-oriented list; they go to `exclusions` with a reason"; RTR-10 (a
    grant "is final: never flag"), RTR-08 / EX-05 ("A measure cannot be executed while an
    RTR runs ... excluded with SUSPENDED_BY_RTR"); §5 applies "to every list".

    The detainee is firmly linked to file 0123456789 (he gave its number) and a claimant
    alike him (same names, birth date, nationality; no AGDREF number) is a refugee, or has
    a first re-examination registered and undecided. The releases list excludes the
    detainee (decide_release -> detainee_findings -> claimants_alike /
    claimants_protections: he may be that claimant). The measures list lists the same
    file's OQTF as unexecuted, `in_detention` true, with no exclusion and no marker:
    unexecuted.screen_measure reads candidate_files(["agdref:0123456789"]) only and never
    the claimants alike the detainee tied to that file.
    Expected: the OQTF excluded (the protection's reason, or IDENTITY_CONFLICT), as the
    releases list holds the same person."""
    inbox.telemofpra(date(2026, 10, 9), **CLAIMANT, **(GRANT if claim == "refugee" else {}))
    if claim == "reexamination_pending":
        inbox.telemofpra(date(2026, 11, 13), **CLAIMANT, **REGISTERED)
    out = inbox.genesis(LIST, row("genesis", **DETAINEE)).decide()
    linked_detainee(out)
    # the releases list holds the detainee as the claimant he may be
    assert out.reason(RELEASES) == releases_reason
    # the measures list acts on the same person, held tonight
    listed = out.listed(MEASURES)
    assert not listed, [(f["measure_id"], f["in_detention"], f["markers"]) for f in listed]


def test_the_measures_list_holds_a_detainee_whose_identity_matches_a_file_with_a_valid_ada(
        inbox):
    """RULES.md RTR-01: "A valid attestation de demande d'asile (AGDREF title type ADA)
    means the RTR is running"; EX-05: "A measure cannot be executed while an RTR runs ...
    excluded with SUSPENDED_BY_RTR"; principle 1.

    A second AGDREF file 0555555555 (DIALLO MAMADOU born 14/03/1991, the detainee's exact
    identity) holds a valid ADA. The detainee, firmly linked to 0123456789 by the number
    he gave, may be that file's holder: the releases list excludes him ASYLUM_PENDING
    (verdicts.candidate_files called with the detainee's record finds 0555555555). The
    measures list reads candidate_files(["agdref:0123456789"]) (files alike the *file*,
    born 1990), not the files alike the detainee tied to it, and lists the OQTF of
    0123456789 as unexecuted, `in_detention` true.
    Expected: the OQTF excluded (SUSPENDED_BY_RTR or IDENTITY_CONFLICT)."""
    inbox.person(NUM_AGDREF="0555555555", DATE_NAISSANCE="14/03/1991",
                 DATE_ENTREE_FRANCE="01/06/2023")
    inbox.title(NUM_AGDREF="0555555555", TYPE_TITRE="ADA", DATE_DEBUT="01/10/2026",
                DATE_FIN="01/04/2027", STATUT="VALIDE")
    out = inbox.genesis(LIST, row("genesis", **DETAINEE)).decide()
    linked_detainee(out)
    assert out.reason(RELEASES) == "ASYLUM_PENDING"
    listed = out.listed(MEASURES)
    assert not listed, [(f["measure_id"], f["in_detention"], f["markers"]) for f in listed]


def test_consular_ban_and_suspension_marker_of_a_detainee_are_carried_to_his_measure(inbox):
    """RULES.md PRI-07: "A listed person (any of the three lists) whose latest claim may
    still await a decision carries the marker NO_CONSULAR_CONTACT"; RTR-06: "every flag of
    that person, on any of the three lists, carries the marker
    SUSPENSION_REQUEST_POSSIBLE"; Markers: "carried on every list where the person
    appears".

    The claimant alike the detainee had an early end (inadmissibility L531-32 3°, notified
    05/09/2026, no CNDA decision, no DATE_DEFINITIVE). The releases flag of the detainee
    (linked to 0123456789) carries NO_CONSULAR_CONTACT and SUSPENSION_REQUEST_POSSIBLE
    (release_flag reads consular_markers / suspension_markers with `claimants`). The
    measures flag of the same file's OQTF, `in_detention` true, carries neither:
    unexecuted.measure_flag calls consular_markers(facts, files, run_date) and
    suspension_markers(...) without the claimants alike the detainee. A unit working
    the measures list may turn to the consulate about a person who may await the CNDA."""
    inbox.telemofpra(date(2026, 9, 11), **CLAIMANT, **EARLY_END)
    out = inbox.genesis(LIST, row("genesis", **DETAINEE)).decide()
    linked_detainee(out)
    release = out.only_listed(RELEASES)
    assert {"NO_CONSULAR_CONTACT", "SUSPENSION_REQUEST_POSSIBLE"} <= set(release["markers"])
    measure = out.only_listed(MEASURES)
    assert measure["in_detention"] and measure["person_key"] == release["person_key"]
    assert {"NO_CONSULAR_CONTACT", "SUSPENSION_REQUEST_POSSIBLE"} <= set(measure["markers"]), \
        measure["markers"]


def test_the_measures_list_holds_a_detainee_the_releases_list_holds_as_a_possible_minor(
        tmp_path, con):
    """RULES.md OQ-03 / §5 MINOR ("under 18 on the run date (no OQTF, no expulsion, no
    retention)", an exclusion "that applies to every list"); principle 1.

    The file (born 12/11/2007) and the detainee (gives its number, born 12/11/2008: firmly
    linked) are adults on 16/11/2026 by the file; a claimant alike the detainee, read with
    day and month swapped (11/12/2008), is a minor until 11/12/2026. The releases list
    excludes the detainee MINOR (claimants_protections -> identity_findings); the
    measures list lists the same file's OQTF (`in_detention` true): screen_measure's
    identity_findings reads the files and the records linked to them, never the
    claimants alike the detainee. Expected: the OQTF excluded (MINOR or
    IDENTITY_CONFLICT)."""
    inbox = Inbox(tmp_path / "inbox", con).person(DATE_NAISSANCE="12/11/2007").measure(**OQTF)
    inbox.telemofpra(date(2026, 10, 9), **{**CLAIMANT, "DATE_NAISSANCE": "11/12/2008"})
    out = inbox.genesis(LIST, row("genesis", **{**DETAINEE,
                                                "DATE_NAISSANCE": "12/11/2008"})).decide()
    linked_detainee(out)
    assert out.reason(RELEASES) == "MINOR"
    listed = out.listed(MEASURES)
    assert not listed, [(f["measure_id"], f["in_detention"], f["markers"]) for f in listed]


OTHER = "0111111111"
CLAIM = "telemofpra:OF20250000001"
FINAL_LIST = date(2026, 10, 9)
AT = datetime(2026, 11, 16, 9)


def link_of(con, record: str) -> tuple:
    return con.execute("SELECT link_status, link_rule, person_key FROM core.person_links "
                       "WHERE record_key = ?", [record]).fetchall()[0]


def test_a_card_that_excludes_a_confirmed_claimant_from_the_rejected_list_excludes_their_measure(
        tmp_path, con):
    """RULES §5 ("Exclusions that apply to every list": `RESIDENCE_PERMIT`, valid residence
    permit); DESIGN ("no person with a protection in RULES.md is ever put on a list that
    leads to execution"); README "Identity review": "Protections are still searched on every
    file whose identity agrees, decided or not", and "Protections are also searched on every
    AGDREF file whose identity agrees without a number (core.identity_candidates), so a
    second file or a missing number never hides a permit".

    A claimant gives PERSON's number with another birth date (14/07/1991): in review. A
    second AGDREF file DIALLO MAMADOU born 14/07/1991 (OTHER: the claimant's exact
    identity, perhaps his own second file) holds a valid CST. The agent confirms the claim
    to PERSON. That night the person 0123456789 is excluded from rejected_without_oqtf
    with RESIDENCE_PERMIT (OTHER's card, found through the claim's candidates), yet the
    same person's OQTF (on PERSON) is listed on unexecuted_measures, for execution.
    unexecuted.decide_measure searches candidate_files(facts, ["agdref:<number>"]) only:
    the file's own candidates, never those of the records confirmed or linked to the
    file's person (verdicts.candidate_files adds the linked file's candidates to a
    record's, not the other way round), so the permit the rejected list found is not
    seen. Expected: the measure excluded (RESIDENCE_PERMIT or IDENTITY_CONFLICT) as the
    person is on the other list."""
    inbox = Inbox(tmp_path, con).person().measure(
        DATE_DECISION="01/06/2026", DATE_NOTIFICATION="03/06/2026")
    inbox.person(NUM_AGDREF=OTHER, DATE_NAISSANCE="14/07/1991", DATE_ENTREE_FRANCE="05/05/2019")
    inbox.title(NUM_AGDREF=OTHER, TYPE_TITRE="CST", DATE_DEBUT="01/01/2026",
                DATE_FIN="31/12/2027", STATUT="VALIDE")
    inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="14/07/1991").decide()
    assert link_of(con, CLAIM)[:2] == ("REVIEW", "NUMBER_NOT_VERIFIED")
    record_decision(con, CLAIM, PERSON, "CONFIRMED", "agent.13", AT)
    out = inbox.decide()
    assert link_of(con, CLAIM) == ("LINKED", "AGENT_CONFIRMED", PERSON)
    rejected = out.only_excluded(REJECTED)
    assert (rejected["person_key"], rejected["reason_code"]) == (PERSON, "RESIDENCE_PERMIT")
    # the same person, the same night, on the execution list
    assert out.listed(MEASURES) == [], out.listed(MEASURES)
