"""The bad-input corpus (tests/corpus, one file per case of issue 6): each case gives one
clear line (file, line, column, reason) in audit and on the console, and nothing else is
lost. Rebuild the corpus with `python -m tests.corpus.build`."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT, ingest

CORPUS = PROJECT_ROOT / "tests" / "corpus"
EXPECTED = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8"),
                               delimiter=";"))


@pytest.fixture(scope="module")
def corpus_con():
    from transforms.warehouse import database as warehouse
    from transforms.warehouse import tables

    con = warehouse.connect(":memory:")
    tables.create_warehouse(con)
    ingest(con, CORPUS / "inbox")
    yield con
    con.close()


def test_every_file_of_the_corpus_is_expected():
    on_disk = {p.name for p in (CORPUS / "inbox").rglob("*") if p.is_file()}
    assert on_disk == {e["file_name"] for e in EXPECTED}


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
                      "TELEMOFPRA_13_20261109.csv": 1, "TELEMOFPRA_13_20261110.csv": 1}
    texts = corpus_con.execute(
        "SELECT string_agg(coalesce(last_name, '') || coalesce(first_names, ''), '') "
        "FROM staging.asylum_decisions").fetchone()[0]
    assert "Ã" not in texts and "\ufffd" not in texts


@pytest.mark.slow
def test_the_console_names_file_line_column_and_reason_never_the_value(prefect_server,
                                                                        tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(CORPUS / "inbox", inbox)
    result = subprocess.run(
        [sys.executable, "-m", "flows", "run", "--inbox", str(inbox), "--warehouse",
         str(tmp_path / "w.duckdb"), "--exports", str(tmp_path / "x"), "--as-of",
         "2026-11-16"], env={**prefect_server, "COLUMNS": "200"}, capture_output=True,
        text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    console = result.stdout + result.stderr
    for case in EXPECTED:
        if case["status"] == "REJECTED":
            assert f"REJECTED {case['file_name']}" in console
        elif case["line_number"]:
            column = case["column_name"] or "(line)"
            assert (f"{case['file_name']}:{case['line_number']} {column}: {case['reason']}"
                    in console)
    for value in ("PEUT_ETRE", "XXXXXXXXXX", "2026-09-03", "31/02/2026", "OF5 ;-)", "KOUAM"):
        assert value not in console
