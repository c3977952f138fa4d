"""AGDREF kept as changes (issue 36, item 2): a row delivered night after night is stored
once, every delivery keeps its file and line, and views give each row's validity, the
snapshot as delivered on a date and the latest one."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import row, write_file
from tests.conftest import ingest
from transforms.warehouse import database as warehouse
from transforms.warehouse import history, tables
from transforms.warehouse.purge import purge

NUMBERS = [f"01300000{n:02d}" for n in range(1, 6)]


def persons(*, changed: str | None = None, without: str | None = None) -> list[dict]:
    """Five files of department 13; `changed`: that file's surname differs; `without`:
    that file is not in the extract."""
    return [row("agdref_personnes", NUM_AGDREF=n, NOM="MARTIN-X" if n == changed else "DIALLO")
            for n in NUMBERS if n != without]


def deliver(con, inbox, day: str, rows: list[dict]) -> None:
    write_file(inbox, f"AGDREF_PERSONNES_13_{day}.csv", "agdref_personnes", rows)
    ingest(con, inbox)


def count(con, sql: str, params=()) -> int:
    return con.execute(sql, list(params)).fetchall()[0][0]


@pytest.fixture
def nights(con, tmp_path):
    """Four nightly extracts of department 13: the second changes one file's surname, the
    third drops a file, the fourth is the third's bytes again, the fifth brings the
    dropped file back (the second's bytes again: both UNCHANGED)."""
    inbox = tmp_path / "inbox"
    deliver(con, inbox, "20261101", persons())
    deliver(con, inbox, "20261102", persons(changed=NUMBERS[1]))
    deliver(con, inbox, "20261103", persons(changed=NUMBERS[1], without=NUMBERS[2]))
    deliver(con, inbox, "20261104", persons(changed=NUMBERS[1], without=NUMBERS[2]))
    deliver(con, inbox, "20261105", persons(changed=NUMBERS[1]))
    return con, inbox


def test_each_distinct_row_is_stored_once_and_every_delivery_kept(nights):
    con, _ = nights
    statuses = [s for (s,) in con.execute(
        "SELECT status FROM audit.files ORDER BY extraction_date").fetchall()]
    assert statuses == ["LOADED", "LOADED", "LOADED", "UNCHANGED", "UNCHANGED"]
    # 5 files + 1 changed surname: 6 distinct rows, raw and staged
    assert count(con, "SELECT count(*) FROM staging.agdref_persons_contents") == 6
    assert count(con, "SELECT count(*) FROM raw.agdref_personnes_contents") == 6
    # every delivered row keeps its lineage: 5 + 5 + 4 (an unchanged delivery holds the
    # rows of the file it repeats, audit.files.repeats_file_name)
    assert count(con, "SELECT count(*) FROM staging.agdref_persons_deliveries") == 14
    assert count(con, "SELECT count(*) FROM raw.agdref_personnes") == 14
    # the view is the table it replaced: one row per delivered row, with its values
    rows = con.execute(
        "SELECT file_name, line_number, num_agdref, last_name FROM staging.agdref_persons "
        "WHERE file_name = 'AGDREF_PERSONNES_13_20261103.csv' ORDER BY line_number").fetchall()
    assert rows == [("AGDREF_PERSONNES_13_20261103.csv", line, number, name)
                    for line, (number, name) in enumerate(
                        [(NUMBERS[0], "DIALLO"), (NUMBERS[1], "MARTIN-X"),
                         (NUMBERS[3], "DIALLO"), (NUMBERS[4], "DIALLO")], start=2)]
    raw = con.execute("SELECT NOM, file_sha256 IS NOT NULL FROM raw.agdref_personnes "
                      "WHERE file_name = ? AND line_number = 3",
                      ["AGDREF_PERSONNES_13_20261102.csv"]).fetchall()
    assert raw == [("MARTIN-X", True)]
    assert count(con, "SELECT count(*) FROM audit.files "
                      "WHERE rows_read <> rows_staged + rows_quarantined") == 0


def test_history_gives_each_row_its_interval_of_nights(nights):
    con, _ = nights
    intervals = con.execute(
        "SELECT num_agdref, last_name, valid_from, valid_to, deliveries "
        "FROM staging.agdref_persons_history ORDER BY ALL").fetchall()
    d = date
    assert intervals == [
        (NUMBERS[0], "DIALLO", d(2026, 11, 1), None, 5),
        (NUMBERS[1], "DIALLO", d(2026, 11, 1), d(2026, 11, 2), 1),
        (NUMBERS[1], "MARTIN-X", d(2026, 11, 2), None, 4),
        # dropped on the 3rd (and by the unchanged delivery of the 4th), back on the 5th
        (NUMBERS[2], "DIALLO", d(2026, 11, 1), d(2026, 11, 3), 2),
        (NUMBERS[2], "DIALLO", d(2026, 11, 5), None, 1),
        (NUMBERS[3], "DIALLO", d(2026, 11, 1), None, 5),
        (NUMBERS[4], "DIALLO", d(2026, 11, 1), None, 5),
    ]


def test_the_snapshot_as_delivered_on_a_date(nights):
    con, _ = nights

    def snapshot(day: str) -> list[tuple]:
        return con.execute(
            "SELECT file_name, num_agdref, last_name FROM staging.agdref_persons_on(?) "
            "ORDER BY num_agdref", [date.fromisoformat(day)]).fetchall()

    assert snapshot("2026-10-31") == []
    assert [r[2] for r in snapshot("2026-11-01")] == ["DIALLO"] * 5
    # the unchanged delivery of the 4th holds the 3rd's rows, under its own name
    fourth = snapshot("2026-11-04")
    assert {r[0] for r in fourth} == {"AGDREF_PERSONNES_13_20261104.csv"}
    assert [r[1] for r in fourth] == [NUMBERS[0], NUMBERS[1], NUMBERS[3], NUMBERS[4]]
    assert con.execute("SELECT * FROM staging.agdref_persons_latest ORDER BY num_agdref"
                       ).fetchall() == con.execute(
        "SELECT * FROM staging.agdref_persons_on(DATE '2026-11-05') ORDER BY num_agdref"
    ).fetchall()


def test_purge_removes_the_raw_rows_no_delivery_holds_any_more(nights):
    con, inbox = nights
    purge(con, inbox, date(2026, 11, 4), {"agdref": 2})  # files before 2 November
    assert count(con, "SELECT count(*) FROM raw.agdref_personnes") == 9
    # the first night's surname of the changed file was delivered on the 1st only
    assert count(con, "SELECT count(*) FROM raw.agdref_personnes_contents") == 5
    # staging keeps every delivery: the rules need the history
    assert count(con, "SELECT count(*) FROM staging.agdref_persons") == 14


def test_a_superseded_file_leaves_no_row_behind(con, tmp_path):
    inbox = tmp_path / "inbox"
    deliver(con, inbox, "20261101", persons())
    # a correction of the same date and name replaces it
    deliver(con, inbox, "20261101", persons(changed=NUMBERS[0]))
    assert count(con, "SELECT count(*) FROM staging.agdref_persons") == 5
    assert count(con, "SELECT count(*) FROM staging.agdref_persons_contents") == 5
    assert count(con, "SELECT count(*) FROM staging.agdref_persons "
                      "WHERE last_name = 'MARTIN-X'") == 1


def test_a_warehouse_of_an_earlier_version_is_converted(tmp_path):
    """Before, staging and raw held a copy of every delivered row: the first run of this
    version stores them as changes, the same rows seen through the views."""
    path = tmp_path / "old.duckdb"
    con = warehouse.connect(path)
    tables.create_warehouse(con)
    deliver(con, tmp_path / "inbox", "20261101", persons())
    deliver(con, tmp_path / "inbox", "20261102", persons(changed=NUMBERS[1]))
    before = con.execute("SELECT * FROM staging.agdref_persons ORDER BY ALL").fetchall()
    raw_before = con.execute("SELECT * FROM raw.agdref_personnes ORDER BY ALL").fetchall()
    # what an earlier version wrote: tables of every delivered row
    for table in ("staging.agdref_persons", "raw.agdref_personnes"):
        con.execute(f"CREATE TABLE {table}_old AS SELECT * FROM {table}")  # noqa: S608
        for suffix in ("_history", "_latest"):
            con.execute(f"DROP VIEW IF EXISTS {table}{suffix}")
        con.execute(f"DROP VIEW {table}")
        con.execute(f"DROP TABLE {table}_deliveries")
        con.execute(f"DROP TABLE {table}_contents")
        con.execute(f"ALTER TABLE {table}_old RENAME TO {table.split('.')[1]}")
    con.close()
    con = warehouse.connect(path)
    tables.create_warehouse(con)
    assert con.execute("SELECT * FROM staging.agdref_persons ORDER BY ALL").fetchall() == before
    assert con.execute("SELECT * FROM raw.agdref_personnes ORDER BY ALL").fetchall() \
        == raw_before
    assert count(con, "SELECT count(*) FROM staging.agdref_persons_contents") == 6
    assert count(con, "SELECT count(*) FROM duckdb_tables() "
                      "WHERE table_name LIKE '%before_changes'") == 0
    con.close()


def test_rows_differing_in_any_value_are_two_contents(con, tmp_path):
    """The hash only speeds matching up: values decide (an empty value and a text are not
    the same, nor are two rows differing in one column)."""
    inbox = tmp_path / "inbox"
    # (one file's rows name one file each: a number twice in a file is quarantined)
    deliver(con, inbox, "20261101", [row("agdref_personnes", NUM_AGDREF=NUMBERS[0])])
    deliver(con, inbox, "20261102", [row("agdref_personnes", NUM_AGDREF=NUMBERS[0],
                                         NOM_USAGE="DIALLO")])
    assert count(con, "SELECT count(*) FROM staging.agdref_persons_contents") == 2
    assert con.execute("SELECT file_name, line_number, usual_name FROM staging.agdref_persons "
                       "ORDER BY ALL").fetchall() == [
        ("AGDREF_PERSONNES_13_20261101.csv", 2, None),
        ("AGDREF_PERSONNES_13_20261102.csv", 2, "DIALLO")]


def test_views_are_described(con):
    undescribed = con.execute(
        "SELECT table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE schema_name IN ('raw', 'staging') AND coalesce(comment, '') = ''").fetchall()
    assert undescribed == []


def test_new_contents_are_numbered_in_the_order_of_their_first_line(con, tmp_path):
    """Known rows keep their content, new ones are numbered after the last in the order of
    the delivery's lines, and a new row repeated in the delivery is stored once."""
    inbox = tmp_path / "inbox"
    deliver(con, inbox, "20261101", persons()[:2])
    known, second, third = persons()[0], persons()[3], persons()[2]
    deliver(con, inbox, "20261102", [known, second, third, second])
    assert con.execute(
        "SELECT line_number, row_id FROM raw.agdref_personnes_deliveries "
        "WHERE file_name LIKE '%20261102%' ORDER BY line_number").fetchall() == [
        (2, 1), (3, 3), (4, 4), (5, 3)]
    assert count(con, "SELECT count(*) FROM raw.agdref_personnes_contents") == 4


def test_the_latest_deliveries_are_found_when_the_latest_repeats_an_earlier_file(nights):
    """The readers' warehouse copies each table's latest delivery with a filter that also
    bounds the staged rows' extraction date: the fifth extract repeats the second's bytes,
    so its rows are the second file's, dated the 2nd, and must still be found."""
    con, _ = nights
    for table in ("staging.agdref_persons", "raw.agdref_personnes"):
        found = con.execute(
            f"SELECT DISTINCT file_name FROM {table} WHERE "  # noqa: S608
            + history.latest_deliveries_condition(table)).fetchall()
        assert found == [("AGDREF_PERSONNES_13_20261102.csv",)]
        assert count(con, f"SELECT count(*) FROM {table} WHERE "  # noqa: S608
                     + history.latest_deliveries_condition(table)) == len(NUMBERS)


def test_every_staged_delivery_carries_its_files_date_through_hand_overs(con, tmp_path):
    """The readers' warehouse bounds the staged rows' extraction date by their files'
    (latest_deliveries_condition): it rests on every staged delivery carrying the date
    audit.files gives its file, also once corrections have handed rows over to the
    unchanged deliveries that repeated the corrected file."""
    inbox = tmp_path / "inbox"
    for day in ("20261101", "20261102", "20261103"):  # the 2nd and 3rd repeat the 1st
        deliver(con, inbox, day, persons())
    deliver(con, inbox, "20261101", persons(changed=NUMBERS[0]))  # rows handed to the 2nd
    deliver(con, inbox, "20261102", persons(changed=NUMBERS[1]))  # then to the 3rd
    for table, (lineage, kind) in history.KEPT_AS_CHANGES.items():
        if "extraction_date" not in lineage:
            continue
        assert count(con, f"SELECT count(*) FROM {history.deliveries(table)} d "  # noqa: S608
                          "WHERE d.extraction_date IS DISTINCT FROM (SELECT max(f.extraction_date)"
                          " FROM audit.files f WHERE f.file_name = d.file_name)") == 0
        latest = history.latest_files_sql(kind)
        unbounded = f"file_name IN (SELECT rows_file_name FROM ({latest}))"  # noqa: S608
        assert count(con, f"SELECT count(*) FROM {table} WHERE "  # noqa: S608
                     + history.latest_deliveries_condition(table)) \
            == count(con, f"SELECT count(*) FROM {table} WHERE {unbounded}")  # noqa: S608
    condition = history.latest_deliveries_condition("staging.agdref_persons")
    assert count(con, "SELECT count(*) FROM staging.agdref_persons "  # noqa: S608
                      f"WHERE {condition}") == len(NUMBERS)
