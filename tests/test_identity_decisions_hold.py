"""What agents decided about identities holds at night against what the model or a number
would decide (CONTRACTS §2: a rejected pair is never linked, REVIEW never acted on;
principle 1), and one person is not held in two places (PRI-01)."""

from __future__ import annotations

from datetime import date, datetime

from schemas.codes import REJECTED
from tests.builders import row
from tests.scenarios import PERSON, PERSON_IDENTITY, SECOND, Inbox, namesake_detained
from transforms.identity.review import record_decision

FINAL_LIST = date(2026, 10, 9)
RECORD = "telemofpra:OF20250000001"
THIRD = "0555555555"
OTHER = "0111111111"
AT = datetime(2026, 11, 16, 9)
MEASURES = "unexecuted_measures"


def link_of(con, record: str = RECORD) -> tuple:
    return con.execute("SELECT link_status, link_rule, person_key FROM core.person_links "
                       "WHERE record_key = ?", [record]).fetchall()[0]


def person_key_of(con, number: str) -> str:
    return con.execute("SELECT person_key FROM core.persons WHERE num_agdref = ?",
                       [number]).fetchone()[0]


# 1. A rejection overridden through a merged duplicate ---------------------------------
def test_a_rejected_pair_is_not_linked_again_through_the_file_s_merged_duplicate(tmp_path, con):
    inbox = Inbox(tmp_path, con).person().others().second_file()
    inbox.telemofpra(FINAL_LIST).decide()
    assert person_key_of(con, SECOND) == PERSON  # the model merged DIALO into DIALLO
    assert link_of(con)[0] == "LINKED"
    # the agent says: this claim is not the person of file PERSON
    record_decision(con, RECORD, PERSON, "REJECTED", "agent.13", AT)
    out = inbox.decide()
    # ... yet the model links it to that very person through the merged second file
    assert link_of(con)[2] != PERSON, link_of(con)
    assert out.listed(REJECTED) == []


# 2. A rejected pair of files merged through a third file -------------------------------
def test_a_rejected_pair_of_files_is_never_merged_through_a_third(tmp_path, con):
    inbox = Inbox(tmp_path, con).person().others().second_file()
    # a third DIALLO MAMADOU, entered another day: the model keeps it apart
    inbox.person(NUM_AGDREF=THIRD, DATE_ENTREE_FRANCE="05/05/2019")
    inbox.telemofpra(FINAL_LIST, NUM_AGDREF="").decide()
    assert person_key_of(con, SECOND) == PERSON and person_key_of(con, THIRD) == THIRD
    # the agent: THIRD is SECOND's person, and is NOT PERSON's
    record_decision(con, f"agdref:{SECOND}", THIRD, "CONFIRMED", "agent.13", AT)
    record_decision(con, f"agdref:{PERSON}", THIRD, "REJECTED", "agent.13", AT)
    inbox.decide()
    assert person_key_of(con, THIRD) != person_key_of(con, PERSON)


# 3. A confirmation to a file that left AGDREF's snapshot -------------------------------
def test_a_confirmation_to_a_file_gone_from_the_snapshot_is_not_replaced_by_another_file(
        tmp_path, con):
    earlier = date(2026, 11, 15)
    inbox = Inbox(tmp_path, con).person(snapshot=earlier).person(
        snapshot=earlier, NUM_AGDREF=OTHER, PRENOMS="MAMADOU ALPHA",
        DATE_NAISSANCE="14/03/1991")
    inbox.telemofpra(FINAL_LIST).decide(run_date=earlier)
    assert link_of(con)[:3] == ("LINKED", "NUMBER_VERIFIED", PERSON)
    # the list's number is wrong: the agent ties the claim to the other file, saying so
    # over the link the number made (an explicit override, recorded)
    record_decision(con, RECORD, OTHER, "CONFIRMED", "agent.13", datetime(2026, 11, 15, 9),
                    override=True)
    inbox.decide(run_date=earlier)
    assert link_of(con) == ("LINKED", "AGENT_CONFIRMED", OTHER)
    # next snapshot: OTHER is gone (deleted, or renumbered / merged in AGDREF)
    out = inbox.person().decide()
    # the agent said this claim is not PERSON's: it must not be acted on as PERSON
    assert link_of(con)[0] != "LINKED", link_of(con)
    assert out.listed(REJECTED) == []


