"""The independent test set (benchmarks/independent/, issue 33 item 4) at its tiny
scale: one seed gives one dataset, its inbox ingests whole, its truth names every
staged record; and the linkage measures on a hand-made truth."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from benchmarks.independent.generate import AS_OF, generate_independent
from benchmarks.independent.truth import linkage_measures, load_truth
from transforms.ingest.inbox import plan_inbox
from transforms.ingest.load import ingest_inbox
from transforms.warehouse import tables


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("independent") / "seed-7"
    generate_independent(folder, "tiny", seed=7)
    return folder


def test_one_seed_gives_one_dataset_and_another_seed_another(tiny, tmp_path):
    generate_independent(tmp_path / "again", "tiny", seed=7)
    generate_independent(tmp_path / "other", "tiny", seed=8)
    assert digests(tmp_path / "again") == digests(tiny)
    assert digests(tmp_path / "other") != digests(tiny)


def test_the_inbox_ingests_whole_and_the_truth_names_every_staged_record(tiny):
    con = duckdb.connect()
    tables.create_warehouse(con)
    outcomes = ingest_inbox(con, plan_inbox(con, tiny / "inbox", system_folders_only=True),
                            run_id="independent-tiny", run_date=AS_OF)
    assert {o.system for o in outcomes} == {"telemofpra", "genesis", "agdref"}
    assert [o.file_name for o in outcomes if o.status == "REJECTED"] == []
    assert sum(o.rows_quarantined for o in outcomes) == 0
    load_truth(con, tiny / "truth" / "records.csv")
    staged = con.execute("""
        SELECT 'telemofpra:' || num_ofpra FROM staging.asylum_decisions
        UNION SELECT 'genesis:' || establishment_code || ':' || committal_number
              FROM staging.detainees
        UNION SELECT 'agdref:' || num_agdref FROM staging.agdref_persons""").fetchall()
    unknown = con.execute(
        "SELECT count(*) FROM (SELECT unnest(?) AS record_key) ANTI JOIN truth USING "
        "(record_key)", [[k for (k,) in staged]]).fetchall()[0][0]
    assert len(staged) > 300 and unknown == 0
    # the traps are there: list records without any file, and files without any ADA
    assert con.execute("SELECT count(*) FROM truth WHERE tags LIKE '%no_file%'"
                       ).fetchall()[0][0] > 0
    assert con.execute("SELECT count(*) FROM staging.agdref_titles WHERE title_type = 'ADA'"
                       ).fetchall()[0][0] == 0


def test_measures_on_a_hand_made_truth(tmp_path):
    """Persons A (files 1 and 2), B (file 3), C (no file). Records: a1 linked to A's
    file 2 (right), a2 left UNLINKED (a silent miss), b1 linked to A (wrong), b2 in
    review, c1 linked to B (wrong, C has no file), c2 UNLINKED (right: nothing to find).
    Files 1 and 2 share a person_key (a right merge); file 3 stands alone."""
    truth = tmp_path / "records.csv"
    truth.write_text("record_key;person_id;system;tags\n" + "".join(
        f"{k};{p};x;\n" for k, p in [
            ("agdref:0000000001", "A"), ("agdref:0000000002", "A"),
            ("agdref:0000000003", "B"), ("telemofpra:a1", "A"), ("telemofpra:a2", "A"),
            ("genesis:E00001:b1", "B"), ("genesis:E00001:b2", "B"),
            ("telemofpra:c1", "C"), ("telemofpra:c2", "C")]), encoding="utf-8")
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core")
    con.execute("CREATE TABLE core.person_links (record_key VARCHAR, system VARCHAR, "
                "person_key VARCHAR, match_probability DOUBLE, link_status VARCHAR, "
                "link_rule VARCHAR)")
    con.executemany("INSERT INTO core.person_links VALUES (?, ?, ?, NULL, ?, 'R')", [
        ("agdref:0000000001", "agdref", "0000000001", "LINKED"),
        ("agdref:0000000002", "agdref", "0000000001", "LINKED"),
        ("agdref:0000000003", "agdref", "0000000003", "LINKED"),
        ("telemofpra:a1", "telemofpra", "0000000002", "LINKED"),
        ("telemofpra:a2", "telemofpra", "telemofpra:a2", "UNLINKED"),
        ("genesis:E00001:b1", "genesis", "0000000001", "LINKED"),
        ("genesis:E00001:b2", "genesis", "genesis:E00001:b2", "REVIEW"),
        ("telemofpra:c1", "telemofpra", "0000000003", "LINKED"),
        ("telemofpra:c2", "telemofpra", "telemofpra:c2", "UNLINKED")])
    load_truth(con, truth)
    m = linkage_measures(con)
    assert (m["records"], m["linkable_records"], m["linked"], m["linked_right"],
            m["wrong_links"]) == (6, 4, 3, 1, 2)
    assert (m["precision"], m["recall"]) == (round(1 / 3, 5), 0.25)
    assert (m["review"], m["review_share"]) == (1, round(1 / 6, 5))
    assert (m["unlinked_without_review"], m["unlinked_without_review_share"]) == (1, 0.25)
    assert (m["duplicate_pairs"], m["duplicate_pairs_found"], m["duplicate_pairs_right"],
            m["duplicate_recall"], m["duplicate_precision"]) == (1, 1, 1, 1.0, 1.0)
    assert m["records_without_truth"] == 0
    # a wrong merge of B's file into A's person: one more pair found, none more right
    con.execute("UPDATE core.person_links SET person_key = '0000000001' "
                "WHERE record_key = 'agdref:0000000003'")
    m = linkage_measures(con)
    assert (m["duplicate_pairs_found"], m["duplicate_pairs_right"],
            m["duplicate_precision"]) == (3, 1, round(1 / 3, 5))
