"""Why the linkage missed, from the slips the generator tagged: one cause per missed
record (the first that applies, in the order below), one per wrong link, one per pair
of AGDREF files of one person left apart. For the lead to decide what to change in the
model: the causes name what the record and the file hold, never a value."""

from __future__ import annotations

from collections import Counter

import duckdb

# (cause, tags of which one is enough), the first that applies wins.
RECALL_CAUSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("birth year off by one on the list", ("birth_year_off_by_one",)),
    ("no birth date on the list", ("birth_missing",)),
    ("complete birth dates a few days apart (typo on the list or on the file)",
     ("birth_day_typo", "birth_slip_on_agdref")),
    ("nationality differs (neighbouring country) or unknown",
     ("nationality_other", "nationality_unknown")),
    ("sex differs", ("sex_wrong",)),
    ("compound surname split: a word of it among the given names",
     ("compound_rest_in_given", "compound_first_in_given")),
    ("false name at committal, the real one in ALIAS", ("false_name_real_in_alias",)),
    ("year-only, 00/MM or 01/01 birth date on one side or both",
     ("birth_year_only", "birth_year_only_both", "birth_year_only_agdref",
      "birth_year_only_papers", "birth_placeholder_01_01", "birth_month_unknown_day")),
    ("a namesake's file competes (same name, same or close date)",
     ("namesake_same_date", "namesake_same_month", "namesake_close_year", "namesake_twin")),
    ("the person's second AGDREF file competes", ("has_duplicate_file",
                                                  "number_of_second_file")),
    ("surname and given names swapped", ("surname_given_swapped",)),
    ("AGDREF number missing or wrong, names spelt otherwise",
     ("number_missing", "number_wrong_digit", "number_wrong_transposed",
      "number_wrong_leading_zero", "number_wrong_someone_else")),
)
OTHER = "names spelt otherwise only (transliteration, typing slip, accent, given names)"

# The pattern of each cause, in the abstract (D, M, YYYY: a date's parts).
PATTERNS = {
    "birth year off by one on the list": "list D/M/YYYY±1, file D/M/YYYY, names agree",
    "no birth date on the list": "list DATE_NAISSANCE empty, names agree",
    "complete birth dates a few days apart (typo on the list or on the file)":
        "list D±1 (or ±9, ±10)/M/YYYY, file D/M/YYYY",
    "nationality differs (neighbouring country) or unknown":
        "list SSD / GNB / GMB…, file SDN / GIN / SEN…; or GENESIS INDETERMINEE",
    "sex differs": "list M, file F (or the reverse), all else agrees",
    "compound surname split: a word of it among the given names":
        "file NOM `W1 W2`; list NOM `W1`, PRENOMS `W2 G…` (or NOM `W2`, PRENOMS `G… W1`)",
    "false name at committal, the real one in ALIAS":
        "GENESIS NOM another surname, ALIAS `NOM PRENOMS` of the file",
    "year-only, 00/MM or 01/01 birth date on one side or both":
        "00/00/YYYY, 00/MM/YYYY or 01/01/YYYY on the list or the file (papers give the year)",
    "a namesake's file competes (same name, same or close date)":
        "two files with the same surname and first given name, dates equal or close",
    "the person's second AGDREF file competes":
        "two files of the person, spelt differently, the list agrees with both",
    "surname and given names swapped": "list NOM = file's first given name, PRENOMS = NOM",
    "AGDREF number missing or wrong, names spelt otherwise":
        "NUM_AGDREF empty or one digit off, and a transliteration or typing slip",
    OTHER: "no number; MOHAMED/MUHAMMAD, a letter dropped or doubled, É added, "
           "second given name dropped",
}


def recall_cause(tags: set[str]) -> str:
    for cause, marks in RECALL_CAUSES:
        if tags & set(marks):
            return cause
    return OTHER


def wrong_link_cause(tags: set[str], linkable: bool) -> str:
    if linkable:
        return "linked to another person's file though the person has one"
    if "namesake_same_date" in tags or "namesake_twin" in tags:
        return ("no file of the person; a namesake's file with the same complete birth "
                "date (other given names, birth place or entry date differ)")
    if tags & {"namesake_same_month", "namesake_close_year"}:
        return ("no file of the person; a namesake's file with a close birth date, "
                "the list's date slip or partial date landing on it")
    return ("no file of the person; a chance namesake in the pools (same name and "
            "birth date)")


def duplicate_cause(tags: set[str]) -> str:
    entry = ("entry date the same" if "entry_same" in tags else
             "entry date missing on one file or both" if "entry_empty" in tags else
             "entry dates differ")
    birth = "birth date differs" if any(t.startswith("birth_") for t in tags) \
        else "birth date the same"
    name = "names spelt otherwise" if tags - {"duplicate", "entry_same", "entry_empty",
                                                "entry_other", "other_department"} - {
        t for t in tags if t.startswith("birth_")} else "names the same"
    where = "; another department" if "other_department" in tags else ""
    return f"{entry}; {birth}; {name}{where}"


def miss_causes(con: duckdb.DuckDBPyConnection) -> dict:
    """Over measured_records and truth (truth.linkage_measures builds them)."""
    recall: Counter = Counter()
    for tags, status, rule in con.execute(
            "SELECT tags, link_status, link_rule FROM measured_records "
            "WHERE linkable AND NOT right_link").fetchall():
        recall[(recall_cause(set(tags.split("|"))), f"{status} {rule}")] += 1
    wrong: Counter = Counter()
    for tags, linkable in con.execute(
            "SELECT tags, linkable FROM measured_records "
            "WHERE link_status = 'LINKED' AND NOT right_link").fetchall():
        wrong[wrong_link_cause(set(tags.split("|")), linkable)] += 1
    pairs: Counter = Counter()
    for tags, merged in con.execute("""
            WITH files AS (
                SELECT l.record_key, l.person_key, t.person_id, t.tags
                FROM core.person_links l JOIN truth t USING (record_key)
                WHERE l.system = 'agdref')
            SELECT b.tags, a.person_key = b.person_key
            FROM files a JOIN files b ON a.person_id = b.person_id
                AND a.record_key <> b.record_key
            WHERE b.tags LIKE 'duplicate%' AND a.tags NOT LIKE 'duplicate%'""").fetchall():
        pairs[(duplicate_cause(set(tags.split("|"))), merged)] += 1
    return {
        "recall": [{"cause": c, "outcome": o, "records": n}
                   for (c, o), n in recall.most_common()],
        "wrong_links": [{"cause": c, "records": n} for c, n in wrong.most_common()],
        "duplicate_pairs": [{"cause": c, "merged": m, "pairs": n}
                            for (c, m), n in sorted(pairs.items())],
    }
