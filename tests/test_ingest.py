"""Ingestion: registration by checksum, duplicates, corrections, rejected files, and the
row accounting rows_read = rows_staged + rows_quarantined."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
from datetime import date

import pytest
import xlsxwriter

from schemas.sources import SOURCE_MODELS
from tests.builders import row, write_file
from tests.conftest import SAMPLE_DIR
from transforms.ingest import inbox as inbox_module
from transforms.ingest import load as ingest
from transforms.ingest.inbox import LineBreakAfterContent, list_inbox, plan_inbox, scan_file
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables

TELE = "TELEMOFPRA_13_20261109.csv"


def _files(con):
    return {r[0]: r[1:] for r in con.execute(
        "SELECT file_name || ':' || sha256[:8], status, rows_read, rows_staged, "
        "rows_quarantined, error FROM audit.files ORDER BY 1").fetchall()}


def _status(con, name):
    return [r[0] for r in con.execute(
        "SELECT status FROM audit.files WHERE file_name = ? ORDER BY run_id, status",
        [name]).fetchall()]


def test_rows_are_staged_or_quarantined_with_lineage(con, ingest_into, tmp_path):
    write_file(tmp_path, TELE, "telemofpra", [
        row("telemofpra"),
        row("telemofpra", NUM_OFPRA="OF2", DATE_DECISION="31/02/2026", SEXE="X"),
        row("telemofpra", NUM_OFPRA="OF3", NOM="N'DIAYE-TOURÉ", PRENOMS="Aïssatou, Fatoumata"),
    ])
    [outcome] = ingest_into(con, tmp_path)
    assert (outcome.status, outcome.rows_read, outcome.rows_staged, outcome.rows_quarantined) \
        == ("LOADED", 3, 2, 1)
    quarantine = con.execute(
        "SELECT line_number, column_name, value FROM audit.quarantine ORDER BY 2").fetchall()
    assert quarantine == [(3, "DATE_DECISION", "31/02/2026"), (3, "SEXE", "X")]
    raw_lines = con.execute("SELECT line_number FROM raw.telemofpra ORDER BY 1").fetchall()
    assert raw_lines == [(2,), (3,), (4,)]
    staged = con.execute(
        "SELECT line_number, last_name, last_name_ascii, first_names, first_names_ascii, "
        "extraction_date::VARCHAR, list_department FROM staging.asylum_decisions "
        "WHERE num_ofpra = 'OF3'").fetchone()
    assert staged == (4, "N'DIAYE-TOURÉ", "N DIAYE TOURE", "Aïssatou Fatoumata",
                      "AISSATOU FATOUMATA", "2026-11-09", "13")


def test_same_file_twice_changes_nothing(con, ingest_into, tmp_path):
    write_file(tmp_path, TELE, "telemofpra", [row("telemofpra")])
    ingest_into(con, tmp_path)
    before = con.execute("SELECT count(*) FROM staging.asylum_decisions").fetchone()
    assert ingest_into(con, tmp_path) == []
    assert con.execute("SELECT count(*) FROM staging.asylum_decisions").fetchone() == before
    assert con.execute("SELECT count(*) FROM audit.files").fetchone() == (1,)


def test_files_rejected_or_skipped_are_recorded_once_whatever_they_hold(
        con, ingest_into, tmp_path):
    """A rerun records nothing again: a header-only file rejected for its header, one with
    a name outside the contract, one whose only line is separators, a re-sent copy."""
    good = write_file(tmp_path, TELE, "telemofpra", [row("telemofpra")])
    header = good.read_bytes().split(b"\r\n")[0] + b"\r\n"
    (tmp_path / "TELEMOFPRA_13_2026110.csv").write_bytes(header)
    (tmp_path / "TELEMOFPRA_13_20261111.csv").write_bytes(b"NOM;PRENOMS\r\n")
    (tmp_path / "TELEMOFPRA_13_20261112.csv").write_bytes(header + b";" * 20 + b"\r\n")
    (tmp_path / "TELEMOFPRA_13_20261101.csv").write_bytes(good.read_bytes())
    first = ingest_into(con, tmp_path)
    assert len(first) == 5
    before = _files(con)
    assert ingest_into(con, tmp_path) == []
    assert ingest_into(con, tmp_path) == []
    assert _files(con) == before


def test_copy_under_a_later_date_is_an_unchanged_delivery(con, ingest_into, tmp_path):
    """PRI-01: the same bytes sent again under a later date are that date's delivery,
    recorded UNCHANGED with 0 rows of its own (its rows are the earlier file's, staged
    once) and the name of the file holding them."""
    original = write_file(tmp_path, TELE, "telemofpra", [row("telemofpra")])
    shutil.copy(original, original.with_name("TELEMOFPRA_13_20261110.csv"))
    outcomes = {o.file_name: o for o in ingest_into(con, tmp_path)}
    assert outcomes[TELE].status == "LOADED"
    unchanged = outcomes["TELEMOFPRA_13_20261110.csv"]
    assert (unchanged.status, unchanged.rows_read, unchanged.rows_staged,
            unchanged.rows_quarantined) == ("UNCHANGED", 0, 0, 0)
    assert TELE in unchanged.error
    assert con.execute("SELECT repeats_file_name FROM audit.files WHERE file_name = ?",
                       ["TELEMOFPRA_13_20261110.csv"]).fetchall() == [(TELE,)]
    assert con.execute("SELECT count(*) FROM staging.asylum_decisions").fetchone() == (1,)
    # A rerun of the same inbox records nothing more.
    assert ingest_into(con, tmp_path) == []
    assert con.execute("SELECT count(*) FROM audit.files").fetchone() == (2,)


def test_copy_under_an_earlier_date_is_that_date_s_delivery(con, ingest_into, tmp_path):
    """CONTRACTS §2 UNCHANGED: the same bytes under another extraction date are that
    date's delivery, whatever order the files arrive in (§4: the same inbox gives the
    same lists): a late list of an earlier date repeats the loaded one's rows."""
    later = write_file(tmp_path, "TELEMOFPRA_13_20261110.csv", "telemofpra", [row("telemofpra")])
    ingest_into(con, tmp_path)
    shutil.copy(later, later.with_name(TELE))
    [outcome] = ingest_into(con, tmp_path)
    assert (outcome.file_name, outcome.status) == (TELE, "UNCHANGED")
    assert con.execute("SELECT count(*) FROM staging.asylum_decisions").fetchone() == (1,)
    assert ingest_into(con, tmp_path) == []


def test_unchanged_delivery_repeats_the_loaded_file_through_later_copies(
        con, ingest_into, tmp_path):
    first = write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", [row("genesis")])
    write_file(tmp_path, "GENESIS_E01301_20261115.csv", "genesis",
               [row("genesis", NUM_ECROU="000102")])
    shutil.copy(first, first.with_name("GENESIS_E01301_20261130.csv"))
    ingest_into(con, tmp_path)
    shutil.copy(first, first.with_name("GENESIS_E01301_20261215.csv"))
    shutil.copy(first, first.with_name("GENESIS_E01301_20261120.csv"))  # late, older copy
    outcomes = {o.file_name: o.status for o in ingest_into(con, tmp_path)}
    assert outcomes == {"GENESIS_E01301_20261215.csv": "UNCHANGED",
                        "GENESIS_E01301_20261120.csv": "UNCHANGED"}
    repeats = con.execute("SELECT file_name, repeats_file_name FROM audit.files "
                          "WHERE status = 'UNCHANGED' ORDER BY 1").fetchall()
    assert repeats == [("GENESIS_E01301_20261120.csv", "GENESIS_E01301_20261101.csv"),
                       ("GENESIS_E01301_20261130.csv", "GENESIS_E01301_20261101.csv"),
                       ("GENESIS_E01301_20261215.csv", "GENESIS_E01301_20261101.csv")]


