"""Staging: valid source rows → typed rows with house column names (docs/design.md step 2).

Source column names appear here and nowhere after. Every function is pure: a frame of
valid text rows in, a frame matching the staged contract out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import polars as pl
from anyascii import anyascii

from schemas.checks import AGDREF_NUMBER_PATTERN, DATE_FORMAT
from schemas.staging import STAGED_MODELS
from transforms.ingest.countries import country_code


def parse_date(column: str) -> pl.Expr:
    return pl.col(column).str.to_date(DATE_FORMAT, strict=False)


def ascii_upper(column: pl.Expr | str) -> pl.Expr:
    """Names for comparison: ASCII transliteration (DuckDB string distances work on
    bytes), upper case, separators (hyphen, apostrophe, comma, dot) as single spaces."""
    expr = pl.col(column) if isinstance(column, str) else column
    transliterated = expr.map_batches(partial(once_per_distinct, anyascii),
                                      return_dtype=pl.String)
    return (
        transliterated.str.to_uppercase()
        .str.replace_all(r"[^A-Z0-9]+", " ")
        .str.strip_chars()
        .replace("", None)
    )


def once_per_distinct(convert: Callable[[str], str | None], values: pl.Series) -> pl.Series:
    """`convert` of each value, called once per distinct value: names and country names
    repeat a lot at national scale."""
    distinct = values.drop_nulls().unique().to_list()
    return values.replace_strict({v: convert(v) for v in distinct}, default=None,
                                 return_dtype=pl.String)


def agdref_number(column: str) -> pl.Expr:
    """An AGDREF number only when well formed (10 digits); anything else is not a number
    we may use, though the raw text stays in `num_agdref_as_delivered`."""
    value = pl.col(column).str.replace_all(r"\s", "")
    return pl.when(value.str.contains(AGDREF_NUMBER_PATTERN)).then(value).otherwise(None)


def birth_date_parts(column: str) -> list[pl.Expr]:
    """Partial birth dates as parts; `00`/`XX` is unknown. A day without its month says
    nothing to compare nor to count an age from: the year alone is kept. `01/01/YYYY` is
    flagged as the usual placeholder for an unknown date, not evidence of a real
    birthday."""
    parts = pl.col(column).str.replace_all("XX", "00").str.extract_groups(
        r"^([0-9]{2})/([0-9]{2})/([0-9]{4})$"
    )
    day = parts.struct.field("1").cast(pl.Int32)
    month = parts.struct.field("2").cast(pl.Int32)
    year = parts.struct.field("3").cast(pl.Int32)
    month = pl.when(month > 0).then(month)
    day = pl.when((day > 0) & month.is_not_null()).then(day)
    return [
        year.alias("birth_year"),
        month.alias("birth_month"),
        day.alias("birth_day"),
        pl.when(day.is_not_null() & month.is_not_null())
        .then(pl.date(year, month, day))
        .alias("birth_date"),
        ((day == 1) & (month == 1)).fill_null(False).alias("birth_date_is_placeholder"),
    ]


def given_names(column: str) -> pl.Expr:
    """Several given names may be separated by spaces or commas: keep them written with
    single spaces."""
    return (
        pl.col(column).str.replace_all(r"\s*,\s*", " ").str.replace_all(r"\s+", " ")
        .str.strip_chars().replace("", None)
    )


def identity_columns(nationality: pl.Expr) -> list[pl.Expr]:
    return [
        agdref_number("NUM_AGDREF").alias("num_agdref"),
        pl.col("NOM").alias("last_name"),
        given_names("PRENOMS").alias("first_names"),
        ascii_upper("NOM").alias("last_name_ascii"),
        ascii_upper(given_names("PRENOMS")).alias("first_names_ascii"),
        pl.col("SEXE").alias("sex"),
        *birth_date_parts("DATE_NAISSANCE"),
        nationality.alias("nationality"),
    ]


# A file's extraction date or unit: one value, or an expression giving each row its
# file's (the rows of several files of one kind are staged in one call).
PerFile = date | str | pl.Expr


def per_file(value: PerFile, dtype: pl.DataType) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value, dtype=dtype)


def lineage_columns(extraction_date: PerFile) -> list[pl.Expr]:
    return [
        pl.col("file_name"),
        pl.col("line_number"),
        per_file(extraction_date, pl.Date).alias("extraction_date"),
    ]


def stage_asylum_decisions(rows: pl.DataFrame, extraction_date: PerFile, unit: PerFile
                           ) -> pl.DataFrame:
    return rows.select(
        *lineage_columns(extraction_date),
        per_file(unit, pl.String).alias("list_department"),
        pl.col("NUM_OFPRA").alias("num_ofpra"),
        pl.col("NUM_AGDREF").alias("num_agdref_as_delivered"),
        *identity_columns(pl.col("NATIONALITE")),
        pl.col("DEPT_DOMICILIATION").alias("department"),
        pl.col("TYPE_DEMANDE").alias("claim_type"),
        pl.col("PROCEDURE").alias("procedure"),
        parse_date("DATE_INTRODUCTION").alias("claim_date"),
        pl.col("ORGANE").alias("deciding_body"),
        pl.col("SENS_DECISION").alias("outcome"),
        pl.col("FONDEMENT").alias("decision_basis"),
        parse_date("DATE_DECISION").alias("decision_date"),
        pl.col("MODE_CNDA").alias("cnda_mode"),
        parse_date("DATE_NOTIFICATION").alias("notification_date"),
        parse_date("DATE_DEFINITIVE").alias("final_date"),
    )


def _alias_list(column: str) -> pl.Expr:
    return (
        pl.col(column).fill_null("").str.split("|")
        .list.eval(pl.element().str.strip_chars().filter(pl.element() != ""))
    )


def stage_detainees(rows: pl.DataFrame, extraction_date: PerFile, unit: PerFile
                    ) -> pl.DataFrame:
    del unit  # the establishment code is in each row
    nationality = pl.col("NATIONALITE").map_batches(partial(once_per_distinct, country_code),
                                                    return_dtype=pl.String)
    return rows.select(
        *lineage_columns(extraction_date),
        pl.col("CODE_ETABLISSEMENT").alias("establishment_code"),
        pl.col("LIBELLE_ETABLISSEMENT").alias("establishment_name"),
        pl.col("DEPT_ETABLISSEMENT").alias("department"),
        pl.col("NUM_ECROU").alias("committal_number"),
        pl.col("NUM_AGDREF").alias("num_agdref_as_delivered"),
        *identity_columns(nationality),
        _alias_list("ALIAS").alias("aliases"),
        _alias_list("ALIAS").map_batches(_ascii_upper_items, return_dtype=pl.List(pl.String))
        .alias("aliases_ascii"),
        pl.col("LIEU_NAISSANCE").alias("birth_place"),
        pl.col("NATIONALITE").alias("nationality_as_delivered"),
        parse_date("DATE_ECROU").alias("committal_date"),
        pl.col("CATEGORIE_PENALE").alias("penal_category"),
        pl.col("QUANTUM_TOTAL_JOURS").cast(pl.Int32).alias("sentence_days"),
        parse_date("DATE_LIBERATION_PREVISIBLE").alias("release_date"),
        pl.col("ITF").alias("itf"),
    )


def _ascii_upper_items(lists: pl.Series) -> pl.Series:
    """`ascii_upper` of every item of lists, each distinct item once (inside `list.eval`
    the transliteration would run once per row: seconds for a few thousand detainees)."""
    items = lists.explode().drop_nulls().unique()
    mapping = pl.DataFrame({"item": items}).select("item", ascii_upper("item").alias("ascii"))
    return lists.list.eval(pl.element().replace_strict(mapping["item"], mapping["ascii"],
                                                       return_dtype=pl.String))


def stage_agdref_persons(rows: pl.DataFrame, extraction_date: PerFile, unit: PerFile
                         ) -> pl.DataFrame:
    del unit
    return rows.select(
        *lineage_columns(extraction_date),
        *identity_columns(pl.col("NATIONALITE")),
        pl.col("NOM_USAGE").alias("usual_name"),
        ascii_upper("NOM_USAGE").alias("usual_name_ascii"),
        pl.col("LIEU_NAISSANCE").alias("birth_place"),
        pl.col("DEPT_GESTION").alias("department"),
        parse_date("DATE_ENTREE_FRANCE").alias("entry_date"),
        pl.col("LIEN_FAMILIAL_FRANCAIS").alias("french_family_link"),
        pl.col("SITUATION").alias("file_status"),
    )


def stage_agdref_titles(rows: pl.DataFrame, extraction_date: PerFile, unit: PerFile
                        ) -> pl.DataFrame:
    return rows.select(
        *lineage_columns(extraction_date),
        per_file(unit, pl.String).alias("department"),
        pl.col("NUM_AGDREF").alias("num_agdref"),
        pl.col("TYPE_TITRE").alias("title_type"),
        parse_date("DATE_DEBUT").alias("start_date"),
        parse_date("DATE_FIN").alias("end_date"),
        pl.col("STATUT").alias("title_status"),
    )


def stage_agdref_measures(rows: pl.DataFrame, extraction_date: PerFile, unit: PerFile
                          ) -> pl.DataFrame:
    return rows.select(
        *lineage_columns(extraction_date),
        per_file(unit, pl.String).alias("department"),
        pl.col("ID_MESURE").alias("measure_id"),
        pl.col("NUM_AGDREF").alias("num_agdref"),
        pl.col("TYPE_MESURE").alias("measure_type"),
        pl.col("FONDEMENT").alias("measure_basis"),
        parse_date("DATE_DECISION").alias("decision_date"),
        parse_date("DATE_NOTIFICATION").alias("notification_date"),
        pl.col("DELAI_DEPART_JOURS").cast(pl.Int32).alias("departure_period_days"),
        pl.col("SITUATION_NOTIFICATION").alias("notification_situation"),
        pl.col("IRTF_ANNEES").cast(pl.Int32).alias("reentry_ban_years"),
        parse_date("DATE_ACCORD_ETAT_MEMBRE").alias("member_state_acceptance_date"),
        pl.col("RECOURS").alias("appeal_status"),
        pl.col("STATUT").alias("measure_status"),
        pl.col("ETAT_MEMBRE").alias("member_state"),
    )


def stage_agdref_events(rows: pl.DataFrame, extraction_date: PerFile, unit: PerFile
                        ) -> pl.DataFrame:
    return rows.select(
        *lineage_columns(extraction_date),
        per_file(unit, pl.String).alias("department"),
        pl.col("ID_MESURE").alias("measure_id"),
        pl.col("TYPE_EVENEMENT").alias("event_type"),
        parse_date("DATE_EVENEMENT").alias("event_date"),
        pl.col("MOTIF").alias("event_reason"),
    )


STAGERS: dict[str, Callable[[pl.DataFrame, PerFile, PerFile], pl.DataFrame]] = {
    "telemofpra": stage_asylum_decisions,
    "genesis": stage_detainees,
    "agdref_personnes": stage_agdref_persons,
    "agdref_titres": stage_agdref_titles,
    "agdref_mesures": stage_agdref_measures,
    "agdref_evenements": stage_agdref_events,
}


def standardise_rows(
    kind: str, valid_rows: pl.DataFrame, extraction_date: PerFile, unit: PerFile
) -> pl.DataFrame:
    """The staging columns of valid rows, not yet checked (see check_staged): of one
    file, or of several files of one kind with `extraction_date` and `unit` expressions
    (a national inbox holds thousands of small weekly lists: one call each would cost a
    minute)."""
    staged = STAGERS[kind](valid_rows, extraction_date, unit)
    return staged.select(list(STAGED_MODELS[kind].to_schema().columns))


def check_staged(kind: str, staged: pl.DataFrame) -> pl.DataFrame:
    return STAGED_MODELS[kind].validate(staged)


def _prefixed(prefix: str, value: pl.Expr) -> pl.Expr:
    return pl.when(value.is_not_null()).then(pl.lit(prefix) + value)


def _identity(numbers: list[pl.Expr]) -> pl.Expr:
    """A TélémOfpra or GENESIS row that gives no number still says who it is about:
    `identity:<surname>|<given names>|<birth date as delivered>` (ASCII, upper case),
    matched to the AGDREF files by the identity stage (core_quarantined_identities.sql).
    Only for a row without an AGDREF number (its OFPRA or committal number may be a new
    claim's or committal's, tied to no file yet): a row with one names the person by it."""
    surname, given = ascii_upper("NOM"), ascii_upper(given_names("PRENOMS"))
    known = (surname.str.len_chars() > 0) & pl.col("DATE_NAISSANCE").is_not_null()
    return (pl.when(pl.all_horizontal(n.is_null() for n in numbers) & known)
            .then(pl.concat_str([pl.lit("identity:"), surname, pl.lit("|"),
                                 given.fill_null(""), pl.lit("|"),
                                 pl.col("DATE_NAISSANCE").str.strip_chars()])))


def _zeros_lost(column: str) -> pl.Expr:
    """The AGDREF number a malformed one most likely was when a spreadsheet read it as a
    number: `123456789` or `123456789.0` for `0123456789` (CONTRACTS §1.3: leading zeros
    matter), `1234567890.0` for `1234567890`. For whom a quarantined row names only
    (DQ-01 read by principle 1: such a row may hold a title of that file's person). The
    identity stage reads a list's number the same way (core_record_identities.sql,
    number_given), verified as any number given."""
    value = pl.col(column).str.replace_all(r"[\s\pZ]", "").str.replace(r"\.0+$", "")
    return pl.when(value.str.contains(r"^[0-9]{1,10}$")).then(value.str.zfill(10))


# Whom a row of each kind names, in the house keys of core.quarantined_references.
def _names(kind: str, unit: PerFile) -> list[pl.Expr]:
    given = agdref_number("NUM_AGDREF")
    number = _prefixed("agdref:", pl.coalesce(given, _zeros_lost("NUM_AGDREF")))
    measure = _prefixed("measure:", pl.col("ID_MESURE"))
    ofpra = _prefixed("telemofpra:", pl.col("NUM_OFPRA"))
    committal = _prefixed("genesis:", per_file(unit, pl.String) + ":" + pl.col("NUM_ECROU"))
    return {
        # an OFPRA or committal number may be a new claim's or committal's, tied to no
        # one yet: without an AGDREF number the row names its person by identity too
        # (DQ-01 read by principle 1)
        "telemofpra": [number, ofpra, _identity([given])],
        "genesis": [number, committal, _identity([given])],
        "agdref_personnes": [number], "agdref_titres": [number],
        "agdref_mesures": [number, measure], "agdref_evenements": [measure],
    }[kind]


def named_by_rows(kind: str, rows: pl.DataFrame, unit: PerFile) -> pl.DataFrame:
    """RULES.md DQ-01: whom each row names, read from its text as delivered (a
    well-formed AGDREF number or one that lost its leading zeros, an OFPRA number, a
    committal number of its establishment, a measure id), for the rows that are
    quarantined: kept with them in audit.quarantine so that the person waits for the
    corrected file even once the raw rows are purged."""
    return rows.select(
        "file_name", "line_number",
        pl.concat_list(_names(kind, unit)).list.drop_nulls().list.unique(maintain_order=True)
        .alias("names"))
