"""Checks shared by several contracts, written as polars expressions so that Pandera
reports every failing row with its index. Each takes Pandera's `PolarsData` and returns
one boolean column; an empty field passes (nullability is declared on the field)."""

from __future__ import annotations

import re

import pandera.polars as pa
import polars as pl
from anyascii import anyascii

from schemas.codes import DEPARTMENTS

DATE_FORMAT = "%d/%m/%Y"
FULL_DATE_PATTERN = r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$"
AGDREF_NUMBER_PATTERN = r"^[0-9]{10}$"

# Dates a row is checked against, handed to the checks as columns of the frame validated
# (they are not the contract's): the extraction date of the row's file (from its name) and
# the run date. A check whose date is not there passes (the row is checked for the rest).
EXTRACTION_DATE_COLUMN = "_extraction_date"
RUN_DATE_COLUMN = "_run_date"
REFERENCE_COLUMNS = (EXTRACTION_DATE_COLUMN, RUN_DATE_COLUMN)


def parse_full_date(column: pl.Expr) -> pl.Expr:
    return column.str.to_date(DATE_FORMAT, strict=False)


# No date these sources give is before 1900 (a birth date's year is checked the same
# way): `14/04/0027` is a year typed short, not a card that expired nineteen centuries ago.
EARLIEST_YEAR = 1900


def is_calendar_date(data: pa.PolarsData) -> pl.LazyFrame:
    """A `DD/MM/YYYY` that is a real calendar day (31/02/2024 fails) from EARLIEST_YEAR
    on. No upper bound: a far end date (`31/12/9999`) protects, never acts."""
    col = pl.col(data.key)
    parsed = parse_full_date(col)
    return data.lazyframe.select(
        col.is_null() | (parsed.dt.year() >= EARLIEST_YEAR).fill_null(False))


def _birth_date_parts(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Day, month and year of a possibly partial birth date (0 when unknown)."""
    parts = col.str.replace_all("XX", "00").str.extract_groups(
        r"^([0-9]{2})/([0-9]{2})/([0-9]{4})$")
    return tuple(parts.struct.field(str(i)).cast(pl.Int32, strict=False) for i in (1, 2, 3))


def is_possible_birth_date(data: pa.PolarsData) -> pl.LazyFrame:
    """A possibly partial birth date (`00` or `XX` for an unknown day or month,
    docs/contracts.md §1): known parts must form a possible date. A day given with an
    unknown month (`15/00/1987`) is a day of some month: possible, and staged as the
    year alone (transforms.ingest.standardise.birth_date_parts)."""
    col = pl.col(data.key)
    day, month, year = _birth_date_parts(col)
    complete_is_real = parse_full_date(col).is_not_null()
    possible = (
        year.is_between(EARLIEST_YEAR, 2100)
        & month.is_between(0, 12)
        & ((day == 0) | ((month == 0) & day.is_between(1, 31)) | complete_is_real)
    )
    return data.lazyframe.select(col.is_null() | possible.fill_null(False))


def has_letter_or_digit(data: pa.PolarsData) -> pl.LazyFrame:
    """A name whose ASCII form (as staging writes `*_ascii`: anyascii's transliteration)
    holds at least one letter or digit: one of punctuation only ('-', "'", '?'), or of
    characters without a transliteration (a Hangul filler, a Hebrew letter anyascii
    writes as nothing), has nothing to compare, so it names nobody; staged, it stopped
    the night (`*_ascii` may not be empty). Modifier letters (Lm: U+02BC and the like)
    are punctuation in transliteration."""
    col = pl.col(data.key)
    return data.lazyframe.select(
        col.is_null() | col.map_batches(_ascii_has_letter_or_digit, return_dtype=pl.Boolean))


def _ascii_has_letter_or_digit(values: pl.Series) -> pl.Series:
    # once per distinct name: names repeat by the thousand nationally
    distinct = values.drop_nulls().unique().to_list()
    found = {v: re.search(r"[A-Za-z0-9]", anyascii(v)) is not None for v in distinct}
    return values.replace_strict(found, default=None, return_dtype=pl.Boolean)


def is_department_code(data: pa.PolarsData) -> pl.LazyFrame:
    col = pl.col(data.key)
    return data.lazyframe.select(col.is_null() | col.is_in(DEPARTMENTS))


def is_whole_number(data: pa.PolarsData) -> pl.LazyFrame:
    """Digits only: no sign, no decimals, at most six digits."""
    col = pl.col(data.key)
    return data.lazyframe.select(col.is_null() | col.str.contains(r"^[0-9]{1,6}$"))


def _references(data: pa.PolarsData, columns: tuple[str, ...]) -> list[pl.Expr]:
    present = data.lazyframe.collect_schema().names()
    return [pl.col(c) for c in columns if c in present]


def is_not_after_extraction(data: pa.PolarsData) -> pl.LazyFrame:
    """A date no later than the extraction date of its file: a decision, a notification or
    an event is not reported before it happened. An unparseable date passes (the
    calendar check names it)."""
    col = pl.col(data.key)
    limit = _references(data, (EXTRACTION_DATE_COLUMN,))
    if not limit:
        return data.lazyframe.select(pl.lit(True).alias(data.key))
    return data.lazyframe.select(
        col.is_null() | (parse_full_date(col) <= limit[0]).fill_null(True))


def is_birth_date_not_in_future(data: pa.PolarsData) -> pl.LazyFrame:
    """A birth date no later than the file's extraction date (the run date for rows of
    no file). Never the run date for a file's rows: a file dated after the run date is
    read only from its date on, and a quarantine fixed by the night that first read it
    would make the same inbox give other lists as of the same date (CONTRACTS §4). A
    partial date fails only when its earliest possible day (unknown parts read as 1) is
    later: `00/00/2031` fails, `00/11/2026` does not on 10 November 2026."""
    col = pl.col(data.key)
    limits = (_references(data, (EXTRACTION_DATE_COLUMN,))
              or _references(data, (RUN_DATE_COLUMN,)))
    if not limits:
        return data.lazyframe.select(pl.lit(True).alias(data.key))
    day, month, year = _birth_date_parts(col)
    earliest = pl.concat_str(
        [year.cast(pl.String), *(pl.max_horizontal(part, 1).cast(pl.String).str.zfill(2)
                                 for part in (month, day))], separator="-",
    ).str.to_date("%Y-%m-%d", strict=False)  # null when impossible: another check says so
    return data.lazyframe.select(
        col.is_null() | (earliest <= pl.min_horizontal(limits)).fill_null(True))


def is_not_before(data: pa.PolarsData, earlier: str) -> pl.LazyFrame:
    """The column's date is not before the row's `earlier` column's (a notification is
    not before its decision, a decision is not final before it is notified): a row
    saying otherwise contradicts itself, and is quarantined (principle 1: contradictory
    data put no one on a list). Either date empty, or unreadable (calendar_date says
    so), passes."""
    later, first = parse_full_date(pl.col(data.key)), parse_full_date(pl.col(earlier))
    return data.lazyframe.select((later >= first).fill_null(True))

