"""Source contracts: the sample passes except its planted defects, and each constraint
rejects a hand-broken row for its stated reason."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from schemas.sources import UNIQUE_IN_FILE
from tests.builders import row
from tests.conftest import SAMPLE_DIR
from transforms.ingest.inbox import list_inbox
from transforms.ingest.read import read_source_file
from transforms.ingest.validate import split_valid_rows


def _quarantine_for(kind: str, rows: list[dict]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={c: pl.String for c in rows[0]}).with_columns(
        pl.col(c).replace("", None) for c in rows[0]
    ).with_columns(pl.lit("test.csv").alias("file_name"),
                   (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("line_number"))
    _, quarantine = split_valid_rows(frame, kind)
    return quarantine


@pytest.mark.parametrize("kind", ["telemofpra", "genesis", "agdref_personnes", "agdref_titres",
                                  "agdref_mesures", "agdref_evenements"])
def test_default_rows_pass(kind):
    assert _quarantine_for(kind, [row(kind)]).height == 0


BROKEN = [
    ("telemofpra", "DATE_DECISION", "30/02/2026", "calendar_date"),
    ("telemofpra", "DATE_DECISION", "2026-09-03", "str_matches"),
    ("telemofpra", "DATE_DECISION", "", "empty_only_on_registered_request"),
    ("telemofpra", "SENS_DECISION", "", "empty_only_on_registered_request"),
    ("telemofpra", "DATE_NAISSANCE", "31/02/1990", "possible_birth_date"),
    ("telemofpra", "DATE_NAISSANCE", "32/00/1990", "possible_birth_date"),
    ("telemofpra", "SENS_DECISION", "REJETE", "isin"),
    # CONTRACTS §1.1: each body's outcomes; MODE_CNDA on CNDA rows only (the builders'
    # row is OFPRA's)
    ("telemofpra", "SENS_DECISION", "DESISTEMENT", "outcome_of_its_body"),
    ("telemofpra", "SENS_DECISION", "ANNULATION_REFUGIE", "outcome_of_its_body"),
    ("telemofpra", "MODE_CNDA", "ORDONNANCE", "mode_on_cnda_rows_only"),
    ("telemofpra", "ORGANE", "CE", "isin"),
    ("telemofpra", "TYPE_DEMANDE", "NOUVELLE", "isin"),
    ("telemofpra", "FONDEMENT", "L999", "isin"),
    ("telemofpra", "NATIONALITE", "Guinée", "isin"),
    ("telemofpra", "NATIONALITE", "ROM", "isin"),  # Romania's code before 2002: no ISO code
    ("agdref_personnes", "NATIONALITE", "ROM", "isin"),
    ("telemofpra", "NUM_OFPRA", "OFPRA:24", "str_matches"),  # the record key's separator
    ("telemofpra", "NUM_OFPRA", ".24", "str_matches"),
    ("telemofpra", "DEPT_DOMICILIATION", "20", "department_code"),
    ("telemofpra", "SEXE", "X", "isin"),
    ("telemofpra", "NOM", "", "not_nullable"),
    ("telemofpra", "NOM", "A" * 201, "str_length"),
    ("genesis", "CODE_ETABLISSEMENT", "E013", "str_matches"),
    ("genesis", "CATEGORIE_PENALE", "DETENU", "isin"),
    ("genesis", "QUANTUM_TOTAL_JOURS", "-5", "whole_number"),
    ("genesis", "ITF", "OUI", "isin"),
    ("genesis", "DEPT_ETABLISSEMENT", "99", "department_code"),
    ("agdref_personnes", "NUM_AGDREF", "12345", "str_matches"),
    ("agdref_personnes", "SITUATION", "EXPULSE", "isin"),
    ("agdref_personnes", "LIEN_FAMILIAL_FRANCAIS", "FRERE", "isin"),
    ("agdref_titres", "TYPE_TITRE", "VISA", "isin"),
    ("agdref_titres", "DATE_DEBUT", "00/01/2025", "calendar_date"),
    ("agdref_mesures", "TYPE_MESURE", "IRTF", "isin"),
    ("agdref_mesures", "DELAI_DEPART_JOURS", "30j", "whole_number"),
    ("agdref_mesures", "RECOURS", "PENDANT", "isin"),
    ("agdref_mesures", "STATUT", "SUSPENDUE", "isin"),
    ("agdref_mesures", "ETAT_MEMBRE", "Italie", "isin"),
    ("agdref_evenements", "TYPE_EVENEMENT", "EVASION", "isin"),
]


@pytest.mark.parametrize(("kind", "column", "value", "check"), BROKEN,
                         ids=[f"{k}-{c}-{v[:12]}" for k, c, v, _ in BROKEN])
def test_each_constraint_rejects_a_broken_row(kind, column, value, check):
    good = row(kind)
    # another row of the file: its own key, where a file holds one row per key
    key = UNIQUE_IN_FILE.get(kind)
    other = {key: good[key][:-1] + ("1" if good[key][-1] != "1" else "2")} if key else {}
    bad = row(kind, **{**other, column: value})
    quarantine = _quarantine_for(kind, [good, bad])
    assert quarantine["line_number"].unique().to_list() == [3], "only the broken row"
    failures = quarantine.filter(pl.col("column_name") == column)
    assert failures.height >= 1
    assert any(name.startswith(check) for name in failures["check_name"]), failures
    expected_value = None if value == "" else value
    assert expected_value in failures["value"].to_list()


# CONTRACTS §1 "empty field = unknown", where the lists read the unknown safely
# (tests/test_rules_empty_fields.py); NUM_OFPRA is an opaque string.
UNKNOWN_OR_OPAQUE = [
    ("telemofpra", "NATIONALITE", ""),
    ("telemofpra", "PROCEDURE", ""),
    ("telemofpra", "NUM_OFPRA", "OFPRA 2024.123-45"),
    ("genesis", "ITF", ""),
    ("agdref_titres", "DATE_DEBUT", ""),
]


@pytest.mark.parametrize(("kind", "column", "value"), UNKNOWN_OR_OPAQUE)
def test_an_unknown_or_opaque_value_is_staged(kind, column, value):
    assert _quarantine_for(kind, [row(kind, **{column: value})]).height == 0


def test_partial_birth_dates_are_valid():
    """docs/contracts.md §1: "`00` (or `XX`) for an unknown day or month": a day with an
    unknown month too (staged as the year alone: a day of no known month tells nothing)."""
    import polars as pl

    from transforms.ingest.standardise import birth_date_parts

    values = ("00/00/1987", "XX/XX/1987", "00/05/1987", "01/01/1987", "", "15/00/1987",
              "15/XX/1987", "XX/05/1987")
    rows = [row("telemofpra", DATE_NAISSANCE=value) for value in values]
    assert _quarantine_for("telemofpra", rows).height == 0
    parts = pl.DataFrame({"born": ["15/00/1987", "15/XX/1987", "15/05/1987"]}).select(
        birth_date_parts("born"))
    assert parts.select("birth_year", "birth_month", "birth_day").rows() == [
        (1987, None, None), (1987, None, None), (1987, 5, 15)]


def test_sample_passes_except_planted_defects():
    """Every committed sample file validates; the only quarantined lines are those the
    generator broke on purpose (truth/defects.csv)."""
    with (SAMPLE_DIR / "truth" / "defects.csv").open(encoding="utf-8") as handle:
        planted = {(d["file_name"], int(d["line_number"])) for d in csv.DictReader(handle)}
    quarantined = set()
    for f in list_inbox(SAMPLE_DIR / "inbox"):
        rows = read_source_file(f).rows
        _, quarantine = split_valid_rows(rows, f.kind)
        quarantined |= {(f.file_name, n) for n in quarantine["line_number"].unique()}
    in_inbox = {d for d in planted if any((SAMPLE_DIR / "inbox").rglob(d[0]))}
    assert in_inbox, "the sample plants some defective rows"
    assert quarantined == in_inbox


def test_rows_frame_keeps_every_list_as_given():
    """The rules' rows become frames of their model's columns and types: a list column
    keeps empty lists, missing lists and the order of its items; a column the rows lack
    is empty."""
    from schemas.published import Exclusion
    from transforms.warehouse.tables import rows_frame

    rows = [{"worklist": "unexecuted_measures", "candidate_id": "MES-1", "person_key": "p1",
             "reason_code": "MINOR", "other_reasons": ["EU_CITIZEN", "APPEAL_PENDING"],
             "rule_ids": ["OQ-03"], "source_rows": ["b.csv:3", "a.csv:2"]},
            {"worklist": "unexecuted_measures", "candidate_id": "MES-2", "person_key": "p2",
             "reason_code": "MINOR", "other_reasons": [], "rule_ids": None,
             "source_rows": ["c.csv:4", None]}]
    frame = rows_frame(rows, Exclusion)
    assert frame.columns == list(Exclusion.to_schema().columns)
    assert frame.schema["other_reasons"] == pl.List(pl.String)
    assert frame.get_column("other_reasons").to_list() == [["EU_CITIZEN", "APPEAL_PENDING"], []]
    assert frame.get_column("rule_ids").to_list() == [["OQ-03"], None]
    assert frame.get_column("source_rows").to_list() == [["b.csv:3", "a.csv:2"],
                                                         ["c.csv:4", None]]
    assert frame.get_column("department").to_list() == [None, None]
    assert rows_frame([], Exclusion).height == 0
