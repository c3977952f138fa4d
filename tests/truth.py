"""Check worklists against the generator's ground truth (data/synthetic: truth/)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from data.synthetic.truth import read_truth
from schemas.codes import WORKLISTS


def check_against_truth(con: duckdb.DuckDBPyConnection, truth: Path) -> dict:
    """Protected persons listed (must be none) and flaggable persons missed without an
    explanation the truth accepts (must be none): an unlinked record (IDENTITY_CONFLICT),
    a row lost to quarantine, or a protection found on an AGDREF file of someone else
    whose identity agrees (the screen errs on the side of protection)."""
    persons, owner = read_truth(truth)
    listed = {(owner.get(key), worklist)
              for worklist in WORKLISTS
              for (key,) in con.execute(f"SELECT person_key FROM worklists.{worklist}").fetchall()}  # noqa: S608
    protected = persons.filter(pl.col("protected") == 1)["person_id"].to_list()
    protected_listed = sorted({pid for pid, _ in listed if pid in set(protected)})

    linked_keys = {key for (key,) in con.execute(
        "SELECT record_key FROM core.person_links").fetchall()}
    # A person with a record missing from core lost a row to quarantine (defects.csv).
    incomplete = {owner[key] for key in owner
                  if ":" in key and key not in linked_keys}
    for table in ("agdref_personnes", "agdref_mesures", "agdref_titres"):
        incomplete |= {owner.get(number) for (number,) in con.execute(
            f"SELECT r.NUM_AGDREF FROM raw.{table} r JOIN audit.quarantine q "  # noqa: S608
            "ON q.file_name = r.file_name AND q.line_number = r.line_number").fetchall()}
    file_of_row = dict(con.execute(
        "SELECT source_row, num_agdref FROM core.persons UNION ALL "
        "SELECT source_row, num_agdref FROM core.residence_titles").fetchall())
    exclusions = {}
    for worklist, key, reason, rows in con.execute(
            "SELECT worklist, person_key, reason_code, source_rows FROM worklists.exclusions"
    ).fetchall():
        exclusions.setdefault((owner.get(key), worklist), []).append((reason, rows))

    flaggable = persons.filter(pl.col("flaggable_on") != "")
    missed, explained = [], 0
    for p in flaggable.iter_rows(named=True):
        pid, worklist = p["person_id"], p["flaggable_on"]
        if (pid, worklist) in listed:
            continue
        own = set((p["agdref_numbers"] or "").split("|"))
        reasons = exclusions.get((pid, worklist), [])
        accepted = pid in incomplete or any(
            reason == "IDENTITY_CONFLICT"
            or any(file_of_row.get(r) not in (None, *own) for r in rows)
            for reason, rows in reasons)
        if accepted:
            explained += 1
        else:
            missed.append((pid, p["situation"], [r for r, _ in reasons]))
    return {"protected_listed": protected_listed, "missed": missed,
            "flaggable": flaggable.height, "explained": explained,
            "found": flaggable.height - explained - len(missed)}
