"""Contracts of the staging tables: typed, validated, house column names.

Source column names stop at this layer. Every staged row keeps its lineage
(`file_name`, `line_number`, header = line 1) and the file's extraction date.
Birth dates are kept as parts (`birth_year`, `birth_month`, `birth_day`, null when
unknown) because partial dates are common; `birth_date` is set only when all three are
known, and `birth_date_is_placeholder` marks the `01/01/YYYY` convention, which is not
evidence of a real birthday. Names are kept as written and in an ASCII, upper-case,
single-spaced form for comparisons.
"""

from __future__ import annotations

from datetime import date

import pandera.polars as pa
import polars as pl

from schemas import codes
from schemas.checks import AGDREF_NUMBER_PATTERN


class StagedModel(pa.DataFrameModel):
    """Lineage carried by every staged row."""

    file_name: str = pa.Field(description="source file name")
    line_number: pl.Int64 = pa.Field(ge=2, description="line in the file (header = line 1)")
    extraction_date: date = pa.Field(
        description="extraction date from the file name: the knowledge date")

    class Config:
        strict = True
        coerce = False


class IdentityColumns(StagedModel):
    """Identity columns shared by every person record."""

    num_agdref: str = pa.Field(nullable=True, str_matches=AGDREF_NUMBER_PATTERN,
                               description="AGDREF number, only when well formed")
    last_name: str = pa.Field(description="surname as written")
    first_names: str = pa.Field(nullable=True, description="given names as written")
    last_name_ascii: str = pa.Field(description="surname, ASCII upper case, single spaces")
    first_names_ascii: str = pa.Field(nullable=True,
                                      description="given names, ASCII upper case, single spaces")
    sex: str = pa.Field(nullable=True, isin=list(codes.SEXES), description="M or F")
    birth_year: pl.Int32 = pa.Field(nullable=True, description="birth year")
    birth_month: pl.Int32 = pa.Field(nullable=True, description="birth month, null when unknown")
    birth_day: pl.Int32 = pa.Field(nullable=True, description="birth day, null when unknown")
    birth_date: date = pa.Field(nullable=True, description="birth date when complete")
    birth_date_is_placeholder: bool = pa.Field(
        description="01/01 placeholder: not evidence of a real birthday")
    nationality: str = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$",
                                description="ISO 3166-1 alpha-3, null when unknown")


class AsylumDecision(IdentityColumns):
    """staging.asylum_decisions. Grain: one TélémOfpra row (a decision on one list, or a
    re-examination or reopening request registered and not yet decided: outcome and
    decision_date null, RULES.md RTR-08)."""

    list_department: str = pa.Field(isin=list(codes.DEPARTMENTS),
                                    description="department of the weekly list")
    num_ofpra: str = pa.Field(description="OFPRA file number")
    num_agdref_as_delivered: str = pa.Field(nullable=True,
                                            description="AGDREF number as written, even malformed")
    department: str = pa.Field(isin=list(codes.DEPARTMENTS),
                               description="department of domicile")
    claim_type: str = pa.Field(isin=list(codes.CLAIM_TYPES))
    procedure: str = pa.Field(nullable=True, isin=list(codes.PROCEDURES))
    claim_date: date = pa.Field(nullable=True)
    deciding_body: str = pa.Field(isin=list(codes.BODIES))
    outcome: str = pa.Field(nullable=True, isin=list(codes.DECISION_OUTCOMES),
                            description="decision outcome; null: registered request not "
                                        "yet decided")
    decision_basis: str = pa.Field(nullable=True, isin=list(codes.DECISION_BASES))
    decision_date: date = pa.Field(nullable=True, description=(
        "OFPRA decision, CNDA reading or signature; null: registered request not yet decided"))
    cnda_mode: str = pa.Field(nullable=True, isin=list(codes.CNDA_MODES))
    notification_date: date = pa.Field(nullable=True)
    final_date: date = pa.Field(nullable=True, description="OFPRA decision final, no appeal")


