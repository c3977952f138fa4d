"""GENESIS lists read as the sheet or the clerk shows them, and the releases list read
from them (RULES.md PRI-*, §5 EU_CITIZEN): a workbook's formula stored without its
result, or a cell a merged range covers, is a value lost (the row quarantined,
`cell_error`), a number shown with zeros is read with them (transforms/ingest/sheet_xml.py);
a nationality written beside another or in dotted initials is read
(countries.country_code); a remand prisoner's date is no release date to count a change
from (core_detentions.sql). Each test was written by an audit of 2026-12-07 and failed
before: the second paragraph of each docstring says what the code did then."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from data.synthetic.files import write_xlsx
from schemas.codes import RELEASES
from tests.builders import row
from tests.scenarios import Inbox

LIST = date(2026, 11, 12)
KNOWN = {"NUM_AGDREF": "0123456789", "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}


def write_sheet(inbox_dir: Path, name: str, rows: list[dict], special=None,
                patch=None) -> Path:
    """A GENESIS workbook as a spreadsheet writes it: strings cell by cell, then
    `special(workbook, sheet, columns)` for the cells under audit, then `patch(xml)` on
    the sheet's XML (what another tool writes, e.g. a formula without its cached value)."""
    path = inbox_dir / "genesis" / name
    write_xlsx(path, rows, "genesis", LIST, special)
    if patch:
        source = zipfile.ZipFile(path)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = patch(data.decode()).encode()
                target.writestr(item, data)
        source.close()
        path.write_bytes(buffer.getvalue())
    return path


def quarantined_columns(out) -> set[tuple[str, int, str]]:
    return set(out.con.execute(
        "SELECT file_name, line_number, column_name FROM audit.quarantine").fetchall())


def staged(out, column: str) -> list:
    return [v for (v,) in out.con.execute(
        f"SELECT {column} FROM staging.detainees ORDER BY line_number").fetchall()]  # noqa: S608


def listed_keys(out) -> dict[str, dict]:
    return {f["person_key"]: f for f in out.listed(RELEASES)}


def excluded_keys(out) -> dict[str, str]:
    return {e["person_key"]: e["reason_code"] for e in out.excluded(RELEASES)}


GERMAN = {"NUM_ECROU": "000201", "NOM": "SCHMIDT", "PRENOMS": "HANS",
          "DATE_NAISSANCE": "02/02/1985", "LIEU_NAISSANCE": "BERLIN, ALLEMAGNE"}


# ------------------------------------------------ 1. workbook cells read as "unknown"

def test_xlsx_formula_without_its_cached_value_is_not_read_as_an_unknown_nationality(
        tmp_path, con):
    """CONTRACTS §1.2: a GENESIS list is "CSV in UTF-8 with BOM, or XLSX first sheet";
    §1: "empty field = unknown"; DESIGN, non-negotiables: "every input row is either
    staged or quarantined with a reason"; README (what happens to each file): a workbook
    cell holding a spreadsheet error is quarantined, `cell_error`, because "an error is a
    value lost, not an empty field, 'unknown'". RULES §5 EU_CITIZEN; PRI-10 "every other
    EU citizen stays excluded".

    A workbook written by a tool that stores formulas without their computed value (no
    `<v>` in the cell: openpyxl, scripts, some exports) holds NATIONALITE as the formula
    `="ALLEMAGNE"`. The cell is not empty: its value is lost to a reader that does not
    compute formulas. The reader (transforms/ingest/read.py read_xlsx: fastexcel gives
    the cell as null, and only cells reported as errors are checked) stages the row
    with an unknown nationality, no quarantine row: the German detainee, who has no
    ban, is listed IDENTITY_TO_CONFIRM instead of being excluded EU_CITIZEN (or held,
    DQ-01). The row above (the same text typed as a value) is excluded: the control."""
    inbox = Inbox(tmp_path / "inbox", con).person()

    def formula(workbook, sheet, columns):
        sheet.write_formula(2, columns.index("NATIONALITE"), '="ALLEMAGNE"', None, "ALLEMAGNE")

    write_sheet(tmp_path / "inbox", "GENESIS_E01301_20261112.xlsx",
                [row("genesis", NATIONALITE="ALLEMAGNE"),
                 row("genesis", **GERMAN, NATIONALITE="")],
                formula, patch=lambda xml: xml.replace("<v>ALLEMAGNE</v>", ""))
    out = inbox.decide(allow_quarantine=True)
    excluded, listed = excluded_keys(out), listed_keys(out)
    assert excluded.get("genesis:E01301:000101") == "EU_CITIZEN"  # control: typed value
    assert "genesis:E01301:000201" not in listed, (
        f"the formula's detainee is listed {listed['genesis:E01301:000201']['situation']}"
        f"; staged nationality {staged(out, 'nationality')}; quarantine "
        f"{sorted(quarantined_columns(out))}")


