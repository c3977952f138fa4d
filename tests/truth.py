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
    a row lost to a random defect of the generator (for an execution event, the FUITE
    that extends a Dublin transfer's deadline), or a protection found on an AGDREF
    file of someone else whose identity agrees (the screen errs on the side of
    protection). A row planted defective for a person (QUARANTINED_ROW_NAMING_PERSON,
    DQ-01) is no explanation: that person is protected, and must never be listed.

    Also (issue 31): `markers_missed`, flaggable persons found on their list without a
    marker the truth expects there, and `alerts_missed`, persons the truth expects a legal
    alert for (PRI-07) with no such alert in worklists.legal_alerts."""
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
    # A detainee whose row in the latest list of the establishment was quarantined without
    # a usable committal number is no longer on that list (DQ-01 names nobody).
    lost_rows = {establishment for (establishment,) in con.execute(
        "SELECT DISTINCT f.unit FROM audit.quarantine q JOIN audit.files f "
        "ON f.file_name = q.file_name AND f.run_id = q.run_id AND f.file_kind = 'genesis' "
        "WHERE f.extraction_date = (SELECT max(extraction_date) FROM audit.files g "
        "WHERE g.file_kind = 'genesis' AND g.unit = f.unit AND g.status = 'LOADED')"
    ).fetchall()}
    on_lists = {key for (key,) in con.execute("SELECT record_key FROM core.detentions").fetchall()}
    incomplete |= {owner[key] for key in owner if key.startswith("genesis:")
                   and key.split(":")[1] in lost_rows and key not in on_lists}
    # A detention that cannot be tied to the measure's file with confidence (a GENESIS
    # record not LINKED, or a file the model merged with the person's) never extends a
    # Dublin deadline (EX-04): the shorter deadline, protective.
    untied_detention = {owner.get(key) for (key,) in con.execute(
        "SELECT record_key FROM core.person_links WHERE system = 'genesis' "
        "AND link_status <> 'LINKED'").fetchall()}
    untied_detention |= set(persons.filter(pl.col("agdref_numbers").fill_null("")
                                           .str.contains("|", literal=True))["person_id"])
    quarantined_rows = {f"{name}:{line}" for name, line in con.execute(
        "SELECT file_name, line_number FROM audit.quarantine").fetchall()}
    for table in ("agdref_personnes", "agdref_mesures", "agdref_titres"):
        incomplete |= {owner.get(number) for (number,) in con.execute(
            f"SELECT r.NUM_AGDREF FROM raw.{table} r JOIN audit.quarantine q "  # noqa: S608
            "ON q.file_name = r.file_name AND q.line_number = r.line_number").fetchall()}
    # A Dublin transfer's FUITE lost to a defect leaves it lapsed at 6 months (EX-04): a
    # quarantined EVENEMENTS row may no longer say whose it was (its ID_MESURE blanked);
    # the generator does (defects.csv's row_of)
    events_lost = {person for name, line, person in pl.read_csv(
        truth / "defects.csv", infer_schema=False).select(
            "file_name", "line_number", "row_of").drop_nulls().iter_rows()
        if f"{name}:{line}" in quarantined_rows}
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
            or (reason == "DUBLIN_DEADLINE_EXPIRED" and pid in untied_detention | events_lost)
            or (reason == "SOURCE_ROW_QUARANTINED" and quarantined_rows & set(rows))
            or any(file_of_row.get(r) not in (None, *own) for r in rows)
            for reason, rows in reasons)
        if accepted:
            explained += 1
        else:
            missed.append((pid, p["situation"], [r for r, _ in reasons]))
    return {"protected_listed": protected_listed, "missed": missed,
            "flaggable": flaggable.height, "explained": explained,
            "found": flaggable.height - explained - len(missed),
            "markers_missed": _markers_missed(con, persons, owner),
            "alerts_missed": _alerts_missed(con, persons, owner, incomplete)}


def _markers_missed(con: duckdb.DuckDBPyConnection, persons: pl.DataFrame,
                    owner: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    """(person, situation, expected markers absent from the person's row of the list the
    truth names); a person not on that list is reported by `missed`, not here."""
    if "markers" not in persons.columns:
        return []
    expected = persons.filter((pl.col("flaggable_on") != "")
                              & pl.col("markers").fill_null("").ne(""))
    carried: dict[tuple[str | None, str], set[str]] = {}
    for worklist in set(expected["flaggable_on"]):
        for key, markers in con.execute(
                f"SELECT person_key, markers FROM worklists.{worklist}").fetchall():  # noqa: S608
            carried.setdefault((owner.get(key), worklist), set()).update(markers or [])
    missed = []
    for pid, situation, worklist, markers in expected.select(
            "person_id", "situation", "flaggable_on", "markers").iter_rows():
        if (pid, worklist) in carried:
            absent = sorted(set(markers.split("|")) - carried[(pid, worklist)])
            if absent:
                missed.append((pid, situation, absent))
    return missed


def _alerts_missed(con: duckdb.DuckDBPyConnection, persons: pl.DataFrame,
                   owner: dict[str, str], incomplete: set) -> list[tuple[str, str, str]]:
    """(person, situation, reason code) of each legal alert the truth expects and the run
    did not raise (all of them when the run has no legal_alerts table), except for a
    person who lost a row to quarantine (the measure the alert is about, perhaps)."""
    if "legal_alert" not in persons.columns:
        return []
    expected = persons.filter(pl.col("legal_alert").fill_null("") != "")
    raised: set[tuple[str | None, str]] = set()
    if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                   "'worklists' AND table_name = 'legal_alerts'").fetchall()[0][0]:
        raised = {(owner.get(key), reason) for key, reason in con.execute(
            "SELECT person_key, reason_code FROM worklists.legal_alerts").fetchall()}
    return [(pid, situation, reason) for pid, situation, reason in expected.select(
        "person_id", "situation", "legal_alert").iter_rows()
        if (pid, reason) not in raised and pid not in incomplete]