def test_copy_of_a_rejected_file_under_a_later_date_is_rejected_too(
        con, ingest_into, tmp_path):
    (tmp_path / "genesis").mkdir()
    first = tmp_path / "genesis" / "GENESIS_E01301_20261101.csv"
    first.write_bytes(b"NUM_ECROU;NOM\r\n000101;BENALI\r\n")
    shutil.copy(first, first.with_name("GENESIS_E01301_20261116.csv"))
    outcomes = {o.file_name: o for o in ingest_into(con, tmp_path)}
    assert [o.status for o in outcomes.values()] == ["REJECTED", "REJECTED"]
    assert "same content as GENESIS_E01301_20261101.csv" in \
        outcomes["GENESIS_E01301_20261116.csv"].error
    assert ingest_into(con, tmp_path) == []


def test_correction_of_an_unchanged_delivery_supersedes_it(con, ingest_into, tmp_path):
    first = write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", [row("genesis")])
    shutil.copy(first, first.with_name("GENESIS_E01301_20261116.csv"))
    ingest_into(con, tmp_path)
    write_file(tmp_path, "GENESIS_E01301_20261116.csv", "genesis",
               [row("genesis", NUM_ECROU="000102")])
    [outcome] = ingest_into(con, tmp_path)
    assert outcome.status == "LOADED"
    assert sorted(_status(con, "GENESIS_E01301_20261116.csv")) == ["LOADED", "SUPERSEDED"]
    assert con.execute("SELECT file_name, committal_number FROM staging.detainees "
                       "ORDER BY 1").fetchall() == [
        ("GENESIS_E01301_20261101.csv", "000101"), ("GENESIS_E01301_20261116.csv", "000102")]


def test_header_only_lists_are_never_duplicates(con, ingest_into, tmp_path):
    for day in ("20261101", "20261116"):
        write_file(tmp_path, f"GENESIS_E01301_{day}.csv", "genesis", [])
    write_file(tmp_path, "GENESIS_E02A01_20261116.csv", "genesis", [])
    outcomes = ingest_into(con, tmp_path)
    assert [o.status for o in outcomes] == ["LOADED"] * 3
    assert ingest_into(con, tmp_path) == []


def test_header_only_is_read_in_blocks_as_on_the_whole_file():
    """Every text of up to 7 bytes of white space, line breaks and content, fed in blocks
    of every size: a line break after content is found as on the whole text."""
    for length in range(8):
        for text in map(bytes, itertools.product(b" \r\n\tx", repeat=length)):
            expected = text.strip().count(b"\n") >= 1
            for size in range(1, max(length, 1) + 1):
                scan = LineBreakAfterContent()
                for start in range(0, len(text), size):
                    scan.feed(text[start:start + size])
                assert scan.found == expected, (text, size)


def test_inbox_files_are_hashed_and_sized_up_in_one_read(tmp_path, monkeypatch):
    write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", [])
    write_file(tmp_path, TELE, "telemofpra", [row("telemofpra")])
    monkeypatch.setattr("transforms.ingest.inbox.BLOCK_BYTES", 7)  # many blocks a file
    found = {f.file_name: f for f in list_inbox(tmp_path)}
    assert not found["GENESIS_E01301_20261101.csv"].has_data_rows
    assert found[TELE].has_data_rows
    for f in found.values():  # list_inbox's own checksums, read 7 bytes at a time
        assert f.sha256 == scan_file(f.path)[0] == hashlib.sha256(f.path.read_bytes()).hexdigest()


def test_corrected_file_supersedes_the_earlier_one(con, ingest_into, tmp_path):
    write_file(tmp_path, TELE, "telemofpra", [row("telemofpra")])
    ingest_into(con, tmp_path)
    write_file(tmp_path, TELE, "telemofpra",
               [row("telemofpra"), row("telemofpra", NUM_OFPRA="OF9")])
    [outcome] = ingest_into(con, tmp_path)
    assert outcome.status == "LOADED"
    assert sorted(_status(con, TELE)) == ["LOADED", "SUPERSEDED"]
    staged = con.execute("SELECT num_ofpra FROM staging.asylum_decisions ORDER BY 1").fetchall()
    assert staged == [("OF20250000001",), ("OF9",)]
    # Nothing lost: the superseded file's rows stay in raw.
    assert con.execute("SELECT count(*) FROM raw.telemofpra").fetchone() == (3,)


def test_unreadable_files_are_rejected_and_the_run_goes_on(con, ingest_into, tmp_path):
    write_file(tmp_path, TELE, "telemofpra", [row("telemofpra")])
    (tmp_path / "telemofpra" / "TELEMOFPRA_13_20261102.csv").write_bytes(
        b"NUM_OFPRA,NOM,PRENOMS\r\nOF1,DIALLO,MAMADOU\r\n")
    (tmp_path / "genesis").mkdir()
    (tmp_path / "genesis" / "GENESIS_E01301_20261116.xlsx").write_bytes(b"PK\x03\x04broken")
    (tmp_path / "genesis" / "detenus_novembre.csv").write_text("x", encoding="utf-8")
    # a prison's list dropped into TélémOfpra's folder: the folder to move it into
    (tmp_path / "telemofpra" / "GENESIS_E01301_20261115.csv").write_text("x", encoding="utf-8")
    (tmp_path / "agdref").mkdir()
    (tmp_path / "agdref" / "AGDREF_PERSONNES_13_20261116.csv").write_bytes(b"\x00\x01\x02")
    outcomes = {o.file_name: o for o in ingest_into(con, tmp_path)}
    assert outcomes[TELE].status == "LOADED"
    rejected = {name: o.error for name, o in outcomes.items() if o.status == "REJECTED"}
    assert set(rejected) == {"TELEMOFPRA_13_20261102.csv", "GENESIS_E01301_20261116.xlsx",
                             "detenus_novembre.csv", "AGDREF_PERSONNES_13_20261116.csv",
                             "GENESIS_E01301_20261115.csv"}
    assert rejected["GENESIS_E01301_20261115.csv"] == (
        "file name outside the contract for telemofpra/: named as a genesis list, move it "
        "into genesis/")
    assert "separator is not ';'" in rejected["TELEMOFPRA_13_20261102.csv"]
    assert "missing column" in rejected["TELEMOFPRA_13_20261102.csv"]
    assert "XLSX" in rejected["GENESIS_E01301_20261116.xlsx"]
    assert "outside the contract" in rejected["detenus_novembre.csv"]
    assert "binary" in rejected["AGDREF_PERSONNES_13_20261116.csv"]
    for error in rejected.values():
        assert "\n" not in error and "DIALLO" not in error


def test_correction_of_a_repeated_file_hands_its_rows_to_the_unchanged_delivery(
        con, ingest_into, tmp_path):
    """A later unchanged copy keeps its content when the file it repeats is corrected:
    it takes the rows over and becomes LOADED, as if loaded itself."""
    first = write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis",
                       [row("genesis"), row("genesis", NUM_ECROU="000102", SEXE="X")])
    shutil.copy(first, first.with_name("GENESIS_E01301_20261116.csv"))
    shutil.copy(first, first.with_name("GENESIS_E01301_20261201.csv"))
    ingest_into(con, tmp_path)
    write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis",
               [row("genesis", NUM_ECROU="000103")])
    [outcome] = ingest_into(con, tmp_path)
    assert outcome.status == "LOADED"
    files = con.execute(
        "SELECT file_name, status, rows_read, rows_staged, rows_quarantined, "
        "repeats_file_name FROM audit.files ORDER BY 1, 2").fetchall()
    assert files == [
        ("GENESIS_E01301_20261101.csv", "LOADED", 1, 1, 0, None),
        ("GENESIS_E01301_20261101.csv", "SUPERSEDED", 2, 1, 1, None),
        ("GENESIS_E01301_20261116.csv", "LOADED", 2, 1, 1, None),
        ("GENESIS_E01301_20261201.csv", "UNCHANGED", 0, 0, 0,
         "GENESIS_E01301_20261116.csv")]
    staged = con.execute("SELECT file_name, extraction_date::VARCHAR, committal_number "
                         "FROM staging.detainees ORDER BY 1").fetchall()
    assert staged == [("GENESIS_E01301_20261101.csv", "2026-11-01", "000103"),
                      ("GENESIS_E01301_20261116.csv", "2026-11-16", "000101")]
    assert con.execute("SELECT count(*) FROM raw.genesis WHERE file_name = ?",
                       ["GENESIS_E01301_20261116.csv"]).fetchone() == (2,)
    assert con.execute("SELECT line_number, column_name FROM audit.quarantine "
                       "WHERE file_name = ?", ["GENESIS_E01301_20261116.csv"]
                       ).fetchall() == [(3, "SEXE")]


