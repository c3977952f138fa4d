"""Splitting rows into valid and quarantined with Pandera (docs/design.md, step 2): one
quarantine row per (row, failed check), with the column, the check and the value."""

from __future__ import annotations

from datetime import date

import polars as pl
from pandera.errors import SchemaError, SchemaErrors

from schemas.checks import DATE_FORMAT
from schemas.sources import NOT_AFTER_EXTRACTION, SOURCE_MODELS
from transforms.ingest.read import FIELDS_COLUMN, LINEAGE_COLUMNS, UnreadableFile

QUARANTINE_COLUMNS = ("file_name", "line_number", "column_name", "check_name", "value")

QUARANTINE_SCHEMA = {"file_name": pl.String, "line_number": pl.Int64,
                     "column_name": pl.String, "check_name": pl.String, "value": pl.String}


def line_checks(rows: pl.DataFrame, kind: str, extraction_date: date | pl.Expr | None
                ) -> pl.DataFrame:
    """Checks that need more than one field: the number of fields on the line, and dates
    that cannot be later than the file's extraction date (NOT_AFTER_EXTRACTION)."""
    difference = pl.col(FIELDS_COLUMN)
    found = [rows.filter(difference != 0).select(
        "file_name", "line_number", pl.lit(None, pl.String).alias("column_name"),
        pl.lit("field_count").alias("check_name"),
        pl.format("{} field(s) {} than the header", difference.abs(),
                  pl.when(difference < 0).then(pl.lit("fewer")).otherwise(pl.lit("more"))
                  ).alias("value"))]
    if extraction_date is not None:
        for column in NOT_AFTER_EXTRACTION.get(kind, ()):
            day = pl.col(column).str.to_date(DATE_FORMAT, strict=False)
            found.append(rows.filter(day > extraction_date).select(
                "file_name", "line_number", pl.lit(column).alias("column_name"),
                pl.lit("not_after_extraction_date").alias("check_name"),
                pl.col(column).alias("value")))
    return pl.concat(found).cast(QUARANTINE_SCHEMA)


def split_valid_rows(rows: pl.DataFrame, kind: str,
                     extraction_date: date | pl.Expr | None = None
                     ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate every row against the file's contract. Returns the valid rows and one
    quarantine row per (row, failed check). A schema-level failure rejects the file.
    `rows` may hold several files of one kind (`extraction_date` then an expression):
    rows are told apart by (file_name, line_number)."""
    model = SOURCE_MODELS[kind]
    if FIELDS_COLUMN not in rows.columns:  # rows not read from a CSV line by line
        rows = rows.with_columns(pl.lit(0, pl.Int32).alias(FIELDS_COLUMN))
    extra = line_checks(rows, kind, extraction_date)
    rows = rows.drop(FIELDS_COLUMN)
    try:
        model.validate(rows.drop(LINEAGE_COLUMNS), lazy=True)
        failures = None
    except SchemaError as err:  # raised instead of SchemaErrors for some schema failures
        raise UnreadableFile(f"{rows['file_name'][0]}: {str(err).splitlines()[0][:160]}") from None
    except SchemaErrors as err:
        failures = err.failure_cases
    if failures is None:
        return _without_lines(rows, extra), extra
    schema_level = failures.filter(pl.col("index").is_null())
    if schema_level.height:
        first = schema_level.row(0, named=True)
        raise UnreadableFile(
            f"{rows['file_name'][0]}: {first['check']} failed for {first['column']}"
        )
    lineage = rows.select(LINEAGE_COLUMNS).with_row_index("index")
    quarantine = (
        failures.with_columns(pl.col("index").cast(pl.UInt32))
        .join(lineage, on="index", how="left")
        .select(
            "file_name",
            "line_number",
            pl.col("column").alias("column_name"),
            pl.col("check").alias("check_name"),
            pl.col("failure_case").cast(pl.String).alias("value"),
        )
    )
    quarantine = pl.concat([quarantine.cast(QUARANTINE_SCHEMA), extra]).sort(
        "file_name", "line_number", "column_name", "check_name", nulls_last=True)
    return _without_lines(rows, quarantine), quarantine


def _without_lines(rows: pl.DataFrame, quarantine: pl.DataFrame) -> pl.DataFrame:
    return rows.join(quarantine.select(LINEAGE_COLUMNS).unique(), on=LINEAGE_COLUMNS,
                     how="anti", maintain_order="left")
