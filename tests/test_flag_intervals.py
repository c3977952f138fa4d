"""Flag history kept as changes (issue 36, retention): worklists.flag_history is a view
of stretches of runs, and answers "what was new, open, resolved on night D" as the table
of one row per flag and run did."""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl

from schemas.codes import MEASURES, REJECTED
from tests.scenarios import Inbox
from transforms.rules.flags import DETAIL_SCHEMA, HISTORY_SCHEMA, next_history, with_details
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables
from transforms.warehouse.flag_intervals import write_run

COLUMNS = [*HISTORY_SCHEMA, *DETAIL_SCHEMA]
NIGHTS = [date(2026, 11, 16) + timedelta(days=n) for n in range(7)]


def view(con) -> pl.DataFrame:
    return con.sql("SELECT * FROM worklists.flag_history").pl().sort(COLUMNS)


def stored(con) -> int:
    return con.execute("SELECT count(*) FROM worklists.flag_history_intervals").fetchall()[0][0]


def table_rows(table: pl.DataFrame) -> pl.DataFrame:
    return table.select(COLUMNS).sort(COLUMNS)


def night_of(table: pl.DataFrame, current: pl.DataFrame, run_date: date) -> pl.DataFrame:
    """What the run as of `run_date` writes, from the whole table of one row per flag and
    run (as the earlier version read it)."""
    history = table.filter(pl.col("run_date") < run_date)
    return with_details(next_history(history, current, run_date), current, history
                        ).select(COLUMNS)


def test_the_view_gives_back_the_table_of_one_row_per_flag_and_run(con):
    """Random nights (flags come, go and come back, their person's number or department
    changes, a night is replayed, a past date is run between two others): the view holds
    exactly the rows the table of one row per flag and run held, from far fewer rows."""
    rng = random.Random(36)
    flags = [(f"F{i:02d}", (REJECTED, MEASURES)[i % 2]) for i in range(40)]
    details = {flag: ("13", f"p{n}", f"01000000{n:02d}") for n, flag in enumerate(flags)}
    table = pl.DataFrame(schema={**HISTORY_SCHEMA, **DETAIL_SCHEMA})
    days = [date(2026, 10, 1) + timedelta(days=2 * n) for n in range(20)]
    replays = [days[7], days[7], days[19], days[3] + timedelta(days=1), days[0]]
    for run_date in [*days, *replays]:
        for flag in rng.sample(flags, 3):  # a file linked, a person who moved
            details[flag] = (rng.choice(["13", "2A"]), details[flag][1],
                             rng.choice([None, details[flag][2]]))
        listed = [f for f in flags if rng.random() < (0.9 if int(f[0][1:]) < 25 else 0.4)]
        current = pl.DataFrame(
            [{"flag_id": f, "worklist": w, "department": details[(f, w)][0],
              "person_key": details[(f, w)][1], "num_agdref": details[(f, w)][2]}
             for f, w in listed], schema={"flag_id": pl.String, "worklist": pl.String,
                                          **DETAIL_SCHEMA}, orient="row")
        tonight = night_of(table, current, run_date)
        # the earlier version: DELETE the date, INSERT its rows
        table = pl.concat([table.filter(pl.col("run_date") != run_date), tonight])
        write_run(con, run_date, tonight)
        assert view(con).equals(table_rows(table)), run_date
    assert set(table["status"]) == {"NEW", "OPEN", "RESOLVED"}
    assert stored(con) < table.height / 2, (stored(con), table.height)


def test_an_earlier_versions_table_is_converted(tmp_path):
    """A warehouse whose flag history is a table (one row per flag and run, some rows
    without details, as written before they were kept) is converted on its next run: the
    same rows through the view, and the nights after go on from them."""
    rng = random.Random(7)
    flags = [f"F{i}" for i in range(30)]
    table = pl.DataFrame(schema={**HISTORY_SCHEMA, **DETAIL_SCHEMA})
    for night in NIGHTS[:5]:
        current = pl.DataFrame({"flag_id": [f for f in flags if rng.random() < 0.9],
                                "worklist": REJECTED, "department": "13",
                                "person_key": None, "num_agdref": None},
                               schema={"flag_id": pl.String, "worklist": pl.String,
                                       **DETAIL_SCHEMA})
        tonight = night_of(table, current, night)
        if night == NIGHTS[2]:  # details kept from this version on
            current = current.with_columns(person_key=pl.col("flag_id"))
            tonight = night_of(table, current, night)
        table = pl.concat([table, tonight])
    path = tmp_path / "old.duckdb"
    con = warehouse.connect(path)
    con.execute("CREATE SCHEMA worklists")
    con.execute("CREATE TABLE worklists.flag_history (flag_id VARCHAR, worklist VARCHAR, "
                "run_date DATE, status VARCHAR)")  # the first version: no details
    con.register("old", table.to_arrow())
    con.execute("ALTER TABLE worklists.flag_history ADD COLUMN department VARCHAR")
    con.execute("ALTER TABLE worklists.flag_history ADD COLUMN person_key VARCHAR")
    con.execute("INSERT INTO worklists.flag_history BY NAME "
                "SELECT * EXCLUDE (num_agdref) FROM old")
    con.unregister("old")
    tables.create_warehouse(con)
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE "
                       "table_schema = 'worklists' AND table_name = 'flag_history'"
                       ).fetchall()
    assert kind == [("VIEW",)]
    assert view(con).equals(table_rows(table))
    assert stored(con) < table.height
    # the next night reads the converted history as it read the table
    current = pl.DataFrame({"flag_id": flags[:10], "worklist": REJECTED, "department": "13",
                            "person_key": flags[:10], "num_agdref": None},
                           schema={"flag_id": pl.String, "worklist": pl.String,
                                   **DETAIL_SCHEMA})
    tonight = night_of(table, current, NIGHTS[5])
    write_run(con, NIGHTS[5], tonight)
    assert view(con).equals(table_rows(pl.concat([table, tonight])))
    tables.create_warehouse(con)  # idempotent: nothing converted twice
    assert view(con).equals(table_rows(pl.concat([table, tonight])))
    con.close()


