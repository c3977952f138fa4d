"""What the night's reads of the history cost as nights are kept (issue 36: a year of
nights must not slow the night down).

    python -m benchmarks.history_growth --history PATH [--nights 30 90]

A copy of a history warehouse (PATH, e.g. demo-output/.warehouse.duckdb.history.duckdb,
or a national one) is given earlier nights: every AGDREF delivery is delivered again on
each of the N days before its own (file name and extraction date moved back, rows
unchanged), stored before the real ones as a night would have stored them. Then each
read the night makes of AGDREF's history is timed (best of 3), as written today and, for
the two this change bounded, as it was written before:

- birth towns: the distinct places of birth (transforms.core.birth_places), from the
  distinct rows, and (before) from every delivery;
- publication: each table's latest deliveries (transforms.publish.readers), the staged
  tables bounded by extraction date (as the core steps read them, agdref_snapshots_from),
  the raw ones not (their deliveries carry no date), and (before) the staged ones
  unbounded.

Results: results/history_growth.json and .md, one column per number of nights added.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.datasets import write_results
from transforms.warehouse import history


def add_earlier_nights(con: duckdb.DuckDBPyConnection, nights: int) -> None:
    """Every delivery of every AGDREF table again on each of the `nights` days before it."""
    for table, (lineage, _) in history.KEPT_AS_CHANGES.items():
        deliveries = history.deliveries(table)
        moved = ", ".join(
            "replace(d.file_name, regexp_extract(d.file_name, '_(\\d{8})\\.', 1), "
            "strftime(strptime(regexp_extract(d.file_name, '_(\\d{8})\\.', 1), '%Y%m%d')"
            " - to_days(?::INT), '%Y%m%d')) AS file_name" if c == "file_name"
            else "d.extraction_date - ?::INT AS extraction_date" if c == "extraction_date"
            else f"d.{c}" for c in (*lineage, "row_id"))
        con.execute(f"CREATE TABLE main.delivered AS SELECT * FROM {deliveries}")  # noqa: S608
        con.execute(f"DELETE FROM {deliveries}")  # noqa: S608
        for k in range(nights, 0, -1):  # the earliest first, as the nights stored them
            con.execute(f"INSERT INTO {deliveries} SELECT {moved} "  # noqa: S608
                        "FROM main.delivered d", [k] * moved.count("?"))
        con.execute(f"INSERT INTO {deliveries} SELECT * FROM main.delivered")  # noqa: S608
        con.execute("DROP TABLE main.delivered")
    con.execute("CHECKPOINT")


def best_of(con: duckdb.DuckDBPyConnection, sql: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        con.execute(sql).fetchall()
        times.append(time.perf_counter() - started)
    return round(min(times), 3)


def reads(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    places = ("SELECT count(*) FROM (SELECT birth_place FROM {} WHERE birth_place IS NOT "
              "NULL UNION SELECT birth_place FROM staging.detainees "
              "WHERE birth_place IS NOT NULL)")
    timed = {
        "birth towns, distinct rows": best_of(con, places.format(
            history.contents("staging.agdref_persons"))),
        "birth towns, every delivery (before)": best_of(con, places.format(
            "staging.agdref_persons")),
    }
    copied = "SELECT count(*), sum(hash(COLUMNS(*))) FROM {} WHERE {}"
    for table, (lineage, _) in history.KEPT_AS_CHANGES.items():
        timed[f"publication, {table}"] = best_of(con, copied.format(
            table, history.latest_deliveries_condition(table)))
        if "extraction_date" in lineage:  # as the publication read it before
            timed[f"publication, {table}, unbounded (before)"] = best_of(con, copied.format(
                table, f"file_name IN (SELECT rows_file_name FROM "  # noqa: S608
                       f"({history.latest_files_sql(history.delivered_kind(table))}))"))
    return timed


def measure(source: Path, nights: int, folder: Path) -> dict:
    copy = folder / f"history-{nights}.duckdb"
    shutil.copy(source, copy)
    with duckdb.connect(str(copy), config={"memory_limit": "4GB"}) as con:
        if nights:
            add_earlier_nights(con, nights)
        delivered = sum(con.execute(f"SELECT count(*) FROM {history.deliveries(t)}"  # noqa: S608
                                    ).fetchall()[0][0] for t in history.KEPT_AS_CHANGES)
        result = {"nights_added": nights, "deliveries": delivered, "reads": reads(con)}
    copy.unlink()
    print(f"{nights} nights added: {delivered} delivered rows", flush=True)
    return result


def markdown(source: Path, results: list[dict]) -> str:
    head = ("| read | " + " | ".join(f"+{r['nights_added']} nights (s)" for r in results)
            + " |\n|---|" + "---:|" * len(results) + "\n")
    delivered = ("| delivered rows kept | "
                 + " | ".join(f"{r['deliveries']:,}" for r in results) + " |\n")
    body = "".join(f"| {name} | " + " | ".join(str(r["reads"][name]) for r in results)
                   + " |\n" for name in results[0]["reads"])
    return (f"The night's reads of AGDREF's history as nights are kept "
            f"(benchmarks/history_growth.py on `{source.name}` of {source.parent.name}; "
            "best of 3 each; every delivery given again on each of the N days before its "
            f"own).\n\n{head}{delivered}{body}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=Path, required=True,
                        help="a history warehouse (.warehouse.duckdb.history.duckdb)")
    parser.add_argument("--nights", type=int, nargs="+", default=[30, 90])
    parser.add_argument("--label", default="", help="suffix of the results' name")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="growth-") as folder:
        results = [measure(args.history, n, Path(folder)) for n in (0, *args.nights)]
    name = "history_growth" + (f"_{args.label}" if args.label else "")
    write_results(name, {"history": str(args.history), "results": results},
                  markdown(args.history, results))


if __name__ == "__main__":
    main()