def test_xlsx_merged_nationality_cell_is_not_read_as_unknown_for_the_rows_below(
        tmp_path, con):
    """CONTRACTS §1.2 (XLSX first sheet, one row per detainee), §1 "empty field =
    unknown"; DESIGN: "every input row is either staged or quarantined with a reason";
    RULES §5 EU_CITIZEN, PRI-10 "every other EU citizen stays excluded".

    Two German detainees whose NATIONALITE cells were merged into one (B2:B3 style, the
    sheet shows ALLEMAGNE on both rows). A merged range stores its value in its top-left
    cell only; the reader (transforms/ingest/read.py read_xlsx, which never looks at the
    sheet's mergeCells) reads the second row's nationality as an empty field, "unknown",
    and stages it without a word: that detainee, with no ban, is listed
    IDENTITY_TO_CONFIRM while the first one is excluded EU_CITIZEN. Either the merged
    value is read for each row it covers, or the row is quarantined; never an unknown."""
    inbox = Inbox(tmp_path / "inbox", con).person()

    def merged(workbook, sheet, columns):
        c = columns.index("NATIONALITE")
        sheet.merge_range(1, c, 2, c, "ALLEMAGNE")

    write_sheet(tmp_path / "inbox", "GENESIS_E01301_20261112.xlsx",
                [row("genesis", NATIONALITE=""), row("genesis", **GERMAN, NATIONALITE="")],
                merged)
    out = inbox.decide(allow_quarantine=True)
    excluded, listed = excluded_keys(out), listed_keys(out)
    assert excluded.get("genesis:E01301:000101") == "EU_CITIZEN"  # the top-left cell
    assert "genesis:E01301:000201" not in listed, (
        f"listed {listed['genesis:E01301:000201']['situation']}; staged nationalities "
        f"{staged(out, 'nationality')}; quarantine {sorted(quarantined_columns(out))}")


# ------------------------------------------------ 2. nationality texts

@pytest.mark.parametrize("nationality", ["ALGERIE / ITALIE", "ROUMANIE/MOLDAVIE", "R.F.A."])
def test_an_eu_nationality_written_beside_another_or_abbreviated_is_not_read_as_unknown(
        tmp_path, con, nationality):
    """RULES §5 EU_CITIZEN ("national of an EU/EEA State or Switzerland") applies to every
    list; PRI-10 "every other EU citizen stays excluded"; principle 1 "Never shorten a
    protection"; CONTRACTS §1.2 NATIONALITE "country name in French capitals, accents
    optional"; DESIGN: every row "staged or quarantined with a reason".

    transforms/ingest/countries.py country_code reads a dual nationality written with a
    parenthesis as the EU one ("parts naming two countries give the EU one if any (§5
    EU_CITIZEN: any source giving an EU nationality)"): `MOLDAVIE (ROUMANIE)` is ROU, the
    control detainee of this list, excluded. Written with a slash (`ROUMANIE/MOLDAVIE`,
    `ALGERIE / ITALIE`) or as the dotted abbreviation `R.F.A.` (`RFA` is read as DEU), the
    same nationality is read as None: staged as an unknown nationality, with no
    quarantine row, and the detainee (no ban) is listed IDENTITY_TO_CONFIRM instead of
    being excluded EU_CITIZEN."""
    out = Inbox(tmp_path / "inbox", con).person().genesis(
        LIST, row("genesis", NATIONALITE="MOLDAVIE (ROUMANIE)"),
        row("genesis", **GERMAN, NATIONALITE=nationality)).decide(allow_quarantine=True)
    excluded, listed = excluded_keys(out), listed_keys(out)
    assert excluded.get("genesis:E01301:000101") == "EU_CITIZEN"  # control
    assert "genesis:E01301:000201" not in listed, (
        f"{nationality!r} staged as {staged(out, 'nationality')[1]!r}; listed "
        f"{listed['genesis:E01301:000201']['situation']}")


# ------------------------------------------------ 3. release date change

