"""PRI-01 in the core: the latest list is the latest date (an UNCHANGED delivery counts
with its own date, its rows read from the file it repeats), every committal ever seen
stays in core.detention_history, and audit.source_freshness says which units are late.
Also the core shapes of RTR-08 registered requests and of the handovers' State."""

from __future__ import annotations

import shutil
from datetime import date

from tests.builders import row, write_file
from transforms.core.build import build_core
from transforms.identity.build import identity_records
from transforms.ingest.freshness import record_source_freshness

X = row("genesis", NUM_ECROU="000101", NOM="BENALI")
Y = row("genesis", NUM_ECROU="000202", NOM="HADDAD", PRENOMS="OMAR")
LATE = {"genesis": 16, "telemofpra": 8, "agdref": 2}


def _genesis(folder, day: str, *rows):
    return write_file(folder, f"GENESIS_E01301_{day}.csv", "genesis", list(rows))


def _core(con, run_date: date) -> None:
    build_core(con, run_date)
    identity_records(con, run_date)


def _detained(con, run_date: date) -> list[tuple]:
    _core(con, run_date)
    return con.execute("SELECT committal_number, list_date::VARCHAR, source_row "
                       "FROM core.detentions ORDER BY 1").fetchall()


def test_an_unchanged_list_is_the_latest_list(con, ingest_into, tmp_path):
    """A (day 1: X, Y), B (day 15: Y), C (day 30: the bytes of A): C is the latest list,
    so X is held again, as of C's date."""
    a = _genesis(tmp_path, "20261101", X, Y)
    _genesis(tmp_path, "20261115", Y)
    shutil.copy(a, a.with_name("GENESIS_E01301_20261130.csv"))
    statuses = {o.file_name: o.status for o in ingest_into(con, tmp_path)}
    assert statuses["GENESIS_E01301_20261130.csv"] == "UNCHANGED"
    assert _detained(con, date(2026, 12, 1)) == [
        ("000101", "2026-11-30", "GENESIS_E01301_20261130.csv:2"),
        ("000202", "2026-11-30", "GENESIS_E01301_20261130.csv:3")]
    # As of a date before C, B is the latest list.
    assert [r[:2] for r in _detained(con, date(2026, 11, 20))] == [("000202", "2026-11-15")]
    # Rows are staged once.
    assert con.execute("SELECT count(*) FROM staging.detainees").fetchone() == (3,)


def test_an_unchanged_copy_of_the_previous_list_keeps_the_absent_away(
        con, ingest_into, tmp_path):
    _genesis(tmp_path, "20261101", X, Y)
    b = _genesis(tmp_path, "20261115", Y)
    shutil.copy(b, b.with_name("GENESIS_E01301_20261130.csv"))
    ingest_into(con, tmp_path)
    assert _detained(con, date(2026, 12, 1)) == [
        ("000202", "2026-11-30", "GENESIS_E01301_20261130.csv:2")]
    # The previous list (B, the same content) gives no change of release date.
    assert con.execute("SELECT previous_release_date = release_date "
                       "FROM core.detentions").fetchall() == [(True,)]


def test_detention_history_keeps_every_committal(con, ingest_into, tmp_path):
    a = _genesis(tmp_path, "20261101", X, Y)
    _genesis(tmp_path, "20261115", Y)
    shutil.copy(a, a.with_name("GENESIS_E01301_20261130.csv"))
    _genesis(tmp_path, "20261215", Y)  # after the run date: not known yet
    write_file(tmp_path, "GENESIS_E02A01_20261110.csv", "genesis",
               [row("genesis", CODE_ETABLISSEMENT="E02A01", DEPT_ETABLISSEMENT="2A",
                    NUM_ECROU="000101")])
    ingest_into(con, tmp_path)
    _core(con, date(2026, 12, 1))
    history = con.execute(
        "SELECT record_key, establishment_code, department, committal_number, "
        "committal_date::VARCHAR, first_list_date::VARCHAR, last_list_date::VARCHAR, "
        "first_source_row, last_source_row FROM core.detention_history ORDER BY 1").fetchall()
    assert history == [
        ("genesis:E01301:000101", "E01301", "13", "000101", "2025-02-10", "2026-11-01",
         "2026-11-30", "GENESIS_E01301_20261101.csv:2", "GENESIS_E01301_20261130.csv:2"),
        ("genesis:E01301:000202", "E01301", "13", "000202", "2025-02-10", "2026-11-01",
         "2026-11-30", "GENESIS_E01301_20261101.csv:3", "GENESIS_E01301_20261130.csv:3"),
        ("genesis:E02A01:000101", "E02A01", "2A", "000101", "2025-02-10", "2026-11-10",
         "2026-11-10", "GENESIS_E02A01_20261110.csv:2", "GENESIS_E02A01_20261110.csv:2"),
    ]
    comments = con.execute(
        "SELECT count(*) FILTER (WHERE comment IS NULL OR comment = ''), count(*) "
        "FROM duckdb_columns() WHERE schema_name = 'core' "
        "AND table_name = 'detention_history'").fetchone()
    assert comments == (0, 9)


