"""Contracts of the source files as delivered (docs/contracts.md §1).

Every column is text, exactly as written in the file; an empty field is null. A row
that breaks one of these checks is quarantined with the column, the check and the
value. A missing column is a schema-level failure: the whole file is rejected, except
a column the contract added later (OPTIONAL_COLUMNS): an extract made before it existed
is read with that column empty.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas import codes
from schemas.checks import (
    AGDREF_NUMBER_PATTERN,
    FULL_DATE_PATTERN,
    has_letter_or_digit,
    is_birth_date_not_in_future,
    is_calendar_date,
    is_department_code,
    is_not_after_extraction,
    is_not_before,
    is_possible_birth_date,
    is_whole_number,
)


def _date(nullable: bool, description: str):
    return pa.Field(
        nullable=nullable,
        str_matches=FULL_DATE_PATTERN,
        description=description,
    )


def _code(values, nullable: bool, description: str):
    return pa.Field(nullable=nullable, isin=list(values), description=description)


def _text(nullable: bool, description: str, max_length: int = 200):
    return pa.Field(nullable=nullable, str_length={"max_value": max_length},
                    description=description)


# Dates that cannot be later than the day the file was extracted (a decision, a
# notification or an event reported before it happened is a defect of the row): checked
# as `not_after_extraction_date`. Dates that may lie ahead (expected release, start or end
# of a title: a renewed card may start when the current one ends) are not listed. Birth
# dates are checked apart (`birth_date_not_in_future`: partial dates, and the run date).
NOT_AFTER_EXTRACTION: dict[str, tuple[str, ...]] = {
    "telemofpra": ("DATE_INTRODUCTION", "DATE_DECISION", "DATE_NOTIFICATION",
                   "DATE_DEFINITIVE"),
    "genesis": ("DATE_ECROU",),
    "agdref_personnes": ("DATE_ENTREE_FRANCE",),
    "agdref_titres": (),
    "agdref_mesures": ("DATE_DECISION", "DATE_NOTIFICATION", "DATE_ACCORD_ETAT_MEMBRE"),
    "agdref_evenements": ("DATE_EVENEMENT",),
}


class SourceModel(pa.DataFrameModel):
    """Common configuration: columns in any order, no extra column checked here (the
    ingest step reports extra columns and drops them, and hands the dates rows are
    checked against as columns of their own: schemas.checks.REFERENCE_COLUMNS)."""

    class Config:
        strict = False
        coerce = False


# The decision fields of a TélémOfpra row: all empty on a registered request not yet
# decided (docs/contracts.md §1.1, RULES.md RTR-08).
DECISION_FIELDS = ("SENS_DECISION", "FONDEMENT", "DATE_DECISION", "MODE_CNDA",
                   "DATE_NOTIFICATION", "DATE_DEFINITIVE")


def is_registered_request() -> pl.Expr:
    """A re-examination or reopening request registered and not yet decided: every
    decision field empty."""
    return pl.col("TYPE_DEMANDE").is_in(codes.REQUEST_TYPES) & pl.all_horizontal(
        pl.col(c).is_null() for c in DECISION_FIELDS)


class TelemofpraFile(SourceModel):
    """TélémOfpra weekly list. Grain: one decision, or one registered request not yet
    decided (decision fields all empty)."""

    # An opaque string (CONTRACTS §1.1): letters and digits, with the spaces, dots, dashes
    # and slashes a number may be written with inside it (no separator of the file, no
    # colon: it ends the record key telemofpra:<NUM_OFPRA>).
    NUM_OFPRA: str = pa.Field(nullable=False, str_matches=r"^[A-Za-z0-9][A-Za-z0-9 .\-/]{0,29}$",
                              description="OFPRA file number")
    NUM_AGDREF: str = _text(True, "AGDREF number when known; may be wrong", 40)
    NOM: str = _text(False, "surname")
    PRENOMS: str = _text(True, "given names")
    SEXE: str = _code(codes.SEXES, True, "sex")
    DATE_NAISSANCE: str = pa.Field(nullable=True, description="birth date, possibly partial")
    NATIONALITE: str = _code(codes.COUNTRY_CODES, True, "ISO 3166-1 alpha-3; empty = unknown")
    DEPT_DOMICILIATION: str = pa.Field(nullable=False, description="domicile department")
    TYPE_DEMANDE: str = _code(codes.CLAIM_TYPES, False, "claim type")
    PROCEDURE: str = _code(codes.PROCEDURES, True, "procedure; empty = unknown, read as "
                                                   "not accelerated (RTR-06)")
    DATE_INTRODUCTION: str = _date(True, "claim introduced at OFPRA")
    ORGANE: str = _code(codes.BODIES, False, "deciding body")
    SENS_DECISION: str = _code(codes.DECISION_OUTCOMES, True,
                               "decision outcome; empty only on a registered request")
    FONDEMENT: str = _code(codes.DECISION_BASES, True, "legal basis")
    DATE_DECISION: str = _date(True, "decision, reading or signature date; empty only on a "
                                     "registered request")
    MODE_CNDA: str = _code(codes.CNDA_MODES, True, "CNDA hearing or ordonnance")
    DATE_NOTIFICATION: str = _date(True, "notification date")
    DATE_DEFINITIVE: str = _date(True, "OFPRA decision final (no appeal in time)")

    @pa.check(*NOT_AFTER_EXTRACTION["telemofpra"], name="not_after_extraction_date")
    def _not_after_extraction(cls, data):
        return is_not_after_extraction(data)

    @pa.check("DATE_INTRODUCTION", "DATE_DECISION", "DATE_NOTIFICATION", "DATE_DEFINITIVE",
              name="calendar_date")
    def _calendar_dates(cls, data):
        return is_calendar_date(data)

    @pa.check("DATE_NAISSANCE", name="possible_birth_date")
    def _birth_date(cls, data):
        return is_possible_birth_date(data)

    @pa.check("DATE_NAISSANCE", name="birth_date_not_in_future")
    def _birth_date_past(cls, data):
        return is_birth_date_not_in_future(data)

    # An empty outcome or decision date is a registered request only when the row is a
    # request type and every decision field is empty; otherwise the row is incomplete
    # (a PREMIERE row without a decision, an outcome without its date, a request carrying
    # part of a decision) and is quarantined. ignore_na=False: the check is about nulls.
    @pa.check("SENS_DECISION", "DATE_DECISION", name="empty_only_on_registered_request",
              ignore_na=False)
    def _registered_request(cls, data):
        return data.lazyframe.select(pl.col(data.key).is_not_null() | is_registered_request())

    # CONTRACTS §1.1 gives each body its outcomes, and the CNDA's mode to CNDA rows only.
    @pa.check("SENS_DECISION", name="outcome_of_its_body")
    def _outcome_of_its_body(cls, data):
        # (a row without its body is quarantined for that: not_nullable)
        return data.lazyframe.select(
            pl.col(data.key).is_null() | pl.col("ORGANE").is_null()
            | pl.when(pl.col("ORGANE") == "CNDA").then(pl.col(data.key).is_in(
                codes.CNDA_OUTCOMES)).otherwise(pl.col(data.key).is_in(codes.OFPRA_OUTCOMES)))

    # A decision is notified after it is taken, and final after it is notified: a row
    # saying otherwise (a keying slip) proves no end of the right to remain (RTR-03).
    @pa.check("DATE_NOTIFICATION", name="notified_after_decision")
    def _notified_after_decision(cls, data):
        return is_not_before(data, "DATE_DECISION")

    @pa.check("DATE_DEFINITIVE", name="final_after_notification")
    def _final_after_notification(cls, data):
        return is_not_before(data, "DATE_NOTIFICATION")

    @pa.check("DATE_DEFINITIVE", name="final_after_decision")
    def _final_after_decision(cls, data):
        return is_not_before(data, "DATE_DECISION")

    @pa.check("MODE_CNDA", name="mode_on_cnda_rows_only")
    def _mode_on_cnda_rows_only(cls, data):
        return data.lazyframe.select(pl.col(data.key).is_null()
                                     | (pl.col("ORGANE") == "CNDA").fill_null(True))

    @pa.check("NOM", name="name_has_letters")
    def _name(cls, data):
        return has_letter_or_digit(data)

    @pa.check("DEPT_DOMICILIATION", name="department_code")
    def _department(cls, data):
        return is_department_code(data)


class GenesisFile(SourceModel):
    """GENESIS foreign-detainee list. Grain: one detainee present on the extraction date."""

    NUM_ECROU: str = pa.Field(nullable=False, str_matches=r"^[A-Za-z0-9\-/]{1,20}$",
                              description="committal number, unique in the establishment")
    CODE_ETABLISSEMENT: str = pa.Field(nullable=False, str_matches=r"^[A-Z0-9]{6}$",
                                       description="establishment code")
    LIBELLE_ETABLISSEMENT: str = _text(True, "establishment name")
    DEPT_ETABLISSEMENT: str = pa.Field(nullable=False, description="establishment department")
    NOM: str = _text(False, "surname declared at committal")
    PRENOMS: str = _text(True, "given names")
    ALIAS: str = _text(True, "other names, separated by |", 500)
    SEXE: str = _code(codes.SEXES, True, "sex")
    DATE_NAISSANCE: str = pa.Field(nullable=True, description="birth date, possibly partial")
    LIEU_NAISSANCE: str = _text(True, "birth place, free text")
    NATIONALITE: str = _text(True, "country name in French capitals")
    DATE_ECROU: str = _date(False, "committal date")
    CATEGORIE_PENALE: str = _code(codes.PENAL_CATEGORIES, False, "penal category")
    QUANTUM_TOTAL_JOURS: str = pa.Field(nullable=True, description="total sentence in days")
    DATE_LIBERATION_PREVISIBLE: str = _date(True, "expected release date")
    ITF: str = _code(codes.ITF_CODES, True, "judicial ban from the territory; empty = "
                                            "unknown, read as none recorded")
    NUM_AGDREF: str = _text(True, "AGDREF number when the prison knows it", 40)

    @pa.check(*NOT_AFTER_EXTRACTION["genesis"], name="not_after_extraction_date")
    def _not_after_extraction(cls, data):
        return is_not_after_extraction(data)

    @pa.check("DATE_ECROU", "DATE_LIBERATION_PREVISIBLE", name="calendar_date")
    def _calendar_dates(cls, data):
        return is_calendar_date(data)

    @pa.check("DATE_NAISSANCE", name="possible_birth_date")
    def _birth_date(cls, data):
        return is_possible_birth_date(data)

    @pa.check("DATE_NAISSANCE", name="birth_date_not_in_future")
    def _birth_date_past(cls, data):
        return is_birth_date_not_in_future(data)

    @pa.check("NOM", name="name_has_letters")
    def _name(cls, data):
        return has_letter_or_digit(data)

    @pa.check("DEPT_ETABLISSEMENT", name="department_code")
    def _department(cls, data):
        return is_department_code(data)

    @pa.check("QUANTUM_TOTAL_JOURS", name="whole_number")
    def _sentence(cls, data):
        return is_whole_number(data)


class AgdrefPersonnesFile(SourceModel):
    """AGDREF PERSONNES. Grain: one AGDREF file."""

    NUM_AGDREF: str = pa.Field(nullable=False, str_matches=AGDREF_NUMBER_PATTERN,
                               description="10-digit AGDREF number")
    NOM: str = _text(False, "birth surname")
    NOM_USAGE: str = _text(True, "usual surname")
    PRENOMS: str = _text(True, "given names")
    SEXE: str = _code(codes.SEXES, True, "sex")
    DATE_NAISSANCE: str = pa.Field(nullable=True, description="birth date, possibly partial")
    LIEU_NAISSANCE: str = _text(True, "birth place")
    NATIONALITE: str = _code(codes.COUNTRY_CODES, True, "ISO 3166-1 alpha-3")
    DEPT_GESTION: str = pa.Field(nullable=False, description="managing department")
    DATE_ENTREE_FRANCE: str = _date(True, "declared entry date")
    LIEN_FAMILIAL_FRANCAIS: str = _code(codes.FAMILY_LINKS, True,
                                        "family tie with a French national")
    SITUATION: str = _code(codes.PERSON_STATUSES, False, "file situation")

    @pa.check(*NOT_AFTER_EXTRACTION["agdref_personnes"], name="not_after_extraction_date")
    def _not_after_extraction(cls, data):
        return is_not_after_extraction(data)

    @pa.check("DATE_ENTREE_FRANCE", name="calendar_date")
    def _calendar_dates(cls, data):
        return is_calendar_date(data)

    @pa.check("DATE_NAISSANCE", name="possible_birth_date")
    def _birth_date(cls, data):
        return is_possible_birth_date(data)

    @pa.check("DATE_NAISSANCE", name="birth_date_not_in_future")
    def _birth_date_past(cls, data):
        return is_birth_date_not_in_future(data)

    @pa.check("NOM", name="name_has_letters")
    def _name(cls, data):
        return has_letter_or_digit(data)

    @pa.check("DEPT_GESTION", name="department_code")
    def _department(cls, data):
        return is_department_code(data)


class AgdrefTitresFile(SourceModel):
    """AGDREF TITRES. Grain: one residence document."""

    NUM_AGDREF: str = pa.Field(nullable=False, str_matches=AGDREF_NUMBER_PATTERN,
                               description="10-digit AGDREF number")
    TYPE_TITRE: str = _code(codes.TITLE_TYPES, False, "document type")
    DATE_DEBUT: str = _date(True, "start of validity; empty = unknown")
    DATE_FIN: str = _date(True, "end of validity")
    STATUT: str = _code(codes.TITLE_STATUSES, False, "document status")

    @pa.check("DATE_DEBUT", "DATE_FIN", name="calendar_date")
    def _calendar_dates(cls, data):
        return is_calendar_date(data)


class AgdrefMesuresFile(SourceModel):
    """AGDREF MESURES. Grain: one removal measure."""

    ID_MESURE: str = pa.Field(nullable=False, str_matches=r"^[A-Za-z0-9\-]{1,30}$",
                              description="measure id")
    NUM_AGDREF: str = pa.Field(nullable=False, str_matches=AGDREF_NUMBER_PATTERN,
                               description="10-digit AGDREF number")
    TYPE_MESURE: str = _code(codes.MEASURE_TYPES, False, "measure type")
    FONDEMENT: str = _text(True, "legal basis", 40)
    DATE_DECISION: str = _date(False, "decision date")
    DATE_NOTIFICATION: str = _date(True, "notification date")
    DELAI_DEPART_JOURS: str = pa.Field(nullable=True, description="departure period (days)")
    SITUATION_NOTIFICATION: str = _code(codes.NOTIFICATION_SITUATIONS, True,
                                        "situation at notification")
    IRTF_ANNEES: str = pa.Field(nullable=True, description="re-entry ban (years)")
    DATE_ACCORD_ETAT_MEMBRE: str = _date(True, "other State's acceptance")
    RECOURS: str = _code(codes.APPEAL_STATUSES, True, "court challenge")
    STATUT: str = _code(codes.MEASURE_STATUSES, False, "measure status")
    ETAT_MEMBRE: str = pa.Field(nullable=True, isin=list(codes.COUNTRY_CODES), description=(
        "State the person is handed over to (Dublin, remise), ISO 3166-1 alpha-3; last "
        "column, absent from extracts made before it existed"))

    @pa.check(*NOT_AFTER_EXTRACTION["agdref_mesures"], name="not_after_extraction_date")
    def _not_after_extraction(cls, data):
        return is_not_after_extraction(data)

    @pa.check("DATE_DECISION", "DATE_NOTIFICATION", "DATE_ACCORD_ETAT_MEMBRE",
              name="calendar_date")
    def _calendar_dates(cls, data):
        return is_calendar_date(data)

    @pa.check("DELAI_DEPART_JOURS", "IRTF_ANNEES", name="whole_number")
    def _numbers(cls, data):
        return is_whole_number(data)

    # A measure is notified after it is taken: a notification dated before (a keying
    # slip) would make it enforceable months early (OQ-07).
    @pa.check("DATE_NOTIFICATION", name="notified_after_decision")
    def _notified_after_decision(cls, data):
        return is_not_before(data, "DATE_DECISION")


class AgdrefEvenementsFile(SourceModel):
    """AGDREF EVENEMENTS. Grain: one execution event of a measure."""

    ID_MESURE: str = pa.Field(nullable=False, str_matches=r"^[A-Za-z0-9\-]{1,30}$",
                              description="measure id")
    TYPE_EVENEMENT: str = _code(codes.EVENT_TYPES, False, "event type")
    DATE_EVENEMENT: str = _date(False, "event date")
    MOTIF: str = _text(True, "free-text reason", 500)

    @pa.check(*NOT_AFTER_EXTRACTION["agdref_evenements"], name="not_after_extraction_date")
    def _not_after_extraction(cls, data):
        return is_not_after_extraction(data)

    @pa.check("DATE_EVENEMENT", name="calendar_date")
    def _calendar_dates(cls, data):
        return is_calendar_date(data)


SOURCE_MODELS: dict[str, type[SourceModel]] = {
    "telemofpra": TelemofpraFile,
    "genesis": GenesisFile,
    "agdref_personnes": AgdrefPersonnesFile,
    "agdref_titres": AgdrefTitresFile,
    "agdref_mesures": AgdrefMesuresFile,
    "agdref_evenements": AgdrefEvenementsFile,
}

# The column naming what a file holds one row of (docs/contracts.md §1: one row per AGDREF
# file, one per measure; a committal number unique within the establishment, whose list
# is one file): two rows of one file under one value cannot both be true.
UNIQUE_IN_FILE: dict[str, str] = {
    "genesis": "NUM_ECROU",
    "agdref_personnes": "NUM_AGDREF",
    "agdref_mesures": "ID_MESURE",
}

# Columns the contract added after extracts were already delivered: a file without them is
# still valid and is read with them empty (docs/contracts.md §1.3: ETAT_MEMBRE); any other missing
# column rejects the file.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "agdref_mesures": ("ETAT_MEMBRE",),
}
