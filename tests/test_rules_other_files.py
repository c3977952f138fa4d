"""What holds a person besides their own claims (RULES.md §5, RTR-01, RTR-05, RTR-07, DQ-01,
principle 1): a record in identity review whose claim is reopenable or ended by an
ordonnance not yet notified, a second file's claim, a quarantined row naming that claim,
a reopening without its date."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, RUN, SECOND, Inbox

FINAL_LIST = date(2026, 10, 9)
LIST = date(2026, 11, 12)
KNOWN = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}
IN_REVIEW = {"NUM_OFPRA": "OF20260000009", "NUM_AGDREF": "", "DATE_NAISSANCE": "00/00/1990"}
# a closure decided 01/10/2026, notified 05/10/2026: reopenable until 05/07/2027 (RTR-07)
CLOSURE = {"SENS_DECISION": "CLOTURE", "FONDEMENT": "L531-37", "DATE_DECISION": "01/10/2026",
           "DATE_NOTIFICATION": "05/10/2026", "DATE_DEFINITIVE": ""}
NOT_FINAL = {"DATE_DEFINITIVE": ""}


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


def person_flags(rows):
    return [r for r in rows if r["num_agdref"] == PERSON]


def test_a_reopenable_closure_shown_by_a_record_in_review_holds_the_rejected_flag(inbox):
    """RULES.md §5: "`CLOSURE_REOPENABLE` | closure less than 9 months old (RTR-07)" is an
    exclusion "that appl[ies] to every list"; principle 1: "When data are missing or
    contradictory, the person is *not* put on an execution-oriented list". A claim in
    identity review against the person's file (the person, perhaps) was closed 6 weeks
    ago: the person may have the file reopened, which restores the RTR (RTR-07)."""
    inbox.others().telemofpra(FINAL_LIST)
    out = inbox.telemofpra(date(2026, 10, 16), **IN_REVIEW, **CLOSURE).decide()
    assert out.con.execute("SELECT link_status FROM core.person_links WHERE record_key = "
                           "'telemofpra:OF20260000009'").fetchall() == [("REVIEW",)]
    assert not person_flags(out.listed(REJECTED))


def test_a_reopenable_closure_in_review_holds_the_detainee_with_a_ban(inbox):
    """Same reading as above (§5 CLOSURE_REOPENABLE on every list, principle 1) on the
    releases list: a detainee with a judicial ITF is not ENFORCEABLE_MEASURE while a
    claim that may be theirs is reopenable."""
    inbox.others().telemofpra(date(2026, 10, 16), **IN_REVIEW, **CLOSURE)
    out = inbox.genesis(LIST, row("genesis", ITF="DEFINITIVE", **KNOWN)).decide()
    assert not [r for r in out.listed(RELEASES) if r["situation"] == "ENFORCEABLE_MEASURE"]


def test_a_reopenable_closure_in_review_holds_the_measure(inbox):
    """Same reading (§5 CLOSURE_REOPENABLE on every list, principle 1) on the unexecuted
    measures list."""
    inbox.others().measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    out = inbox.telemofpra(date(2026, 10, 16), **IN_REVIEW, **CLOSURE).decide()
    assert not person_flags(out.listed(MEASURES))


def second_file_with_open_claim(inbox: Inbox) -> Inbox:
    """The person's second AGDREF file (not merged: its entry date differs; searched for
    the person's protections), whose own claim's OFPRA rejection is not reported final:
    an appeal may be pending at the CNDA (RTR-03: RTR_END_UNCONFIRMED, the RTR runs)."""
    inbox.others().second_file(DATE_ENTREE_FRANCE="05/12/2024")
    return inbox.telemofpra(date(2026, 11, 13), NUM_OFPRA="OF20260000002", NUM_AGDREF=SECOND,
                            NOM="DIALO", DATE_DECISION="01/10/2026",
                            DATE_NOTIFICATION="05/10/2026", **NOT_FINAL)


def test_an_open_claim_on_a_second_file_holds_the_measure(inbox):
    """RULES.md EX-05 / §5 `RTR_END_UNCONFIRMED` and `ASYLUM_PENDING` apply to every list;
    RTR-01: "Absence from TélémOfpra never means 'not an asylum seeker'"; principle 1.
    The releases list already excludes a detainee for such a second file
    (releases.decide_release reads the RTR of every file searched); the measures list
    must not chase the OQTF of a person whose other file shows a claim still open."""
    inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    out = second_file_with_open_claim(inbox.telemofpra(FINAL_LIST)).decide()
    links = dict(out.con.execute(
        "SELECT record_key, person_key FROM core.person_links WHERE record_key IN "
        "('agdref:0987654321', 'telemofpra:OF20260000002')").fetchall())
    assert links == {"agdref:0987654321": SECOND, "telemofpra:OF20260000002": SECOND}
    assert not person_flags(out.listed(MEASURES))


def test_an_open_claim_on_a_second_file_holds_the_rejected_flag(inbox):
    """Same rules (§5 on every list, principle 1) on the rejected list: the person's
    first file has a final rejection, their second file a rejection still open to
    appeal."""
    out = second_file_with_open_claim(inbox.telemofpra(FINAL_LIST)).decide()
    assert not person_flags(out.listed(REJECTED))


def test_an_open_claim_on_a_second_file_holds_the_detainee(inbox):
    """Control: the releases list already holds such a detainee."""
    second_file_with_open_claim(inbox)
    out = inbox.genesis(LIST, row("genesis", ITF="DEFINITIVE", **KNOWN)).decide()
    assert not [r for r in out.listed(RELEASES) if r["situation"] == "ENFORCEABLE_MEASURE"]


REGISTERED = {"SENS_DECISION": "", "FONDEMENT": "", "DATE_DECISION": "", "MODE_CNDA": "",
              "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}


def closed_then_reopened_undated(inbox: Inbox, closed: int, list_before: date = date(2026, 10, 9)):
    """A first claim finally rejected; a first re-examination closed (decided 05/01,
    notified 12/01 of `closed`: its window ends on 12/10 of that year), shown again by
    the list of `list_before`; then a REOUVERTURE without DATE_INTRODUCTION, first shown by
    the list of 16/10/2026."""
    before = closed - 1
    inbox.telemofpra(date(before, 6, 4), DATE_INTRODUCTION=f"02/01/{before - 1}",
                     DATE_DECISION=f"01/04/{before}", DATE_NOTIFICATION=f"04/04/{before}",
                     DATE_DEFINITIVE=f"05/05/{before}")
    closure = {"TYPE_DEMANDE": "REEXAMEN", "DATE_INTRODUCTION": f"01/09/{before}",
               "SENS_DECISION": "CLOTURE", "FONDEMENT": "L531-37",
               "DATE_DECISION": f"05/01/{closed}", "DATE_NOTIFICATION": f"12/01/{closed}",
               "DATE_DEFINITIVE": ""}
    inbox.telemofpra(date(closed, 1, 16), **closure)
    inbox.telemofpra(list_before, **closure)
    inbox.telemofpra(date(2026, 10, 16), TYPE_DEMANDE="REOUVERTURE", DATE_INTRODUCTION="",
                     **REGISTERED)
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == []
    return out


def test_an_undated_reopening_first_listed_days_after_the_window_may_be_within_it(inbox):
    """RTR-07: "for **9 months** after a closure decision ... the person may have the file
    reopened, which restores the RTR"; RTR-08: "A `REOUVERTURE` request registered after
    the 9-month window of RTR-07 is read as a re-examination request"; principle 1: "When
    data are missing ... the person is *not* put on an execution-oriented list". A first
    claim finally rejected, a first re-examination closed (decided 05/01/2026, notified
    12/01/2026: the window ends 12/10/2026), then a REOUVERTURE whose row gives no
    DATE_INTRODUCTION, first shown by the weekly list of 16/10/2026 (the list before it was
    09/10/2026): it may have been registered on 10, 11 or 12/10/2026, within the window,
    and then restores the RTR. The code takes the first list's date as the registration
    date (rights.registration_date), reads the request as a second re-examination (no
    RTR) and lists the person."""
    out = closed_then_reopened_undated(inbox, closed=2026)
    assert not person_flags(out.listed(REJECTED))


@pytest.mark.parametrize(("list_before", "protected"), [
    (date(2026, 10, 12), True), (date(2026, 10, 13), False)])
def test_an_undated_reopening_after_a_list_of_the_anniversary_may_be_within_the_window(
        inbox, list_before, protected):
    """RTR-07, "its 9-month anniversary included"; principle 1. The window ends on
    12/10/2026; the list before the one that first shows the undated request is of
    `list_before`. A list of the anniversary is extracted at some hour of that day: the
    request may have been registered later the same day, within the window (the right
    to remain restored: not listed). After a list of the day after the window, it was
    registered past it: a second re-examination, no right to remain (listed)."""
    out = closed_then_reopened_undated(inbox, closed=2026, list_before=list_before)
    assert bool(person_flags(out.listed(REJECTED))) is not protected


def closed_in_2025(inbox: Inbox) -> None:
    """A first claim closed on 05/01/2025, notified 12/01/2025: its reopening window
    (RTR-07) ended on 12/10/2025."""
    inbox.telemofpra(date(2025, 1, 16), SENS_DECISION="CLOTURE", FONDEMENT="L531-37",
                     DATE_DECISION="05/01/2025", DATE_NOTIFICATION="12/01/2025",
                     DATE_DEFINITIVE="", DATE_INTRODUCTION="02/06/2024")


def reopened_late(inbox: Inbox) -> None:
    """A reopening introduced 03/11/2025, past that window, registered (list of
    07/11/2025)."""
    inbox.telemofpra(date(2025, 11, 7), TYPE_DEMANDE="REOUVERTURE",
                     **{**REGISTERED, "DATE_INTRODUCTION": "03/11/2025"})


@pytest.mark.parametrize("second", ["REOUVERTURE", "REEXAMEN_MULTIPLE"])
def test_a_second_late_reopening_is_a_second_re_examination(inbox, second):
    """RTR-08: "A `REOUVERTURE` request registered after the 9-month window of RTR-07 is
    read as a re-examination request (first or later, by the person's history)" and "A
    second or later re-examination (`REEXAMEN_MULTIPLE`) gives no RTR". A closure
    notified 12/01/2025 (window ended 12/10/2025); a reopening introduced 03/11/2025, past
    it (a first re-examination), rejected and final; another introduced 05/11/2026,
    registered, undecided: a second re-examination, as if it were typed so. The person
    is listed (it was read as a first re-examination: ASYLUM_PENDING), marked
    NO_CONSULAR_CONTACT while it awaits its decision (PRI-07)."""
    closed_in_2025(inbox)
    reopened_late(inbox)
    inbox.telemofpra(date(2026, 3, 13), TYPE_DEMANDE="REOUVERTURE",
                     DATE_INTRODUCTION="03/11/2025", SENS_DECISION="REJET", FONDEMENT="",
                     DATE_DECISION="02/02/2026", DATE_NOTIFICATION="06/02/2026",
                     DATE_DEFINITIVE="10/03/2026")
    inbox.telemofpra(date(2026, 11, 13), TYPE_DEMANDE=second,
                     **{**REGISTERED, "DATE_INTRODUCTION": "05/11/2026"})
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == []
    [flag] = person_flags(out.listed(REJECTED))
    assert "NO_CONSULAR_CONTACT" in flag["markers"], flag


@pytest.mark.parametrize("decided_intro", ["03/11/2025", "05/11/2025"])
def test_one_late_reopening_whose_rows_give_two_dates_is_one_request(inbox, decided_intro):
    """RTR-08 and principle 1: one late reopening, registered (introduced 03/11/2025),
    then rejected, notified, not final (an appeal may be pending: RTR-03), its decided
    row giving another introduction date (a correction). Its two rows are one request,
    a first re-examination: the end of its right to remain is not proven (excluded),
    never an early end at notification as a second re-examination's (RTR-06)."""
    closed_in_2025(inbox)
    reopened_late(inbox)
    inbox.telemofpra(date(2026, 10, 9), TYPE_DEMANDE="REOUVERTURE",
                     DATE_INTRODUCTION=decided_intro, SENS_DECISION="REJET", FONDEMENT="",
                     DATE_DECISION="02/10/2026", DATE_NOTIFICATION="06/10/2026",
                     DATE_DEFINITIVE="")
    assert not person_flags(inbox.decide(allow_quarantine=True).listed(REJECTED))


@pytest.mark.parametrize(("first_closed", "listed"), [(None, False), ("REJET", True),
                                                      ("CLOTURE", True)])
def test_a_second_late_reopening_needs_the_closure_and_the_first_decided(
        inbox, first_closed, listed):
    """RTR-08 "by the person's history", on what the history proves: without the closure
    whose window the first reopening came after (older than the warehouse), the first may
    have been a reopening, and the second a first re-examination (not listed). With it,
    the first reopening, rejected or itself closed (its own window over by 10/11/2026),
    was a first re-examination: the second is a second one (listed)."""
    if first_closed is not None:
        closed_in_2025(inbox)
    reopened_late(inbox)
    inbox.telemofpra(date(2026, 2, 13), TYPE_DEMANDE="REOUVERTURE",
                     DATE_INTRODUCTION="03/11/2025", SENS_DECISION=first_closed or "REJET",
                     FONDEMENT="L531-37" if first_closed == "CLOTURE" else "",
                     DATE_DECISION="02/02/2026", DATE_NOTIFICATION="06/02/2026",
                     DATE_DEFINITIVE="" if first_closed == "CLOTURE" else "10/02/2026")
    inbox.telemofpra(date(2026, 11, 13), TYPE_DEMANDE="REOUVERTURE",
                     **{**REGISTERED, "DATE_INTRODUCTION": "10/11/2026"})
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == []
    assert bool(person_flags(out.listed(REJECTED))) is listed


@pytest.mark.parametrize("worklist", [REJECTED, MEASURES, RELEASES])
def test_a_quarantined_row_of_a_second_file_s_claim_holds_the_person(inbox, worklist):
    """RULES.md §5 `SOURCE_ROW_QUARANTINED` (every list): "a quarantined source row names
    this person (a well-formed AGDREF number, the OFPRA number of a staged claim, ...) and
    its file's extraction date is on or after that of the newest file whose rows would
    list them: its content might protect them". The person's second AGDREF file (not
    merged, searched for their protections) has a claim OF20260000002, finally rejected;
    the TélémOfpra list of RUN carries a row of that claim (OFPRA number only) that is
    quarantined (31/09: no such day): it may hold what protects the person."""
    inbox.others().second_file(DATE_ENTREE_FRANCE="05/12/2024")
    inbox.telemofpra(FINAL_LIST)
    inbox.telemofpra(FINAL_LIST, NUM_OFPRA="OF20260000002", NUM_AGDREF=SECOND, NOM="DIALO")
    if worklist == MEASURES:  # an enforceable OQTF (on the rejected list: a measure)
        inbox.measure(DATE_DECISION="15/09/2026", DATE_NOTIFICATION="16/09/2026",
                      SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    if worklist == RELEASES:  # in detention with a judicial ban
        inbox.genesis(LIST, row("genesis", ITF="DEFINITIVE", **KNOWN))
    inbox.telemofpra(RUN, NUM_OFPRA="OF20260000002", NUM_AGDREF="", NOM="DIALO",
                     DATE_NOTIFICATION="31/09/2026", DATE_DEFINITIVE="")
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("TELEMOFPRA_13_20261116.csv", 2)]
    flags = person_flags(out.listed(worklist))
    if worklist == RELEASES:
        flags = [f for f in flags if f["situation"] == "ENFORCEABLE_MEASURE"]
    assert not flags


def test_an_unnotified_ordonnance_in_review_holds_the_measure(inbox):
    """RULES.md RTR-05: "A signed, not yet notified ordonnance may be flagged on the OQTF
    list with the marker `EXECUTION_AFTER_NOTIFICATION`, and never on an execution list";
    principle 1. A claim in identity review against the file (the person, perhaps) ended
    at the CNDA by an ordonnance signed on 01/11/2026 and not notified: no removal of the
    file's person may be executed before that notification."""
    inbox.others().measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    out = inbox.telemofpra(date(2026, 11, 13), **IN_REVIEW, ORGANE="CNDA",
                           SENS_DECISION="REJET", MODE_CNDA="ORDONNANCE",
                           DATE_DECISION="01/11/2026", DATE_NOTIFICATION="",
                           DATE_DEFINITIVE="").decide()
    assert out.con.execute("SELECT link_status FROM core.person_links WHERE record_key = "
                           "'telemofpra:OF20260000009'").fetchall() == [("REVIEW",)]
    assert not person_flags(out.listed(MEASURES))


def second_file_with_ordonnance(inbox: Inbox) -> Inbox:
    """The person's second AGDREF file (not merged: its entry date differs), whose claim
    ended at the CNDA by an ordonnance signed on 01/11/2026, not notified."""
    inbox.others().second_file(DATE_ENTREE_FRANCE="05/12/2024")
    return inbox.telemofpra(date(2026, 11, 13), NUM_OFPRA="OF20260000002", NUM_AGDREF=SECOND,
                            NOM="DIALO", ORGANE="CNDA", SENS_DECISION="REJET",
                            MODE_CNDA="ORDONNANCE", DATE_DECISION="01/11/2026",
                            DATE_NOTIFICATION="", DATE_DEFINITIVE="")


def test_an_unnotified_ordonnance_on_a_second_file_holds_the_detainee(inbox):
    """RULES.md RTR-05 ("never on an execution list" before notification) and PRI-08
    (`ENFORCEABLE_MEASURE` only when a measure "can support removal at release"):
    the person's second AGDREF file (not merged, searched for their protections) has a
    claim ended at the CNDA by an ordonnance signed on 01/11/2026, not notified; the
    detainee with a judicial ITF is not ENFORCEABLE_MEASURE before that notification (as
    when the ordonnance is on the detainee's own file, releases.release_flag)."""
    second_file_with_ordonnance(inbox)
    out = inbox.genesis(LIST, row("genesis", ITF="DEFINITIVE", **KNOWN)).decide()
    assert not [r for r in out.listed(RELEASES) if r["situation"] == "ENFORCEABLE_MEASURE"]


def test_an_unnotified_ordonnance_on_a_second_file_holds_the_measure_as_not_yet_enforceable(
        inbox):
    """RULES.md EX-03 (a measure is unexecuted once enforceable) and RTR-05: the OQTF of
    a person whose second file's claim ended by an ordonnance not yet notified is not yet
    enforceable, as when the ordonnance is on a claimant alike; it was cited EX-05 (a
    right to remain running), which that claim no longer is."""
    second_file_with_ordonnance(inbox)
    out = inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026").decide()
    assert not person_flags(out.listed(MEASURES))
    held = out.only_excluded(MEASURES)
    assert held["reason_code"] == "NOT_YET_ENFORCEABLE"
    assert held["rule_ids"][:2] == ["EX-03", "RTR-05"] and "EX-05" not in held["rule_ids"]
    assert "TELEMOFPRA_13_20261113.csv:2" in held["source_rows"]


def test_a_grant_of_the_person_a_searched_file_was_merged_into_holds_the_candidate():
    """RTR-10 ("protection accordée : jamais signalé"): a file searched for the candidate's
    protections was merged into another file's person, whose claim was granted; grants
    were read by the searched file's number only."""
    from transforms.rules.facts import READ_COLUMNS, Facts
    from transforms.rules.verdicts import screen_protections

    def person(number: str, key: str) -> dict:
        found = dict.fromkeys(READ_COLUMNS["persons"])
        found.update(person_key=key, num_agdref=number, file_status="ACTIF",
                     birth_year=1990, birth_month=3, birth_day=14,
                     birth_date_is_placeholder=False, nationality="GIN",
                     source_row=f"AGDREF_PERSONNES_13_20261116.csv:{number[-1]}")
        return found

    grant = dict.fromkeys(READ_COLUMNS["asylum_decisions"])
    grant.update(decision_key="d1", record_key="telemofpra:OF1", num_ofpra="OF1",
                 claim_type="PREMIERE", deciding_body="OFPRA", outcome="REFUGIE",
                 decision_date=date(2025, 1, 1), first_list_date=date(2025, 1, 10),
                 last_list_date=date(2025, 1, 10),
                 source_rows=["TELEMOFPRA_13_20250110.csv:2"])
    facts = Facts()
    facts.persons = {"1111111111": person("1111111111", "1111111111"),
                     "3333333333": person("3333333333", "2222222222"),
                     "2222222222": person("2222222222", "2222222222")}
    facts.decisions_by_person["2222222222"].append(grant)
    found = screen_protections(facts, ["1111111111", "3333333333"], RUN, "EX-03")
    assert [f.code for f in found] == ["PROTECTION_GRANTED"]


def test_an_undated_reopening_registered_after_the_list_before_it_is_past_the_window(inbox):
    """RTR-08: "A `REOUVERTURE` request registered after the 9-month window of RTR-07 is
    read as a re-examination request". The closure was notified on 12/01/2022 (window
    ended 12/10/2022); the list of 09/10/2026 did not show the undated request, the list
    of 16/10/2026 does: it was registered after 09/10/2026, four years after the window.
    A second re-examination gives no right to remain (RTR-06): the person is listed."""
    out = closed_then_reopened_undated(inbox, closed=2022)
    assert person_flags(out.listed(REJECTED))


def test_an_unnotified_ordonnance_on_a_second_file_marks_the_rejected_flag(inbox):
    """RTR-05: "A signed, not yet notified ordonnance may be flagged on the OQTF list with
    the marker `EXECUTION_AFTER_NOTIFICATION`": on the second file's claim too, as the
    releases list marks it."""
    second_file_with_ordonnance(inbox.telemofpra(FINAL_LIST))
    flags = person_flags(inbox.decide().listed(REJECTED))
    assert len(flags) == 1
    assert "EXECUTION_AFTER_NOTIFICATION" in flags[0]["markers"], flags[0]["markers"]
