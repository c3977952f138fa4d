"""An AGDREF extract holding its header only (RULES principle 1, CONTRACTS §1: AGDREF is
a full snapshot per department every night). Files, titles, measures and events only
accumulate: a department's TITRES extract that suddenly holds no row is a broken
export. Read as the truth, it took every residence title of the department away that
night, and a person whose card protects them reached the lists that lead to action.
It is refused; the last complete extract stays the truth. So does the extract before
one whose every row is quarantined (core_latest_files.sql)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from schemas.codes import MEASURES, REJECTED
from tests.builders import row, write_file
from tests.conftest import ingest
from tests.scenarios import RUN, Inbox

NIGHT_1 = RUN - timedelta(days=1)
FINAL_LIST = date(2026, 10, 9)  # the builders' rejection: final on 09/10/2026
CARD = {"TYPE_TITRE": "CST", "DATE_DEBUT": "01/11/2026", "DATE_FIN": "31/10/2027",
        "STATUT": "VALIDE"}
OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}


def status(con, name: str) -> tuple[str, str | None]:
    (found,) = con.execute("SELECT status, error FROM audit.files WHERE file_name = ?",
                           [name]).fetchall()
    return found


def test_a_header_only_titres_extract_takes_no_card_away(tmp_path, con):
    """Night 1: the rejected claimant's card (CST, valid) and an old OQTF; night 2: the
    department's PERSONNES and MESURES again, its TITRES with the header only. The card
    still protects them on both lists that lead to action."""
    inbox = Inbox(tmp_path / "inbox", con)
    for night in (NIGHT_1, RUN):
        inbox.agdref("PERSONNES", night).agdref("MESURES", night, **OLD_ENOUGH)
    inbox.agdref("TITRES", NIGHT_1, **CARD).telemofpra(FINAL_LIST)
    first = inbox.decide(NIGHT_1)
    assert first.reason(REJECTED) == first.reason(MEASURES) == "RESIDENCE_PERMIT"

    empty = f"AGDREF_TITRES_13_{RUN:%Y%m%d}.csv"
    second = inbox.add(empty, "agdref_titres").decide(RUN)
    assert second.reason(REJECTED) == second.reason(MEASURES) == "RESIDENCE_PERMIT"
    # the last complete extract's card
    assert f"AGDREF_TITRES_13_{NIGHT_1:%Y%m%d}.csv:2" in \
        second.only_excluded(REJECTED)["source_rows"]
    rejected, error = status(con, empty)
    assert rejected == "REJECTED"
    assert "TITRES extract holding no row (empty, or its header only)" in error
    assert "department 13" in error and "send this one again complete" in error
    # PRI-01: the department's TITRES shows late from the third day, as if none came
    latest = con.execute(
        "SELECT latest_file_date FROM audit.source_freshness WHERE unit = 'TITRES_13' "
        "AND run_id = ?", [f"test-{RUN}"]).fetchone()
    assert latest == (NIGHT_1,)


@pytest.mark.parametrize("kind", ["agdref_personnes", "agdref_titres", "agdref_mesures",
                                  "agdref_evenements"])
def test_every_agdref_table_is_refused_empty_after_rows_and_only_then(tmp_path, con, kind):
    """An extract of each table: header only as the department's first is read (nothing
    yet); header only after one with rows is refused, and so is a header-only correction
    of that extract (its rows stay staged); a later extract with rows is read; another
    department's first empty extract is read; a rerun records nothing again."""
    table = kind.removeprefix("agdref_").upper()

    def deliver(day: date, rows: list[dict], unit: str = "13") -> str:
        name = f"AGDREF_{table}_{unit}_{day:%Y%m%d}.csv"
        write_file(tmp_path / f"in{day:%d}{unit}", name, kind, rows)
        ingest(con, tmp_path / f"in{day:%d}{unit}")
        return name

    day = date(2026, 11, 10)
    first = deliver(day, [])
    assert status(con, first) == ("LOADED", None)
    full = deliver(day + timedelta(days=1), [row(kind)])
    assert status(con, full)[0] == "LOADED"
    assert status(con, deliver(day + timedelta(days=2), []))[0] == "REJECTED"  # next night
    deliver(day + timedelta(days=1), [])  # a correction of the extract with rows
    assert sorted(s for (s,) in con.execute(
        "SELECT status FROM audit.files WHERE file_name = ?", [full]).fetchall()) == \
        ["LOADED", "REJECTED"]  # the extract with rows not superseded
    # the same rows as the last complete extract: a delivery (UNCHANGED)
    assert status(con, deliver(day + timedelta(days=3), [row(kind)]))[0] == "UNCHANGED"
    assert status(con, deliver(day + timedelta(days=2), [], unit="75")) == ("LOADED", None)
    files = con.execute("SELECT count(*) FROM audit.files").fetchone()
    ingest(con, tmp_path / f"in{day + timedelta(days=2):%d}13")  # a rerun of that night
    assert con.execute("SELECT count(*) FROM audit.files").fetchone() == files


