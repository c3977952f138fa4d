"""Checks shared by several contracts, written as polars expressions so that Pandera
reports every failing row with its index. Each takes Pandera's `PolarsData` and returns
one boolean column; an empty field passes (nullability is declared on the field)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.codes import DEPARTMENTS

DATE_FORMAT = "%d/%m/%Y"
FULL_DATE_PATTERN = r"^\d{2}/\d{2}/\d{4}$"
AGDREF_NUMBER_PATTERN = r"^\d{10}$"


def parse_full_date(column: pl.Expr) -> pl.Expr:
    return column.str.to_date(DATE_FORMAT, strict=False)


def is_calendar_date(data: pa.PolarsData) -> pl.LazyFrame:
    """A `DD/MM/YYYY` that is a real calendar day (31/02/2024 fails)."""
    col = pl.col(data.key)
    return data.lazyframe.select(col.is_null() | parse_full_date(col).is_not_null())


def is_possible_birth_date(data: pa.PolarsData) -> pl.LazyFrame:
    """A possibly partial birth date (`00` or `XX` for an unknown day or month): known
    parts must form a possible date, and a day is never known without its month."""
    col = pl.col(data.key)
    parts = col.str.replace_all("XX", "00").str.extract_groups(r"^(\d{2})/(\d{2})/(\d{4})$")
    day = parts.struct.field("1").cast(pl.Int32, strict=False)
    month = parts.struct.field("2").cast(pl.Int32, strict=False)
    year = parts.struct.field("3").cast(pl.Int32, strict=False)
    complete_is_real = parse_full_date(col).is_not_null()
    possible = (
        year.is_between(1900, 2100)
        & month.is_between(0, 12)
        & ((day == 0) | ((month > 0) & complete_is_real))
    )
    return data.lazyframe.select(col.is_null() | possible.fill_null(False))


def is_department_code(data: pa.PolarsData) -> pl.LazyFrame:
    col = pl.col(data.key)
    return data.lazyframe.select(col.is_null() | col.is_in(DEPARTMENTS))


def is_whole_number(data: pa.PolarsData) -> pl.LazyFrame:
    """Digits only: no sign, no decimals, at most six digits."""
    col = pl.col(data.key)
    return data.lazyframe.select(col.is_null() | col.str.contains(r"^\d{1,6}$"))