def test_release_date_change_is_not_counted_from_the_date_a_remand_prisoner_had_none(
        tmp_path, con):
    """RULES PRI-02: "Only sentenced detainees (CONDAMNE, or MIXTE with a release date)
    have a release date to plan for; remand prisoners (PREVENU) are not listed for release
    planning"; CONTRACTS §1.2 DATE_LIBERATION_PREVISIBLE "(empty for PREVENU)"; README:
    "a remand prisoner (PREVENU) ... is listed without a release date nor window, even
    when GENESIS gives a date"; releases.planned_release: "The date GENESIS gives a remand
    prisoner (PREVENU) all the same is none". CONTRACTS §2 upcoming_releases
    `release_date_change_days`: the change of the release date since the previous list.

    The list of 01/11 shows the detainee on remand (GENESIS writes a date all the same,
    01/03/2027); the list of 12/11 shows him sentenced, released 15/01/2027. There was no
    planned release before: the change is unknown (null). The flag says
    release_date_change_days = -45, a release "brought forward by 45 days" computed from
    the remand prisoner's date that every rule reads as none (core_detentions.sql takes
    prev.release_date whatever the previous category; releases.release_flag subtracts
    it)."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.genesis(date(2026, 11, 1), row("genesis", **KNOWN, CATEGORIE_PENALE="PREVENU",
                                          QUANTUM_TOTAL_JOURS="",
                                          DATE_LIBERATION_PREVISIBLE="01/03/2027"))
    inbox.genesis(LIST, row("genesis", **KNOWN))
    flag = inbox.decide().only_listed(RELEASES)
    assert flag["release_date"] == date(2027, 1, 15)  # setup: sentenced, identified
    assert flag["release_date_change_days"] is None, flag["release_date_change_days"]


# ------------------------------------------------ 4. a committal number held as a number

def test_a_committal_number_a_workbook_holds_as_a_zero_padded_number_keeps_its_flag(
        tmp_path, con):
    """CONTRACTS §2: "flag_id is stable from one run to the next for the same situation";
    `record_key` genesis:<CODE_ETABLISSEMENT>:<NUM_ECROU>, NUM_ECROU "committal number,
    unique within the establishment"; RULES PRI-05: "The unit records its answer ...; a
    listed detainee with no recorded answer whose release is at most 7 days away carries
    the marker PRISON_ANSWER_DUE"; DESIGN: each cell staged exactly or quarantined.

    The establishment's list of 12/11 (CSV) gives committal 000101; the unit answers the
    prison on the flag. Its next list, of 25/11, is a workbook whose NUM_ECROU column is
    numeric with the number format `000000`: the sheet shows 000101, the cell stores 101.
    The reader (read_xlsx, fastexcel with dtypes="string") stages committal "101", no
    quarantine: the same detainee becomes another committal (genesis:E01301:101), a new
    flag (first seen 26/11), and the recorded answer no longer counts, so
    PRISON_ANSWER_DUE is back four days before release (the release date change is lost
    too). Either the number is read as the sheet shows it or the row is quarantined."""
    from schemas.codes import PRISON_ANSWER

    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.genesis(LIST, row("genesis", **KNOWN, DATE_LIBERATION_PREVISIBLE="30/11/2026"))
    flag = inbox.decide().only_listed(RELEASES)
    inbox.agent_decision(PRISON_ANSWER, flag, RELEASES)

    def as_number(workbook, sheet, columns):
        sheet.write_number(1, columns.index("NUM_ECROU"), 101,
                           workbook.add_format({"num_format": "000000"}))

    write_sheet(tmp_path / "inbox", "GENESIS_E01301_20261125.xlsx",
                [row("genesis", **{**KNOWN, "NUM_ECROU": ""},
                     DATE_LIBERATION_PREVISIBLE="30/11/2026")], as_number)
    out = inbox.decide(date(2026, 11, 26), allow_quarantine=True)
    flags = out.listed(RELEASES)
    assert [f for f in flags if "PRISON_ANSWER_DUE" in f["markers"]] == [], [
        (f["person_key"], f["flag_id"], f["first_seen_date"], f["markers"]) for f in flags]
    assert all(f["flag_id"] == flag["flag_id"] for f in flags), (
        flag["flag_id"], [f["flag_id"] for f in flags], staged(out, "committal_number"))


@pytest.mark.parametrize("nationality", ["ALEMAGNE", "#N/A", "APATRIDE"])
def test_a_nationality_read_as_no_country_is_quarantined(tmp_path, con, nationality):
    """CONTRACTS §1.2: GENESIS NATIONALITE is "country name in French capitals, accents
    optional, or INDETERMINEE". A text that is neither (a typo of ALLEMAGNE, a spreadsheet
    error typed as text, a word no country bears) may name an EU citizen (§5 EU_CITIZEN):
    the row is quarantined, `country_name`, and the detainee held (DQ-01: excluded
    SOURCE_ROW_QUARANTINED), where before (audit of 2026-12-07) the text was staged as
    an unknown nationality and the detainee listed IDENTITY_TO_CONFIRM. INDETERMINEE and
    an empty field stay "unknown"."""
    out = Inbox(tmp_path / "inbox", con).person().genesis(
        LIST, row("genesis", **GERMAN, NATIONALITE=nationality),
        row("genesis", NATIONALITE="INDETERMINEE"),
        row("genesis", NUM_ECROU="000301", NOM="OSEI", NATIONALITE="")).decide(
        allow_quarantine=True)
    assert quarantined_columns(out) == {("GENESIS_E01301_20261112.csv", 2, "NATIONALITE")}
    assert out.con.execute("SELECT DISTINCT check_name FROM audit.quarantine").fetchall() == [
        ("country_name",)]
    excluded, listed = excluded_keys(out), listed_keys(out)
    assert excluded.get("genesis:E01301:000201") == "SOURCE_ROW_QUARANTINED"
    assert {"genesis:E01301:000101", "genesis:E01301:000301"} <= set(listed)
