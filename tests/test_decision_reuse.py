"""Rules decided again only where something changed (issue 36): a night keeps a decision
of the night before when the facts it read are the same and the run date has not crossed
a date that decides it; otherwise it decides again. Proof: 60 consecutive nights with
random changes to the facts, each decided both ways, with no difference."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tests.conftest import SAMPLE_AS_OF
from transforms.night import rebuild_night
from transforms.publish.decision_memory import decided_rows, read_memory
from transforms.rules.decide import decide
from transforms.rules.facts import load_facts
from transforms.rules.reuse import Memory
from transforms.rules.watch import FOREVER, RunDate, Trail, following

# What changes from one night to the next, a few rows at a time: (table, column). A date
# moves by up to 40 days either way; any other value becomes another row's value of the
# same column (the facts stay within what the sources deliver).
CHANGES = (
    ("residence_titles", "end_date"), ("residence_titles", "title_status"),
    ("removal_measures", "measure_status"), ("removal_measures", "appeal_status"),
    ("removal_measures", "departure_date"), ("removal_measures", "notification_date"),
    ("removal_measures", "notification_situation"),
    ("removal_measures", "member_state_acceptance_date"),
    ("asylum_decisions", "outcome"), ("asylum_decisions", "notification_date"),
    ("asylum_decisions", "first_final_list_date"), ("asylum_decisions", "final_date"),
    ("asylum_decisions", "cnda_mode"), ("asylum_decisions", "claim_type"),
    ("detentions", "release_date"), ("detentions", "itf"), ("detentions", "list_date"),
    ("persons", "birth_year"), ("persons", "nationality"), ("persons", "file_status"),
    ("persons", "entry_date"), ("person_links", "link_status"),
    ("identity_candidates", "evidence"), ("quarantined_references", "is_latest"),
)
NIGHTS = 60


def test_watched_run_date_notes_where_a_comparison_can_change():
    day = date(2026, 11, 16)
    with following(day) as trail:
        run = RunDate(day)
        assert run < date(2026, 12, 1)  # changes on 1 December
        assert run + timedelta(days=30) > date(2026, 12, 10)  # changes on 11 November
        # 61 days on 10 November, 60 on the 11th: noted as changing on the 11th (the
        # day a comparison's operands meet is never assumed to answer like either side)
        assert (date(2027, 1, 10) - run).days <= 60
        assert run > date(2026, 1, 1)  # never changes after 2 January
    assert (trail.valid_from, trail.valid_until) == (date(2026, 11, 12).toordinal(),
                                                      date(2026, 12, 1).toordinal())
    with following(day) as trail:
        assert RunDate(day) <= day  # holds on the day itself only
        assert RunDate(day).year == 2026  # the day itself: this night only
    assert (trail.valid_from, trail.valid_until) == (day.toordinal(), day.toordinal() + 1)
    with following(day) as trail:
        assert RunDate(day) > date(2000, 1, 1)
    assert trail.valid_until == FOREVER
    # A count of days used otherwise than compared fails loudly, never unwatched.
    with pytest.raises(TypeError):
        _ = (RunDate(day) - date(2026, 1, 1)).days * 2
    assert Trail(5).day == 5


@pytest.fixture
def night_con(sample_warehouse):
    """A copy of the sample warehouse of its own (the sample is shared, read-only)."""
    sample_warehouse.execute("ATTACH ':memory:' AS nights")
    sample_warehouse.execute("COPY FROM DATABASE memory TO nights")
    con = sample_warehouse.cursor()
    con.execute("USE nights")
    yield con
    con.close()
    sample_warehouse.execute("DETACH nights")


def change_facts(con, rng: random.Random) -> int:
    """A few rows of core changed as a night's deliveries would (the same rows and values
    for the same random state); returns how many."""
    changed = 0
    for table, column in rng.sample(CHANGES, 6):
        (kind,) = con.execute(
            "SELECT data_type FROM duckdb_columns() WHERE database_name = 'nights' "
            "AND schema_name = 'core' AND table_name = ? AND column_name = ?",
            [table, column]).fetchall()[0]
        # Only values present change, into another present value: a row keeps the shape
        # the sources give it (a registered request keeps its empty outcome).
        rowids = rng.sample(sorted(r[0] for r in con.execute(
            f"SELECT rowid FROM core.{table} WHERE {column} IS NOT NULL").fetchall()),  # noqa: S608
            3)
        values = sorted(r[0] for r in con.execute(
            f"SELECT DISTINCT {column} FROM core.{table} "  # noqa: S608
            f"WHERE {column} IS NOT NULL").fetchall())
        for rowid in rowids:
            if kind == "DATE":
                value = con.execute(
                    f"SELECT {column} FROM core.{table} WHERE rowid = ?",  # noqa: S608
                    [rowid]).fetchall()[0][0]
                value = value + timedelta(days=rng.randint(-40, 40))
            else:
                value = rng.choice(values)
            con.execute(f"UPDATE core.{table} SET {column} = ? WHERE rowid = ?",  # noqa: S608
                        [value, rowid])
            changed += 1
    return changed


def test_sixty_nights_kept_decisions_are_those_decided_again(night_con):
    """Each night: a few facts changed, the run date one day later (a week now and
    then); the lists and exclusions decided from the night before's memory equal those
    of deciding every candidate again, row for row; and most decisions were kept."""
    rng = random.Random(36)
    night = decide(load_facts(night_con), SAMPLE_AS_OF, 120)
    run_date, kept, decided = SAMPLE_AS_OF, 0, 0
    for _ in range(NIGHTS):
        run_date += timedelta(days=7 if rng.random() < 0.1 else 1)
        assert change_facts(night_con, rng)
        memory = Memory.of(night.memory, night.lists, night.exclusions)
        facts = load_facts(night_con)  # read once a night, as the night does
        night = decide(facts, run_date, 120, memory=memory)
        again = decide(facts, run_date, 120, remember=False)
        for name, rows in again.lists.items():
            assert night.lists[name].equals(rows), (run_date, name)
        assert night.exclusions.equals(again.exclusions), run_date
        old = night.memory["decided_on"] < run_date
        kept, decided = kept + old.sum(), decided + (~old).sum()
    # Not vacuous: most decisions were kept, and some were taken again each night.
    assert kept > 0.6 * (kept + decided) and decided > NIGHTS


def test_a_night_keeping_decisions_writes_what_deciding_all_would(night_con):
    """The night itself (rebuild_night): with RECONCILE_KEEP_DECISIONS its lists and
    exclusions are those of deciding every candidate again (core is rebuilt from staging,
    so only the date moves here: the facts' changes are the test above's), most rows kept; a night
    without it leaves no memory for a later one."""
    day = SAMPLE_AS_OF + timedelta(days=1)
    rebuild_night(night_con, day, 120, keep_decisions=True)
    counts = rebuild_night(night_con, day + timedelta(days=1), 120, keep_decisions=True)
    assert counts.kept > counts.decided > 0
    lists, exclusions = decided_rows(night_con)
    full = decide(load_facts(night_con), day + timedelta(days=1), 120, remember=False)
    for name, rows in full.lists.items():
        assert lists[name].sort("flag_id").equals(rows), name
    assert exclusions.sort("candidate_id").equals(full.exclusions)
    rebuild_night(night_con, day + timedelta(days=2), 120)
    assert read_memory(night_con) is None
