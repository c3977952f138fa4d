"""The demo as a user meets it: `reconcile demo` says where every output is; the
warehouse is documented down to each column; the ten queries of docs/analysts.md run;
the exports on disk are exactly those recorded in audit.exports. Slow: one demo run."""

from __future__ import annotations

import hashlib
import re

import duckdb
import polars as pl
import pytest

from tests.conftest import PROJECT_ROOT, SAMPLE_DIR
from transforms.core.town_names import NIGHT_ONLY_TABLES
from transforms.identity.memory import IDENTITY_MEMORY_TABLES

ANALYSTS = PROJECT_ROOT / "docs" / "analysts.md"
QUERIES = re.findall(r"```sql\n(.*?)```", ANALYSTS.read_text(encoding="utf-8"), re.S)
SYSTEM_SCHEMAS = ("main", "information_schema", "pg_catalog")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_con(demo_output):
    out, *_ = demo_output
    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def test_demo_says_where_each_output_is(demo_output):
    out, printed, _ = demo_output
    tail = printed[printed.index("outputs:"):]
    for path in (out / "warehouse.duckdb", out / "exports" / "tableau_de_bord_national.html"):
        assert str(path) in tail and path.is_file()
    for department in ("13", "2A"):
        folder = out / "exports" / department
        assert department in tail
        assert (folder / "README.txt").is_file() and (folder / "tableau_de_bord.html").is_file()
        # the three lists, the legal alerts and the flags resolved tonight (CSV and XLSX:
        # AGDREF numbers keep their leading zeros), and the handovers of the run's quarter
        # and the three before it (CSV only)
        assert len(list(folder.glob("*.csv"))) == 5 + 4 and len(list(folder.glob("*.xlsx"))) == 5
        assert (folder / "resolus_20261117.csv").is_file()
        assert (folder / "resolus_20261117.xlsx").is_file()
        assert len(list(folder.glob("remises_*T*_20261117.csv"))) == 4
    # each file named under what it is: the handovers under CSV only
    lines = {line.split()[0]: line for line in tail.splitlines() if line.strip()}
    listed = lines["worklists"]
    assert "rejected_without_oqtf_20261117" in listed and "remises" not in listed
    assert "remises_2026T4_20261117" in next(line for line in tail.splitlines()
                                             if ".csv only" in line)
    # the workspace's demo accounts and how to open it (README, "make demo")
    assert "demo accounts" in tail and "chef13" in tail
    assert f"reconcile workspace --warehouse {out / 'warehouse.duckdb'}" in tail


def test_the_demo_ends_saying_how_to_open_the_workspace_and_leaves_pairs_to_review(
        demo_output):
    """A new user follows the last line: the workspace on the demo's warehouse, the demo
    agent signed in with the password printed, pairs waiting in "Identités à vérifier"."""
    from tests.test_workspace_cli import running_workspace
    from tests.test_workspace_served import Browser

    out, printed, _ = demo_output
    last = printed.rstrip().splitlines()[-1]
    assert last.startswith("workspace: run `") and "http://127.0.0.1:8034/" in last
    password = re.search(r"^  agent13 +agent +13 +(\S+)$", printed, re.M).group(1)
    with running_workspace(out / "warehouse.duckdb", "--exports", str(out / "exports")
                           ) as port:
        agent = Browser(port)
        assert agent.sign_in("agent13", password).status == 302
        queue = agent.get("/identites/")
        assert queue.status == 200
        pairs = re.findall(r'href="(/identites/IDP-[0-9a-f]{16}/)"', queue.text)
        assert pairs, "the demo leaves no pair to review"
        page = agent.get(pairs[0])
        assert page.status == 200 and 'value="CONFIRMED"' in page.text
    with duckdb.connect(str(out / "warehouse.duckdb"), read_only=True) as con:
        undecided = con.execute(
            "SELECT count(*) FROM core.link_review WHERE department = '13' "
            "AND link_status = 'REVIEW' AND decision IS NULL").fetchall()[0][0]
    assert undecided >= 1  # a pair the model left to an agent, not only merges to check