# 5. Two detainees held now, both firmly tied to one person ------------------------------
def test_two_detainees_held_now_are_not_both_acted_on_as_one_person(tmp_path, con):
    here, there = "genesis:E01301:000101", "genesis:E01302:000202"
    inbox = Inbox(tmp_path, con).person().measure(
        DATE_DECISION="01/06/2026", DATE_NOTIFICATION="03/06/2026").others()
    inbox.genesis(FINAL_LIST, row("genesis", DATE_NAISSANCE="00/00/1990",
                                  **{k: v for k, v in PERSON_IDENTITY.items()
                                     if k != "DATE_NAISSANCE"}))
    inbox.decide()
    assert link_of(con, here)[0] == "REVIEW"
    record_decision(con, here, PERSON, "CONFIRMED", "agent.13", AT)
    # a week later another establishment's list holds a detainee giving the file's number
    inbox.genesis(FINAL_LIST, row("genesis", NUM_ECROU="000202", CODE_ETABLISSEMENT="E01302",
                                  NUM_AGDREF=PERSON, **PERSON_IDENTITY), establishment="E01302")
    listed = inbox.decide().listed("upcoming_releases")
    links = {key: link_of(con, key) for key in (here, there)}
    # one person is not held in two places (PRI-01): at least one is someone else
    assert [k for k, lk in links.items() if lk[0] == "LINKED"] != [here, there], links
    assert sum(r["num_agdref"] == PERSON for r in listed) <= 1, listed


# A night run --as-of a past date sees the agents' identity decisions recorded by then,
# as it sees what was delivered by then (audit of 2026-12-06: before, a decision of
# 20/11 changed the replay of the night of 16/11, both ways).
def test_a_night_as_of_a_past_date_ignores_a_rejection_recorded_after_it(tmp_path, con):
    inbox = Inbox(tmp_path, con).person()
    out = inbox.telemofpra(date(2026, 10, 9)).decide()
    assert [r["person_key"] for r in out.listed(REJECTED)] == [PERSON]
    record_decision(con, "telemofpra:OF20250000001", PERSON, "REJECTED", "agent.13",
                    datetime(2026, 11, 20, 9))
    assert [r["person_key"] for r in inbox.decide().listed(REJECTED)] == [PERSON]
    assert inbox.decide(date(2026, 11, 20)).reason(REJECTED) == "IDENTITY_CONFLICT"


def test_a_night_as_of_a_past_date_does_not_act_on_a_link_confirmed_after_it(tmp_path, con):
    """On 16/11 the claim (a partial birth date) was in review: not listed. A confirmation
    of 20/11 lists the person from the night of 20/11, not on a replay of 16/11."""
    inbox = Inbox(tmp_path, con).person().others()
    out = inbox.telemofpra(date(2026, 10, 9), NUM_AGDREF="",
                           DATE_NAISSANCE="00/03/1990").decide()
    assert out.reason(REJECTED) == "IDENTITY_CONFLICT"
    record_decision(con, "telemofpra:OF20250000001", PERSON, "CONFIRMED", "agent.13",
                    datetime(2026, 11, 20, 9))
    assert inbox.decide().listed(REJECTED) == []
    assert [r["person_key"] for r in inbox.decide(date(2026, 11, 20)).listed(REJECTED)] == \
        [PERSON]


def test_a_confirmation_and_a_rejection_at_the_same_instant_act_on_no_one(tmp_path, con):
    """Two agents decide one pair at the same instant, one each way: which came last
    cannot be told; the rejection stands (principle 1: a doubt never leads to action).
    Before, the confirmation won the tie (alphabetical order) and the person was listed."""
    inbox = Inbox(tmp_path, con).person().others()
    inbox.telemofpra(date(2026, 10, 9), NUM_AGDREF="", DATE_NAISSANCE="00/03/1990").decide()
    at = datetime(2026, 11, 15, 9)
    record_decision(con, "telemofpra:OF20250000001", PERSON, "CONFIRMED", "agent.13", at)
    record_decision(con, "telemofpra:OF20250000001", PERSON, "REJECTED", "agent.13b", at)
    out = inbox.decide()
    assert out.listed(REJECTED) == []
    assert out.reason(REJECTED) == "IDENTITY_CONFLICT"


# A confirmation the record's number contradicts since --------------------------------
DETAINEE = "genesis:E01301:000101"
RELEASES = "upcoming_releases"
DETAINED = {"NOM": "DIALLO", "PRENOMS": "MAMADOU", "NATIONALITE": "GUINEE"}


