"""core.identity_candidates reuses the previous build (core_identity.sql, the memory
core.identity_memory*): it must be the table a build deciding every pair gives, row for
row, or decide every pair."""

from __future__ import annotations

import polars as pl
import pytest

from tests.conftest import SAMPLE_AS_OF
from transforms.core.build import build_core
from transforms.identity import build as identity

CANDIDATES = "SELECT * FROM core.identity_candidates ORDER BY ALL"


@pytest.fixture
def sample(sample_warehouse):
    """The shared sample warehouse, every change undone after the test."""
    sample_warehouse.execute("BEGIN")
    try:
        yield sample_warehouse
    finally:
        sample_warehouse.execute("ROLLBACK")


def build(con, remembering: bool) -> pl.DataFrame:
    if not remembering:
        con.execute("DELETE FROM core.identity_memory")
    build_core(con, SAMPLE_AS_OF)
    identity.identity_records(con, SAMPLE_AS_OF)
    return con.sql(CANDIDATES).pl()


def screened(con) -> tuple[int, int]:
    """Screened records and AGDREF files of the last build."""
    return con.execute("SELECT (SELECT count(*) FROM screened_identities), "
                       "(SELECT count(*) FROM agdref_identities)").fetchone()


def changed(con) -> tuple[int, int]:
    """Screened records and AGDREF files the last build found new or changed."""
    return con.execute(
        "SELECT (SELECT count(*) FILTER (WHERE changed) FROM screened_identities), "
        "(SELECT count(*) FILTER (WHERE changed) FROM agdref_identities)").fetchone()


def one(con, sql: str, params: list | None = None) -> tuple:
    row = con.execute(sql, params or []).fetchone()
    assert row is not None, sql
    return row


def next_night(con) -> dict[str, tuple]:
    """Staging corrected as a next night's files would:
    - a file of an IDENTITY pair gets another surname;
    - a detainee's given names are written otherwise;
    - a file takes the identity of a detainee it did not match (one with a complete birth
      date, one with a partial or placeholder birth date);
    - the file whose number a detainee gave, but whose identity disagreed, is corrected to
      the detainee's;
    - the file whose number an asylum record gave loses its birth day (the pair can then be
      found through the number only);
    - a file is gone;
    - an asylum record gives the number of a file it did not give before (a file born
      the same day, of its sex and nationality: a number the identity verifies).
    Returns the pairs each change touches."""
    renamed = one(con, "SELECT record_key, num_agdref FROM core.identity_candidates "
                       "WHERE evidence = 'IDENTITY' AND system = 'telemofpra' ORDER BY ALL")
    con.execute("UPDATE staging.agdref_persons_contents SET last_name_ascii = 'QZWXQZ' "
                "WHERE num_agdref = ?", [renamed[1]])
    detainee = one(con, "SELECT c.record_key, c.num_agdref, d.establishment_code, "
                        "d.committal_number FROM core.identity_candidates c "
                        "JOIN core.detentions d ON c.record_key = 'genesis:' || "
                        "d.establishment_code || ':' || d.committal_number "
                        "WHERE c.evidence = 'IDENTITY' ORDER BY ALL")
    con.execute("UPDATE staging.detainees SET first_names_ascii = 'XQWZQX' "
                "WHERE establishment_code = ? AND committal_number = ?", list(detainee[2:]))
    copied = one(con, "SELECT r.record_key, p.num_agdref FROM core.record_identities r "
                      "JOIN core.persons p ON p.birth_year <> r.birth_year "
                      "WHERE r.system = 'genesis' AND r.record_key <> ? "
                      "AND r.birth_date_is_placeholder IS FALSE AND r.birth_day IS NOT NULL "
                      "ORDER BY ALL", [detainee[0]])
    weak = one(con, "SELECT r.record_key, p.num_agdref FROM core.record_identities r "
                    "JOIN core.persons p ON p.birth_year <> r.birth_year "
                    "WHERE r.system = 'genesis' AND r.record_key NOT IN (?, ?) "
                    "AND (r.birth_date_is_placeholder OR r.birth_day IS NULL) "
                    "AND p.num_agdref <> ? ORDER BY ALL", [detainee[0], copied[0], copied[1]])
    corrected = one(con, "SELECT 'genesis:' || establishment_code || ':' || committal_number, "
                         "num_agdref FROM staging.detainees d "
                         "WHERE num_agdref IN (SELECT num_agdref FROM core.persons) "
                         "AND num_agdref NOT IN (?, ?, ?, ?) "
                         "AND (establishment_code, committal_number) <> (?, ?) "
                         "AND NOT EXISTS (SELECT 1 FROM core.identity_candidates c "
                         "    WHERE c.record_key = 'genesis:' || d.establishment_code || ':' "
                         "          || d.committal_number AND c.num_agdref = d.num_agdref) "
                         "ORDER BY ALL", [renamed[1], detainee[1], copied[1], weak[1],
                                          *detainee[2:]])
    for record, number in (copied, weak, corrected):
        take_identity(con, record, number)
    weakened = one(con, "SELECT record_key, num_agdref FROM core.identity_candidates "
                        "WHERE evidence = 'NUMBER' AND system = 'telemofpra' "
                        "AND num_agdref NOT IN (?, ?, ?, ?, ?) ORDER BY ALL",
                   [renamed[1], detainee[1], copied[1], weak[1], corrected[1]])
    con.execute("UPDATE staging.agdref_persons_contents SET birth_day = NULL, birth_date = NULL "
                "WHERE num_agdref = ?", [weakened[1]])
    touched = [renamed[1], detainee[1], copied[1], weak[1], corrected[1], weakened[1]]
    gone = one(con, "SELECT record_key, num_agdref FROM core.identity_candidates "
                    "WHERE num_agdref NOT IN ? ORDER BY ALL DESC", [touched])
    con.execute("DELETE FROM staging.agdref_persons_deliveries WHERE row_id IN "
                "(SELECT row_id FROM staging.agdref_persons_contents WHERE num_agdref = ?)",
                [gone[1]])
    given = one(con, "SELECT d.num_ofpra, p.num_agdref FROM staging.asylum_decisions d "
                     "JOIN core.persons p ON p.sex = d.sex AND p.birth_date = d.birth_date "
                     "AND p.nationality = d.nationality AND p.num_agdref NOT IN ? "
                     "WHERE d.num_agdref IS NULL AND NOT d.birth_date_is_placeholder "
                     "ORDER BY ALL", [[*touched, gone[1]]])
    con.execute("UPDATE staging.asylum_decisions SET num_agdref = ? WHERE num_ofpra = ?",
                [given[1], given[0]])
    return {"renamed": renamed, "detainee": detainee[:2], "copied": copied, "weak": weak,
            "corrected": corrected, "weakened": weakened, "gone": gone,
            "given": (f"telemofpra:{given[0]}", given[1])}