REGISTERED = {"TYPE_DEMANDE": "REEXAMEN", "SENS_DECISION": "", "FONDEMENT": "",
              "DATE_DECISION": "", "MODE_CNDA": "", "DATE_NOTIFICATION": "",
              "DATE_DEFINITIVE": ""}


def test_registered_request_is_staged_without_a_decision(con, ingest_into, tmp_path):
    """RTR-08, CONTRACTS §1.1: a re-examination or reopening request not yet decided is a
    valid row; an empty decision anywhere else is quarantined, by name."""
    write_file(tmp_path, TELE, "telemofpra", [
        row("telemofpra", NUM_OFPRA="R1", **REGISTERED),
        row("telemofpra", NUM_OFPRA="R2", **{**REGISTERED, "TYPE_DEMANDE": "REOUVERTURE"}),
        row("telemofpra", NUM_OFPRA="R3",
            **{**REGISTERED, "TYPE_DEMANDE": "REEXAMEN_MULTIPLE"}),
        row("telemofpra", NUM_OFPRA="P1", **{**REGISTERED, "TYPE_DEMANDE": "PREMIERE"}),
        row("telemofpra", NUM_OFPRA="D1", DATE_DECISION="", DATE_NOTIFICATION="",
            DATE_DEFINITIVE=""),
        row("telemofpra", NUM_OFPRA="H1", **{**REGISTERED, "DATE_NOTIFICATION": "07/09/2026"}),
        row("telemofpra", NUM_OFPRA="H2", **{**REGISTERED, "DATE_DECISION": "03/09/2026"}),
    ])
    [outcome] = ingest_into(con, tmp_path)
    assert (outcome.rows_read, outcome.rows_staged, outcome.rows_quarantined) == (7, 3, 4)
    staged = con.execute("SELECT num_ofpra, claim_type, outcome, decision_date "
                         "FROM staging.asylum_decisions ORDER BY 1").fetchall()
    assert staged == [("R1", "REEXAMEN", None, None), ("R2", "REOUVERTURE", None, None),
                      ("R3", "REEXAMEN_MULTIPLE", None, None)]
    quarantined = con.execute(
        "SELECT line_number, column_name, check_name FROM audit.quarantine "
        "ORDER BY ALL").fetchall()
    check = "empty_only_on_registered_request"
    assert quarantined == [(5, "DATE_DECISION", check), (5, "SENS_DECISION", check),
                           (6, "DATE_DECISION", check), (7, "DATE_DECISION", check),
                           (7, "SENS_DECISION", check), (8, "SENS_DECISION", check)]


def test_member_state_is_optional_and_staged(con, ingest_into, tmp_path):
    """CONTRACTS §1.3: ETAT_MEMBRE, the last column of MESURES, may be absent (older
    extracts); any other missing column still rejects the file."""
    write_file(tmp_path, "AGDREF_MESURES_13_20261116.csv", "agdref_mesures", [
        row("agdref_mesures", TYPE_MESURE="TRANSFERT_DUBLIN", ETAT_MEMBRE="ITA"),
        row("agdref_mesures", ID_MESURE="M2")])
    older = write_file(tmp_path, "AGDREF_MESURES_2A_20261116.csv", "agdref_mesures",
                       [row("agdref_mesures", ID_MESURE="M3")])
    older.write_text("\n".join(line.rsplit(";", 1)[0] for line in
                               older.read_text(encoding="utf-8").splitlines()) + "\n",
                     encoding="utf-8")
    assert older.read_text(encoding="utf-8").splitlines()[0].endswith(";RECOURS;STATUT")
    broken = write_file(tmp_path, "AGDREF_MESURES_13_20261115.csv", "agdref_mesures",
                        [row("agdref_mesures", ID_MESURE="M4")])
    broken.write_text(broken.read_text(encoding="utf-8").replace("STATUT;", "STATUS;"),
                      encoding="utf-8")
    outcomes = {o.file_name: o for o in ingest_into(con, tmp_path)}
    assert outcomes["AGDREF_MESURES_2A_20261116.csv"].status == "LOADED"
    assert outcomes["AGDREF_MESURES_2A_20261116.csv"].rows_staged == 1
    assert outcomes["AGDREF_MESURES_13_20261116.csv"].rows_staged == 2
    assert outcomes["AGDREF_MESURES_13_20261115.csv"].status == "REJECTED"
    assert "missing column STATUT" in outcomes["AGDREF_MESURES_13_20261115.csv"].error
    staged = con.execute("SELECT measure_id, member_state FROM staging.agdref_measures "
                         "ORDER BY 1").fetchall()
    assert staged == [("M01300000001", "ITA"), ("M2", None), ("M3", None)]


def test_telemofpra_in_utf8_is_read_without_mojibake(con, ingest_into, tmp_path):
    path = write_file(tmp_path, TELE, "telemofpra", [row("telemofpra", NOM="TOURÉ")])
    path.write_bytes(path.read_bytes().decode("cp1252").encode("utf-8"))
    [outcome] = ingest_into(con, tmp_path)
    assert outcome.status == "LOADED" and "UTF-8" in outcome.error
    assert con.execute("SELECT last_name FROM staging.asylum_decisions").fetchone() == ("TOURÉ",)


def test_genesis_xlsx_and_csv_stage_the_same(con, ingest_into, tmp_path):
    detainee = row("genesis", ALIAS="BEN ALI KARIM| BENALY KARIM ", NATIONALITE="CÔTE D'IVOIRE",
                   DATE_NAISSANCE="00/00/1988")
    write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", [detainee])
    write_file(tmp_path, "GENESIS_E01302_20261101.xlsx", "genesis",
               [{**detainee, "CODE_ETABLISSEMENT": "E01302"}])
    assert [o.status for o in ingest_into(con, tmp_path)] == ["LOADED", "LOADED"]
    staged = con.execute(
        "SELECT line_number, aliases, aliases_ascii, nationality, birth_year, birth_month, "
        "birth_date, birth_date_is_placeholder, release_date::VARCHAR "
        "FROM staging.detainees ORDER BY establishment_code").fetchall()
    assert staged[0] == staged[1]
    assert staged[0] == (2, ["BEN ALI KARIM", "BENALY KARIM"], ["BEN ALI KARIM", "BENALY KARIM"],
                         "CIV", 1988, None, None, False, "2027-01-15")