def detainee_confirmed_to_person(tmp_path, con) -> Inbox:
    """A detainee DIALLO MAMADOU born 00/00/1990 with two namesake files (PERSON under an
    enforceable OQTF, born 14/03/1990; OTHER born 20/05/1990): in review, then confirmed
    to PERSON by an agent (AT)."""
    inbox = Inbox(tmp_path, con).person().measure(
        DATE_DECISION="01/06/2026", DATE_NOTIFICATION="03/06/2026").others()
    inbox.person(NUM_AGDREF=OTHER, DATE_NAISSANCE="20/05/1990",
                 DATE_ENTREE_FRANCE="05/05/2019")
    inbox.genesis(date(2026, 11, 2), row("genesis", DATE_NAISSANCE="00/00/1990", **DETAINED))
    inbox.decide()
    assert link_of(con, DETAINEE)[0] == "REVIEW"
    record_decision(con, DETAINEE, PERSON, "CONFIRMED", "agent.13", AT)
    return inbox


def test_a_confirmation_is_not_acted_on_once_the_record_s_number_verifies_another_person(
        tmp_path, con):
    """README "Identity review": "Confirmations cannot contradict each other: a record
    confirmed to the file of another person than one it is already confirmed to or linked
    to tonight (its number verified, the model's link ...) ... is refused"; CONTRACTS §2
    "`person_key`: the AGDREF number of the linked person when one is known with
    confidence"; RULES principle 1 ("When data are missing or contradictory, the person is
    not put on an execution-oriented list") and PRI-08/PRI-09 (`IDENTITY_TO_CONFIRM` when
    the detainee cannot be tied to an AGDREF file with confidence).

    Night 1: a detainee DIALLO MAMADOU born 00/00/1990 has two namesake files (PERSON,
    under an enforceable OQTF, born 14/03/1990; OTHER born 20/05/1990): REVIEW. The agent
    confirms PERSON. Night 2: the prison's next list gives his full birth date 20/05/1990
    and OTHER's number, which verifies (NUMBER_VERIFIED evidence in
    core.identity_candidates). The record is now tied by its own verified number to
    another person than the one confirmed: the very contradiction record_decision refuses
    at the time of confirmation. The night does not look: core_person_links.sql `decided`
    puts AGENT_CONFIRMED before NUMBER_VERIFIED unconditionally, so the detainee stays
    LINKED to PERSON and is listed ENFORCEABLE_MEASURE under PERSON's OQTF: a man the
    prison identifies as OTHER's holder is planned for removal under a namesake's measure
    (identity audit of 2026-12-07). Now: REVIEW, AGENT_CONFIRMED_CONTRADICTED, listed
    IDENTITY_TO_CONFIRM, until an agent rejects one of the two persons for him."""
    inbox = detainee_confirmed_to_person(tmp_path, con)
    listed = inbox.decide().only_listed(RELEASES)
    assert listed["situation"] == "ENFORCEABLE_MEASURE"  # as the agent decided
    # the prison's next list: his full birth date, and OTHER's number (it verifies)
    inbox.genesis(date(2026, 11, 14), row("genesis", DATE_NAISSANCE="20/05/1990",
                                          NUM_AGDREF=OTHER, **DETAINED))
    out = inbox.decide()
    assert con.execute("SELECT num_agdref, evidence FROM core.identity_candidates "
                       "WHERE record_key = ?", [DETAINEE]).fetchall() == [(OTHER, "NUMBER")]
    listed = out.only_listed(RELEASES)
    assert (listed["num_agdref"], listed["situation"]) != (PERSON, "ENFORCEABLE_MEASURE"), \
        (link_of(con, DETAINEE), listed)
    assert link_of(con, DETAINEE)[:2] == ("REVIEW", "AGENT_CONFIRMED_CONTRADICTED")
    assert listed["situation"] == "IDENTITY_TO_CONFIRM"
    # the agent looks again: he is not OTHER's holder (the number was a slip)
    record_decision(con, DETAINEE, OTHER, "REJECTED", "agent.13", datetime(2026, 11, 16, 11))
    inbox.decide()
    assert link_of(con, DETAINEE) == ("LINKED", "AGENT_CONFIRMED", PERSON)