class Detainee(IdentityColumns):
    """staging.detainees. Grain: one GENESIS row (a detainee on one list)."""

    establishment_code: str = pa.Field(str_matches=r"^[A-Z0-9]{6}$")
    establishment_name: str = pa.Field(nullable=True)
    department: str = pa.Field(isin=list(codes.DEPARTMENTS),
                               description="department of the establishment")
    committal_number: str = pa.Field(description="NUM_ECROU")
    num_agdref_as_delivered: str = pa.Field(nullable=True)
    aliases: pl.List(pl.String) = pa.Field(description="other names as written")
    aliases_ascii: pl.List(pl.String) = pa.Field(description="other names, ASCII form")
    birth_place: str = pa.Field(nullable=True)
    nationality_as_delivered: str = pa.Field(nullable=True)
    committal_date: date
    penal_category: str = pa.Field(isin=list(codes.PENAL_CATEGORIES))
    sentence_days: pl.Int32 = pa.Field(nullable=True)
    release_date: date = pa.Field(nullable=True)
    itf: str = pa.Field(nullable=True, isin=list(codes.ITF_CODES),
                        description="NON, TEMPORAIRE or DEFINITIVE; null when GENESIS left it "
                                    "empty (unknown: no ban recorded, codes.ITF_BANS)")


class AgdrefPerson(IdentityColumns):
    """staging.agdref_persons. Grain: one AGDREF file in one snapshot."""

    usual_name: str = pa.Field(nullable=True)
    usual_name_ascii: str = pa.Field(nullable=True)
    birth_place: str = pa.Field(nullable=True)
    department: str = pa.Field(isin=list(codes.DEPARTMENTS), description="managing department")
    entry_date: date = pa.Field(nullable=True)
    french_family_link: str = pa.Field(nullable=True, isin=list(codes.FAMILY_LINKS))
    file_status: str = pa.Field(isin=list(codes.PERSON_STATUSES))


class AgdrefTitle(StagedModel):
    """staging.agdref_titles. Grain: one residence document in one snapshot."""

    department: str = pa.Field(isin=list(codes.DEPARTMENTS), description="snapshot department")
    num_agdref: str = pa.Field(str_matches=AGDREF_NUMBER_PATTERN)
    title_type: str = pa.Field(isin=list(codes.TITLE_TYPES))
    start_date: date = pa.Field(nullable=True, description="null when AGDREF left it empty")
    end_date: date = pa.Field(nullable=True)
    title_status: str = pa.Field(isin=list(codes.TITLE_STATUSES))


class AgdrefMeasure(StagedModel):
    """staging.agdref_measures. Grain: one removal measure in one snapshot."""

    department: str = pa.Field(isin=list(codes.DEPARTMENTS), description="managing department")
    measure_id: str
    num_agdref: str = pa.Field(str_matches=AGDREF_NUMBER_PATTERN)
    measure_type: str = pa.Field(isin=list(codes.MEASURE_TYPES))
    measure_basis: str = pa.Field(nullable=True)
    decision_date: date
    notification_date: date = pa.Field(nullable=True)
    departure_period_days: pl.Int32 = pa.Field(nullable=True, description="null: none granted")
    notification_situation: str = pa.Field(nullable=True,
                                           isin=list(codes.NOTIFICATION_SITUATIONS))
    reentry_ban_years: pl.Int32 = pa.Field(nullable=True)
    member_state_acceptance_date: date = pa.Field(nullable=True)
    appeal_status: str = pa.Field(nullable=True, isin=list(codes.APPEAL_STATUSES))
    measure_status: str = pa.Field(isin=list(codes.MEASURE_STATUSES))
    member_state: str = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$", description=(
        "State the person is handed over to (Dublin, remise), ISO 3166-1 alpha-3; null "
        "when not given or the extract predates ETAT_MEMBRE"))


class AgdrefEvent(StagedModel):
    """staging.agdref_events. Grain: one execution event in one snapshot."""

    department: str = pa.Field(isin=list(codes.DEPARTMENTS), description="snapshot department")
    measure_id: str
    event_type: str = pa.Field(isin=list(codes.EVENT_TYPES))
    event_date: date
    event_reason: str = pa.Field(nullable=True)


STAGED_MODELS: dict[str, type[StagedModel]] = {
    "telemofpra": AsylumDecision,
    "genesis": Detainee,
    "agdref_personnes": AgdrefPerson,
    "agdref_titres": AgdrefTitle,
    "agdref_mesures": AgdrefMeasure,
    "agdref_evenements": AgdrefEvent,
}

STAGING_TABLES: dict[str, str] = {
    "telemofpra": "asylum_decisions",
    "genesis": "detainees",
    "agdref_personnes": "agdref_persons",
    "agdref_titres": "agdref_titles",
    "agdref_mesures": "agdref_measures",
    "agdref_evenements": "agdref_events",
}
