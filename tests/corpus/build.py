"""Writes the bad-input corpus (synthetic rows only): one file per case of issues 6 and
37, each with its expected outcome in expected.csv. Run `python -m tests.corpus.build`
after a change to the contracts; the files are committed so that the cases are visible.

Entries git cannot hold or holds badly (a FIFO, links to nothing or to themselves, a folder
named like a file, names that are not UTF-8 or hold control characters) are made by
`make_special_entries` in a copy of the inbox when the tests run; their expected outcomes
are in expected.csv with the others, under their names as recorded (escaped)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from tests.builders import row, write_file

HERE = Path(__file__).resolve().parent
INBOX = HERE / "inbox"


def _csv(path: Path, header: list[str], rows: list[list[str]], sep: str = ";",
         encoding: str = "utf-8", ending: str = "\r\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    path.write_bytes((ending.join(lines) + ending).encode(encoding))


def tele(day: str, *rows: dict) -> Path:
    return write_file(INBOX, f"TELEMOFPRA_13_{day}.csv", "telemofpra", list(rows))


def build() -> list[dict]:
    """Write every case; return the expectations (file, status, line, column, reason)."""
    expected = []

    def expect(file_name, status, line="", column="", reason=""):
        expected.append({"file_name": file_name, "status": status, "line_number": line,
                         "column_name": column, "reason": reason})

    good = row("telemofpra")
    fields = list(good)
    # Wrong encoding: a GENESIS list (UTF-8 by contract) saved in Windows-1252.
    g = row("genesis", NATIONALITE="CÔTE D'IVOIRE", NOM="KOUAMÉ")
    _csv(INBOX / "genesis" / "GENESIS_E01301_20261101.csv", list(g), [list(g.values())],
         encoding="cp1252")
    expect("GENESIS_E01301_20261101.csv", "REJECTED", reason="UTF-8")
    # Wrong separator.
    _csv(INBOX / "telemofpra" / "TELEMOFPRA_13_20261102.csv", fields, [list(good.values())],
         sep=",", encoding="cp1252")
    expect("TELEMOFPRA_13_20261102.csv", "REJECTED", reason="separator")
    # Missing column, renamed column.
    missing = [f for f in fields if f != "DATE_DEFINITIVE"]
    _csv(INBOX / "telemofpra" / "TELEMOFPRA_13_20261103.csv", missing,
         [[good[f] for f in missing]], encoding="cp1252")
    expect("TELEMOFPRA_13_20261103.csv", "REJECTED", reason="missing column DATE_DEFINITIVE")
    renamed = ["NOM_FAMILLE" if f == "NOM" else f for f in fields]
    _csv(INBOX / "telemofpra" / "TELEMOFPRA_13_20261104.csv", renamed,
         [list(good.values())], encoding="cp1252")
    expect("TELEMOFPRA_13_20261104.csv", "REJECTED", reason="missing column NOM")
    # Extra column: the rows are kept, the column is noted (by its place: no column of
    # the contracts, the cell may hold a name typed into the header) and ignored.
    _csv(INBOX / "telemofpra" / "TELEMOFPRA_13_20261105.csv", [*fields, "COMMENTAIRE"],
         [[*good.values(), "vu"]], encoding="cp1252")
    expect("TELEMOFPRA_13_20261105.csv", "LOADED", reason="extra column ignored: column 19")
    # Truncated last line: the complete rows are staged, the cut one quarantined.
    second = row("telemofpra", NUM_OFPRA="OF20250000002")
    cut = ";".join(second.values())[:40]
    path = INBOX / "telemofpra" / "TELEMOFPRA_13_20261106.csv"
    path.write_bytes(("\r\n".join([";".join(fields), ";".join(good.values()), cut]))
                     .encode("cp1252"))
    expect("TELEMOFPRA_13_20261106.csv", "LOADED", 3, "", "field_count")
    # Empty file (no header at all) and a header-only file.
    (INBOX / "genesis" / "GENESIS_E01302_20261107.csv").write_bytes(b"")
    expect("GENESIS_E01302_20261107.csv", "REJECTED", reason="empty")
    write_file(INBOX, "GENESIS_E01302_20261108.csv", "genesis", [])
    expect("GENESIS_E01302_20261108.csv", "LOADED")
    # Row-level defects: one file, one bad field per line (the header is line 1).
    tele("20261109",
         row("telemofpra", NUM_OFPRA="OF1", DATE_DECISION="2026-09-03"),
         row("telemofpra", NUM_OFPRA="OF2", DATE_NOTIFICATION="31/02/2026"),
         row("telemofpra", NUM_OFPRA="OF3", SENS_DECISION="PEUT_ETRE"),
         row("telemofpra", NUM_OFPRA="OF4", DATE_DECISION="03/09/2027",
             DATE_NOTIFICATION="", DATE_DEFINITIVE=""),
         row("telemofpra", NUM_OFPRA="OF5 ;-)"),
         row("telemofpra", NUM_OFPRA="OF6", NOM="X" * 5000),
         row("telemofpra", NUM_OFPRA="OF7"))
    for line, column, reason in ((2, "DATE_DECISION", "calendar_date"),
                                 (3, "DATE_NOTIFICATION", "calendar_date"),
                                 (4, "SENS_DECISION", "isin"),
                                 (5, "DATE_DECISION", "not_after_extraction_date"),
                                 (6, "NUM_OFPRA", "str_matches"),
                                 (7, "NOM", "str_length")):
        expect("TELEMOFPRA_13_20261109.csv", "LOADED", line, column, reason)
    # Malformed AGDREF number on a TélémOfpra row: not used, kept as delivered.
    tele("20261110", row("telemofpra", NUM_AGDREF="12345"))
    expect("TELEMOFPRA_13_20261110.csv", "LOADED")
    # Corrupt XLSX, binary file, a name outside the contract.
    (INBOX / "genesis" / "GENESIS_E01301_20261111.xlsx").write_bytes(b"PK\x03\x04broken")
    expect("GENESIS_E01301_20261111.xlsx", "REJECTED", reason="XLSX")
    (INBOX / "agdref").mkdir(parents=True, exist_ok=True)
    (INBOX / "agdref" / "AGDREF_PERSONNES_13_20261112.csv").write_bytes(bytes(range(256)))
    expect("AGDREF_PERSONNES_13_20261112.csv", "REJECTED", reason="binary")
    (INBOX / "genesis" / "liste detenus novembre.csv").write_text("NOM\nX\n", encoding="utf-8")
    expect("liste detenus novembre.csv", "REJECTED", reason="outside the contract")
    build_issue_37(expect)
    return expected


def build_issue_37(expect) -> None:
    """The cases of issue 37 that are files (see make_special_entries for the others)."""
    # Impossible birth dates, in each source: after the run date and the extraction date
    # (12/03/2031), a partial date whose year has not begun, a day after the extraction.
    tele("20261113", row("telemofpra", DATE_NAISSANCE="12/03/2031"))
    expect("TELEMOFPRA_13_20261113.csv", "LOADED", 2, "DATE_NAISSANCE",
           "birth_date_not_in_future")
    write_file(INBOX, "GENESIS_E01303_20261113.csv", "genesis",
               [row("genesis", CODE_ETABLISSEMENT="E01303", DATE_NAISSANCE="00/00/2027")])
    expect("GENESIS_E01303_20261113.csv", "LOADED", 2, "DATE_NAISSANCE",
           "birth_date_not_in_future")
    write_file(INBOX, "AGDREF_PERSONNES_13_20261113.csv", "agdref_personnes",
               [row("agdref_personnes", DATE_NAISSANCE="14/11/2026")])
    expect("AGDREF_PERSONNES_13_20261113.csv", "LOADED", 2, "DATE_NAISSANCE",
           "birth_date_not_in_future")
    # A MOTIF holding a quoted line end (lines 2-3): the next row is staged, the defect
    # after it is found on its true line, 5.
    event = "agdref_evenements"
    write_file(INBOX, "AGDREF_EVENEMENTS_13_20261114.csv", event, [
        row(event, ID_MESURE="M1", MOTIF="refus d'embarquer\r\nle 2 novembre"),
        row(event, ID_MESURE="M2"),
        row(event, ID_MESURE="M3", DATE_EVENEMENT="31/02/2026")])
    expect("AGDREF_EVENEMENTS_13_20261114.csv", "LOADED", 5, "DATE_EVENEMENT",
           "calendar_date")
    # A contract column named twice: which NOM is the surname cannot be told.
    good = row("telemofpra")
    _csv(INBOX / "telemofpra" / "TELEMOFPRA_13_20261115.csv", [*good, "NOM"],
         [[*good.values(), "DIALO"]], encoding="cp1252")
    expect("TELEMOFPRA_13_20261115.csv", "REJECTED", reason="column NOM appears 2 times")
    # An extra column whose name holds an escape sequence: noted by its place.
    _csv(INBOX / "telemofpra" / "TELEMOFPRA_13_20261116.csv", [*good, "VU\x1b[2J"],
         [[*good.values(), "x"]], encoding="cp1252")
    expect("TELEMOFPRA_13_20261116.csv", "LOADED", reason="extra column ignored: column 19")
    for name, reason in SPECIAL_ENTRIES:
        expect(name, "REJECTED", reason=reason)


# Entries made at run time (make_special_entries), by their names as recorded (escaped),
# with a word of the reason they are rejected for.
SPECIAL_ENTRIES = (
    ("GENESIS_E02A94_2026\\xff1110.csv", "not UTF-8"),
    ("TELEMOFPRA_13_20261117.csv\\n", "control or invisible characters"),
    ("TELEMOFPRA_13_\\x1b[31m20261118.csv", "control or invisible characters"),
    ("GENESIS_E01303_20261118.csv", "dangling link"),
    ("AGDREF_MESURES_13_20261118.csv", "symbolic link loop"),
    ("GENESIS_E01303_20261119.csv", "FIFO"),
    ("GENESIS_E01303_20261120.csv", "a folder where a file is expected"),
    ("archives", "symbolic link to a folder"),
)


def make_special_entries(inbox: Path) -> None:
    """Make, in a copy of the corpus inbox, the entries of SPECIAL_ENTRIES."""
    genesis, tele_folder, agdref = inbox / "genesis", inbox / "telemofpra", inbox / "agdref"
    (genesis / os.fsdecode(b"GENESIS_E02A94_2026\xff1110.csv")).write_bytes(b"NUM_ECROU\r\n1\r\n")
    (tele_folder / "TELEMOFPRA_13_20261117.csv\n").write_bytes(b"NUM_OFPRA\r\n2\r\n")
    (tele_folder / "TELEMOFPRA_13_\x1b[31m20261118.csv").write_bytes(b"NUM_OFPRA\r\n3\r\n")
    (genesis / "GENESIS_E01303_20261118.csv").symlink_to(genesis / "absent.csv")
    (agdref / "AGDREF_MESURES_13_20261118.csv").symlink_to(
        agdref / "AGDREF_MESURES_13_20261118.csv")
    os.mkfifo(genesis / "GENESIS_E01303_20261119.csv")
    (genesis / "GENESIS_E01303_20261120.csv").mkdir()
    (agdref / "archives").symlink_to(tele_folder, target_is_directory=True)


def main() -> None:
    expected = build()
    with (HERE / "expected.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(expected[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(expected)


if __name__ == "__main__":
    main()
