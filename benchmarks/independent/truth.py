"""The truth of a test set, and the linkage measured against it.

`truth/records.csv` (`;`, UTF-8): one row per record key the inbox holds
(`telemofpra:<NUM_OFPRA>`, `genesis:<CODE_ETABLISSEMENT>:<NUM_ECROU>`, `agdref:<NUM_AGDREF>`)
with its true person and the slips it carries (`tags`, `|`-separated: what departs from
the person's AGDREF file). `truth/duplicate_groups.csv`: one row per AGDREF file of a
person holding several (`person_id`, `num_agdref`).

`linkage_measures` reads `core.person_links` against a truth with at least `record_key`
and `person_id` (the project's own generator writes one too, as CSV with `,`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

TRUTH_COLUMNS = ("record_key", "person_id", "system", "tags")


class TruthWriter:
    """truth/records.csv written as the rows come, then truth/duplicate_groups.csv."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.handle = (folder / "records.csv").open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, delimiter=";", lineterminator="\n")
        self.writer.writerow(TRUTH_COLUMNS)

    def __enter__(self) -> TruthWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()

    def write(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.writer.writerows(rows)

    def write_groups(self, groups: dict[str, list[str]]) -> None:
        with (self.folder / "duplicate_groups.csv").open("w", encoding="utf-8",
                                                          newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\n")
            writer.writerow(("person_id", "num_agdref"))
            writer.writerows((person, number) for person, numbers in sorted(groups.items())
                             for number in numbers)


_TRUTH = ("CREATE OR REPLACE TEMP TABLE truth AS SELECT record_key, person_id, '' AS tags "
          "FROM read_csv(?, delim = ?, header = true, all_varchar = true)")
_TRUTH_WITH_TAGS = _TRUTH.replace("'' AS tags", "coalesce(tags, '') AS tags")


def load_truth(con: duckdb.DuckDBPyConnection, records_csv: Path) -> None:
    """Temp table `truth` (record_key, person_id, tags) from a records.csv."""
    with records_csv.open(encoding="utf-8") as handle:
        header = handle.readline().strip()
    delimiter = ";" if ";" in header else ","
    con.execute(_TRUTH_WITH_TAGS if "tags" in header.split(delimiter) else _TRUTH,
                [str(records_csv), delimiter])


# Every source record (not AGDREF files) with its truth: whether its person has a file
# in the warehouse (linkable) and whether a LINKED record names a file of its person.
_RECORDS = """
CREATE OR REPLACE TEMP TABLE measured_records AS
WITH files AS (
    SELECT l.record_key, l.person_key, t.person_id
    FROM core.person_links l JOIN truth t USING (record_key) WHERE l.system = 'agdref'
), holders AS (SELECT DISTINCT person_id FROM files)
SELECT l.record_key, l.system, l.link_status, l.link_rule, l.match_probability,
       t.person_id, t.tags, h.person_id IS NOT NULL AS linkable,
       l.link_status = 'LINKED' AND coalesce(ft.person_id = t.person_id, false) AS right_link
FROM core.person_links l
JOIN truth t USING (record_key)
LEFT JOIN holders h ON h.person_id = t.person_id
LEFT JOIN truth ft ON ft.record_key = 'agdref:' || l.person_key
WHERE l.system <> 'agdref'
"""

_PAIRS = """
WITH files AS (
    SELECT l.person_key, t.person_id
    FROM core.person_links l JOIN truth t USING (record_key) WHERE l.system = 'agdref'
)
SELECT
    (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM
        (SELECT count(*) AS n FROM files GROUP BY person_id)),
    (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM
        (SELECT count(*) AS n FROM files GROUP BY person_key)),
    (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM
        (SELECT count(*) AS n FROM files GROUP BY person_key, person_id)),
    (SELECT count(*) FROM core.person_links ANTI JOIN truth USING (record_key))
"""


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 5) if whole else None


def linkage_measures(con: duckdb.DuckDBPyConnection) -> dict:
    """Precision and recall of LINKED, share sent to review, true matches left UNLINKED
    without a review, and AGDREF duplicates as pairs of files (one person's files given
    one person_key), over core.person_links and the temp table `truth`."""
    con.execute(_RECORDS)
    (records, linkable, linked, right, review, silent, wrong) = con.execute(
        "SELECT count(*), count(*) FILTER (linkable), "
        "count(*) FILTER (link_status = 'LINKED'), count(*) FILTER (right_link), "
        "count(*) FILTER (link_status = 'REVIEW'), "
        "count(*) FILTER (linkable AND link_status = 'UNLINKED'), "
        "count(*) FILTER (link_status = 'LINKED' AND NOT right_link) "
        "FROM measured_records").fetchall()[0]
    true_pairs, found_pairs, right_pairs, unknown = con.execute(_PAIRS).fetchall()[0]
    by_rule = dict(con.execute(
        "SELECT link_status || ' ' || link_rule, count(*) FROM measured_records "
        "GROUP BY ALL ORDER BY 1").fetchall())
    return {
        "records": records, "linkable_records": linkable, "linked": linked,
        "linked_right": right, "wrong_links": wrong,
        "precision": ratio(right, linked), "recall": ratio(right, linkable),
        "review": review, "review_share": ratio(review, records),
        "unlinked_without_review": silent,
        "unlinked_without_review_share": ratio(silent, linkable),
        "duplicate_pairs": int(true_pairs), "duplicate_pairs_found": int(found_pairs),
        "duplicate_pairs_right": int(right_pairs),
        "duplicate_recall": ratio(right_pairs, true_pairs),
        "duplicate_precision": ratio(right_pairs, found_pairs),
        "records_without_truth": unknown,
        "by_rule": by_rule,
    }


def misses(con: duckdb.DuckDBPyConnection) -> dict:
    """What the misses of measured_records carry: per outcome (status and rule) of the
    linkable records not linked to their person, and per tag the records carrying it
    and how many of them were missed (a tag on most misses and few hits is a cause)."""
    outcomes = con.execute(
        "SELECT link_status || ' ' || link_rule, count(*) FROM measured_records "
        "WHERE linkable AND NOT right_link GROUP BY ALL ORDER BY 2 DESC").fetchall()
    tags = con.execute(
        "WITH tagged AS (SELECT unnest(string_split(tags, '|')) AS tag, right_link, "
        "link_status FROM measured_records WHERE linkable AND tags <> '') "
        "SELECT tag, count(*), count(*) FILTER (NOT right_link), "
        "count(*) FILTER (link_status = 'REVIEW'), "
        "count(*) FILTER (link_status = 'UNLINKED') FROM tagged GROUP BY tag "
        "ORDER BY 3 DESC, 1").fetchall()
    clean = con.execute(
        "SELECT count(*), count(*) FILTER (NOT right_link) FROM measured_records "
        "WHERE linkable AND tags = ''").fetchall()[0]
    wrong = con.execute(
        "SELECT link_rule, tags, count(*) FROM measured_records "
        "WHERE link_status = 'LINKED' AND NOT right_link GROUP BY ALL ORDER BY 3 DESC"
    ).fetchall()
    return {"missed_by_outcome": dict(outcomes),
            "missed_by_tag": [{"tag": t, "records": n, "missed": m, "review": r,
                               "unlinked": u} for t, n, m, r, u in tags],
            "untagged": {"records": clean[0], "missed": clean[1]},
            "wrong_links": [{"rule": r, "tags": t, "count": n} for r, t, n in wrong]}
