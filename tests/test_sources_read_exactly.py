"""TélémOfpra lists and AGDREF extracts read exactly, or the row quarantined (CONTRACTS
§1, §2; RULES principle 1): a quote inside a field is a character of it, extra columns
named as columns are read past, a nationality is an ISO 3166-1 code, a notification is
not before its decision nor a final date before its notification. Each test was written
by an audit of 2026-12-07 and failed before (its docstring says what the code did then;
the "control" tests passed already)."""

from __future__ import annotations

from datetime import date

from schemas.codes import MEASURES, REJECTED
from tests.builders import row, write_file
from tests.scenarios import PERSON, Inbox

TELE = "TELEMOFPRA_13_20261116.csv"
EVENTS = "AGDREF_EVENEMENTS_13_20261116.csv"
TITLES = "AGDREF_TITRES_13_20261116.csv"


def _outcomes(con, ingest_into, inbox):
    return {o.file_name: o for o in ingest_into(con, inbox)}


# --- 1. Quotes inside fields: the field count of a line is miscounted -----------------


def test_two_quotes_inside_unquoted_fields_do_not_quarantine_a_well_formed_row(
        con, ingest_into, tmp_path):
    """README "What happens to each file": "a quote inside a field that does not start
    with one (`refus 5" avant embarquement`, a name typed `O"BRIEN`) | LOADED; the quote
    is a character of the field, as written". CONTRACTS §2: every row read exactly.

    A TélémOfpra row whose surname is typed O"BRIEN and given name JO"E has exactly the
    header's 18 fields, and the reader gives every value as written; but the row is
    quarantined `field_count` ("1 field(s) fewer than the header"): split_records
    (transforms/ingest/read.py) counts fields after deleting `"[^"]*"`, which here eats
    `"BRIEN;JO"` and the ';' between the two fields. The person is then held off every
    list (DQ-01) for a row that holds nothing wrong."""
    listed = write_file(tmp_path, TELE, "telemofpra", [
        row("telemofpra", NOM="OXBRIEN", PRENOMS="JOXE"),
        row("telemofpra", NUM_OFPRA="OF2", NUM_AGDREF="", NOM="KONE", PRENOMS="AWA")])
    listed.write_bytes(listed.read_bytes().replace(b"OXBRIEN", b'O"BRIEN')
                       .replace(b"JOXE", b'JO"E'))
    outcome = _outcomes(con, ingest_into, tmp_path)[TELE]
    quarantined = con.execute(
        "SELECT line_number, check_name, value FROM audit.quarantine").fetchall()
    assert (outcome.status, outcome.rows_read, outcome.rows_staged,
            outcome.rows_quarantined) == ("LOADED", 2, 2, 0), quarantined
    assert con.execute("SELECT last_name, first_names FROM staging.asylum_decisions "
                       "WHERE line_number = 2").fetchall() == [('O"BRIEN', 'JO"E')]


def test_a_field_too_many_between_two_inner_quotes_is_quarantined_not_truncated(
        con, ingest_into, tmp_path):
    """README: "a quote inside a field that does not start with one ... (a `;` after it
    still ends the field: that line, a field too many, is quarantined as `field_count`)";
    CONTRACTS §2: every row is staged or quarantined, never silently wrong. The project's
    own test_a_quote_inside_a_field_is_read_as_written expects `vol "AF1234; retour"
    annule` to quarantine its line (field_count) - but only because another line of that
    file holds an odd quote, which sends the file to the slow reader.

    Alone in its file, the same MOTIF is staged, cut to `vol "AF1234` (the rest, a
    field beyond the header, dropped by truncate_ragged_lines), and nothing is
    quarantined: split_records deletes `"AF1234; retour"` before counting the ';'."""
    events = write_file(tmp_path, EVENTS, "agdref_evenements", [
        row("agdref_evenements"),
        row("agdref_evenements", ID_MESURE="M01300000003", TYPE_EVENEMENT="ECHEC_ELOIGNEMENT",
            MOTIF="REASON_TWO")])
    events.write_bytes(events.read_bytes().replace(b"REASON_TWO", b'vol "AF1234; retour" annule'))
    outcome = _outcomes(con, ingest_into, tmp_path)[EVENTS]
    staged = con.execute("SELECT line_number, event_reason FROM staging.agdref_events "
                         "ORDER BY 1").fetchall()
    assert con.execute("SELECT line_number, check_name FROM audit.quarantine").fetchall() \
        == [(3, "field_count")], staged
    assert (outcome.rows_read, outcome.rows_staged, outcome.rows_quarantined) == (2, 1, 1)


# --- 2. Extra columns read as "a row glued to the header" ------------------------------

OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}
VALID_CARD = ("0123456789", "CST", "01/06/2026", "31/05/2027", "VALIDE")


def _titles_with_extra_columns(folder, extra: list[str]):
    """Tonight's TITRES snapshot with every contract column, in order, and `extra`
    columns after them (an AGDREF export with a few more columns: a title number, the
    issuing office, a remark)."""
    path = folder / "agdref" / TITLES
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ["NUM_AGDREF", "TYPE_TITRE", "DATE_DEBUT", "DATE_FIN", "STATUT", *extra]
    values = [*VALID_CARD, *(f"X{i}" for i in range(len(extra)))]
    path.write_bytes((";".join(header) + "\r\n" + ";".join(values) + "\r\n").encode())
    return path