def listed_flags(con) -> pl.DataFrame:
    """The night's flags, read from its lists (not from the history)."""
    return con.sql(" UNION ALL ".join(
        f"SELECT flag_id, '{name}' AS worklist, department, person_key, num_agdref "  # noqa: S608
        f"FROM worklists.{name}" for name in ("rejected_without_oqtf", "upcoming_releases",
                                              "unexecuted_measures"))).pl()


def expected_statuses(nights: list[tuple[date, pl.DataFrame]]) -> pl.DataFrame:
    """NEW, OPEN and RESOLVED of each night from the lists of that night and the one
    before: what the table of one row per flag and run held."""
    rows, before = [], None
    for night, now in nights:
        keys = now.select("flag_id", "worklist")
        earlier = before.select("flag_id", "worklist") if before is not None else keys.clear()
        for r in now.to_dicts():
            was = earlier.filter((pl.col("flag_id") == r["flag_id"])
                                 & (pl.col("worklist") == r["worklist"])).height
            rows.append({**r, "run_date": night, "status": "OPEN" if was else "NEW"})
        if before is not None:
            for r in before.join(keys, on=["flag_id", "worklist"], how="anti").to_dicts():
                rows.append({**r, "run_date": night, "status": "RESOLVED"})
        before = now
    return pl.DataFrame(rows, schema={**HISTORY_SCHEMA, **DETAIL_SCHEMA}).select(
        COLUMNS).sort(COLUMNS)


def claim(inbox: Inbox, number: str, ofpra: str, surname: str, list_date: date) -> None:
    inbox.telemofpra(list_date, NUM_AGDREF=number, NUM_OFPRA=ofpra, NOM=surname)


def snapshot(inbox: Inbox, night: date, *, oqtf_status: str | None = None) -> None:
    """Department 13's AGDREF persons of the night; with `oqtf_status`, the measures
    extract holds an OQTF of the second person, taken on the night before."""
    for number, surname in PERSONS:
        inbox.agdref("PERSONNES", night, NUM_AGDREF=number, NOM=surname)
    if oqtf_status is not None:
        inbox.agdref("MESURES", night, NUM_AGDREF=PERSONS[1][0], STATUT=oqtf_status,
                     DATE_DECISION=f"{night - timedelta(days=1):%d/%m/%Y}",
                     DATE_NOTIFICATION="")


PERSONS = [("0123456789", "DIALLO"), ("0130000002", "KONATE"), ("0130000003", "TRAORE")]


def test_several_nights_new_open_resolved_from_the_view(tmp_path, con):
    """Seven nights of a tiny department: a rejection listed every night, one resolved by
    an OQTF on the third night and listed again when the OQTF is annulled on the sixth, one
    arriving on the second night's list, a night run twice. Each night's NEW, OPEN and
    RESOLVED read from the view are those computed from the lists of the nights."""
    inbox = Inbox(tmp_path, con)
    claim(inbox, *PERSONS[0][:1], "OF20250000001", PERSONS[0][1], date(2026, 10, 9))
    claim(inbox, PERSONS[1][0], "OF20250000002", PERSONS[1][1], date(2026, 10, 9))
    nights = []
    for night in NIGHTS:
        if night == NIGHTS[1]:
            claim(inbox, PERSONS[2][0], "OF20250000003", PERSONS[2][1], night)
        oqtf = {NIGHTS[2]: "EN_VIGUEUR", NIGHTS[5]: "ANNULEE"}.get(night)
        snapshot(inbox, night, oqtf_status=oqtf)
        inbox.decide(night)
        if night == NIGHTS[3]:  # the same night again changes nothing
            inbox.decide(night)
        nights.append((night, listed_flags(con)))
    sizes = [now.height for _, now in nights]
    assert sizes == [2, 3, 2, 2, 2, 3, 3], sizes
    expected = expected_statuses(nights)
    assert view(con).equals(expected)
    assert set(expected["status"]) == {"NEW", "OPEN", "RESOLVED"}
    # the second person's flag: two episodes (NEW again once the OQTF is annulled)
    second = expected.filter(pl.col("person_key") == PERSONS[1][0])
    assert second.filter(pl.col("status") == "NEW").height == 2
    flags = expected.select("flag_id").n_unique()
    # one row per flag and stretch, not per flag and run: A, C, B twice, B's RESOLVED
    assert stored(con) == 5 < flags * len(NIGHTS)
    on_night_3 = con.execute(
        "SELECT status, count(*) FROM worklists.flag_history WHERE run_date = ? "
        "GROUP BY ALL ORDER BY ALL", [NIGHTS[2]]).fetchall()
    assert on_night_3 == [("OPEN", 2), ("RESOLVED", 1)]

