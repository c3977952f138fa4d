"""Flag lifecycle: stable ids, NEW / OPEN / RESOLVED per run, first_seen_date."""

from __future__ import annotations

from datetime import date

import polars as pl

from schemas.codes import MEASURES, REJECTED
from tests.builders import row
from tests.scenarios import RUN, Inbox
from transforms.rules.flags import HISTORY_SCHEMA, first_seen_dates, flag_id, next_history

NEXT = date(2026, 11, 17)


def history(con) -> list[tuple]:
    return con.execute("SELECT run_date, worklist, status, flag_id FROM worklists.flag_history "
                       "ORDER BY run_date, worklist, status").fetchall()


def test_flag_ids_are_stable_and_distinct():
    assert flag_id(REJECTED, "0123456789", "d1") == flag_id(REJECTED, "0123456789", "d1")
    assert flag_id(REJECTED, "0123456789", "d1") != flag_id(REJECTED, "0123456789", "d2")
    assert flag_id(MEASURES, "M1").startswith("MES-")


def test_next_history_marks_new_open_and_resolved():
    earlier = pl.DataFrame({"flag_id": ["a", "b"], "worklist": [REJECTED, REJECTED],
                            "run_date": [RUN, RUN], "status": ["NEW", "NEW"]},
                           schema=HISTORY_SCHEMA)
    current = pl.DataFrame({"flag_id": ["b", "c"], "worklist": [REJECTED, REJECTED]})
    today = next_history(earlier, current, NEXT)
    assert dict(zip(today["flag_id"], today["status"], strict=True)) == {
        "a": "RESOLVED", "b": "OPEN", "c": "NEW"}
    seen = first_seen_dates(pl.concat([earlier, today]))
    assert seen == {"a": RUN, "b": RUN, "c": NEXT}


def test_next_history_ignores_later_runs_when_replaying_a_past_date():
    later = pl.DataFrame({"flag_id": ["x"], "worklist": [REJECTED], "run_date": [NEXT],
                          "status": ["NEW"]}, schema=HISTORY_SCHEMA)
    current = pl.DataFrame({"flag_id": ["x"], "worklist": [REJECTED]})
    assert next_history(later, current, RUN)["status"].to_list() == ["NEW"]


def test_night_after_night_an_issued_oqtf_resolves_the_flag(tmp_path, con):
    inbox = Inbox(tmp_path, con).person().telemofpra(date(2026, 10, 9))
    first = inbox.decide(RUN).only_listed(REJECTED)
    assert history(con) == [(RUN, REJECTED, "NEW", first["flag_id"])]

    inbox.agdref("PERSONNES", NEXT)  # the next night's snapshot
    second = inbox.decide(NEXT).only_listed(REJECTED)
    assert second["flag_id"] == first["flag_id"] and second["first_seen_date"] == RUN
    assert history(con)[-1] == (NEXT, REJECTED, "OPEN", first["flag_id"])

    third_night = date(2026, 11, 18)
    inbox.agdref("PERSONNES", third_night).agdref("MESURES", third_night,
                                                  DATE_DECISION="17/11/2026",
                                                  DATE_NOTIFICATION="")
    out = inbox.decide(third_night)
    assert out.reason(REJECTED) == "MEASURE_IN_FORCE"
    assert out.only_excluded(REJECTED)["candidate_id"] == first["flag_id"]
    assert history(con)[-1] == (third_night, REJECTED, "RESOLVED", first["flag_id"])


def test_rerunning_the_same_date_is_idempotent(tmp_path, con):
    inbox = Inbox(tmp_path, con).person().telemofpra(date(2026, 10, 9))
    inbox.decide(RUN)
    before = history(con)
    listed = inbox.decide(RUN).listed(REJECTED)
    assert history(con) == before and len(listed) == 1


def test_core_reads_each_departments_latest_snapshot_however_old(tmp_path, con):
    """Staging keeps every snapshot; core reads from the earliest of the departments'
    latest snapshots on: a department that stopped delivering keeps its files, one that
    delivered since is read from its new snapshot only."""
    silent = date(2026, 11, 2)
    inbox = (Inbox(tmp_path, con).person()
             .add(f"AGDREF_PERSONNES_2A_{silent:%Y%m%d}.csv", "agdref_personnes",
                  row("agdref_personnes", NUM_AGDREF="1111111111", DEPT_GESTION="2A")))
    inbox.decide(RUN)
    inbox.agdref("PERSONNES", NEXT, NUM_AGDREF="2222222222")  # 13's next snapshot
    inbox.decide(NEXT)
    persons = con.sql("SELECT num_agdref, department, snapshot_date FROM core.persons "
                      "ORDER BY 1").fetchall()
    assert persons == [("1111111111", "2A", silent), ("2222222222", "13", NEXT)]
    staged = con.sql("SELECT count(*) FROM staging.agdref_persons").fetchall()[0][0]
    assert staged == 3  # nothing left staging: the older snapshot of 13 is only not read


def test_a_run_reads_only_the_history_it_needs_and_decides_as_with_all_of_it(con):
    """The history grows by every listed flag every night: a run reads the latest
    earlier run and the NEW rows before it (flag_history_read.sql), and gets the same
    statuses and first-seen dates as from the whole history, later runs included."""
    import random

    from transforms.warehouse.database import read_sql
    from transforms.warehouse.tables import insert_frame

    rng, flags = random.Random(7), [f"f{i}" for i in range(60)]
    nights = [date(2026, 10, 1 + i) for i in range(12)]
    whole = pl.DataFrame(schema=HISTORY_SCHEMA)
    for night in nights:  # flags come, go and come back (a new episode, NEW again)
        current = pl.DataFrame({"flag_id": [f for f in flags if rng.random() < 0.5],
                                "worklist": REJECTED})
        whole = pl.concat([whole, next_history(whole, current, night)])
    insert_frame(con, "worklists.flag_history", whole)
    tonight = pl.DataFrame({"flag_id": flags[::3], "worklist": REJECTED})
    for run_date in (nights[-1] + (nights[1] - nights[0]), nights[6], nights[0]):
        read = con.sql(read_sql("flag_history_read.sql"), params={"run_date": run_date}
                       ).pl().select(list(HISTORY_SCHEMA)).cast(HISTORY_SCHEMA)
        assert read.height < whole.filter(pl.col("run_date") < run_date).height or \
            run_date == nights[0]
        today = next_history(read, tonight, run_date)
        assert today.equals(next_history(whole, tonight, run_date))
        earlier = whole.filter(pl.col("run_date") < run_date)
        assert first_seen_dates(pl.concat([read, today])) == first_seen_dates(
            pl.concat([earlier, today]))
    assert set(whole["status"]) == {"NEW", "OPEN", "RESOLVED"}
