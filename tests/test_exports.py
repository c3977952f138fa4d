"""CSV exports (docs/contracts.md §3): cells, scoping per department, audit, publication."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from schemas import codes
from schemas import exports as contract
from tests.conftest import SAMPLE_AS_OF
from transforms.publish import export

RUN = date(2026, 11, 16)


def release_rows(**changes) -> pl.DataFrame:
    row = {
        "flag_id": "REL-1", "person_key": "genesis:ABC123:42", "num_agdref": None,
        "department": "13", "markers": [], "rule_ids": ["PRI-01", "PRI-07"],
        "first_seen_date": RUN, "source_rows": ["GENESIS_ABC123_20261116.csv:2"],
        "establishment_code": "ABC123", "release_date": date(2027, 1, 5),
        "window_start_date": date(2026, 10, 5), "situation": "IDENTITY_TO_CONFIRM",
        "measure_ids": [], "release_date_change_days": -12,
    }
    row.update(changes)
    return pl.DataFrame([row], schema_overrides={"markers": pl.List(pl.String),
                                                 "measure_ids": pl.List(pl.String),
                                                 "num_agdref": pl.String,
                                                 "release_date_change_days": pl.Int32})


def test_cells_are_french_and_spreadsheet_ready():
    cells = export.export_frame(release_rows(), codes.RELEASES, RUN).row(0, named=True)
    assert list(cells) == contract.headers(codes.RELEASES)
    assert cells["Libération prévisible"] == "05/01/2027"
    assert cells["Nouveau"] == contract.YES
    assert cells["Règles appliquées"] == "PRI-01 | PRI-07"
    assert cells["Points d'attention"] is None and cells["N° AGDREF"] is None
    # A number stays a number, even negative: only text cells are neutralised.
    assert cells["Décalage de libération (jours)"] == "-12"


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://x\")", "+33", "-1+1", "@SUM(A1)"])
def test_a_text_cell_never_starts_a_formula(payload):
    frame = release_rows(establishment_code=payload, source_rows=[payload, "f.csv:2"])
    cells = export.export_frame(frame, codes.RELEASES, RUN).row(0, named=True)
    assert cells["Établissement"] == "'" + payload
    assert cells["Lignes sources"] == "'" + payload + " | f.csv:2"


def test_rows_are_in_working_order():
    frame = pl.concat([release_rows(flag_id="REL-2", release_date=date(2027, 2, 1)),
                       release_rows(flag_id="REL-1", release_date=date(2027, 1, 5),
                                    first_seen_date=date(2026, 11, 1))])
    cells = export.export_frame(frame, codes.RELEASES, RUN)
    assert cells["Identifiant signalement"].to_list() == ["REL-1", "REL-2"]
    assert cells["Nouveau"].to_list() == [contract.NO, contract.YES]


def read_export(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM"
    return pl.read_csv(path, separator=";", infer_schema=False, encoding="utf8")


def test_each_department_sees_its_rows_and_no_row_is_lost(sample_warehouse, tmp_path):
    lists = export.load_lists(sample_warehouse)
    departments = export.export_departments(sample_warehouse)
    assert len(departments) >= 2
    records = []
    for department in departments:
        records += export.write_department(lists, department, tmp_path / department,
                                           SAMPLE_AS_OF)
    for worklist in codes.EXPORTED_TABLES:
        key = "alert_id" if worklist == codes.LEGAL_ALERTS else "flag_id"
        exported = []
        for department in departments:
            name = contract.FILE_NAME.format(worklist=worklist, day=SAMPLE_AS_OF)
            frame = read_export(tmp_path / department / name)
            assert frame.columns == contract.headers(worklist)
            assert set(frame["Département"].to_list()) <= {department}
            exported += frame[contract.COLUMNS[worklist][key][0]].to_list()
        assert sorted(exported) == sorted(lists[worklist][key].to_list())
        assert len(exported) > 0
    readme = (tmp_path / departments[0] / "README.txt").read_text(encoding="utf-8-sig")
    for code in [*contract.MARKERS_FR, *contract.REASONS_FR]:
        assert code in readme
    assert {r["file_name"].split("/")[0] for r in records} == set(departments)
    for record in records:
        assert record["sha256"] == export.checksum(tmp_path / record["file_name"])


def test_writer_threads_write_the_same_files_as_one(sample_warehouse, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from flows.pipeline import list_writers

    lists = export.load_lists(sample_warehouse)
    departments = export.export_departments(sample_warehouse)

    def write(writers, root) -> list[dict]:
        with writers:
            futures = [writers.submit(export.write_department, export.lists_of(lists, d), d,
                                      root / d, SAMPLE_AS_OF) for d in departments]
            return [record for done in futures for record in done.result()]

    # the same files, byte for byte (each record carries its file's checksum)
    threads = write(list_writers(len(departments)), tmp_path / "threads")
    assert threads == write(ThreadPoolExecutor(max_workers=1), tmp_path / "one")
    # per department: three lists and the legal alerts, each as CSV and XLSX
    assert {r["department"] for r in threads} == set(departments)
    assert len(threads) == 2 * 4 * len(departments)