def test_a_titres_extract_with_three_extra_columns_is_read_not_rejected(
        con, ingest_into, tmp_path):
    """CONTRACTS §2: "A file that cannot be read at all is REJECTED"; README: "an extra
    column is dropped and noted" (read.conform_columns: "an extra column is dropped and
    noted"), and a file is refused as "a row glued to the header" only when "the header
    holds about a row's worth of cells that are no contract columns".

    A TITRES extract holding its five contract columns, then NUM_TITRE, LIEU_DELIVRANCE
    and OBSERVATIONS, has no row glued to anything (its row is on line 2, every contract
    column is named); yet it is REJECTED "a row is glued to it": the threshold
    `len(unknown) >= max(2, len(expected) - 2)` is 3 cells for TITRES (5 columns) and 2
    for EVENEMENTS (4 columns). The department's whole night of titles is lost (next
    test: a valid card is not read)."""
    _titles_with_extra_columns(tmp_path, ["NUM_TITRE", "LIEU_DELIVRANCE", "OBSERVATIONS"])
    outcome = _outcomes(con, ingest_into, tmp_path)[TITLES]
    assert outcome.status == "LOADED", outcome.error
    assert outcome.rows_staged == 1


def test_an_evenements_extract_with_two_extra_columns_is_read_not_rejected(
        con, ingest_into, tmp_path):
    """As above, for EVENEMENTS (4 contract columns): two more columns (the agent, the
    service) reject the night's events as "a row glued to the header"."""
    path = tmp_path / "agdref" / EVENTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"ID_MESURE;TYPE_EVENEMENT;DATE_EVENEMENT;MOTIF;AGENT;SERVICE\r\n"
                     b"M01300000001;ELOIGNEMENT_EXECUTE;01/11/2026;;A1;BER\r\n")
    outcome = _outcomes(con, ingest_into, tmp_path)[EVENTS]
    assert outcome.status == "LOADED", outcome.error


def test_a_valid_card_in_a_titres_extract_with_extra_columns_keeps_its_holder_off_the_list(
        tmp_path, con):
    """RULES §5 RESIDENCE_PERMIT: "valid residence permit ... on the run date" excludes
    from every list; DESIGN non-negotiable: "no person with a protection in RULES.md is
    ever put on a list that leads to execution". The only TITRES snapshot of the
    department holds the person's valid temporary card (CST, 01/06/2026-31/05/2027,
    VALIDE) and three extra columns: the file is REJECTED (above), the card is never
    read, and the person's enforceable OQTF is listed on unexecuted_measures."""
    inbox = Inbox(tmp_path, con).person().measure(**OLD_ENOUGH)
    _titles_with_extra_columns(tmp_path, ["NUM_TITRE", "LIEU_DELIVRANCE", "OBSERVATIONS"])
    out = inbox.decide()
    listed = [r for r in out.listed(MEASURES) if r["num_agdref"] == PERSON]
    assert not listed, (listed, con.execute(
        "SELECT file_name, status, error FROM audit.files").fetchall())
    assert [r["reason_code"] for r in out.excluded(MEASURES)
            if r["num_agdref"] == PERSON] == ["RESIDENCE_PERMIT"]


def test_control_the_same_card_without_extra_columns_keeps_the_person_off(tmp_path, con):
    """Control for the test above (passes): the same snapshot without the extra columns."""
    inbox = Inbox(tmp_path, con).person().measure(**OLD_ENOUGH)
    _titles_with_extra_columns(tmp_path, [])
    out = inbox.decide()
    assert [r["reason_code"] for r in out.excluded(MEASURES)
            if r["num_agdref"] == PERSON] == ["RESIDENCE_PERMIT"]


# --- 3. Nationality: shape checked, not the ISO code ----------------------------------


def test_a_nationality_that_is_no_iso_code_is_not_read_as_a_non_eu_nationality(
        tmp_path, con):
    """CONTRACTS §1.3 PERSONNES `NATIONALITE`: "ISO 3166-1 alpha-3" (so §1.1 for
    TélémOfpra); RULES §5 EU_CITIZEN: "national of an EU/EEA State or Switzerland" is
    excluded from every list; principle 1: when data are missing or contradictory the
    person is not put on an execution-oriented list.

    The AGDREF file gives `ROM` (Romania's code before 2002; ISO 3166-1 alpha-3 is
    `ROU` today): three capitals, so it passes `str_matches ^[A-Z]{3}$` and is staged as
    a nationality no EU list knows; the Romanian's enforceable OQTF is listed on
    unexecuted_measures. A code outside ISO 3166-1 is an unknown code: it should be
    quarantined (the person held, DQ-01), not read as "not an EU citizen"."""
    out = Inbox(tmp_path, con).person(NATIONALITE="ROM").measure(**OLD_ENOUGH).decide(
        allow_quarantine=True)
    listed = [r for r in out.listed(MEASURES) if r["num_agdref"] == PERSON]
    assert not listed, listed


