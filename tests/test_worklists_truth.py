"""Worklists on generated data: golden lists for the committed sample, and the
generator's ground truth (protected persons never listed, flaggable persons found)."""

from __future__ import annotations

import os
from datetime import date

import polars as pl
import pytest

from data.synthetic.generate import SCALES, generate_dataset
from schemas.codes import WORKLISTS
from tests.conftest import SAMPLE_DIR, ingest
from tests.truth import check_against_truth
from transforms.publish import publish_worklists

GOLDEN = SAMPLE_DIR.parent.parent / "tests" / "golden"


def as_text(frame: pl.DataFrame) -> str:
    lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
    return frame.with_columns(pl.col(c).list.join(" | ") for c in lists).write_csv()


@pytest.mark.parametrize("table", [*WORKLISTS, "exclusions"])
def test_sample_worklists_match_golden(sample_warehouse, table):
    """Any change to a rule shows here as a diff to review (UPDATE_GOLDEN=1 rewrites)."""
    order = "candidate_id" if table == "exclusions" else "flag_id"
    frame = sample_warehouse.sql(f"SELECT * FROM worklists.{table} ORDER BY {order}").pl()  # noqa: S608
    path = GOLDEN / f"{table}.csv"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(as_text(frame), encoding="utf-8")
    assert as_text(frame) == path.read_text(encoding="utf-8")


def test_sample_against_ground_truth(sample_warehouse):
    result = check_against_truth(sample_warehouse, SAMPLE_DIR / "truth")
    assert result["protected_listed"] == []
    assert result["missed"] == []
    assert result["found"] >= 0.9 * result["flaggable"]


@pytest.mark.slow
def test_department_scale_against_ground_truth(tmp_path):
    from transforms import warehouse

    as_of = date(2026, 11, 16)
    generate_dataset(tmp_path, SCALES["department"], seed=11, as_of=as_of)
    con = warehouse.connect(tmp_path / "warehouse.duckdb")
    warehouse.create_warehouse(con)
    ingest(con, tmp_path / "inbox")
    publish_worklists(con, as_of, horizon_days=120)
    result = check_against_truth(con, tmp_path / "truth")
    assert result["protected_listed"] == []
    assert result["missed"] == []
    assert result["found"] >= 0.9 * result["flaggable"]