@pytest.mark.parametrize(("text", "where"), [
    # the quote opens the third field of a record whose second field, quoted, holds a
    # line end: line 3 (where the field starts), column NOM (counted over the record)
    ('NUM_OFPRA;PRENOMS;NOM\n1;"x\ny";"unclosed\n2;3;4\n', "line 3, column NOM"),
    # after CRLF line ends, on the first field of a line
    ('NOM;B;C\r\n1;2;3\r\n"4;5;6\r\n7;8;9\r\n', "line 3, column NOM"),
    # closed, with more text after it in the field
    ('A;NOM;C\n1;"x";3\n4;"o"k;6\n7;8;9\n', "line 3, column NOM"),
    # a first line that is no header (a row): its values are no column's name, and may
    # be a person's (issue of 2026-12-06: "column MAMADOU" was printed)
    ('DIALLO;MAMADOU;X\n1;2;3\n4;"5;6\n7;8;9\n', "line 3, field 2"),
])
def test_an_unpaired_quote_is_named_by_the_line_and_column_its_field_starts_on(text, where):
    from transforms.ingest.read import unpaired_quote

    found = unpaired_quote(text, "F.csv")
    assert f"F.csv: {where}: the quote that opens the field" in found
    assert "MAMADOU" not in found and "DIALLO" not in found
    assert unpaired_quote('A;B;C\n1;"x\ny";"a ""q"""\n', "F.csv") is None
    # open on the last line (a file cut short): it swallows no other row
    assert unpaired_quote('A;B;C\n1;2;3\n4;"5;6\n', "F.csv") is None


def test_a_csv_named_xlsx_is_rejected_saying_what_to_send_again(con, ingest_into, tmp_path):
    """A GENESIS list saved as text under a .xlsx name: rejected in one line saying what it
    is and what to send, rather than the workbook reader's words."""
    csv = write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", [row("genesis")])
    csv.rename(tmp_path / "genesis" / "GENESIS_E01301_20261101.xlsx")
    (outcome,) = ingest_into(con, tmp_path)
    assert outcome.status == "REJECTED"
    assert outcome.error == ("GENESIS_E01301_20261101.xlsx: a text file (';' CSV) named "
                             ".xlsx, not a workbook: send it again named .csv, or saved as "
                             "a workbook")


def test_xlsx_lines_are_the_sheet_s_rows_when_the_header_is_not_on_row_1(
        con, ingest_into, tmp_path):
    """CONTRACTS §2: the line of an XLSX row is the sheet's row number. A sheet whose
    header is on row 3 (two empty rows above it, an empty row among the detainees) is
    numbered as the sheet: the reader's passing over the empty rows moves no line."""
    detainees = [row("genesis", NUM_ECROU="000101"),
                 row("genesis", NUM_ECROU="000102", DATE_ECROU="99/99/2026")]
    (tmp_path / "genesis").mkdir()
    workbook = xlsxwriter.Workbook(str(tmp_path / "genesis" / "GENESIS_E01301_20261101.xlsx"))
    sheet = workbook.add_worksheet()
    for r, values in ((2, list(detainees[0])), (3, list(detainees[0].values())),
                      (5, list(detainees[1].values()))):
        for c, value in enumerate(values):
            sheet.write_string(r, c, value)
    workbook.close()
    [outcome] = ingest_into(con, tmp_path)
    # the empty row is a row read, quarantined as a CSV's empty line is
    assert (outcome.status, outcome.rows_read, outcome.rows_staged) == ("LOADED", 3, 1)
    assert con.execute("SELECT committal_number, line_number FROM staging.detainees"
                       ).fetchall() == [("000101", 4)]
    quarantined = con.execute("SELECT DISTINCT line_number, column_name FROM audit.quarantine"
                              ).fetchall()
    assert (6, "DATE_ECROU") in quarantined
    assert {line for line, _ in quarantined} == {5, 6}


def test_placeholder_and_malformed_agdref_number(con, ingest_into, tmp_path):
    write_file(tmp_path, TELE, "telemofpra",
               [row("telemofpra", DATE_NAISSANCE="01/01/1990", NUM_AGDREF="12345-678")])
    ingest_into(con, tmp_path)
    staged = con.execute(
        "SELECT num_agdref, num_agdref_as_delivered, birth_date::VARCHAR, "
        "birth_date_is_placeholder FROM staging.asylum_decisions").fetchone()
    assert staged == (None, "12345-678", "1990-01-01", True)


def test_digits_of_other_scripts_are_no_digits_of_the_contract(con, ingest_into, tmp_path):
    """CONTRACTS §1: an AGDREF number is 10 digits, dates DD/MM/YYYY, a sentence in days;
    polars reads `\\d` as any script's digit, so Arabic-Indic or full-width ones passed the
    contract's patterns (an AGDREF number written so was staged, as no file's number).
    They are quarantined, as any other character would be; on a prison's list, whose
    number may be wrong, the number is read as none given (kept as delivered)."""
    arabic, full_width = "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９"
    write_file(tmp_path, "AGDREF_PERSONNES_13_20261116.csv", "agdref_personnes",
               [row("agdref_personnes", NUM_AGDREF=arabic),
                row("agdref_personnes", NUM_AGDREF="0123456780", DATE_NAISSANCE="١٤/٠٣/١٩٩٠"),
                row("agdref_personnes", NUM_AGDREF="0123456781")])
    write_file(tmp_path, "GENESIS_E01301_20261116.csv", "genesis",
               [row("genesis", QUANTUM_TOTAL_JOURS="٣٦٥"),
                row("genesis", NUM_ECROU="2", NUM_AGDREF=full_width)])
    ingest_into(con, tmp_path)
    quarantined = con.execute(
        "SELECT DISTINCT split_part(file_name, '_', 1), line_number, column_name "
        "FROM audit.quarantine ORDER BY ALL").fetchall()
    assert quarantined == [("AGDREF", 2, "NUM_AGDREF"), ("AGDREF", 3, "DATE_NAISSANCE"),
                           ("GENESIS", 2, "QUANTUM_TOTAL_JOURS")], quarantined
    assert con.execute("SELECT num_agdref FROM staging.agdref_persons").fetchall() == [
        ("0123456781",)]
    assert con.execute("SELECT num_agdref, num_agdref_as_delivered "
                       "FROM staging.detainees").fetchall() == [(None, full_width)]


def test_sample_inbox_accounts_for_every_row(con, ingest_into):
    outcomes = ingest_into(con, SAMPLE_DIR / "inbox")
    assert outcomes and all(o.status == "LOADED" for o in outcomes)
    bad = con.execute(
        "SELECT file_name FROM audit.files WHERE rows_read <> rows_staged + rows_quarantined"
    ).fetchall()
    assert bad == []
    staged = sum(con.execute(f"SELECT count(*) FROM staging.{t}").fetchone()[0] for t in (  # noqa: S608
        "asylum_decisions", "detainees", "agdref_persons", "agdref_titles", "agdref_measures",
        "agdref_events"))
    raw = sum(con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in (  # noqa: S608
        "telemofpra", "genesis", "agdref_personnes", "agdref_titres", "agdref_mesures",
        "agdref_evenements"))
    quarantined = con.execute(
        "SELECT count(DISTINCT (file_name, line_number)) FROM audit.quarantine").fetchone()[0]
    assert raw == staged + quarantined and quarantined > 0


def test_batches_of_any_size_stage_the_same(ingest_into, monkeypatch):
    """Consecutive files of one kind are checked and committed in batches of about
    BATCH_ROWS rows: batches cut after nearly every file (7 rows) or never change nothing
    in raw, staging, the quarantine or the file records."""
    compared = [*(tables.raw_table(kind) for kind in SOURCE_MODELS),
                *(tables.staging_table(kind) for kind in SOURCE_MODELS),
                "audit.quarantine", "audit.files"]

    def loaded(batch_rows: int) -> dict[str, list]:
        monkeypatch.setattr(ingest, "BATCH_ROWS", batch_rows)
        con = warehouse.connect(":memory:")
        tables.create_warehouse(con)
        ingest_into(con, SAMPLE_DIR / "inbox")
        found = {table: sorted(con.sql(
            f"SELECT * EXCLUDE (run_id) FROM {table}" if table.startswith("audit.")  # noqa: S608
            else f"SELECT * FROM {table}").fetchall(), key=repr)  # noqa: S608
            for table in compared}
        con.close()
        return found

    whole, cut = loaded(10_000_000), loaded(7)
    assert all(whole.values())  # every table holds rows, the quarantine too
    assert cut == whole


