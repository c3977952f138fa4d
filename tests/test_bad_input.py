"""The bad-input corpus (tests/corpus, one file per case of issues 6 and 37): each case
gives one clear line (file, line, column, reason) in audit and on the console, and nothing
else is lost. Rebuild the corpus with `python -m tests.corpus.build`. The entries git
cannot hold (links, a FIFO, names that are not UTF-8) are made in a copy of the corpus
inbox (tests.corpus.build.make_special_entries)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pytest

from tests.builders import row, write_file
from tests.conftest import PROJECT_ROOT, ingest
from tests.corpus.build import SPECIAL_ENTRIES, make_special_entries

CORPUS = PROJECT_ROOT / "tests" / "corpus"
EXPECTED = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8"),
                               delimiter=";"))


def corpus_inbox(folder):
    """A copy of the corpus inbox with the entries git cannot hold."""
    inbox = folder / "inbox"
    shutil.copytree(CORPUS / "inbox", inbox)
    make_special_entries(inbox)
    return inbox


@pytest.fixture(scope="module")
def corpus_con(tmp_path_factory):
    from transforms.warehouse import database as warehouse
    from transforms.warehouse import tables

    con = warehouse.connect(":memory:")
    tables.create_warehouse(con)
    ingest(con, corpus_inbox(tmp_path_factory.mktemp("corpus")))
    yield con
    con.close()


def test_every_file_of_the_corpus_is_expected():
    on_disk = {p.name for p in (CORPUS / "inbox").rglob("*") if p.is_file()}
    assert on_disk | {name for name, _ in SPECIAL_ENTRIES} == {
        e["file_name"] for e in EXPECTED}


def test_every_entry_is_recorded_once_and_printable(corpus_con):
    """Issue 37: nothing in the inbox vanishes, nothing is recorded twice, and every name
    and error recorded is one printable line."""
    recorded = corpus_con.execute(
        "SELECT file_name, coalesce(error, '') FROM audit.files").fetchall()
    names = [name for name, _ in recorded]
    assert len(names) == len(set(names)) and set(names) == {e["file_name"] for e in EXPECTED}
    for name, error in recorded:
        assert name.isprintable() and error.isprintable(), (name, error)


@pytest.mark.parametrize("case", EXPECTED, ids=[
    f"{e['file_name']}:{e['line_number'] or '-'}" for e in EXPECTED])
def test_each_case_is_accounted_for_in_one_clear_line(corpus_con, case):
    status, error, read, staged, quarantined = corpus_con.execute(
        "SELECT status, error, rows_read, rows_staged, rows_quarantined FROM audit.files "
        "WHERE file_name = ?", [case["file_name"]]).fetchone()
    assert status == case["status"]
    assert read == staged + quarantined  # nothing lost
    if status == "REJECTED":
        assert error and "\n" not in error and case["reason"] in error
        return
    if case["line_number"]:
        found = corpus_con.execute(
            "SELECT column_name, check_name FROM audit.quarantine WHERE file_name = ? "
            "AND line_number = ?", [case["file_name"], int(case["line_number"])]).fetchall()
        assert any((column or "") == case["column_name"] and check.startswith(case["reason"])
                   for column, check in found), found
    elif case["reason"]:
        assert case["reason"] in (error or "")


def test_good_rows_beside_bad_ones_are_staged_and_no_mojibake_reaches_staging(corpus_con):
    staged = dict(corpus_con.execute(
        "SELECT file_name, count(*) FROM staging.asylum_decisions GROUP BY ALL").fetchall())
    assert staged == {"TELEMOFPRA_13_20261105.csv": 1, "TELEMOFPRA_13_20261106.csv": 1,
                      "TELEMOFPRA_13_20261109.csv": 1, "TELEMOFPRA_13_20261110.csv": 1,
                      "TELEMOFPRA_13_20261116.csv": 1}
    texts = corpus_con.execute(
        "SELECT string_agg(coalesce(last_name, '') || coalesce(first_names, ''), '') "
        "FROM staging.asylum_decisions").fetchone()[0]
    assert "Ã" not in texts and "\ufffd" not in texts


def test_quoted_line_end_shifts_no_row(corpus_con):
    """Issue 37: the row after a MOTIF holding a line end is staged, on its true line."""
    assert corpus_con.execute(
        "SELECT measure_id, line_number FROM staging.agdref_events ORDER BY 2").fetchall() \
        == [("M1", 2), ("M2", 4)]
    assert corpus_con.execute(
        "SELECT line_number, check_name FROM audit.quarantine WHERE file_name = "
        "'AGDREF_EVENEMENTS_13_20261114.csv'").fetchall() == [(5, "calendar_date")]


def night_on(inbox, prefect_server, folder) -> subprocess.CompletedProcess:
    """`reconcile run` on `inbox` as of 2026-11-16, as an operator runs it; it must end
    well (exit 0)."""
    result = subprocess.run(
        [sys.executable, "-m", "flows", "run", "--inbox", str(inbox), "--warehouse",
         str(folder / "w.duckdb"), "--exports", str(folder / "x"), "--as-of",
         "2026-11-16"], env={**prefect_server, "COLUMNS": "200"}, capture_output=True,
        text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.slow
def test_the_console_names_file_line_column_and_reason_never_the_value(prefect_server,
                                                                        tmp_path):
    result = night_on(corpus_inbox(tmp_path), prefect_server, tmp_path)
    console = result.stdout + result.stderr
    for case in EXPECTED:
        if case["status"] == "REJECTED":
            assert f"REJECTED {case['file_name']}" in console
        elif case["line_number"]:
            column = case["column_name"] or "(line)"
            assert (f"{case['file_name']}:{case['line_number']} {column}: {case['reason']}"
                    in console)
    # the console ends with each file rejected tonight, named with its reason: what to
    # correct and send again
    ending = [line for line in result.stdout.splitlines() if line.startswith("rejected: ")]
    rejected = {case["file_name"] for case in EXPECTED if case["status"] == "REJECTED"}
    assert len(ending) == len(rejected)
    assert all(any(line.startswith(f"rejected: {name}") for line in ending)
               for name in rejected), ending
    assert result.stdout.index("rejected: ") > result.stdout.index("warehouse (DuckDB")
    for value in ("PEUT_ETRE", "XXXXXXXXXX", "2026-09-03", "31/02/2026", "OF5 ;-)", "KOUAM",
                  "12/03/2031", "00/00/2027", "refus d'embarquer", "DIALO"):
        assert value not in console
    # Issue 37: names and header names printed escaped, on one line each.
    assert "\x1b" not in console and "\udcff" not in console
    for line in console.splitlines():
        if "REJECTED" in line or "QUARANTINED" in line:
            assert line.isprintable(), line


@pytest.mark.slow
def test_an_empty_inbox_is_said_and_the_summary_has_no_empty_parentheses(prefect_server,
                                                                         tmp_path):
    """A night on three empty folders runs (an empty list is news) but says the inbox is
    empty, the likelier cause being a share not mounted or a wrong --inbox; its summary
    reads whole."""
    inbox = tmp_path / "inbox"
    for system in ("telemofpra", "genesis", "agdref"):
        (inbox / system).mkdir(parents=True)
    # a list dropped beside the systems' folders is not read, and said so with the folder
    # to move it into; a note left there is not the night's, said nothing of
    listed = write_file(inbox, "TELEMOFPRA_13_20261113.csv", "telemofpra", [row("telemofpra")])
    listed.rename(inbox / listed.name)
    (inbox / "notes.txt").write_text("à traiter lundi", encoding="utf-8")
    # and lists in a folder beside them (a share's GENESIS/, an archive), counted by
    # folder, where they were passed over in silence (contracts audit of 2026-12-07)
    for folder in ("GENESIS", "archives/2026"):
        for day in ("20261103", "20261110"):
            write_file(inbox / folder, f"GENESIS_E01301_{day}.csv", "genesis", [row("genesis")])
    write_file(inbox / "archives", "AGDREF_TITRES_13_20261101.csv", "agdref_titres",
               [row("agdref_titres")])
    (inbox / "archives" / "lisez-moi.txt").write_text("anciens envois", encoding="utf-8")
    result = night_on(inbox, prefect_server, tmp_path)
    console = result.stdout + result.stderr
    misplaced = ["inbox: TELEMOFPRA_13_20261113.csv is at the inbox's root, where it is "
                 "not read: move it into telemofpra/",
                 "inbox: GENESIS/ holds 2 genesis lists the night does not read (it reads "
                 "telemofpra/, genesis/ and agdref/ only): move them into genesis/",
                 "inbox: archives/ holds 1 agdref list the night does not read (it reads "
                 "telemofpra/, genesis/ and agdref/ only): move it into agdref/",
                 "inbox: archives/ holds 2 genesis lists the night does not read (it reads "
                 "telemofpra/, genesis/ and agdref/ only): move them into genesis/"]
    assert all(note in console for note in misplaced)
    # said again where the console ends, with what else the operator has to act on
    assert result.stdout.strip().splitlines()[-5:] == [
        *misplaced, f"inbox: no file in {inbox} (telemofpra/, genesis/, agdref/ are empty)"]
    assert "notes.txt" not in console and "lisez-moi" not in console
    assert f"inbox: no file in {inbox}" in console
    assert "department folders ()" not in console and "excluded ;" not in console
    assert "department folders (none tonight)" in result.stdout


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_a_byte_that_is_not_utf8_is_named_with_its_line_after_a_byte_order_mark(bom):
    """GENESIS is UTF-8 with BOM (CONTRACTS §1.2): the one-line reason of a file that is
    not names the byte and its line as they are in the file, the mark included."""
    from transforms.ingest.read import UnreadableFile, decode_text

    data = bom + b"NUM_ECROU;NOM\n" + b"\xc9LOISE;X\n"  # Latin-1 'É' opening line 2
    with pytest.raises(UnreadableFile) as err:
        decode_text(data, "genesis", "GENESIS_E01301_20261110.csv")
    assert "line 2: byte 0xC9 is not UTF-8" in str(err.value)


@pytest.mark.parametrize(("data", "said"), [
    ("NUM_OFPRA;NOM\r\n".encode("utf-16"), "UTF-16 text (a spreadsheet's \"Unicode text\"), "
     "not Windows-1252: save it again as CSV in Windows-1252"),
    (b"NUM_OFPRA;NOM\rOF1;DIALLO\r", "its lines end with CR alone (an old Mac format)"),
])
def test_a_text_saved_otherwise_is_rejected_saying_how_to_save_it(data, said):
    """One line that says what the file is and how to send it again, where the reader's
    words were "binary content" and "line 1: missing column DATE_DEFINITIVE"."""
    from transforms.ingest.read import UnreadableFile, decode_text

    with pytest.raises(UnreadableFile) as err:
        decode_text(data, "telemofpra", "TELEMOFPRA_13_20261110.csv")
    assert said in str(err.value)


@pytest.mark.parametrize("surname", ["-", "'", "?", ".", "\u3164", "\u05d0"])
def test_a_genesis_row_whose_surname_is_only_punctuation_is_accounted_for(
        con, ingest_into, tmp_path, surname):
    """CONTRACTS §2 "For every loaded file: rows_read = rows_staged + rows_quarantined";
    "A file that cannot be read at all is REJECTED ... and the run goes on with the other
    files". A prison writes an unknown surname as '-': the row passes the source contract
    (NOM non-empty, at most 200 characters) but its ASCII form is empty, which the staging
    contract refuses (last_name_ascii not nullable): such a row is quarantined
    (name_has_letters), as any row breaking a source check, and the night goes on. So is
    a name of characters anyascii writes as nothing (a Hangul filler, a Hebrew letter),
    which stopped the night before."""
    inbox = tmp_path / "inbox"
    write_file(inbox, "GENESIS_E01301_20261112.csv", "genesis",
               [row("genesis"), row("genesis", NUM_ECROU="000102", NOM=surname)])
    write_file(inbox, "AGDREF_PERSONNES_13_20261116.csv", "agdref_personnes",
               [row("agdref_personnes")])
    outcomes = {o.file_name: o for o in ingest_into(con, inbox)}
    genesis = outcomes["GENESIS_E01301_20261112.csv"]
    assert genesis.status == "LOADED"
    assert genesis.rows_read == 2 == genesis.rows_staged + genesis.rows_quarantined
    assert outcomes["AGDREF_PERSONNES_13_20261116.csv"].status == "LOADED"


def test_a_header_ending_in_cr_alone_neither_glues_nor_names_the_first_row(con, tmp_path):
    """A MESURES extract whose header line ends in CR alone (a header saved apart by
    another tool), its other lines in CRLF (audit of 2026-12-06): the CR is read as a
    line end, and noted. Before, the first row was glued to the header, read as an extra
    column named by its values (an AGDREF number and a measure id in the note that the
    night logs) and counted nowhere (DESIGN: nothing lost, nothing leaked)."""
    path = write_file(tmp_path, "AGDREF_MESURES_13_20261116.csv", "agdref_mesures", [
        row("agdref_mesures"),
        row("agdref_mesures", ID_MESURE="M01300000002", NUM_AGDREF="0555555555")])
    head, rest = path.read_bytes().split(b"\r\n", 1)
    path.write_bytes(head + b"\r" + rest)
    [outcome] = ingest(con, tmp_path)
    assert (outcome.status, outcome.rows_read, outcome.rows_staged) == ("LOADED", 2, 2)
    said = outcome.error or ""  # a loaded file's notes (audit.files.error, logged)
    assert "1 line end of CR alone read as line end" in said
    assert not [v for v in ("0123456789", "0555555555", "M01300000001") if v in said], said


def test_an_extra_column_not_of_the_contracts_is_named_by_its_place(con, tmp_path):
    """DESIGN: logs never hold names, dates of birth or numbers of persons. The note on
    an extra column repeats its header cell when it is a column of the systems'
    contracts (NUM_OFPRA, TélémOfpra's, and ETAT_MEMBRE, AGDREF's measures', in a GENESIS
    list); any other cell, a number, a
    date, a name typed into the header however written (BBAH_AISSATOU), an escape
    sequence, is named by its place."""
    path = write_file(tmp_path, "GENESIS_E01301_20261116.csv", "genesis", [row("genesis")])
    lines = path.read_bytes().split(b"\r\n")
    lines[0] += (b";NUM_OFPRA;0123456789;14/03/1990;DUPONT;Jean;BBAH_AISSATOU;ETAT_MEMBRE;"
                 b"VU\x1b[2J")
    lines[1] += b";;;;;;;;"
    path.write_bytes(b"\r\n".join(lines))
    [outcome] = ingest(con, tmp_path)
    assert outcome.status == "LOADED"
    assert outcome.error == ("extra column ignored: NUM_OFPRA, column 19, column 20, "
                             "column 21, column 22, column 23, ETAT_MEMBRE, column 25"
                             ), outcome.error


def test_a_row_glued_to_the_header_rejects_the_file_and_is_not_logged(con, tmp_path):
    """DESIGN "logs never contain names, dates of birth or numbers of persons" and
    "every input row is either staged or quarantined with a reason"; CONTRACTS §2
    (rows_read = rows_staged + rows_quarantined; a file that cannot be read is REJECTED
    with a one-line error). The header was saved apart and its line end lost after its
    last ';': the first row continues the header line. That row can be neither staged
    nor quarantined: the file is refused, and its cells are not in the error."""
    path = write_file(tmp_path, "AGDREF_PERSONNES_13_20261116.csv", "agdref_personnes", [
        row("agdref_personnes", NOM="ZORGLUBIAN", PRENOMS="QUENTINO",
            LIEU_NAISSANCE="Tombouctou"),
        row("agdref_personnes", NUM_AGDREF="0555555555")])
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(lines[0] + b";" + b"\r\n".join(lines[1:]))
    [outcome] = ingest(con, tmp_path)
    assert outcome.status == "REJECTED", outcome
    assert "a row is glued to it" in outcome.error
    assert not [v for v in ("ZORGLUBIAN", "QUENTINO", "Tombouctou", "0123456789")
                if v in outcome.error], outcome.error


def test_a_last_line_cut_inside_a_quoted_field_loses_only_that_line(con, tmp_path):
    """CONTRACTS §2: only "a file that cannot be read at all is REJECTED"; DESIGN: every
    input row is staged or quarantined. An EVENEMENTS extract cut short in the middle of
    its last row's quoted MOTIF: nothing follows the open quote, so it swallows no other
    row. The removal carried out on line 2 is staged (EX-02 closes its measure); the cut
    line is read field by field (its MOTIF as far as it goes)."""
    path = write_file(tmp_path, "AGDREF_EVENEMENTS_13_20261116.csv", "agdref_evenements", [
        row("agdref_evenements", TYPE_EVENEMENT="ELOIGNEMENT_EXECUTE",
            DATE_EVENEMENT="05/11/2026"),
        row("agdref_evenements", ID_MESURE="M01300000002", TYPE_EVENEMENT="ECHEC_ELOIGNEMENT",
            MOTIF="refus; embarquement")])
    data = path.read_bytes().rstrip(b"\r\n")
    path.write_bytes(data[:-len(b' embarquement"')])  # cut after `"refus;`
    [outcome] = ingest(con, tmp_path)
    assert (outcome.status, outcome.rows_read, outcome.rows_staged) == ("LOADED", 2, 2), \
        outcome
    assert con.execute("SELECT event_type, event_reason FROM staging.agdref_events "
                       "ORDER BY line_number").fetchall() == [
        ("ELOIGNEMENT_EXECUTE", None), ("ECHEC_ELOIGNEMENT", "refus;")]


def test_a_list_moved_where_the_rejection_says_is_read(con, tmp_path):
    """README "What happens to each file": a list dropped in another system's folder is
    REJECTED "named as a genesis list, move it into genesis/". The operator does so; the
    next night reads the list. Before (README audit of 2026-12-07), the moved file, same
    name and bytes as the rejected one, was passed over as already known (SKIP_KNOWN):
    never loaded, no console line, its detainees missing from upcoming_releases. The same
    file left where it was is not recorded again."""
    inbox = tmp_path / "inbox"
    for folder in ("telemofpra", "genesis", "agdref"):
        (inbox / folder).mkdir(parents=True)
    name = "GENESIS_E01301_20261110.csv"
    path = write_file(inbox, name, "genesis", [row("genesis"), row("genesis", NUM_ECROU="000102")])
    wrong = inbox / "agdref" / name
    path.rename(wrong)
    [first] = ingest(con, inbox)
    assert first.status == "REJECTED" and "move it into genesis/" in first.error, first
    assert ingest(con, inbox) == []  # left where it is: nothing more recorded
    wrong.rename(inbox / "genesis" / name)  # what the message says to do
    [moved] = ingest(con, inbox)
    assert (moved.status, moved.rows_read, moved.rows_staged) == ("LOADED", 2, 2), moved
    assert ingest(con, inbox) == []  # read once


def test_a_row_glued_to_a_header_without_a_trailing_separator_is_named(con, tmp_path):
    """README "What happens to each file": a row glued to the header (the header's line
    end lost) is REJECTED with a one-line error "a row is glued to it"; ask for the file
    again. In the common form of that fault the header has no trailing ';', and its last
    column name fuses with the row's first cell. Before (README audit of 2026-12-07), the
    error said "line 1: missing column ...", sending the operator looking for a column
    that is there. The error names no value of the row."""
    inbox = tmp_path / "inbox"
    path = write_file(inbox, "GENESIS_E01301_20261110.csv", "genesis",
                      [row("genesis"), row("genesis", NUM_ECROU="000102")])
    data = path.read_bytes()
    end = b"\r\n" if b"\r\n" in data else b"\n"
    header, rest = data.split(end, 1)
    assert not header.endswith(b";")
    path.write_bytes(header + rest)  # the header's line end lost, nothing else changed
    for folder in ("telemofpra", "agdref"):
        (inbox / folder).mkdir(exist_ok=True)
    [outcome] = ingest(con, inbox)
    assert outcome.status == "REJECTED", outcome
    assert "a row is glued to it" in outcome.error, outcome.error
    first = row("genesis")
    assert not any(first[c] in outcome.error for c in ("NOM", "PRENOMS", "DATE_NAISSANCE",
                                                        "NUM_ECROU")), outcome.error


@pytest.mark.parametrize("name", ["telemofpra_13_20261115.csv", "TELEMOFPRA_13_20261115.CSV",
                                  "TELEMOFPRA_13_20261115 (1).csv"])
def test_a_misnamed_list_is_refused_with_the_name_expected(con, tmp_path, name):
    """README audit of 2026-12-07: a name outside the contract was refused citing
    "docs/contracts.md §1", which a prefecture's operator does not have. The refusal now
    gives the name the folder takes."""
    inbox = tmp_path / "inbox"
    for folder in ("telemofpra", "genesis", "agdref"):
        (inbox / folder).mkdir(parents=True)
    (inbox / "telemofpra" / name).write_text("NUM_OFPRA\n", encoding="utf-8")
    [outcome] = ingest(con, inbox)
    assert outcome.status == "REJECTED"
    assert outcome.error.endswith("expected TELEMOFPRA_<DEPT>_<YYYYMMDD>.csv"), outcome.error
