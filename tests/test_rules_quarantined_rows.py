"""A quarantined row names the person it may protect (RULES.md §5 SOURCE_ROW_QUARANTINED,
DQ-01) on every list, whatever names them in it: a row of a delivery repeated unchanged
then corrected, an event of another of their measures, their committal, a new OFPRA or
committal number given without an AGDREF number (then their identity names them)."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, RUN, Inbox

OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}
BAD_ADA = {"TYPE_TITRE": "ADA", "DATE_DEBUT": "01/11/2026", "DATE_FIN": "31/04/2027",
           "STATUT": "VALIDE"}  # 31 April: no such day, the row is quarantined
GOOD_ADA = {"TYPE_TITRE": "ADA", "DATE_DEBUT": "01/11/2026", "DATE_FIN": "30/04/2027",
            "STATUT": "VALIDE"}
NIGHT_1, NIGHT_2, NIGHT_3 = date(2026, 11, 14), date(2026, 11, 15), RUN


def test_dq_01_quarantined_row_of_an_unchanged_snapshot_survives_a_correction_of_the_first(
        tmp_path, con):
    """RULES §5 SOURCE_ROW_QUARANTINED; CONTRACTS §1 "a corrected file for the same key and
    date may replace an earlier one", §2 UNCHANGED. Night 1 (14/11): the TITRES snapshot
    holds the person's ADA row, quarantined (31/04). Night 2 (15/11): the same bytes again
    (UNCHANGED, the latest snapshot). Night 3 (16/11): a corrected 14/11 snapshot arrives;
    the 15/11 delivery takes the rows over (hand_over_rows) and stays the latest TITRES
    snapshot: its quarantined row still names the person, who must stay off the list."""
    inbox = Inbox(tmp_path / "inbox", con)
    for night in (NIGHT_1, NIGHT_2, NIGHT_3):
        inbox.agdref("PERSONNES", night).agdref("MESURES", night, **OLD_ENOUGH)
    inbox.agdref("TITRES", NIGHT_1, **BAD_ADA)
    assert inbox.decide(NIGHT_1, allow_quarantine=True).reason(MEASURES) == \
        "SOURCE_ROW_QUARANTINED"
    inbox.agdref("TITRES", NIGHT_2, **BAD_ADA)
    assert inbox.decide(NIGHT_2, allow_quarantine=True).reason(MEASURES) == \
        "SOURCE_ROW_QUARANTINED"
    # the corrected 14/11 snapshot: another person's row besides (new bytes, same key)
    inbox.agdref("TITRES", NIGHT_1, **BAD_ADA)
    inbox.agdref("TITRES", NIGHT_1, NUM_AGDREF="9000000001")
    out = inbox.decide(NIGHT_3, allow_quarantine=True)
    statuses = dict(con.execute("SELECT file_name, status FROM audit.files "
                                "WHERE file_kind = 'agdref_titres'").fetchall())
    assert statuses["AGDREF_TITRES_13_20261115.csv"] == "LOADED"  # the heir
    assert ("AGDREF_TITRES_13_20261115.csv", 2) in out.quarantined()
    assert out.reason(MEASURES) == "SOURCE_ROW_QUARANTINED"


# ------------------------------------------------------------ each source x each list

FINAL_LIST = date(2026, 10, 9)
LIST = date(2026, 11, 12)
KNOWN = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}
BAD_RELEASE = {"DATE_LIBERATION_PREVISIBLE": "31/11/2026"}


def on_list(inbox: Inbox, worklist: str) -> Inbox:
    """The default person on `worklist`: a final rejection (rejected list), an enforceable
    OQTF (measures list), a detainee with a judicial ban (releases list)."""
    if worklist == REJECTED:
        inbox.telemofpra(FINAL_LIST)
    if worklist == MEASURES:
        inbox.measure(DATE_DECISION="15/09/2026", DATE_NOTIFICATION="16/09/2026",
                      SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    if worklist == RELEASES:
        inbox.genesis(LIST, row("genesis", ITF="DEFINITIVE", **KNOWN))
    return inbox


def held(out, worklist: str) -> bool:
    listed = [r for r in out.listed(worklist) if r["num_agdref"] == PERSON]
    excluded = [r for r in out.excluded(worklist) if r["num_agdref"] == PERSON
                and "SOURCE_ROW_QUARANTINED" in [r["reason_code"], *r["other_reasons"]]]
    return not listed and bool(excluded)


def person(tmp_path, con, worklist: str, others: bool = False) -> Inbox:
    inbox = Inbox(tmp_path / "inbox", con)
    if others:
        inbox.others()
    return on_list(inbox.person(), worklist)


@pytest.mark.parametrize("worklist", [REJECTED, MEASURES])
def test_dq_01_a_quarantined_event_of_another_measure_of_the_person_holds_them(
        tmp_path, con, worklist):
    """RULES §5 SOURCE_ROW_QUARANTINED ("its content might protect them") and §5
    DECEASED_OR_LEFT (every list). The person has a second, old OQTF (2020); tonight's
    EVENEMENTS snapshot records its removal carried out (ELOIGNEMENT_EXECUTE) on 31/09/2026,
    no such day: quarantined. Read valid (30/09) the row keeps the person off both lists
    (DECEASED_OR_LEFT, departure_recorded); quarantined, it names the person's measure
    (core.quarantined_references `measure:`): the person, whose measure it is, waits on
    every list."""
    inbox = person(tmp_path, con, worklist)
    inbox.measure(ID_MESURE="M01300000009", DATE_DECISION="01/03/2020",
                  DATE_NOTIFICATION="03/03/2020")
    inbox.event(ID_MESURE="M01300000009", TYPE_EVENEMENT="ELOIGNEMENT_EXECUTE",
                DATE_EVENEMENT="31/09/2026")
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("AGDREF_EVENEMENTS_13_20261116.csv", 2)]
    assert held(out, worklist)


NO_NUMBER = {k: v for k, v in KNOWN.items() if k != "NUM_AGDREF"}


@pytest.mark.parametrize("worklist", [REJECTED, MEASURES])
def test_dq_01_a_quarantined_row_of_the_person_s_committal_holds_them_on_every_list(
        tmp_path, con, worklist):
    """RULES §5 (exclusions that apply to every list) SOURCE_ROW_QUARANTINED: "a
    quarantined source row names this person (... or a committal number of the
    establishment)". The 12/11 list ties committal 000101 to the person (LINKED, by
    identity); the establishment's latest list (16/11) holds that committal's row,
    quarantined (release 31/11). The releases list holds it back, and the other lists
    hold the person it names."""
    inbox = person(tmp_path, con, worklist, others=True)
    inbox.genesis(LIST, row("genesis", **NO_NUMBER))
    inbox.genesis(RUN, row("genesis", NUM_ECROU="000102"),
                  row("genesis", **NO_NUMBER, **BAD_RELEASE))
    out = inbox.decide(allow_quarantine=True)
    assert con.execute("SELECT person_key, link_status FROM core.person_links WHERE "
                       "record_key = 'genesis:E01301:000101'").fetchall() == [
        (PERSON, "LINKED")]
    assert out.quarantined() == [("GENESIS_E01301_20261116.csv", 3)]
    assert held(out, worklist)


REGISTERED = {"SENS_DECISION": "", "FONDEMENT": "", "DATE_DECISION": "", "MODE_CNDA": "",
              "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}


@pytest.mark.parametrize("worklist", [REJECTED, MEASURES, RELEASES])
def test_dq_01_a_quarantined_request_under_a_new_ofpra_number_names_the_person(
        tmp_path, con, worklist):
    """RULES §5 SOURCE_ROW_QUARANTINED read by principle 1, as the code reads it for a row
    without numbers (core_quarantined_identities.sql): tonight's list registers a first
    re-examination (RTR-08: it restores the RTR) under an OFPRA number that no staged
    claim has (a new or mistyped number), no AGDREF number, the person's surname, given
    names and birth date; its DATE_INTRODUCTION 31/09/2026 is no day: quarantined. The row
    names nobody by number: without an AGDREF number it names its person by identity too
    (core_quarantined_identities.sql), who waits until the row is corrected."""
    inbox = person(tmp_path, con, worklist)
    if worklist != REJECTED:
        inbox.telemofpra(FINAL_LIST)
    inbox.telemofpra(RUN, NUM_OFPRA="OF20260000077", NUM_AGDREF="", TYPE_DEMANDE="REEXAMEN",
                     DATE_INTRODUCTION="31/09/2026", **REGISTERED)
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("TELEMOFPRA_13_20261116.csv", 2)]
    assert held(out, worklist)


@pytest.mark.parametrize("worklist", [REJECTED, MEASURES])
def test_dq_01_a_quarantined_row_of_a_new_committal_names_the_person_by_identity(
        tmp_path, con, worklist):
    """Same reading for GENESIS: the establishment's first list (16/11) holds a new
    committal, 000101, with a judicial ITF (PRI-06: a measure, so not "without OQTF"),
    no AGDREF number, the person's surname, given name and birth date; its release date
    31/11 is no day: quarantined. The committal is tied to no one (never staged): the row
    names its person by identity, on every list."""
    inbox = person(tmp_path, con, worklist)
    inbox.genesis(RUN, row("genesis", NUM_ECROU="000102"),
                  row("genesis", **NO_NUMBER, ITF="DEFINITIVE", **BAD_RELEASE))
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("GENESIS_E01301_20261116.csv", 3)]
    assert held(out, worklist)


VALID_CARD = {"TYPE_TITRE": "CST", "DATE_DEBUT": "01/06/2026", "DATE_FIN": "31/05/2027",
              "STATUT": "VALIDE"}


@pytest.mark.parametrize(("worklist", "number"), [
    (REJECTED, "123456789"), (MEASURES, "123456789.0"), (RELEASES, "123\u202f456\u202f789")])
def test_dq_01_a_quarantined_title_whose_number_lost_its_leading_zero_holds_the_person(
        tmp_path, con, worklist, number):
    """CONTRACTS §1.3 "10-digit AGDREF number (string; leading zeros matter)" and RULES §5
    SOURCE_ROW_QUARANTINED read by principle 1. Tonight's TITRES snapshot holds the
    person's valid residence card (RESIDENCE_PERMIT on every list, read valid) under
    their number as a spreadsheet writes it once read as a number: not 10 digits, the row
    is quarantined. It names the file whose number it was (0123456789), whose person
    waits until the row is corrected, instead of naming nobody and leaving them listed."""
    inbox = person(tmp_path, con, worklist)
    inbox.title(NUM_AGDREF=number, **VALID_CARD)
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("AGDREF_TITRES_13_20261116.csv", 2)]
    assert held(out, worklist)


def test_dq_01_the_same_card_read_valid_keeps_the_person_off_the_measures_list(tmp_path, con):
    """The row of the test above, its number written in full: the card is read and keeps
    the person off the list (so that the row's content is what protects them)."""
    out = person(tmp_path, con, MEASURES).title(**VALID_CARD).decide()
    assert not [r for r in out.listed(MEASURES) if r["num_agdref"] == PERSON]
    assert [r["reason_code"] for r in out.excluded(MEASURES)
            if r["num_agdref"] == PERSON] == ["RESIDENCE_PERMIT"]


# A TélémOfpra list delivered again byte for byte under a later date (UNCHANGED, CONTRACTS
# §2: "that date's delivery") repeats its quarantined rows under that date, as it repeats
# the rows that list the person (audit of 2026-12-06: before, the quarantined row kept the
# first delivery's date, older than the repeat's listing rows, and the person was listed).
FINAL_LIST = date(2026, 10, 9)  # the builders' rejection: notified 07/09, final 09/10/2026
BAD_GRANT = {"SENS_DECISION": "REFUGIE", "DATE_DECISION": "31/09/2026",
             "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}  # 31 September: quarantined


@pytest.mark.parametrize("identical", [True, False])
def test_dq_01_a_quarantined_row_of_a_list_repeated_a_week_later_holds_the_person(
        tmp_path, con, identical):
    """The list of 16/10 repeats the rejection and brings a row of the same OFPRA number
    that cannot be read (a grant, perhaps); the list of 23/10 repeats it byte for byte
    (UNCHANGED), or with one more row of someone else (LOADED). Either way the newest list
    that would list the person holds the quarantined row: SOURCE_ROW_QUARANTINED."""
    inbox = Inbox(tmp_path / "inbox", con).person().telemofpra(FINAL_LIST)
    for day in (date(2026, 10, 16), date(2026, 10, 23)):
        inbox.telemofpra(day).telemofpra(day, NUM_AGDREF="", **BAD_GRANT)
    if not identical:
        inbox.telemofpra(date(2026, 10, 23), NUM_OFPRA="OF20250000077", NUM_AGDREF="",
                         NOM="KONE", PRENOMS="AWA")
    out = inbox.decide(allow_quarantine=True)
    status = out.con.execute("SELECT status FROM audit.files WHERE file_name = "
                             "'TELEMOFPRA_13_20261023.csv'").fetchall()[0][0]
    assert status == ("UNCHANGED" if identical else "LOADED")
    assert not [r for r in out.listed(REJECTED) if r["num_agdref"] == PERSON]
    (held,) = [r for r in out.excluded(REJECTED) if r["num_agdref"] == PERSON]
    assert held["reason_code"] == "SOURCE_ROW_QUARANTINED"
    # the unreadable row as staged: the file whose bytes the 23/10 delivery repeats
    quarantined = f"TELEMOFPRA_13_{'20261016' if identical else '20261023'}.csv:3"
    assert quarantined in held["source_rows"], held["source_rows"]


def test_dq_01_a_list_delivered_again_unchanged_keeps_its_quarantined_row(tmp_path, con):
    """The list of 09/10 holds the final rejection and the unreadable row; the list of
    16/10 is the same bytes (UNCHANGED): the person is held, as on 09/10."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    for day in (FINAL_LIST, date(2026, 10, 16)):
        inbox.telemofpra(day).telemofpra(day, NUM_AGDREF="", **BAD_GRANT)
    out = inbox.decide(allow_quarantine=True)
    assert out.con.execute("SELECT status FROM audit.files WHERE file_name = "
                           "'TELEMOFPRA_13_20261016.csv'").fetchall()[0][0] == "UNCHANGED"
    assert not out.listed(REJECTED)
    assert out.reason(REJECTED) == "SOURCE_ROW_QUARANTINED"


ENFORCEABLE = {"DATE_DECISION": "15/09/2026", "DATE_NOTIFICATION": "16/09/2026",
               "SITUATION_NOTIFICATION": "DETENU", "DELAI_DEPART_JOURS": ""}


CLOSURE = {"SENS_DECISION": "CLOTURE", "FONDEMENT": "L531-37", "DATE_DECISION": "01/10/2026",
           "DATE_NOTIFICATION": "03/10/2026", "DATE_DEFINITIVE": ""}


@pytest.mark.parametrize(("claim", "first"), [(None, "SOURCE_ROW_QUARANTINED"),
                                              (CLOSURE, "CLOSURE_REOPENABLE")])
def test_dq_01_a_measure_whose_latest_row_is_quarantined_is_held_not_resolved(
        tmp_path, con, claim, first):
    """RULES §5 SOURCE_ROW_QUARANTINED ("its content might protect them, so they wait
    until the row is corrected") and principle 1; CONTRACTS §1 (AGDREF: a full snapshot
    every night). The person's OQTF is on the measures list (or excluded) on 15/11.
    Tonight's MESURES extract holds its row notified on 31/09/2026, no such day:
    quarantined, so the measure is not among tonight's measures, yet nothing says it
    ended. It is held on the measures list as an exclusion citing the row, under its own
    measure and file, not dropped as no longer a candidate (which the resolved flags
    would report as such). §5 "every other one that applies is in other_reasons", in the
    documented order: the person's own closure, still reopenable (RTR-07), comes first."""
    inbox = Inbox(tmp_path / "inbox", con)
    inbox.agdref("PERSONNES", NIGHT_2).agdref("MESURES", NIGHT_2, **ENFORCEABLE)
    if claim:
        inbox.telemofpra(date(2026, 10, 9), **claim)
    before = inbox.decide(NIGHT_2)
    candidate = (before.listed(MEASURES) or before.excluded(MEASURES))[0]
    inbox.person().measure(**{**ENFORCEABLE, "DATE_NOTIFICATION": "31/09/2026"})
    out = inbox.decide(allow_quarantine=True)
    assert out.quarantined() == [("AGDREF_MESURES_13_20261116.csv", 2)]
    held = out.only_excluded(MEASURES)
    assert (held["candidate_id"], held["reason_code"], held["num_agdref"],
            held["measure_id"], held["department"]) == (
        candidate.get("flag_id", candidate.get("candidate_id")), first, PERSON,
        "M01300000001", "13")
    assert "SOURCE_ROW_QUARANTINED" in [held["reason_code"], *held["other_reasons"]]
    assert "DQ-01" in held["rule_ids"]
    assert "AGDREF_MESURES_13_20261116.csv:2" in held["source_rows"]
    if claim:
        assert "TELEMOFPRA_13_20261009.csv:2" in held["source_rows"]