def take_identity(con, record_key: str, number: str) -> None:
    """The AGDREF file `number` written with the identity of the GENESIS record."""
    con.execute("""
        UPDATE staging.agdref_persons_contents a SET last_name_ascii = d.last_name_ascii,
               first_names_ascii = d.first_names_ascii, usual_name_ascii = NULL,
               sex = d.sex, birth_year = d.birth_year, birth_month = d.birth_month,
               birth_day = d.birth_day, birth_date = d.birth_date,
               birth_date_is_placeholder = d.birth_date_is_placeholder,
               nationality = d.nationality
        FROM (SELECT * FROM staging.detainees
              WHERE 'genesis:' || establishment_code || ':' || committal_number = ?
              ORDER BY extraction_date DESC, file_name DESC, line_number DESC LIMIT 1) d
        WHERE a.num_agdref = ?""", [record_key, number])


def evidence(candidates: pl.DataFrame, pair: tuple) -> list[str]:
    return candidates.filter(pl.col("record_key") == pair[0],
                             pl.col("num_agdref") == pair[1])["evidence"].to_list()


def has_pair(candidates: pl.DataFrame, pair: tuple) -> bool:
    return evidence(candidates, pair) != []


def test_a_build_reusing_its_memory_gives_the_candidates_of_a_full_build(sample):
    night_one = build(sample, remembering=False)
    records, files = screened(sample)
    assert changed(sample) == (records, files)  # without a memory, every row is new
    assert night_one.height > 0
    assert build(sample, remembering=True).equals(night_one)
    assert changed(sample) == (0, 0)  # nothing changed: every pair remembered

    pairs = next_night(sample)
    reused = build(sample, remembering=True)
    records_changed, files_changed = changed(sample)
    assert 0 < records_changed < records / 10 and 0 < files_changed < files / 10
    everything = build(sample, remembering=False)

    assert reused.equals(everything)
    for name in ("renamed", "detainee", "gone"):  # gone tonight
        assert has_pair(night_one, pairs[name]) and not has_pair(reused, pairs[name]), name
    assert not has_pair(night_one, pairs["copied"]) and has_pair(reused, pairs["copied"])
    assert not has_pair(night_one, pairs["weak"])
    assert evidence(reused, pairs["weak"]) == ["IDENTITY_WEAK"]
    assert evidence(night_one, pairs["weakened"]) == evidence(reused, pairs["weakened"]) \
        == ["NUMBER"]
    assert not has_pair(night_one, pairs["corrected"])
    assert evidence(reused, pairs["corrected"]) == ["NUMBER"]
    # a number given tonight: the pair is now NUMBER evidence
    assert evidence(night_one, pairs["given"]) != ["NUMBER"]
    assert evidence(reused, pairs["given"]) == ["NUMBER"]


def test_a_memory_made_by_other_code_is_not_used(sample):
    build(sample, remembering=False)
    sample.execute("UPDATE core.identity_memory SET memory_key = 'other candidate SQL'")
    build_core(sample, SAMPLE_AS_OF)
    identity.identity_records(sample, SAMPLE_AS_OF)
    assert changed(sample) == screened(sample)
    assert one(sample, "SELECT memory_key FROM core.identity_memory") \
        == (identity.identity_memory_key(),)


def test_two_unknown_nationalities_meet_where_no_nationality_is_known(sample):
    """The blocking keys of an unknown nationality hold '' besides every known one: with
    none known, two identities born the same day still meet (and whether two meet depends
    on them alone, as the memory needs)."""
    with_nationalities = build(sample, remembering=False)
    for table in ("agdref_persons_contents", "detainees", "asylum_decisions"):
        sample.execute(f"UPDATE staging.{table} SET nationality = NULL")  # noqa: S608
    without = build(sample, remembering=False)
    assert sample.execute("SELECT count(*) FROM core.persons WHERE nationality IS NOT NULL"
                          ).fetchone() == (0,)
    by_identity = pl.col("evidence") == "IDENTITY"
    assert without.filter(by_identity).height >= with_nationalities.filter(by_identity).height > 0
