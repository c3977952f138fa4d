"""The generator's ground truth (truth/persons.csv, truth/records.csv) and linkage
accuracy measured against it: used by the tests and the linkage benchmarks."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

if TYPE_CHECKING:
    from data.synthetic.generate import Generator


def read_truth(folder: Path) -> tuple[pl.DataFrame, dict[str, str]]:
    """Persons, and the person each record key and AGDREF number belongs to."""
    persons = pl.read_csv(folder / "persons.csv", schema_overrides={"agdref_numbers": pl.String})
    records = pl.read_csv(folder / "records.csv",
                          schema_overrides={"agdref_number_state": pl.String})
    owner = dict(zip(records["record_key"], records["person_id"], strict=True))
    for person_id, numbers in zip(persons["person_id"], persons["agdref_numbers"], strict=True):
        for number in (numbers or "").split("|"):
            if number:
                owner[number] = person_id
    return persons, owner


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 5) if whole else None


def linkage_metrics(con: duckdb.DuckDBPyConnection, truth: Path) -> dict:
    """Precision and recall of LINKED records (a link is right when the linked person
    key is an AGDREF file of the record's person), the share sent to REVIEW, and the
    precision and recall of AGDREF files merged as one person."""
    _, owner = read_truth(truth)
    links = con.sql("SELECT record_key, system, person_key, link_status, link_rule "
                    "FROM core.person_links").pl()
    files = set(con.sql("SELECT num_agdref FROM core.persons").pl()["num_agdref"])
    persons_with_file = {owner[f] for f in files if f in owner}
    records = links.filter(pl.col("system") != "agdref")
    linked = records.filter(pl.col("link_status") == "LINKED")
    wrong = [(r, p, rule) for r, p, rule in linked.select(
        "record_key", "person_key", "link_rule").iter_rows() if owner.get(r) != owner.get(p)]
    right = linked.height - len(wrong)
    linkable = sum(owner.get(r) in persons_with_file for r in records["record_key"])

    agdref = links.filter(pl.col("system") == "agdref").with_columns(
        pl.col("record_key").str.strip_prefix("agdref:").alias("num_agdref"))
    merged = agdref.filter(pl.col("person_key") != pl.col("num_agdref"))
    merged_right = sum(owner.get(n) == owner.get(k)
                       for n, k in zip(merged["num_agdref"], merged["person_key"], strict=True))
    files_per_person = Counter(owner[number] for number in files if number in owner)
    duplicate_files = sum(n - 1 for n in files_per_person.values())
    return {
        "records": records.height,
        "linkable_records": linkable,
        "linked": linked.height,
        "linked_right": right,
        "precision": _ratio(right, linked.height),
        "recall": _ratio(right, linkable),
        "review_share": _ratio(records.filter(pl.col("link_status") == "REVIEW").height,
                               records.height),
        "by_rule": dict(sorted(records.group_by("link_rule").len().iter_rows())),
        "wrong_links": wrong[:20],
        "duplicate_files": duplicate_files,
        "duplicates_merged": merged.height,
        "duplicates_merged_right": merged_right,
        "duplicate_precision": _ratio(merged_right, merged.height),
        "duplicate_recall": _ratio(merged_right, duplicate_files),
    }


def write_truth(folder: Path, g: Generator, resolved: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    persons = [{
        "person_id": p.person_id, "family": p.family, "situation": p.situation,
        "protected": int(p.protected), "flaggable_on": p.flaggable_on,
        "department": p.department, "nationality": p.nationality,
        "birth_precision": "day" if p.birth_day_known else (
            "month" if p.birth_month_known else "year"),
        "agdref_numbers": "|".join(p.agdref_numbers),
        "oqtf_issued_next_night": int(p.person_id in resolved),
        # issue 31: markers the run must put on the person's flag (a subset: other markers
        # may be due too), and the reason code of a legal alert the run must raise
        "markers": "|".join(sorted(p.markers)),
        "legal_alert": p.legal_alert,
    } for p in g.persons]
    establishments = [{
        "establishment_code": code, "department": dept, "latest_list_date": day.isoformat(),
        "days_old": (g.as_of - day).days, "late": int(code in g.late_establishments),
    } for code, (dept, day) in sorted(g.latest_lists.items())]
    for name, rows in (("persons.csv", persons), ("records.csv", g.records),
                       ("defects.csv", g.defects), ("establishments.csv", establishments)):
        columns = list(rows[0]) if rows else ["empty"]
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