def test_file_name_that_is_not_utf8_is_rejected_escaped_and_the_night_goes_on(
        con, ingest_into, tmp_path):
    """Issue 37: a Latin-1 name from a Windows share (bytes that are not UTF-8) is
    recorded REJECTED under its name with those bytes escaped (`\\xff`), once; the other
    files are loaded."""
    write_file(tmp_path, TELE, "telemofpra", [row("telemofpra")])
    (tmp_path / "genesis").mkdir()
    latin1 = os.fsdecode(b"GENESIS_E02A94_2026\xff1110.csv")
    (tmp_path / "genesis" / latin1).write_bytes(b"NUM_ECROU\r\n000101\r\n")
    outcomes = {o.file_name: o for o in ingest_into(con, tmp_path)}
    assert outcomes[TELE].status == "LOADED"
    rejected = outcomes["GENESIS_E02A94_2026\\xff1110.csv"]
    assert rejected.status == "REJECTED" and "not UTF-8" in rejected.error
    assert "\n" not in rejected.error
    assert con.execute("SELECT file_name, system, sha256 FROM audit.files WHERE status = "
                       "'REJECTED'").fetchall() == [
        ("GENESIS_E02A94_2026\\xff1110.csv", "genesis",
         hashlib.sha256(b"NUM_ECROU\r\n000101\r\n").hexdigest())]
    assert ingest_into(con, tmp_path) == []  # recorded once


def test_names_with_control_characters_are_recorded_escaped_never_loaded(
        con, ingest_into, tmp_path):
    """Issue 37: a line end (even at the end of a name the contract would otherwise
    accept) or an escape sequence in a name is recorded escaped, the file REJECTED."""
    (tmp_path / "telemofpra").mkdir()
    (tmp_path / "telemofpra" / f"{TELE}\n").write_bytes(b"1")
    (tmp_path / "telemofpra" / "TELEMOFPRA_13_\x1b[31m20261110.csv").write_bytes(b"2")
    (tmp_path / "telemofpra" / "TELEMOFPRA_13_\u202e20261111.csv").write_bytes(b"3")
    outcomes = {o.file_name: o for o in ingest_into(con, tmp_path)}
    assert set(outcomes) == {f"{TELE}\\n", "TELEMOFPRA_13_\\x1b[31m20261110.csv",
                             "TELEMOFPRA_13_\\u202e20261111.csv"}
    for outcome in outcomes.values():
        assert outcome.status == "REJECTED" and "control or invisible" in outcome.error
        assert outcome.file_name.isprintable() and outcome.error.isprintable()


def test_every_inbox_entry_that_is_not_a_regular_file_is_rejected_once_with_a_reason(
        con, ingest_into, tmp_path, monkeypatch):
    """Issue 37: links to nothing, link loops, FIFOs, links to folders, folders named
    like files and files that cannot be read are each recorded REJECTED with a reason
    (no checksum: nothing was read), once; a link to a regular file is read as the file."""
    genesis = tmp_path / "genesis"
    good = write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", [row("genesis")])
    (genesis / "GENESIS_E01301_20261102.csv").symlink_to(genesis / "missing.csv")
    (genesis / "GENESIS_E01301_20261103.csv").symlink_to(genesis / "GENESIS_E01301_20261103.csv")
    os.mkfifo(genesis / "GENESIS_E01301_20261104.csv")
    (genesis / "GENESIS_E01301_20261105.csv").mkdir()
    (genesis / "archives").symlink_to(tmp_path, target_is_directory=True)
    (genesis / "GENESIS_E01301_20261106.csv").symlink_to(good)
    locked = write_file(tmp_path, "GENESIS_E01301_20261107.csv", "genesis",
                        [row("genesis", NUM_ECROU="000107")])
    scan = inbox_module.scan_file

    def refuse(path):  # the tests run as root, whom permissions never stop
        if path == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scan(path)

    monkeypatch.setattr(inbox_module, "scan_file", refuse)
    outcomes = {o.file_name: (o.status, o.error) for o in ingest_into(con, tmp_path)}
    assert outcomes == {
        "GENESIS_E01301_20261101.csv": ("LOADED", None),
        "GENESIS_E01301_20261102.csv": ("REJECTED", "symbolic link to nothing (dangling link)"),
        "GENESIS_E01301_20261103.csv": (
            "REJECTED", "symbolic link loop (the link never reaches a file)"),
        "GENESIS_E01301_20261104.csv": ("REJECTED", "not a regular file (a FIFO)"),
        "GENESIS_E01301_20261105.csv": ("REJECTED", "a folder where a file is expected"),
        "archives": ("REJECTED", "symbolic link to a folder, not followed: put the files "
                                 "themselves in the inbox"),
        "GENESIS_E01301_20261106.csv": ("UNCHANGED", "same content as "
                                        "GENESIS_E01301_20261101.csv, delivered again: its "
                                        "rows are read from that file"),
        "GENESIS_E01301_20261107.csv": ("REJECTED", "cannot be read: Permission denied"),
    }
    assert con.execute("SELECT count(*) FROM audit.files WHERE sha256 IS NULL").fetchone() \
        == (6,)
    assert ingest_into(con, tmp_path) == []  # each recorded once


EVENTS = "AGDREF_EVENEMENTS_13_20261116.csv"


def test_quoted_line_ends_never_shift_the_rows_after_them(con, ingest_into, tmp_path):
    """Issue 37: a MOTIF holding a quoted line end is read whole, on the line its row
    starts on; the next row is staged and every row keeps the line a text editor shows
    it on (the header is line 1), a defect below it too."""
    event = "agdref_evenements"
    path = write_file(tmp_path, EVENTS, event, [
        row(event, ID_MESURE="M1"),
        row(event, ID_MESURE="M2", MOTIF="refus d'embarquer\r\nle 2 novembre"),
        row(event, ID_MESURE="M3", MOTIF='a "quoted";\nreason\n\non three lines'),
        row(event, ID_MESURE="M4", DATE_EVENEMENT="31/02/2026"),
        row(event, ID_MESURE="M5"),
    ])
    [outcome] = ingest_into(con, tmp_path)
    assert (outcome.rows_read, outcome.rows_staged, outcome.rows_quarantined) == (5, 4, 1)
    lines = path.read_bytes().split(b"\n")
    raw = con.execute("SELECT ID_MESURE, line_number FROM raw.agdref_evenements "
                      "ORDER BY 2").fetchall()
    assert raw == [("M1", 2), ("M2", 3), ("M3", 5), ("M4", 9), ("M5", 10)]
    for measure, line in raw:  # the line an editor shows the row on starts with the row
        assert lines[line - 1].startswith(measure.encode())
    assert con.execute("SELECT line_number, column_name, check_name FROM audit.quarantine"
                       ).fetchall() == [(9, "DATE_EVENEMENT", "calendar_date")]
    assert con.execute("SELECT event_reason FROM staging.agdref_events WHERE measure_id = "
                       "'M2'").fetchone() == ("refus d'embarquer\r\nle 2 novembre",)


@pytest.mark.parametrize("end", [b"\r\n\r\n\r\n", b"\r\n  \r\n\r\n", b"\n\n"])
def test_empty_lines_at_the_end_of_a_file_are_no_rows(con, ingest_into, tmp_path, end):
    """An export's blank lines after the last row are passed over, and said so in the
    file's notes; they were rows, each quarantined with a dozen failed checks."""
    path = write_file(tmp_path, TELE, "telemofpra",
                      [row("telemofpra"), row("telemofpra", NUM_OFPRA="OF2")])
    path.write_bytes(path.read_bytes().rstrip(b"\r\n") + end)
    [outcome] = ingest_into(con, tmp_path)
    assert (outcome.rows_read, outcome.rows_staged, outcome.rows_quarantined) == (2, 2, 0)
    assert "empty line(s) at the end of the file passed over" in outcome.error


