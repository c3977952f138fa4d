"""Splitting rows into valid and quarantined with Pandera (docs/design.md, step 2): one
quarantine row per (row, failed check), with the column, the check and the value. The
dates a row is checked against (its file's extraction date, the run date) are parameters,
handed to the contract's checks as columns of the frame validated."""

from __future__ import annotations

from datetime import date

import polars as pl
from pandera.errors import SchemaError, SchemaErrors

from schemas.checks import EXTRACTION_DATE_COLUMN, RUN_DATE_COLUMN
from schemas.codes import DEPARTMENTS
from schemas.sources import SOURCE_MODELS, UNIQUE_IN_FILE
from transforms.ingest.countries import UNKNOWN, country_code, normalise_country_name
from transforms.ingest.read import (
    CELL_ERRORS_COLUMN,
    FIELDS_COLUMN,
    LINE_FACTS,
    LINEAGE_COLUMNS,
    UnreadableFile,
)

QUARANTINE_COLUMNS = ("file_name", "line_number", "column_name", "check_name", "value")

QUARANTINE_SCHEMA = {"file_name": pl.String, "line_number": pl.Int64,
                     "column_name": pl.String, "check_name": pl.String, "value": pl.String}


def line_checks(rows: pl.DataFrame) -> pl.DataFrame:
    """The checks that need the line rather than its fields: the number of fields on it,
    and (a sheet) its cells holding a spreadsheet error, read as empty by the reader."""
    difference = pl.col(FIELDS_COLUMN)
    counts = rows.filter(difference != 0).select(
        "file_name", "line_number", pl.lit(None, pl.String).alias("column_name"),
        pl.lit("field_count").alias("check_name"),
        pl.format("{} field(s) {} than the header", difference.abs(),
                  pl.when(difference < 0).then(pl.lit("fewer")).otherwise(pl.lit("more"))
                  ).alias("value")).cast(QUARANTINE_SCHEMA)
    errors = rows.filter(pl.col(CELL_ERRORS_COLUMN).list.len() > 0).select(
        "file_name", "line_number", CELL_ERRORS_COLUMN).explode(CELL_ERRORS_COLUMN).select(
        "file_name", "line_number", pl.col(CELL_ERRORS_COLUMN).alias("column_name"),
        pl.lit("cell_error").alias("check_name"),
        pl.lit("a spreadsheet error (#DIV/0!, #N/A…), not a value").alias("value"),
    ).cast(QUARANTINE_SCHEMA)
    return pl.concat([counts, errors])


def key_checks(rows: pl.DataFrame, kind: str) -> pl.DataFrame:
    """The check that needs the file rather than the line: every row sharing with another
    row of its file the value that names what the file holds one row of (UNIQUE_IN_FILE).
    Which of them is true cannot be told (a measure in force on one line, annulled on the
    next; two detainees under one committal number), so none is staged: each is
    quarantined (`unique_in_file`), and the person they name is held until the file is
    corrected (RULES.md DQ-01)."""
    column = UNIQUE_IN_FILE.get(kind)
    if column is None or column not in rows.columns:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    named = pl.col(column).is_not_null() & (pl.col(column).str.strip_chars() != "")
    return rows.filter(named & pl.struct("file_name", column).is_duplicated()).select(
        "file_name", "line_number", pl.lit(column).alias("column_name"),
        pl.lit("unique_in_file").alias("check_name"), pl.col(column).alias("value"),
    ).cast(QUARANTINE_SCHEMA)


# A GENESIS list's name gives its establishment (docs/contracts.md §1: GENESIS_<code>_<date>)
_LIST_ESTABLISHMENT = pl.col("file_name").str.extract(r"^GENESIS_(.+)_[0-9]{8}\.[A-Za-z]+$")