def test_control_an_iso_eu_code_is_excluded(tmp_path, con):
    """Control (passes): the same file written `ROU` is excluded EU_CITIZEN."""
    out = Inbox(tmp_path, con).person(NATIONALITE="ROU").measure(**OLD_ENOUGH).decide()
    assert [r["reason_code"] for r in out.excluded(MEASURES)
            if r["num_agdref"] == PERSON] == ["EU_CITIZEN"]


# --- 4. Impossible date order inside one row ------------------------------------------


def test_a_measure_notified_before_it_was_decided_is_not_read_as_enforceable(tmp_path, con):
    """RULES principle 1: "When data are missing or contradictory, the person is *not*
    put on an execution-oriented list"; README (row defects): "impossible or unparseable
    dates ... put the row in audit.quarantine"; OQ-07: `enforceable_from =
    max(notification + DDV, notification + challenge window)`.

    An OQTF decided on 20/10/2026 cannot have been notified on 22/01/2026 (a month
    keyed 01 for 10): the row contradicts itself. It is staged as written, the
    notification read nine months before the decision, so the 30-day departure period
    and the one-month window are read as past and the measure is listed as unexecuted
    on 16/11/2026, when, notified on 22/10, it is not enforceable before 22/11. Nothing
    compares a measure's notification with its decision (schemas/sources.py
    AgdrefMesuresFile checks each date alone)."""
    out = Inbox(tmp_path, con).person().measure(
        DATE_DECISION="20/10/2026", DATE_NOTIFICATION="22/01/2026").decide(
        allow_quarantine=True)
    listed = [r for r in out.listed(MEASURES) if r["num_agdref"] == PERSON]
    assert not listed, listed


def test_control_the_same_measure_notified_after_its_decision_is_not_yet_enforceable(
        tmp_path, con):
    """Control (passes): the same OQTF notified 22/10/2026 is NOT_YET_ENFORCEABLE."""
    out = Inbox(tmp_path, con).person().measure(
        DATE_DECISION="20/10/2026", DATE_NOTIFICATION="22/10/2026").decide()
    assert [r["reason_code"] for r in out.excluded(MEASURES)
            if r["num_agdref"] == PERSON] == ["NOT_YET_ENFORCEABLE"]


def test_an_ofpra_rejection_final_before_its_notification_is_no_proof_of_finality(
        tmp_path, con):
    """RULES RTR-03: "Only rows that OFPRA reports as final (`DATE_DEFINITIVE` filled)
    prove that no appeal was lodged [in the month after notification, L. 532-1]; an
    OFPRA rejection without that proof is `RTR_END_UNCONFIRMED` (excluded, never
    flagged)"; principle 1 (contradictory data: not listed); CONTRACTS §1.1
    `DATE_DEFINITIVE`: "date the decision became final (no appeal in time)".

    The rejection was notified on 07/09/2026 and its row says it became final on
    09/08/2026, a month before it was notified (a month keyed 08 for 10): a decision
    cannot become final for want of an appeal before the appeal period even began, so
    the row proves nothing. It is staged as written and the person is flagged on
    rejected_without_oqtf with the list of 09/10/2026 as the proof (OQ-02)."""
    out = Inbox(tmp_path, con).person().telemofpra(
        date(2026, 10, 9), DATE_DEFINITIVE="09/08/2026").decide(allow_quarantine=True)
    listed = [r for r in out.listed(REJECTED) if r["num_agdref"] == PERSON]
    assert not listed, listed


# --- 5. A year typed short ---------------------------------------------------------------


def test_a_residence_card_ending_in_year_0027_is_not_read_as_expired(tmp_path, con):
    """RULES §5 `RESIDENCE_PERMIT` ("valid residence permit ... on the run date") and
    principle 1 ("When data are missing or contradictory, the person is *not* put on an
    execution-oriented list"); CONTRACTS §1: dates `DD/MM/YYYY`.

    The person's resident card ends on `14/04/0027`, the year typed short for 2027. It is
    a real calendar day, so it passed the calendar check (audit of 2026-12-07, "years like
    0026 pass"), and the card was read as expired nineteen centuries ago: the holder of a
    valid card was listed on rejected_without_oqtf. No date of these sources is before
    1900 (the birth dates' own check says so): the row is quarantined and the person held
    (SOURCE_ROW_QUARANTINED)."""
    out = Inbox(tmp_path, con).person().title(
        TYPE_TITRE="CR", DATE_DEBUT="15/04/2017", DATE_FIN="14/04/0027").telemofpra(
        date(2026, 10, 9)).decide(allow_quarantine=True)
    assert not [r for r in out.listed(REJECTED) if r["num_agdref"] == PERSON]
    assert [r["reason_code"] for r in out.excluded(REJECTED)
            if r["num_agdref"] == PERSON] == ["SOURCE_ROW_QUARANTINED"]
    assert con.execute("SELECT DISTINCT check_name FROM audit.quarantine").fetchall() == [
        ("calendar_date",)]