def test_empty_lines_keep_their_place(con, ingest_into, tmp_path):
    """Empty lines before the header are passed over (lines still counted); a later
    empty line is a row of its own, quarantined on its line."""
    path = write_file(tmp_path, TELE, "telemofpra",
                      [row("telemofpra"), row("telemofpra", NUM_OFPRA="OF2")])
    header, first, second = path.read_bytes().rstrip(b"\r\n").split(b"\r\n")
    path.write_bytes(b"\r\n".join([b"", header, first, b"", second]) + b"\r\n")
    [outcome] = ingest_into(con, tmp_path)
    assert (outcome.rows_read, outcome.rows_staged, outcome.rows_quarantined) == (3, 2, 1)
    assert con.execute("SELECT line_number, NUM_OFPRA FROM raw.telemofpra ORDER BY 1"
                       ).fetchall() == [(3, "OF20250000001"), (4, None), (5, "OF2")]
    assert (4, None, "field_count") in con.execute(
        "SELECT line_number, column_name, check_name FROM audit.quarantine").fetchall()


def test_header_naming_a_contract_column_twice_is_rejected(con, ingest_into, tmp_path):
    """Issue 37: which of two NOM columns holds the surname cannot be told: the file is
    REJECTED (CSV or XLSX); an extra column named twice is only noted."""
    twice = write_file(tmp_path, TELE, "telemofpra", [row("telemofpra")])
    text = twice.read_text(encoding="cp1252")
    twice.write_text(text.replace("DATE_DEFINITIVE", "DATE_DEFINITIVE;NOM").replace(
        "09/10/2026", "09/10/2026;DIALO"), encoding="cp1252")
    extra = write_file(tmp_path, "TELEMOFPRA_13_20261110.csv", "telemofpra",
                       [row("telemofpra")])
    text = extra.read_text(encoding="cp1252")
    extra.write_text(text.replace("DATE_DEFINITIVE", "DATE_DEFINITIVE;VU;VU").replace(
        "09/10/2026", "09/10/2026;x;y"), encoding="cp1252")
    detainee = row("genesis")
    (tmp_path / "genesis").mkdir()
    workbook = xlsxwriter.Workbook(str(tmp_path / "genesis" / "GENESIS_E01301_20261101.xlsx"))
    sheet = workbook.add_worksheet()
    for r, values in enumerate([[*detainee, "NOM"], [*detainee.values(), "BENALY"]]):
        for c, value in enumerate(values):
            sheet.write_string(r, c, value)
    workbook.close()
    outcomes = {o.file_name: o for o in ingest_into(con, tmp_path)}
    assert outcomes[TELE].status == "REJECTED"
    assert outcomes[TELE].error == (f"{TELE}: line 1: column NOM appears 2 times (columns "
                                    "3, 19): which one holds the data cannot be told")
    assert outcomes["GENESIS_E01301_20261101.xlsx"].status == "REJECTED"
    assert "column NOM appears 2 times (columns 5, 18)" in \
        outcomes["GENESIS_E01301_20261101.xlsx"].error
    assert outcomes["TELEMOFPRA_13_20261110.csv"].status == "LOADED"
    assert outcomes["TELEMOFPRA_13_20261110.csv"].error == \
        "extra column ignored: column 19, column 20"


@pytest.mark.parametrize("name", ["GENESIS_E01301_20261112.csv", "GENESIS_E01301_20261112.xlsx"])
def test_a_genesis_row_of_another_establishment_or_department_is_quarantined(
        con, ingest_into, tmp_path, name):
    """A list is one establishment's, in one department: a row naming another
    establishment than the list's name, or another department than the list's other
    rows, is quarantined (which is true cannot be told; staged, it sent a detainee to
    another prefecture's folder); the rest of the list is staged."""
    write_file(tmp_path, name, "genesis", [
        row("genesis"), row("genesis", NUM_ECROU="000102"),
        row("genesis", NUM_ECROU="000103", CODE_ETABLISSEMENT="E01302"),
        row("genesis", NUM_ECROU="000104", DEPT_ETABLISSEMENT="2A")])
    [outcome] = ingest_into(con, tmp_path)
    assert (outcome.status, outcome.rows_staged, outcome.rows_quarantined) == ("LOADED", 2, 2)
    assert con.execute("SELECT line_number, check_name FROM audit.quarantine "
                       "ORDER BY line_number").fetchall() == [
        (4, "establishment_of_the_file"), (5, "department_of_the_establishment")]
    assert con.execute("SELECT DISTINCT department FROM staging.detainees").fetchall() == [
        ("13",)]


def test_a_genesis_list_split_between_two_departments_is_held_whole(con, ingest_into,
                                                                    tmp_path):
    """No department holds more than half of the list's rows: none can be told right."""
    write_file(tmp_path, "GENESIS_E01301_20261112.csv", "genesis", [
        row("genesis"), row("genesis", NUM_ECROU="000102", DEPT_ETABLISSEMENT="2A")])
    [outcome] = ingest_into(con, tmp_path)
    assert (outcome.rows_staged, outcome.rows_quarantined) == (0, 2)


def test_a_file_dated_after_the_run_date_is_loaded_and_said(con, tmp_path):
    """A list whose name says 2027 for 2026 is loaded (an --as-of night in the past reads
    later files from their day on) and its outcome says so: the unit's earlier list
    stays the truth until that day."""
    write_file(tmp_path, "GENESIS_E01301_20271111.csv", "genesis", [row("genesis")])
    write_file(tmp_path, "GENESIS_E01302_20261111.csv", "genesis",
               [row("genesis", CODE_ETABLISSEMENT="E01302")])
    outcomes = {o.file_name: o for o in ingest.ingest_inbox(
        con, plan_inbox(con, tmp_path), "run", run_date=date(2026, 11, 16))}
    ahead = outcomes["GENESIS_E01301_20271111.csv"]
    assert ahead.status == "LOADED"
    assert ahead.error == ("dated 11/11/2027, after the run date: read from that day on (if "
                           "the date in its name is wrong, send it again named right)")
    assert outcomes["GENESIS_E01302_20261111.csv"].error is None


def test_a_quote_inside_a_field_is_read_as_written(con, ingest_into, tmp_path):
    """A quote inside a field that does not start with one (a reason `refus 5" avant
    embarquement`, a name typed `O"BRIEN`) is a character of that field: the rows are
    read, each on its line (before, the reader took it for the start of a quoted part
    and rejected the whole file: a night's events, a week's TélémOfpra list). A ';'
    after such a quote ends the field, as everywhere outside quotes: that line has a
    field too many and is quarantined alone."""
    events = write_file(tmp_path, "AGDREF_EVENEMENTS_13_20261116.csv", "agdref_evenements", [
        row("agdref_evenements"),
        row("agdref_evenements", ID_MESURE="M01300000002", MOTIF="REASON_ONE"),
        row("agdref_evenements", ID_MESURE="M01300000003", MOTIF="REASON_TWO"),
        row("agdref_evenements", ID_MESURE="M01300000004")])
    events.write_bytes(events.read_bytes()
                       .replace(b"REASON_ONE", b'refus 5" avant embarquement')
                       .replace(b"REASON_TWO", b'vol "AF1234; retour" annule'))
    listed = write_file(tmp_path, TELE, "telemofpra", [
        row("telemofpra"), row("telemofpra", NUM_OFPRA="OF2", NOM="OXBRIEN"),
        row("telemofpra", NUM_OFPRA="OF3")])
    listed.write_bytes(listed.read_bytes().replace(b"OXBRIEN", b'O"BRIEN'))
    outcomes = {o.file_name: o for o in ingest_into(con, tmp_path)}
    read = outcomes["AGDREF_EVENEMENTS_13_20261116.csv"]
    assert (read.status, read.rows_read, read.rows_staged, read.rows_quarantined) == (
        "LOADED", 4, 3, 1)
    assert con.execute("SELECT line_number, event_reason FROM staging.agdref_events "
                       "ORDER BY line_number").fetchall()[1:] == [
        (3, 'refus 5" avant embarquement'), (5, None)]
    assert con.execute("SELECT line_number, check_name FROM audit.quarantine").fetchall() \
        == [(4, "field_count")]
    read = outcomes[TELE]
    assert (read.status, read.rows_read) == ("LOADED", 3)
    assert read.rows_read == read.rows_staged + read.rows_quarantined
    assert con.execute("SELECT line_number FROM staging.asylum_decisions "
                       "WHERE num_ofpra = 'OF3'").fetchall() == [(4,)]