def unit_checks(rows: pl.DataFrame, kind: str) -> pl.DataFrame:
    """A GENESIS list is one establishment's, in one department: a row naming another
    establishment than the list's name (`establishment_of_the_file`), or giving its
    establishment another department than most of the list's rows do
    (`department_of_the_establishment`; every row with a department when no department
    holds more than half of them) is quarantined. Which is true cannot be told, and a row's
    department decides which prefecture's folder lists the detainee: staged, a typo sent
    a detainee to another prefecture. The detainee is held (DQ-01) until the list is
    corrected."""
    if kind != "genesis" or not {"CODE_ETABLISSEMENT", "DEPT_ETABLISSEMENT"} <= set(rows.columns):
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    code = pl.col("CODE_ETABLISSEMENT").str.strip_chars()
    elsewhere = rows.filter(code.is_not_null() & (code != "") & _LIST_ESTABLISHMENT.is_not_null()
                            & (code != _LIST_ESTABLISHMENT))
    department = pl.col("DEPT_ETABLISSEMENT").str.strip_chars()
    # a code no department has is quarantined by its own check (department_code)
    given = rows.filter(department.is_in(DEPARTMENTS)).with_columns(
        department.alias("_department"))
    counted = given.group_by("file_name", "_department").len("_rows").with_columns(
        (pl.col("_rows") * 2 > pl.col("_rows").sum().over("file_name")).alias("_most"))
    differing = given.join(counted.filter(pl.col("_most")), on=["file_name", "_department"],
                           how="anti")
    return pl.concat([
        elsewhere.select("file_name", "line_number",
                         pl.lit("CODE_ETABLISSEMENT").alias("column_name"),
                         pl.lit("establishment_of_the_file").alias("check_name"),
                         pl.col("CODE_ETABLISSEMENT").alias("value")).cast(QUARANTINE_SCHEMA),
        differing.select("file_name", "line_number",
                         pl.lit("DEPT_ETABLISSEMENT").alias("column_name"),
                         pl.lit("department_of_the_establishment").alias("check_name"),
                         pl.col("DEPT_ETABLISSEMENT").alias("value")).cast(QUARANTINE_SCHEMA),
    ])


def nationality_checks(rows: pl.DataFrame, kind: str) -> pl.DataFrame:
    """CONTRACTS §1.2: a GENESIS NATIONALITE is a country's name in French, or
    INDETERMINEE (empty: unknown). A text read as neither (a typo, `#N/A`, a word no
    country bears) is quarantined, `country_name`: it may name an EU citizen (§5
    EU_CITIZEN, whom the releases list would act on as of unknown nationality); the
    detainee is held (DQ-01) until the list is corrected."""
    if kind != "genesis" or "NATIONALITE" not in rows.columns:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    written = rows.get_column("NATIONALITE").drop_nulls().unique().to_list()
    unread = [text for text in written if text.strip() and country_code(text) is None
              and normalise_country_name(text) != UNKNOWN]
    return rows.filter(pl.col("NATIONALITE").is_in(unread)).select(
        "file_name", "line_number", pl.lit("NATIONALITE").alias("column_name"),
        pl.lit("country_name").alias("check_name"),
        pl.col("NATIONALITE").alias("value")).cast(QUARANTINE_SCHEMA)


def with_reference_dates(rows: pl.DataFrame, extraction_date: date | pl.Expr | None,
                         run_date: date | None) -> pl.DataFrame:
    """The rows with the dates they are checked against (schemas.checks), as far as known."""
    dates = {EXTRACTION_DATE_COLUMN: extraction_date, RUN_DATE_COLUMN: run_date}
    return rows.with_columns(
        (value if isinstance(value, pl.Expr) else pl.lit(value)).cast(pl.Date).alias(name)
        for name, value in dates.items() if value is not None)


def split_valid_rows(rows: pl.DataFrame, kind: str,
                     extraction_date: date | pl.Expr | None = None,
                     run_date: date | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate every row against the file's contract. Returns the valid rows and one
    quarantine row per (row, failed check). A schema-level failure rejects the file.
    `rows` may hold several files of one kind (`extraction_date` then an expression):
    rows are told apart by (file_name, line_number). Without `extraction_date` or
    `run_date` the checks against that date are not made."""
    model = SOURCE_MODELS[kind]
    if FIELDS_COLUMN not in rows.columns:  # rows not read from a file line by line
        rows = rows.with_columns(pl.lit(0, pl.Int32).alias(FIELDS_COLUMN))
    if CELL_ERRORS_COLUMN not in rows.columns:
        rows = rows.with_columns(pl.lit([], pl.List(pl.String)).alias(CELL_ERRORS_COLUMN))
    extra = pl.concat([line_checks(rows), key_checks(rows, kind), unit_checks(rows, kind),
                       nationality_checks(rows, kind)])
    rows = rows.drop(LINE_FACTS)
    try:
        model.validate(with_reference_dates(rows, extraction_date, run_date).drop(
            LINEAGE_COLUMNS), lazy=True)
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