def _freshness(con, run_date: date, run_id: str = "r1") -> dict[tuple, tuple]:
    late = record_source_freshness(con, run_id, run_date, LATE)
    rows = con.execute("SELECT system, file_kind, unit, latest_file_date::VARCHAR, days_old, "
                       "late_after_days, is_late FROM audit.source_freshness "
                       "WHERE run_id = ?", [run_id]).fetchall()
    found = {r[:3]: r[3:] for r in rows}
    assert {(u.system, u.file_kind, u.unit) for u in late} == {
        key for key, value in found.items() if value[-1]}
    return found


def test_source_freshness_boundaries(con, ingest_into, tmp_path):
    """PRI-01: late means more days old than the setting (16 days is on time, 17 late)."""
    _genesis(tmp_path, "20261031", X)
    write_file(tmp_path, "GENESIS_E02A01_20261030.csv", "genesis",
               [row("genesis", CODE_ETABLISSEMENT="E02A01", DEPT_ETABLISSEMENT="2A")])
    write_file(tmp_path, "TELEMOFPRA_13_20261108.csv", "telemofpra", [row("telemofpra")])
    write_file(tmp_path, "TELEMOFPRA_2A_20261107.csv", "telemofpra", [row("telemofpra")])
    write_file(tmp_path, "AGDREF_MESURES_13_20261114.csv", "agdref_mesures",
               [row("agdref_mesures")])
    write_file(tmp_path, "AGDREF_PERSONNES_13_20261113.csv", "agdref_personnes",
               [row("agdref_personnes")])
    write_file(tmp_path, "AGDREF_PERSONNES_13_20261120.csv", "agdref_personnes",
               [row("agdref_personnes", NOM="DIALO")])  # after the run date
    ingest_into(con, tmp_path)
    found = _freshness(con, date(2026, 11, 16))
    assert found == {
        ("genesis", "genesis", "E01301"): ("2026-10-31", 16, 16, False),
        ("genesis", "genesis", "E02A01"): ("2026-10-30", 17, 16, True),
        ("telemofpra", "telemofpra", "13"): ("2026-11-08", 8, 8, False),
        ("telemofpra", "telemofpra", "2A"): ("2026-11-07", 9, 8, True),
        ("agdref", "agdref_mesures", "MESURES_13"): ("2026-11-14", 2, 2, False),
        ("agdref", "agdref_personnes", "PERSONNES_13"): ("2026-11-13", 3, 2, True),
    }
    # Recording the run again replaces its rows.
    _freshness(con, date(2026, 11, 16))
    assert con.execute("SELECT count(*) FROM audit.source_freshness").fetchone() == (6,)


def test_an_unchanged_delivery_refreshes_its_unit(con, ingest_into, tmp_path):
    a = _genesis(tmp_path, "20261031", X)
    ingest_into(con, tmp_path)
    assert _freshness(con, date(2026, 11, 17), "r1")[("genesis", "genesis", "E01301")] \
        == ("2026-10-31", 17, 16, True)
    shutil.copy(a, a.with_name("GENESIS_E01301_20261115.csv"))
    [outcome] = ingest_into(con, tmp_path)
    assert outcome.status == "UNCHANGED"
    assert _freshness(con, date(2026, 11, 17), "r2")[("genesis", "genesis", "E01301")] \
        == ("2026-11-15", 2, 16, False)