def test_parser_errors_never_quote_the_field(con, ingest_into, tmp_path):
    """A field the CSV reader cannot parse (text after a closing quote, a quote never
    closed) is named by its line and column, never quoted: it may be a person's name."""
    for day, bad in (("20261109", '"DIALLO"X'), ("20261110", '"DIALLO\r\nX')):
        path = write_file(tmp_path, f"TELEMOFPRA_13_{day}.csv", "telemofpra", [
            row("telemofpra", NUM_OFPRA="OF1", NOM="SYLLA"), row("telemofpra", NUM_OFPRA="OF2"),
            row("telemofpra", NUM_OFPRA="OF3", NOM="KONE")])
        path.write_bytes(path.read_bytes().replace(b"DIALLO", bad.encode()))
    outcomes = ingest_into(con, tmp_path)
    assert [o.status for o in outcomes] == ["REJECTED", "REJECTED"]
    for outcome in outcomes:
        assert "DIALLO" not in outcome.error and "\n" not in outcome.error
        assert "line 3, column NOM: the quote that opens the field is never properly " \
            "closed" in outcome.error, outcome.error


def test_impossible_birth_dates_are_quarantined_in_every_source(con, tmp_path):
    """Issue 37: a birth date after the file's extraction date is quarantined with its
    column (`birth_date_not_in_future`) in TélémOfpra, GENESIS and AGDREF; a partial date
    only when its earliest possible day is."""
    births = {"B1": "12/03/2031", "B2": "00/00/2027", "B3": "17/11/2026", "B4": "16/11/2026",
              "B5": "00/12/2026", "B6": "00/11/2026", "B7": "XX/XX/2026", "B8": "14/03/1990"}
    write_file(tmp_path, "TELEMOFPRA_13_20261116.csv", "telemofpra", [
        row("telemofpra", NUM_OFPRA=key, DATE_NAISSANCE=day) for key, day in births.items()])
    write_file(tmp_path, "GENESIS_E01301_20261116.xlsx", "genesis", [
        row("genesis", NUM_ECROU=key, DATE_NAISSANCE=day) for key, day in births.items()])
    write_file(tmp_path, "AGDREF_PERSONNES_13_20261116.csv", "agdref_personnes", [
        row("agdref_personnes", NUM_AGDREF=f"000000000{key[1]}", DATE_NAISSANCE=day)
        for key, day in births.items()])
    # A list extracted after the run date (read only from its date on): checked against
    # its own date, never the run date, so that whichever night first reads it the same
    # rows are quarantined (CONTRACTS §4: the same inbox and --as-of, the same lists).
    write_file(tmp_path, "GENESIS_E01302_20261120.csv", "genesis", [
        row("genesis", CODE_ETABLISSEMENT="E01302", NUM_ECROU=key, DATE_NAISSANCE=day)
        for key, day in (("C1", "21/11/2026"), ("C2", "17/11/2026"))])
    outcomes = ingest.ingest_inbox(con, plan_inbox(con, tmp_path), "run",
                                   run_date=date(2026, 11, 16))
    assert sorted((o.rows_read, o.rows_quarantined) for o in outcomes) == [(2, 1), *[(8, 4)] * 3]
    quarantined = con.execute(
        "SELECT file_name, line_number, column_name, check_name, value "
        "FROM audit.quarantine ORDER BY ALL").fetchall()
    assert quarantined == sorted([
        (name, line, "DATE_NAISSANCE", "birth_date_not_in_future", births[f"B{line - 1}"])
        for name in ("AGDREF_PERSONNES_13_20261116.csv", "GENESIS_E01301_20261116.xlsx",
                     "TELEMOFPRA_13_20261116.csv")
        for line in (2, 3, 4, 6)] + [("GENESIS_E01302_20261120.csv", 2, "DATE_NAISSANCE",
                                      "birth_date_not_in_future", "21/11/2026")])


def test_dates_after_the_extraction_date_are_quarantined(con, ingest_into, tmp_path):
    """Decisions, notifications, committals, entries and events cannot postdate the
    list that reports them; release dates and the end of a title lie ahead lawfully."""
    write_file(tmp_path, "GENESIS_E01301_20261116.csv", "genesis", [
        row("genesis", NUM_ECROU="1", DATE_ECROU="17/11/2026"),
        row("genesis", NUM_ECROU="2", DATE_LIBERATION_PREVISIBLE="17/11/2029")])
    write_file(tmp_path, "AGDREF_MESURES_13_20261116.csv", "agdref_mesures", [
        row("agdref_mesures", ID_MESURE="M1", DATE_DECISION="17/11/2026"),
        row("agdref_mesures", ID_MESURE="M2", DATE_NOTIFICATION="17/11/2026")])
    write_file(tmp_path, "AGDREF_TITRES_13_20261116.csv", "agdref_titres", [
        row("agdref_titres", DATE_DEBUT="17/11/2026", DATE_FIN="16/11/2027")])
    ingest_into(con, tmp_path)
    assert con.execute("SELECT file_name, line_number, column_name, check_name "
                       "FROM audit.quarantine ORDER BY ALL").fetchall() == [
        ("AGDREF_MESURES_13_20261116.csv", 2, "DATE_DECISION", "not_after_extraction_date"),
        # decided after its notification (22/10) too: the row contradicts itself
        ("AGDREF_MESURES_13_20261116.csv", 2, "DATE_NOTIFICATION", "notified_after_decision"),
        ("AGDREF_MESURES_13_20261116.csv", 3, "DATE_NOTIFICATION",
         "not_after_extraction_date"),
        ("GENESIS_E01301_20261116.csv", 2, "DATE_ECROU", "not_after_extraction_date")]


@pytest.mark.parametrize(("as_delivered", "named"), [
    ("123456789.0", "agdref:0123456789"), ("5650958627.0", "agdref:5650958627"),
    ("12345678901", None)])
def test_a_quarantined_row_names_the_file_a_number_read_as_a_number_was(
        con, ingest_into, tmp_path, as_delivered, named):
    """DQ-01: a TITRES row whose number a spreadsheet wrote as a number (`.0`, leading
    zero lost or not) is quarantined and names the file it was, so that its person waits
    for the corrected file; a number of 11 digits names no one."""
    write_file(tmp_path, "AGDREF_TITRES_13_20261116.csv", "agdref_titres",
               [row("agdref_titres", NUM_AGDREF=as_delivered)])
    ingest_into(con, tmp_path)
    assert con.execute("SELECT DISTINCT names FROM audit.quarantine").fetchall() == [
        ([named] if named else [],)]


def test_overlong_line_is_quarantined_not_the_file(con, ingest_into, tmp_path):
    """A line with more fields than the header (a stray ';') is quarantined as
    `field_count` on its line; the rows around it are staged."""
    path = write_file(tmp_path, TELE, "telemofpra", [
        row("telemofpra"), row("telemofpra", NUM_OFPRA="OF2"),
        row("telemofpra", NUM_OFPRA="OF3")])
    path.write_bytes(path.read_bytes().replace(b"OF2;", b"OF2;;"))
    [outcome] = ingest_into(con, tmp_path)
    assert (outcome.status, outcome.rows_staged, outcome.rows_quarantined) == ("LOADED", 2, 1)
    assert con.execute("SELECT line_number, check_name, value FROM audit.quarantine WHERE "
                       "column_name IS NULL").fetchall() == [
        (3, "field_count", "1 field(s) more than the header")]