@pytest.mark.parametrize("kind", ["genesis", "telemofpra"])
def test_an_empty_prison_or_ofpra_list_is_still_read(tmp_path, con, kind):
    """PRI-01: an empty GENESIS list says nobody is left in the establishment; a weekly
    TélémOfpra list may hold no decision. Neither is refused after a list with rows."""
    names = {"genesis": "GENESIS_E01301_{:%Y%m%d}.csv", "telemofpra": "TELEMOFPRA_13_{:%Y%m%d}.csv"}
    day = date(2026, 11, 10)
    write_file(tmp_path / "in", names[kind].format(day), kind, [row(kind)])
    write_file(tmp_path / "in", names[kind].format(day + timedelta(days=7)), kind, [])
    ingest(con, tmp_path / "in")
    assert status(con, names[kind].format(day + timedelta(days=7))) == ("LOADED", None)


def test_a_catch_up_inbox_reads_a_first_empty_extract_and_refuses_a_later_one(tmp_path, con):
    """One inbox holding three nights of a new department (files planned in date order):
    its first EVENEMENTS extract, empty, is read (nothing happened yet); the next holds a
    row; the third, empty, is refused."""
    days = [date(2026, 11, 10) + timedelta(days=n) for n in range(3)]
    for day, rows in zip(days, ([], [row("agdref_evenements")], []), strict=True):
        write_file(tmp_path, f"AGDREF_EVENEMENTS_84_{day:%Y%m%d}.csv", "agdref_evenements",
                   rows)
    ingest(con, tmp_path)
    assert [status(con, f"AGDREF_EVENEMENTS_84_{day:%Y%m%d}.csv")[0] for day in days] == \
        ["LOADED", "LOADED", "REJECTED"]


def test_a_broken_extract_left_in_the_inbox_does_not_refuse_a_first_empty_one(tmp_path, con):
    """A MESURES extract that cannot be read (binary), left in the inbox: it held no row
    that was read, so the department's first extract of a later night, empty, is read."""
    (tmp_path / "agdref").mkdir()
    (tmp_path / "agdref" / "AGDREF_MESURES_75_20261110.csv").write_bytes(
        b"\x00\x01binary\n\x02\x03\n")
    ingest(con, tmp_path)
    assert status(con, "AGDREF_MESURES_75_20261110.csv")[0] == "REJECTED"
    write_file(tmp_path, "AGDREF_MESURES_75_20261111.csv", "agdref_mesures", [])
    ingest(con, tmp_path)
    assert status(con, "AGDREF_MESURES_75_20261111.csv") == ("LOADED", None)


@pytest.mark.parametrize("names_the_person", [False, True], ids=["nobody", "the_person"])
def test_an_extract_whose_every_row_is_quarantined_takes_no_card_away(tmp_path, con,
                                                                       names_the_person):
    """Night 2's TITRES holds one row, quarantined: a line of separators (it names
    nobody), or the person's card with a date that is no date. The extract staged no row:
    the last one that did stays the department's, and the card protects; a quarantined
    row naming the person holds them too (DQ-01), as the newest delivery's row."""
    inbox = Inbox(tmp_path / "inbox", con)
    for night in (NIGHT_1, RUN):
        inbox.agdref("PERSONNES", night).agdref("MESURES", night, **OLD_ENOUGH)
    inbox.agdref("TITRES", NIGHT_1, **CARD).telemofpra(FINAL_LIST)
    assert inbox.decide(NIGHT_1).reason(MEASURES) == "RESIDENCE_PERMIT"

    broken = ({**CARD, "DATE_FIN": "31/13/2027"} if names_the_person else
              {"NUM_AGDREF": "", "TYPE_TITRE": "", "DATE_DEBUT": "", "DATE_FIN": "",
               "STATUT": ""})
    second = inbox.agdref("TITRES", RUN, **broken).decide(RUN, allow_quarantine=True)
    assert status(con, f"AGDREF_TITRES_13_{RUN:%Y%m%d}.csv")[0] == "LOADED"
    assert second.quarantined() == [(f"AGDREF_TITRES_13_{RUN:%Y%m%d}.csv", 2)]
    for worklist in (REJECTED, MEASURES):
        excluded = second.only_excluded(worklist)
        assert excluded["reason_code"] == "RESIDENCE_PERMIT", excluded
        assert f"AGDREF_TITRES_13_{NIGHT_1:%Y%m%d}.csv:2" in excluded["source_rows"]
        if names_the_person:  # DQ-01 too, after the card (docs/reason_order.md)
            assert "SOURCE_ROW_QUARANTINED" in excluded["other_reasons"], excluded
            assert f"AGDREF_TITRES_13_{RUN:%Y%m%d}.csv:2" in excluded["source_rows"]