def test_late_unit_lines_name_units_and_dates_only(con, ingest_into, tmp_path):
    write_file(tmp_path, "AGDREF_MESURES_13_20261101.csv", "agdref_mesures",
               [row("agdref_mesures")])
    _genesis(tmp_path, "20261001", X)
    ingest_into(con, tmp_path)
    late = record_source_freshness(con, "r1", date(2026, 11, 16), LATE)
    assert [u.describe() for u in late] == [
        "late: agdref MESURES_13: latest delivery 2026-11-01, 15 days old",
        "late: genesis E01301: latest delivery 2026-10-01, 46 days old"]


def test_registered_request_is_one_undecided_row_per_request(con, ingest_into, tmp_path):
    """RTR-08: a registered request repeated by weekly lists is one row of
    core.asylum_decisions, outcome and decision_date null, apart from the decision that
    later answers it."""
    registered = {"TYPE_DEMANDE": "REEXAMEN", "SENS_DECISION": "", "FONDEMENT": "",
                  "DATE_DECISION": "", "MODE_CNDA": "", "DATE_NOTIFICATION": "",
                  "DATE_DEFINITIVE": "", "DATE_INTRODUCTION": "02/10/2026"}
    write_file(tmp_path, "TELEMOFPRA_13_20261102.csv", "telemofpra", [
        row("telemofpra"), row("telemofpra", **registered)])
    write_file(tmp_path, "TELEMOFPRA_13_20261109.csv", "telemofpra", [
        row("telemofpra"), row("telemofpra", **registered),
        row("telemofpra", **{**registered, "DATE_INTRODUCTION": ""})])
    write_file(tmp_path, "TELEMOFPRA_13_20261116.csv", "telemofpra", [
        row("telemofpra", TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="02/10/2026",
            DATE_DECISION="12/11/2026", DATE_NOTIFICATION="", DATE_DEFINITIVE="")])
    ingest_into(con, tmp_path)
    _core(con, date(2026, 11, 16))
    rows = con.execute(
        "SELECT decision_key, claim_type, outcome, decision_date::VARCHAR, "
        "first_list_date::VARCHAR, len(source_rows) FROM core.asylum_decisions "
        "ORDER BY 1").fetchall()
    assert rows == [
        ("OF20250000001|OFPRA|2026-09-03|REJET|PREMIERE", "PREMIERE", "REJET", "2026-09-03",
         "2026-11-02", 2),
        ("OF20250000001|OFPRA|2026-11-12|REJET|REEXAMEN", "REEXAMEN", "REJET", "2026-11-12",
         "2026-11-16", 1),
        ("OF20250000001|OFPRA|REGISTERED|REEXAMEN|2026-10-02", "REEXAMEN", None, None,
         "2026-11-02", 2),
        ("OF20250000001|OFPRA|REGISTERED|REEXAMEN|UNDATED", "REEXAMEN", None, None,
         "2026-11-09", 1),
    ]


def test_member_state_reaches_the_measures(con, ingest_into, tmp_path):
    write_file(tmp_path, "AGDREF_MESURES_13_20261116.csv", "agdref_mesures", [
        row("agdref_mesures", ID_MESURE="D1", TYPE_MESURE="TRANSFERT_DUBLIN",
            DATE_ACCORD_ETAT_MEMBRE="15/10/2026", ETAT_MEMBRE="ITA"),
        row("agdref_mesures", ID_MESURE="D2", TYPE_MESURE="TRANSFERT_DUBLIN",
            DATE_ACCORD_ETAT_MEMBRE="15/10/2026", ETAT_MEMBRE="ITA", STATUT="EXECUTEE"),
        row("agdref_mesures", ID_MESURE="D3", TYPE_MESURE="REMISE", ETAT_MEMBRE="ESP"),
        row("agdref_mesures", ID_MESURE="D4", TYPE_MESURE="REMISE")])
    ingest_into(con, tmp_path)
    _core(con, date(2026, 11, 16))
    assert con.execute("SELECT measure_id, member_state FROM core.removal_measures "
                       "ORDER BY 1").fetchall() == [
        ("D1", "ITA"), ("D2", "ITA"), ("D3", "ESP"), ("D4", None)]
