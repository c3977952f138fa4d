"""Rules decided again only where something changed (issue 36): a night keeps a decision
of the night before when the facts it read are the same and the run date has not crossed
a date that decides it; otherwise it decides again. Proof: 60 consecutive nights with
random changes to the facts, each decided both ways, with no difference."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import polars as pl
import pytest

from tests.conftest import SAMPLE_AS_OF, SAMPLE_DIR, ingest
from transforms.night import rebuild_night
from transforms.publish.decision_memory import decided_rows, read_memory
from transforms.rules.decide import decide
from transforms.rules.facts import Facts, load_facts
from transforms.rules.reuse import CITED_ONLY, Deciding, Memory
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
    ("asylum_decisions", "cnda_mode"), ("asylum_decisions", "first_moded_list_date"),
    ("asylum_decisions", "claim_type"),
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
        # a birth on 29 February keeps its year (the sources never deliver another year
        # with that day: the staged date is checked against the calendar)
        leap_day = ("AND NOT (birth_month = 2 AND birth_day = 29)"
                    if (table, column) == ("persons", "birth_year") else "")
        rowids = rng.sample(sorted(r[0] for r in con.execute(
            f"SELECT rowid FROM core.{table} WHERE {column} IS NOT NULL {leap_day}"  # noqa: S608
        ).fetchall()), 3)
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


# Where core cites AGDREF's rows: (table, column of one citation or of a list of them).
AGDREF_CITATIONS = (("persons", "source_row"), ("residence_titles", "source_row"),
                    ("removal_measures", "source_row"), ("removal_measures", "event_rows"),
                    ("measure_events", "source_row"), ("quarantined_references", "source_row"))


# A citation of an AGDREF row: its file's name before the date, the extension, the line.
CITATION = re.compile(r"(.*)_\d{8}(\.\w+):\d+")


def cited_again(citation: str, run_date: date, line: int) -> str:
    """The citation of the same row in the file of `run_date`, at `line`."""
    name, extension = CITATION.fullmatch(citation).groups()
    return f"{name}_{run_date:%Y%m%d}{extension}:{line}"


def deliver_agdref_again(con, run_date: date, rng: random.Random) -> int:
    """AGDREF delivered again in full, as every night: each of its rows cited under the
    night's file name at another line, in another order (the same facts otherwise);
    returns how many citations moved."""
    values = {where: [v for (v,) in con.execute(
        f"SELECT DISTINCT {where[1]} FROM core.{where[0]} "  # noqa: S608
        f"WHERE {where[1]} IS NOT NULL").fetchall()] for where in AGDREF_CITATIONS}
    cited = sorted({c for found in values.values() for value in found
                    for c in (value if isinstance(value, list) else [value])
                    if c.startswith("AGDREF_")})
    lines = rng.sample(range(2, 10 * len(cited) + 2), len(cited))
    moved = {c: cited_again(c, run_date, line) for c, line in zip(cited, lines, strict=True)}
    for table, column in AGDREF_CITATIONS:
        # keyed by the old value (each names its own rows; an update of a list column
        # gives the row another rowid)
        pairs = [(value, [moved.get(c, c) for c in value] if isinstance(value, list)
                  else moved[value]) for value in values[table, column]
                 if isinstance(value, list) or value in moved]
        if pairs:
            con.register("renamed", pl.DataFrame(pairs, schema=["old", "new"], orient="row"))
            con.execute(f"UPDATE core.{table} SET {column} = renamed.new FROM renamed "  # noqa: S608
                        f"WHERE core.{table}.{column} = renamed.old")
            con.unregister("renamed")
    return sum(old != new for old, new in moved.items())


@pytest.mark.slow  # the suite's longest test: its file goes to a worker first (conftest)
def test_sixty_nights_kept_decisions_are_those_decided_again(night_con):
    """Each night: AGDREF delivered again (every citation of its rows moves), a few facts
    changed, the run date one day later (a week now and then); the lists and exclusions
    decided from the night before's memory equal those of deciding every candidate
    again, row for row (their citations too); and most decisions were kept."""
    rng = random.Random(36)
    night = decide(load_facts(night_con, SAMPLE_AS_OF), SAMPLE_AS_OF, 120)
    run_date, kept, candidates = SAMPLE_AS_OF, {}, {}
    for _ in range(NIGHTS):
        run_date += timedelta(days=7 if rng.random() < 0.1 else 1)
        assert deliver_agdref_again(night_con, run_date, rng)
        assert change_facts(night_con, rng)
        memory = Memory.of(night.memory, night.lists, night.exclusions, night.citations)
        facts = load_facts(night_con, run_date)  # read once a night, as the night does
        night = decide(facts, run_date, 120, memory=memory)
        again = decide(facts, run_date, 120, remember=False)
        for name, rows in again.lists.items():
            assert night.lists[name].equals(rows), (run_date, name)
        assert night.exclusions.equals(again.exclusions), run_date
        old = night.memory.group_by("worklist").agg(
            kept=(pl.col("decided_on") < run_date).sum(), all=pl.len())
        for worklist, k, n in old.iter_rows():
            kept[worklist] = kept.get(worklist, 0) + k
            candidates[worklist] = candidates.get(worklist, 0) + n
    # Not vacuous: on every list most decisions were kept, and some were taken again.
    for worklist, n in candidates.items():
        assert n > kept[worklist] > 0.6 * n, worklist
    assert sum(candidates.values()) - sum(kept.values()) > NIGHTS


def test_a_night_after_agdref_delivered_again_keeps_decisions_citing_its_lines(
        night_con, tmp_path):
    """The night itself, the memory written and read back: AGDREF's files, titles and
    measures delivered again the next day, their lines in reverse order; the night keeps
    most decisions, and its rows are those of deciding every candidate again, citing the
    new files' lines."""
    day = SAMPLE_AS_OF + timedelta(days=1)
    rebuild_night(night_con, day, 120, keep_decisions=True)
    inbox = tmp_path / "agdref"
    inbox.mkdir()
    for table in ("PERSONNES", "TITRES", "MESURES"):
        for path in sorted((SAMPLE_DIR / "inbox" / "agdref").glob(f"AGDREF_{table}_*.csv")):
            header, *lines = path.read_bytes().splitlines(keepends=True)
            lines[-1] = lines[-1] if lines[-1].endswith(b"\n") else lines[-1] + b"\r\n"
            name = path.name.replace(f"{SAMPLE_AS_OF:%Y%m%d}", f"{day:%Y%m%d}")
            (inbox / name).write_bytes(header + b"".join(reversed(lines)))
    assert all(o.rows_quarantined == 0 or o.rows_staged for o in ingest(night_con, tmp_path))
    counts = rebuild_night(night_con, day + timedelta(days=1), 120, keep_decisions=True)
    assert counts.kept > 4 * counts.decided
    lists, exclusions = decided_rows(night_con)
    after = day + timedelta(days=1)
    full = decide(load_facts(night_con, after), after, 120, remember=False)
    cited = 0
    for name, rows in full.lists.items():
        assert lists[name].sort("flag_id").equals(rows), name
        cited += rows["source_rows"].explode().str.contains(f"_{day:%Y%m%d}.csv:").sum()
    assert exclusions.sort("candidate_id").equals(full.exclusions)
    assert cited > 100  # the rows cite the new delivery