def test_every_table_and_column_is_described(demo_con):
    tables = demo_con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE schema_name NOT IN ? AND coalesce(comment, '') = ''",
        [list(SYSTEM_SCHEMAS)]).fetchall()
    columns = demo_con.execute(
        "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE schema_name NOT IN ? AND coalesce(comment, '') = ''",
        [list(SYSTEM_SCHEMAS)]).fetchall()
    assert tables == [] and columns == []
    schemas = {r[0] for r in demo_con.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE NOT internal AND schema_name NOT IN ?",
        [list(SYSTEM_SCHEMAS)]).fetchall()}
    described = {r[0] for r in demo_con.execute("SELECT layer FROM audit.layers").fetchall()}
    assert schemas == described == {"raw", "staging", "core", "worklists", "marts", "audit"}


def test_the_identity_memories_stay_in_the_history_warehouse(demo_con, demo_output):
    """The digests and scored pairs the identity stage keeps for the next night, and
    GeoNames' names of towns, are read there by the night alone: described in the
    history warehouse, not published. The places' towns read with them are published
    (the workspace's review page compares two places by them)."""
    night_only = (*IDENTITY_MEMORY_TABLES, *NIGHT_ONLY_TABLES)
    out, *_ = demo_output
    published = {r[0] for r in demo_con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables()").fetchall()}
    assert published & set(night_only) == set()
    assert {"core.person_links", "core.identity_candidates", "core.birth_towns"} <= published
    with duckdb.connect(str(out / ".warehouse.duckdb.history.duckdb"), read_only=True) as con:
        kept = dict(con.execute(
            "SELECT schema_name || '.' || table_name, coalesce(comment, '') FROM duckdb_tables()"
        ).fetchall())
        undescribed = con.execute(
            "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
            "WHERE schema_name || '.' || table_name IN ? AND coalesce(comment, '') = ''",
            [list(night_only)]).fetchall()
    assert all(kept.get(table) for table in night_only)
    assert undescribed == []


def test_a_snapshot_of_the_history_is_read_there_or_refused(demo_output):
    """docs/analysts.md: the history attached beside the published warehouse. A table
    macro reads the database in use: called by its prefix alone, `_on(date)` read the
    published tables and gave a past date's snapshot as nothing. It fails instead,
    naming the table it did not find; after `USE history` it gives the snapshot."""
    out, *_ = demo_output
    with duckdb.connect(str(out / "warehouse.duckdb"), read_only=True) as con:
        con.execute(f"ATTACH '{out / '.warehouse.duckdb.history.duckdb'}' AS history "
                    "(READ_ONLY)")
        [(first,)] = con.execute("SELECT min(extraction_date) FROM audit.files "
                                 "WHERE file_kind = 'agdref_personnes'").fetchall()
        with pytest.raises(duckdb.CatalogException, match="agdref_persons_deliveries"):
            con.execute("SELECT count(*) FROM history.staging.agdref_persons_on(?)",
                        [first]).fetchall()
        # a view reads its own database: the history's latest snapshot, prefix alone
        [(latest,)] = con.execute(
            "SELECT count(*) FROM history.staging.agdref_persons_latest").fetchall()
        con.execute("USE history")
        [(rows,)] = con.execute("SELECT count(*) FROM staging.agdref_persons_on(?)",
                                [first]).fetchall()
        assert rows > 0
        assert con.execute("SELECT count(*) FROM staging.agdref_persons_on(DATE '9999-12-31')"
                           ).fetchall() == con.execute(
            "SELECT count(*) FROM staging.agdref_persons_latest").fetchall() == [(latest,)]


def test_the_guide_has_ten_queries():
    assert len(QUERIES) == 10


@pytest.mark.parametrize("query", QUERIES, ids=[f"query-{i}" for i in range(1, 11)])
def test_analyst_query_runs_on_the_demo_warehouse(demo_con, query):
    rows = demo_con.sql(query).fetchall()
    assert len(rows) > 0


def test_exports_on_disk_are_those_recorded(demo_con, demo_output):
    out, *_ = demo_output
    exports = out / "exports"
    # the last night's files, each as it was last recorded (a file written again with the
    # same bytes keeps its earlier record)
    (last_day,) = demo_con.execute(
        "SELECT strftime(max(as_of_date), '%Y%m%d') FROM audit.runs").fetchall()[0]
    latest = demo_con.execute(
        "SELECT e.file_name, arg_max(e.rows, r.started_at), arg_max(e.sha256, r.started_at) "
        "FROM audit.exports e JOIN audit.runs r USING (run_id) GROUP BY e.file_name"
    ).fetchall()
    records = [r for r in latest
               if last_day in r[0] or not re.search(r"_\d{8}\.", r[0])]
    # every file, each folder's README.txt included (docs/contracts.md §3)
    on_disk = {str(p.relative_to(exports)) for p in exports.rglob("*") if p.is_file()}
    assert any(name.endswith("/README.txt") for name in on_disk)
    assert {name for name, _, _ in records} == on_disk
    for name, rows, sha in records:
        data = (exports / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha
        if name.endswith(".csv"):
            # header + rows (no line break in cells; a handovers table's TOTAL row is
            # one of its rows)
            assert data.count(b"\r\n") == rows + 1
    assert not any(p.name.startswith(".") for p in exports.iterdir())  # nothing half-built


def sample_identifiers() -> tuple[set[str], set[str]]:
    """Numbers (AGDREF, OFPRA) and surnames of every person in the sample inbox."""
    numbers, names = set(), set()
    for path in (SAMPLE_DIR / "inbox").rglob("*.csv"):
        frame = pl.read_csv(path, separator=";", infer_schema=False,
                            encoding="utf8-lossy", truncate_ragged_lines=True)
        for column in ("NUM_AGDREF", "NUM_OFPRA"):
            if column in frame.columns:
                numbers |= set(frame[column].drop_nulls().to_list())
        if "NOM" in frame.columns:
            names |= {n for n in frame["NOM"].drop_nulls().to_list() if len(n) >= 4}
    return numbers, names


def occurring(needles: set[str], text: str) -> list[str]:
    """The needles found in `text`, as `[n for n in needles if n in text]` finds them, in
    one pass over the text instead of one per needle (3,000 numbers in 6 MB took 12 s):
    every needle is made of characters of the needles' alphabet, so an occurrence lies
    inside a run of such characters, and is one of that run's windows of its length."""
    if not needles:
        return []
    alphabet = "".join(sorted(set("".join(needles))))
    lengths = {len(needle) for needle in needles}
    windows: set[str] = set()
    for run in re.finditer(f"[{re.escape(alphabet)}]{{{min(lengths)},}}", text):
        found = run.group()
        for length in lengths:
            windows.update(found[i:i + length] for i in range(len(found) - length + 1))
    return [needle for needle in needles if needle in windows]


def test_the_one_pass_search_finds_what_a_search_per_needle_finds():
    needles = {"0123456789", "OF20250000431", "0004555709", "9999999999", "OF-1"}
    text = ("x0123456789y 10004555709 OF2025000043 OF202500004312 -OF-1]\n"
            "99999999 9999999")
    assert occurring(needles, text) == [n for n in needles if n in text]
    assert sorted(occurring(needles, text)) == ["0004555709", "0123456789", "OF-1",
                                                "OF20250000431"]
    assert occurring(needles, "") == [] and occurring(set(), text) == []


def test_no_identifier_or_name_in_any_log_artifact_or_message(demo_output):
    """Console output, Prefect's database (logs, artifacts, parameters) and its files."""
    out, printed, logged = demo_output
    texts = [printed, logged]
    for path in (out.parent / "prefect").rglob("*"):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    numbers, names = sample_identifiers()
    assert len(numbers) > 1000 and len(names) > 100
    text = "\n".join(texts)
    leaked_numbers = occurring(numbers, text)
    words = set(re.findall(r"[A-ZÀ-Ÿ][A-ZÀ-Ÿ' -]{3,}", text))
    leaked_names = sorted(names & {w.strip() for w in words})
    assert leaked_numbers == [] and leaked_names == []