def test_a_folder_that_cannot_be_listed_is_recorded_the_inbox_itself_fails(
        con, ingest_into, tmp_path, monkeypatch):
    """Issue 37: a folder of the inbox that cannot be listed is REJECTED with its reason
    (its files cannot be known); an inbox that cannot be listed stops the run."""
    write_file(tmp_path, TELE, "telemofpra", [row("telemofpra")])
    (tmp_path / "genesis" / "novembre").mkdir(parents=True)
    scandir = os.scandir

    def refuse(path):  # the tests run as root, whom permissions never stop
        if os.fspath(path).endswith("novembre"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    outcomes = {o.file_name: (o.status, o.error) for o in ingest_into(con, tmp_path)}
    assert outcomes == {TELE: ("LOADED", None), "novembre": (
        "REJECTED", "folder cannot be read: Permission denied")}
    with pytest.raises(PermissionError):
        ingest_into(con, tmp_path / "genesis" / "novembre")


@pytest.fixture
def schema_builds(monkeypatch) -> list[tuple[bool, str]]:
    """Every Pandera schema built while the test runs: (in the main thread, model)."""
    from threading import current_thread, main_thread

    from pandera.api.polars.model import DataFrameModel

    built = []
    build = DataFrameModel.build_schema_.__func__

    def watched(cls, **kwargs):
        built.append((current_thread() is main_thread(), cls.__name__))
        return build(cls, **kwargs)

    monkeypatch.setattr(DataFrameModel, "build_schema_", classmethod(watched))
    return built


def test_files_read_in_threads_build_no_contract_schema(con, schema_builds):
    """Pandera builds a model's schema anew in each thread that asks for it; two threads
    building at once collided in a test run of the demo (RuntimeError: dictionary
    changed size during iteration, reading the inbox ahead). The readers' threads ask
    Pandera for nothing."""
    from concurrent.futures import ThreadPoolExecutor

    from transforms.ingest.read import read_source_file

    plans = [p for p in plan_inbox(con, SAMPLE_DIR / "inbox") if p.action == "LOAD"]
    assert {p.file.kind for p in plans} == set(SOURCE_MODELS)
    with ThreadPoolExecutor(max_workers=2) as readers:
        read = list(readers.map(read_source_file, (p.file for p in plans)))
    assert len(read) == len(plans) and sum(r.rows.height for r in read) > 0
    assert not [name for in_main, name in schema_builds if not in_main]


def test_a_contract_s_columns_are_built_once_whatever_the_threads(schema_builds):
    """The rules build their rows (tables.rows_frame) in threads: a model's columns come
    from one schema built once, one thread at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from schemas.published import Exclusion

    tables._model_columns.cache_clear()
    with ThreadPoolExecutor(max_workers=4) as threads:
        columns = list(threads.map(lambda _: tables.model_columns(Exclusion), range(8)))
    assert [name for _, name in schema_builds] == ["Exclusion"]
    assert all(c is columns[0] for c in columns) and "reason_code" in columns[0]


def test_a_misnamed_file_is_rejected_for_its_name_whatever_file_holds_its_bytes(
        con, ingest_into, tmp_path):
    """CONTRACTS §2: SKIPPED_DUPLICATE is "a file already seen, re-sent"; a file that
    cannot be used is REJECTED with a one-line error. Two nights' TITRES extracts under
    Corsica's former code 20, their content unchanged overnight, and two empty files
    named outside the contract in two systems' folders: each is REJECTED with its own
    reason (the operator's closing lines list them all), none a duplicate of another."""
    first = write_file(tmp_path, "AGDREF_TITRES_20_20261115.csv", "agdref_titres",
                       [row("agdref_titres")])
    shutil.copy(first, first.with_name("AGDREF_TITRES_20_20261116.csv"))
    (tmp_path / "genesis").mkdir()
    (tmp_path / "genesis" / "GENESIS_E1301_20261110.csv").write_bytes(b"")
    (tmp_path / "agdref" / "AGDREF_TITRES_13_2026116.csv").write_bytes(b"")
    ingest_into(con, tmp_path)
    files = dict(con.execute("SELECT file_name, status FROM audit.files").fetchall())
    assert set(files.values()) == {"REJECTED"}, files
    assert len(files) == 4
    errors = dict(con.execute("SELECT file_name, error FROM audit.files").fetchall())
    assert "20" in errors["AGDREF_TITRES_20_20261116.csv"]


def test_genesis_country_names_a_french_administration_writes_are_read():
    """GENESIS writes a nationality as a French country name in capitals; names in
    everyday use beside the ISO French form (the former name, the English one, a short
    form) were staged without a nationality. Reading them changes no name the generator
    writes (french_name_of)."""
    from transforms.ingest.countries import country_code, french_name_of

    read = {name: country_code(name) for name in (
        "MYANMAR", "BIRMANIE", "BIELORUSSIE", "SURINAME", "CENTRAFRIQUE", "SWAZILAND",
        "MACEDOINE", "CONGO BRAZZAVILLE", "Biélorussie")}
    assert read == {"MYANMAR": "MMR", "BIRMANIE": "MMR", "BIELORUSSIE": "BLR",
                    "SURINAME": "SUR", "CENTRAFRIQUE": "CAF", "SWAZILAND": "SWZ",
                    "MACEDOINE": "MKD", "CONGO BRAZZAVILLE": "COG", "Biélorussie": "BLR"}
    assert french_name_of("MKD") == "MACEDOINE DU NORD" and french_name_of("COG") == "CONGO"
    # EU and EEA States first (an unread nationality is no EU one, §5), and the short
    # forms of the Congo, Guinea, the United Kingdom and the United States
    read = {name: country_code(name) for name in (
        "HOLLANDE", "Eire", "RFA", "R.D.C.", "Congo (RDC)", "CONGO-KINSHASA",
        "Guinée-Conakry", "U.S.A.", "Grande-Bretagne", "ANGLETERRE", "SUD-SOUDAN")}
    assert read == {"HOLLANDE": "NLD", "Eire": "IRL", "RFA": "DEU", "R.D.C.": "COD",
                    "Congo (RDC)": "COD", "CONGO-KINSHASA": "COD", "Guinée-Conakry": "GIN",
                    "U.S.A.": "USA", "Grande-Bretagne": "GBR", "ANGLETERRE": "GBR",
                    "SUD-SOUDAN": "SSD"}
    # official names, their form of State set aside, and a name with another in
    # parentheses (audit of 2026-12-07); two countries named: the EU one (§5), and a
    # rest that names two countries is not read
    read = {name: country_code(name) for name in (
        "CONFEDERATION SUISSE", "Grand-Duché de Luxembourg", "IRLANDE (EIRE)",
        "PRINCIPAUTE DE LIECHTENSTEIN", "REPUBLIQUE HELLENIQUE", "ETAT DE LIBYE",
        "République de Guinée", "ERITREE", "MAROC (ESPAGNE)", "REPUBLIQUE DE COREE")}
    assert read == {"CONFEDERATION SUISSE": "CHE", "Grand-Duché de Luxembourg": "LUX",
                    "IRLANDE (EIRE)": "IRL", "PRINCIPAUTE DE LIECHTENSTEIN": "LIE",
                    "REPUBLIQUE HELLENIQUE": "GRC", "ETAT DE LIBYE": "LBY",
                    "République de Guinée": "GIN", "ERITREE": "ERI", "MAROC (ESPAGNE)": "ESP",
                    "REPUBLIQUE DE COREE": None}
    # the names written stay ISO's French ones
    assert [french_name_of(code) for code in ("NLD", "IRL", "COD", "GBR")] == [
        "PAYS-BAS", "IRLANDE", "RD CONGO", "ROYAUME-UNI"]
