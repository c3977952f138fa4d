"""Deliveries in any order (audits of 2026-12-06): the same bytes under another
extraction date are that date's delivery (CONTRACTS §2 UNCHANGED), late or not, after a
correction or not; the same inbox and --as-of give the same lists whatever order the
files arrive in (CONTRACTS §4); a TélémOfpra list proves what it holds from its own date
(OQ-02); a flag cites lines that exist (CONTRACTS §2 source_rows). Before, a late list
of an earlier date than a delivery of its bytes, or bytes whose file a correction had
superseded, were skipped as duplicates, or read from the corrected file's lines."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb

from schemas.codes import REJECTED
from tests.builders import row, write_file
from tests.conftest import ingest
from tests.scenarios import RUN, Inbox
from transforms.night import rebuild_night

X = [row("genesis", NUM_ECROU="000101")]
Y = [row("genesis", NUM_ECROU="000102", NOM="KOUASSI", PRENOMS="YAO",
         DATE_NAISSANCE="02/02/1985", NATIONALITE="COTE D IVOIRE")]
SECOND_PERSON = {"NUM_AGDREF": "0222222222", "NOM": "KONE", "PRENOMS": "ISSA",
                 "DATE_NAISSANCE": "05/05/1985", "NATIONALITE": "MLI"}
SECOND_CLAIM = {"NUM_OFPRA": "OF20250000002", **SECOND_PERSON}
LISTS = ("rejected_without_oqtf", "upcoming_releases", "unexecuted_measures",
         "legal_alerts", "exclusions")


def test_late_list_identical_to_an_older_one_is_that_date_s_delivery(con, tmp_path):
    """CONTRACTS §2: UNCHANGED is 'the same bytes as an earlier delivery of the same kind
    and unit under a later extraction date; it is that date's delivery (the latest list)'.
    PRI-01: the latest list is the one with the latest extraction date, even when its
    content is identical to an earlier list. The list of 20/11 (same bytes as 01/11,
    later than it) arrives late: an --as-of 25/11 night must read it as the latest
    list, and not list the detainee it no longer holds (000102, only on 15/11)."""
    first = write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", X)
    write_file(tmp_path, "GENESIS_E01301_20261115.csv", "genesis", Y)
    shutil.copy(first, first.with_name("GENESIS_E01301_20261130.csv"))
    ingest(con, tmp_path)
    shutil.copy(first, first.with_name("GENESIS_E01301_20261120.csv"))  # late
    [late] = ingest(con, tmp_path)
    rebuild_night(con, date(2026, 11, 25), horizon_days=120)
    keys = sorted(r[0] for r in con.execute(
        "SELECT person_key FROM worklists.upcoming_releases").fetchall())
    assert late.status != "SKIPPED_DUPLICATE", late
    assert keys == ["genesis:E01301:000101"], keys


def test_same_inbox_same_as_of_same_lists_whatever_the_arrival_order(con, tmp_path,
                                                                     empty_warehouse):
    """CONTRACTS §4: 'The same inbox and --as-of always give the same worklists.' The
    same four lists, ingested at once or the 20/11 one a night late, must give the
    same --as-of 25/11 list."""
    from tests.conftest import copy_of

    first = write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", X)
    write_file(tmp_path, "GENESIS_E01301_20261115.csv", "genesis", Y)
    shutil.copy(first, first.with_name("GENESIS_E01301_20261130.csv"))
    ingest(con, tmp_path)
    shutil.copy(first, first.with_name("GENESIS_E01301_20261120.csv"))  # late
    ingest(con, tmp_path)
    rebuild_night(con, date(2026, 11, 25), horizon_days=120)
    late = sorted(r[0] for r in con.execute(
        "SELECT person_key FROM worklists.upcoming_releases").fetchall())
    fresh = copy_of(empty_warehouse)
    ingest(fresh, tmp_path)  # the same inbox, at once
    rebuild_night(fresh, date(2026, 11, 25), horizon_days=120)
    at_once = sorted(r[0] for r in fresh.execute(
        "SELECT person_key FROM worklists.upcoming_releases").fetchall())
    fresh.close()
    assert late == at_once, (late, at_once)


def test_correction_whose_bytes_equal_another_dates_list_replaces_the_earlier(con, tmp_path):
    """CONTRACTS §1: 'a corrected file for the same key and date may replace an earlier
    one'. The list of 01/11 is corrected (same name, new bytes); the corrected bytes
    happen to equal the list of 15/11 (nothing changed between the two dates). The
    original 01/11 list must be SUPERSEDED and its rows leave staging; an --as-of 10/11
    night must read the corrected list."""
    write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", X)
    write_file(tmp_path, "GENESIS_E01301_20261115.csv", "genesis", Y)
    ingest(con, tmp_path)
    write_file(tmp_path, "GENESIS_E01301_20261101.csv", "genesis", Y)  # the correction
    outcomes = ingest(con, tmp_path)
    statuses = con.execute("SELECT status FROM audit.files WHERE file_name = "
                           "'GENESIS_E01301_20261101.csv' ORDER BY status").fetchall()
    rebuild_night(con, date(2026, 11, 10), horizon_days=120)
    keys = sorted(r[0] for r in con.execute(
        "SELECT person_key FROM worklists.upcoming_releases").fetchall())
    assert ("SUPERSEDED",) in statuses, (statuses, outcomes)
    assert keys == ["genesis:E01301:000102"], keys


def test_knowledge_date_is_the_first_list_even_when_it_arrives_after_a_later_copy(
        tmp_path, con):
    """OQ-02: 'The knowledge date is the date of the TélémOfpra list that first proved
    the RTR-ending decision ... the same row repeated in later lists does not move it.'
    CONTRACTS §1: files arrive late and out of order; the extraction date is the date
    the prefecture learned the content. The list of 09/10 proving a final rejection
    arrives after the list of 23/10 holding the very same bytes: the knowledge date is
    09/10 (OQTF due 24/10), as when both arrive together."""
    inbox = Inbox(tmp_path, con).person()
    inbox.telemofpra(date(2026, 10, 23)).decide()
    inbox.telemofpra(date(2026, 10, 9))  # late, same bytes
    out = inbox.decide()
    [flag] = out.listed("rejected_without_oqtf")
    assert (flag["knowledge_date"], flag["oqtf_due_date"]) == \
        (date(2026, 10, 9), date(2026, 10, 24)), flag


def cited_rows(con: duckdb.DuckDBPyConnection) -> set[str]:
    cited: set[str] = set()
    for table in LISTS:
        for (source_row,) in con.execute(
                f"SELECT DISTINCT unnest(source_rows) FROM worklists.{table}").fetchall():  # noqa: S608
            cited.add(source_row)
    return cited


def test_source_rows_of_an_unchanged_repeat_of_a_corrected_list_name_lines_that_exist(
        tmp_path, con):
    """CONTRACTS §2: `source_rows` is a list of `<file name>:<line number>` (header =
    line 1). Night 1: the list of 09/10 holds one decision. Night 2 brings its correction
    (a second decision added) and the list of 16/10, whose bytes are those of the
    uncorrected 09/10 list (UNCHANGED). The 16/10 file has 2 lines: no row may be cited
    at its line 3 (the corrected 09/10 file's extra row is not in it)."""
    folder = tmp_path / "inbox"
    inbox = Inbox(folder, con).person().person(**SECOND_PERSON)
    inbox.telemofpra(date(2026, 10, 9))
    inbox.decide(RUN)
    inbox.telemofpra(date(2026, 10, 9))
    inbox.telemofpra(date(2026, 10, 9), **SECOND_CLAIM)
    inbox.telemofpra(date(2026, 10, 16))  # the same bytes as the uncorrected 09/10 list
    out = inbox.decide(date(2026, 11, 17))
    repeat = folder / "telemofpra" / "TELEMOFPRA_13_20261016.csv"
    lines_in_file = len(repeat.read_bytes().splitlines())
    assert lines_in_file == 2
    beyond = sorted(s for s in cited_rows(con)
                    if s.startswith(repeat.name + ":") and int(s.rsplit(":", 1)[1]) > lines_in_file)
    assert not beyond, (beyond, con.execute(
        "SELECT file_name, status, repeats_file_name FROM audit.files "
        "WHERE system = 'telemofpra' ORDER BY file_name, status").fetchall(),
        out.listed(REJECTED))


DETAINEE_B = {"NUM_ECROU": "000102", "NOM": "HADDAD", "PRENOMS": "OMAR",
              "DATE_NAISSANCE": "02/02/1980"}


DETAINEE_B = {"NUM_ECROU": "000102", "NOM": "HADDAD", "PRENOMS": "OMAR",
              "DATE_NAISSANCE": "02/02/1980"}


def test_a_later_list_repeating_the_bytes_of_a_corrected_list_is_still_that_dates_delivery(
        tmp_path, con):
    """CONTRACTS §2: `UNCHANGED`: the same bytes as an earlier delivery of the same kind
    and unit under a later extraction date; it is that date's delivery (the latest list,
    the freshness of the source). `SKIPPED_DUPLICATE`: a file already seen, re-sent.
    RULES PRI-01: the latest list of each establishment is the truth.
    Night 1: the list of 01/11 holds detainee A. Night 2: its correction holds A and B.
    Night 3: the list of 10/11 holds A alone, the bytes of the uncorrected 01/11 list.
    The 10/11 list is the establishment's latest delivery: B has left and is not listed."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.genesis(date(2026, 11, 1), row("genesis"))
    inbox.decide(date(2026, 11, 2))
    inbox.genesis(date(2026, 11, 1), row("genesis"), row("genesis", **DETAINEE_B))
    night2 = inbox.decide(date(2026, 11, 3))
    assert any(r["person_key"] == "genesis:E01301:000102"
               for r in night2.listed("upcoming_releases"))
    inbox.genesis(date(2026, 11, 10), row("genesis"))  # bytes of the uncorrected 01/11 list
    out = inbox.decide(date(2026, 11, 11))
    files = dict(con.execute(
        "SELECT file_name, status FROM audit.files WHERE file_name = "
        "'GENESIS_E01301_20261110.csv'").fetchall())
    freshness = con.execute(
        "SELECT latest_file_date FROM audit.source_freshness WHERE unit = 'E01301' "
        "AND run_id = 'test-2026-11-11'").fetchall()
    listed = [r["person_key"] for r in out.listed("upcoming_releases")]
    assert (files.get("GENESIS_E01301_20261110.csv") in ("UNCHANGED", "LOADED")
            and freshness == [(date(2026, 11, 10),)]
            and "genesis:E01301:000102" not in listed), (files, freshness, listed)