def test_a_confirmation_is_not_acted_on_once_a_later_list_corrects_the_birth_year_against_it(
        tmp_path, con):
    """identity_agreement.sql: "identity_conflict (a known sex, nationality or birth year
    that differs) ... a probability may outweigh it, an action must not"; RULES principle 1
    and PRI-08/PRI-09 (IDENTITY_TO_CONFIRM).

    The agent confirmed the detainee (born 00/00/1990 on the list) to PERSON (born
    14/03/1990) on 16/11. The prison's list of 17/11 corrects his birth date to
    20/05/1993: a known birth year that differs from the file's, which the agent never
    saw. Before (identity audit of 2026-12-07), the confirmation held whatever the record
    said since, and he stayed planned for removal under PERSON's OQTF. Now: back in review
    (AGENT_CONFIRMED_CONTRADICTED) until an agent confirms on the corrected identity; a
    conflict the agent saw when confirming does not undo the confirmation."""
    inbox = detainee_confirmed_to_person(tmp_path, con)
    assert inbox.decide().only_listed(RELEASES)["situation"] == "ENFORCEABLE_MEASURE"
    later = date(2026, 11, 17)
    inbox.genesis(later, row("genesis", DATE_NAISSANCE="20/05/1993", **DETAINED))
    listed = inbox.decide(later).only_listed(RELEASES)
    assert link_of(con, DETAINEE)[:2] == ("REVIEW", "AGENT_CONFIRMED_CONTRADICTED")
    assert listed["situation"] == "IDENTITY_TO_CONFIRM"
    # the agent confirms again, seeing the corrected year: it holds
    record_decision(con, DETAINEE, PERSON, "CONFIRMED", "agent.13", datetime(2026, 11, 18, 9))
    inbox.decide(date(2026, 11, 18))
    assert link_of(con, DETAINEE) == ("LINKED", "AGENT_CONFIRMED", PERSON)


def test_a_rejected_identity_is_not_acted_on_again_when_the_detainee_is_moved(tmp_path, con):
    """DESIGN "Non-negotiables": "Uncertain identity never leads to action"; RULES
    principle 1 and PRI-08/PRI-09 (`IDENTITY_TO_CONFIRM` "when the detainee cannot be tied
    to an AGDREF file with confidence"); README: "rejected pairs never link", "a prisoner
    moved from one establishment to another" is a known case (PRI-01).

    Night 1: detainee DIALLO MAMADOU 14/03/1990 at E01301 is linked by the model alone
    (PROBABILISTIC) to PERSON, under an enforceable OQTF. The agent rejects the pair: he is
    not PERSON's holder; the night lists him IDENTITY_TO_CONFIRM. Night 2: he is moved:
    E01301's next list no longer holds him, E01302's list holds the same man (same names,
    birth date, nationality) under a new committal number. Nothing new ties him to PERSON:
    the model's evidence is exactly what the agent judged wrong. Yet the rejection is keyed
    on the committal record alone (core_person_links.sql `rejected_persons` joins on
    record_key; agent decisions of other kinds follow the person through
    core.agent_decision_anchors, identity rejections do not), so the new record is
    LINKED PROBABILISTIC to PERSON again and planned for removal under PERSON's OQTF
    (ENFORCEABLE_MEASURE), before (identity audit of 2026-12-07). Now the rejection holds
    for a record of the very same identity: not acted on under PERSON without an agent
    (IDENTITY_TO_CONFIRM)."""
    moved = "genesis:E01302:000202"
    inbox = namesake_detained(tmp_path, con)
    out = inbox.decide()
    assert link_of(con, DETAINEE) == ("LINKED", "PROBABILISTIC", PERSON)
    record_decision(con, DETAINEE, PERSON, "REJECTED", "agent.13", AT)
    assert inbox.decide().only_listed(RELEASES)["situation"] == "IDENTITY_TO_CONFIRM"
    # moved: E01301's next list is empty, E01302's holds him under a new committal number
    inbox.genesis(date(2026, 11, 14))
    inbox.genesis(date(2026, 11, 14), row("genesis", NUM_ECROU="000202",
                                          CODE_ETABLISSEMENT="E01302", **PERSON_IDENTITY),
                  establishment="E01302")
    out = inbox.decide()
    listed = out.only_listed(RELEASES)
    assert listed["establishment_code"] == "E01302"
    assert (listed["num_agdref"], listed["situation"]) != (PERSON, "ENFORCEABLE_MEASURE"), \
        link_of(con, moved)
    assert listed["situation"] == "IDENTITY_TO_CONFIRM"