def test_a_kept_decisions_citations_are_paired_one_to_one_or_it_is_taken_again():
    """The night before's citations of a kept decision are paired with tonight's one to
    one, across the decisions of a night; otherwise the decision is taken again."""
    memory = Memory({}, {}, pl.DataFrame(), {"persons\t1": ("A.csv:2",),
                                            "persons\t2": ("A.csv:3",),
                                            "titles\t1": ("A.csv:4", "A.csv:5")})
    deciding = Deciding("rejected_without_oqtf", Facts(), SAMPLE_AS_OF, memory, b"")
    # two citations of the night before with one of tonight's
    assert not deciding._cite_tonight({"persons\t1": ("B.csv:2",), "persons\t2": ("B.csv:2",)})
    assert not deciding._cite_tonight({"titles\t1": ("B.csv:4", "B.csv:4")})
    assert not deciding._cite_tonight({"persons\t3": ("B.csv:7",)})  # not remembered
    assert not deciding._cite_tonight({"titles\t1": ("B.csv:4",)})  # not as many
    assert deciding._cite_tonight({"persons\t1": ("B.csv:5",)})
    assert not deciding._cite_tonight({"persons\t2": ("B.csv:5",)})  # B.csv:5 taken
    assert not deciding._cite_tonight({"persons\t1": ("B.csv:6",)})  # A.csv:2 paired
    assert deciding._cite_tonight({"persons\t2": ("B.csv:6",)})
    assert deciding.rewrites == {"A.csv:2": "B.csv:5", "A.csv:3": "B.csv:6"}
    assert set(deciding.citations) == {"persons\t1", "persons\t2"}


def test_the_rules_only_cite_the_citations_a_digest_leaves_out(sample_warehouse):
    """What lets a kept decision leave AGDREF's citations out of its digest (reuse.
    CITED_ONLY): the rules pass them on and never weigh them. Renamed (another source's
    prefix, a later date in the file name, their order reversed), the same decisions come
    out, citing the new names; a rule that parsed, compared or sorted them would differ."""
    facts = load_facts(sample_warehouse, SAMPLE_AS_OF)
    before = decide(facts, SAMPLE_AS_OF, 120, remember=False)
    records = [r for table in CITED_ONLY for value in _values(getattr(facts, table))
               for r in (value if isinstance(value, list) else [value])]
    cited = sorted({c for r in records for name in ("source_row", "event_rows")
                    for c in _listed(r.get(name))})
    # another source's prefix and a later date, in reverse order: a rule that told the
    # sources apart by name, read a file's date or sorted citations would decide otherwise
    renamed = {c: f"TELEMOFPRA_RENAMED_{len(cited) - i:06d}_29991231.csv:{i + 2}"
               for i, c in enumerate(cited)}
    assert len(renamed) > 100
    for r in {id(r): r for r in records}.values():
        r["source_row"] = renamed.get(r["source_row"], r["source_row"])
        if "event_rows" in r:
            r["event_rows"] = [renamed[c] for c in r["event_rows"]]
    after = decide(facts, SAMPLE_AS_OF, 120, remember=False)
    rename = pl.col("source_rows").list.eval(
        pl.element().replace(list(renamed), list(renamed.values())))
    moved = 0
    for name, rows in before.lists.items():
        assert after.lists[name].equals(rows.with_columns(rename)), name
        moved += after.lists[name]["source_rows"].explode().str.starts_with(
            "TELEMOFPRA_RENAMED_").sum()
    assert after.exclusions.equals(before.exclusions.with_columns(rename))
    assert moved > 100  # not vacuous: list rows cite the renamed rows


def _values(table):
    return table.values() if isinstance(table, dict) else table


def _listed(value) -> list:
    return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


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
    after = day + timedelta(days=1)
    full = decide(load_facts(night_con, after), after, 120, remember=False)
    for name, rows in full.lists.items():
        assert lists[name].sort("flag_id").equals(rows), name
    assert exclusions.sort("candidate_id").equals(full.exclusions)
    rebuild_night(night_con, day + timedelta(days=2), 120)
    assert read_memory(night_con) is None
