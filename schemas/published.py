"""Contracts of the published tables (docs/contracts.md §2): identity links, worklists,
flag history and audit. Descriptions become DuckDB `COMMENT`s for analysts."""

from __future__ import annotations

from datetime import date, datetime

import pandera.polars as pa
import polars as pl

from schemas import codes
from schemas.base import STRING_LIST, PublishedModel
from schemas.identity import IdentityWeight, LinkDecision, LinkReview, PersonLink

__all__ = ["STRING_LIST", "IdentityWeight", "LinkDecision", "LinkReview", "PersonLink",
           "PublishedModel"]


class AgentDecision(PublishedModel):
    """core.agent_decisions. Grain: one decision of a unit in force on the run date,
    copied each night from the operational database where agents record them
    (append-only, with who and when; docs/contracts.md §2). The rules honour them: a person under
    an examination on another ground leaves rejected_without_oqtf (OQ-02), a detainee
    whose prison has its answer loses PRISON_ANSWER_DUE (PRI-05)."""

    decision_id: str = pa.Field(unique=True, description="id in the operational database")
    kind: str = pa.Field(isin=list(codes.AGENT_DECISION_KINDS), description=(
        "OTHER_GROUND_UNDER_EXAMINATION (OQ-02, the latest about the person in each "
        "department: one closes its own examination only), the latest "
        "outcome on the flag (PRISON_ANSWER, PRI-05; OQTF_TAKEN, NEXT_STEP, NOT_PURSUED) "
        "and who holds the flag (TAKEN, ASSIGNED; none once released or unassigned)"))
    worklist: str = pa.Field(isin=list(codes.EXPORTED_TABLES), description="list of the flag")
    flag_id: str = pa.Field(description="flag the decision was taken on (alert_id for an alert)")
    person_key: str = pa.Field(description="person (see core.person_links)")
    department: str = pa.Field(description=(
        "department of the unit that recorded it (the flag's then): a flag's holder and "
        "outcome are each department's own"))
    decided_by: str = pa.Field(description="agent who decided (login, not a name)")
    assignee: str = pa.Field(nullable=True, description=(
        "TAKEN, ASSIGNED: the account that holds the flag (login, not a name)"))
    decided_at: datetime = pa.Field(description="when the decision was recorded")
    effective_date: date = pa.Field(description="date the decision holds from")
    source_row: str = pa.Field(description="agent_decisions:<decision_id>, cited by the lists")


class AgentDecisionAnchor(PublishedModel):
    """core.agent_decision_anchors. Grain: one decision of a unit and one file or record
    its person held when the night first read it (the night before's core.persons and
    core.person_links: what the agent saw), kept while the decision is in force. Its
    person is found again through any of them, whatever merges, splits or files gone from
    AGDREF since (transforms/rules/rule_files.sql)."""

    decision_id: str = pa.Field(description="core.agent_decisions.decision_id")
    anchor_key: str = pa.Field(description=(
        "an AGDREF number of the person's files, or a TélémOfpra or GENESIS record key "
        "linked to them (the decision's own person key included)"))


class AsylumOutcome(PublishedModel):
    """core.asylum_outcomes. Grain: one person with asylum decisions. How their right to
    remain stands on the run date under RTR-01…10; the base of the asylum indicators."""

    person_key: str = pa.Field(unique=True, description="person (see core.person_links)")
    num_agdref: str = pa.Field(nullable=True, description="AGDREF number when linked")
    department: str = pa.Field(isin=list(codes.DEPARTMENTS),
                               description="domicile department of the deciding record")
    nationality: str = pa.Field(nullable=True, description=(
        "ISO 3166-1 alpha-3: the AGDREF file's when linked, else the TélémOfpra record's"))
    effect: str = pa.Field(isin=list(codes.RTR_EFFECTS), description=(
        "GRANTED (protection), ENDED (right to remain ended), REOPENABLE (closure under "
        "9 months), NOT_ENDED (claim pending or end not proven)"))
    rtr_end_date: date = pa.Field(nullable=True, description="date the right to remain ended")
    knowledge_date: date = pa.Field(nullable=True, description=(
        "first list that proved the end (start of the 15-day OQTF deadline)"))
    decision_key: str = pa.Field(description="deciding decision (core.asylum_decisions)")
    num_ofpra: str = pa.Field(description="OFPRA file number of that decision")
    rule_ids: STRING_LIST = pa.Field(description="RULES.md ids applied")


class FlagColumns(PublishedModel):
    """Columns every worklist row carries."""

    flag_id: str = pa.Field(unique=True, description="stable id of the flag across runs")
    person_key: str = pa.Field(description="person (see core.person_links)")
    num_agdref: str = pa.Field(nullable=True, description="AGDREF number when known")
    department: str = pa.Field(isin=list(codes.DEPARTMENTS),
                               description="department whose prefecture must act")
    markers: STRING_LIST = pa.Field(description="marker codes of RULES.md")
    rule_ids: STRING_LIST = pa.Field(description="RULES.md ids that produced the flag")
    first_seen_date: date = pa.Field(description=(
        "run date when the flag's current stay on the list began: when it first "
        "appeared, or came back after it had left the list"))
    source_rows: STRING_LIST = pa.Field(description="<file name>:<line number> of the facts")
    handling_state: str = pa.Field(isin=list(codes.HANDLING_STATES), description=(
        "state in the workspace on the night (core.agent_decisions): TO_DO, IN_PROGRESS "
        "(held), or the latest outcome recorded"))
    assignee: str = pa.Field(nullable=True, description=(
        "account holding the flag in the workspace (login, not a name); empty: no one"))


class RejectedWithoutOqtf(FlagColumns):
    """worklists.rejected_without_oqtf. Grain: one person."""

    num_ofpra: str = pa.Field(description="OFPRA file number of the decision")
    rtr_end_date: date = pa.Field(description="date the right to remain ended")
    knowledge_date: date = pa.Field(description="date of the first list showing the end")
    oqtf_due_date: date = pa.Field(description="knowledge date + 15 days (OQ-02)")
    days_overdue: pl.Int32 = pa.Field(description="days past the due date (0 when not due)")
    reason: str = pa.Field(isin=["NO_MEASURE", "PRIOR_MEASURE_NOT_COERCIBLE"])


class UpcomingRelease(FlagColumns):
    """worklists.upcoming_releases. Grain: one detainee."""

    establishment_code: str = pa.Field(description="GENESIS establishment")
    release_date: date = pa.Field(nullable=True, description=(
        "expected release date on the latest list (empty for a remand prisoner, PRI-09)"))
    window_start_date: date = pa.Field(nullable=True, description=(
        "start of the planning window (PRI-03); empty without a release date"))
    situation: str = pa.Field(isin=["ENFORCEABLE_MEASURE", "MEASURE_TO_EXAMINE",
                                    "IDENTITY_TO_CONFIRM"])
    measure_ids: STRING_LIST = pa.Field(description="measures that can support removal")
    release_date_change_days: pl.Int32 = pa.Field(
        nullable=True, description="change of release date since the previous list, in days")


class UnexecutedMeasure(FlagColumns):
    """worklists.unexecuted_measures. Grain: one measure."""

    measure_id: str = pa.Field(description="AGDREF measure id")
    measure_type: str = pa.Field(isin=list(codes.MEASURE_TYPES))
    enforceable_from: date = pa.Field(description="first day the measure may be executed")
    days_since_enforceable: pl.Int32
    coercible_until: date = pa.Field(nullable=True,
                                     description="end of the coercion window (OQ-08)")
    is_coercible: bool
    last_event_type: str = pa.Field(nullable=True)
    last_event_date: date = pa.Field(nullable=True)
    in_detention: bool = pa.Field(description="on the latest list of an establishment")


class LegalAlert(PublishedModel):
    """worklists.legal_alerts. Grain: one alert (RULES.md PRI-07)."""

    alert_id: str = pa.Field(unique=True, description="stable id of the alert across runs")
    department: str = pa.Field(nullable=True, isin=list(codes.DEPARTMENTS),
                               description="department managing the measure")
    person_key: str = pa.Field(description="person (see core.person_links)")
    num_agdref: str = pa.Field(nullable=True, description="AGDREF number when known")
    measure_id: str = pa.Field(nullable=True, description="measure the event belongs to")
    reason_code: str = pa.Field(isin=list(codes.LEGAL_ALERT_REASONS),
                                description="what the event broke")
    event_date: date = pa.Field(description="date of the event that raised the alert")
    rule_ids: STRING_LIST = pa.Field(description="RULES.md ids behind the alert")
    source_rows: STRING_LIST = pa.Field(description="<file name>:<line number> of the facts")
    first_seen_date: date = pa.Field(description=(
        "run date when the alert's current stay on the list began: when it first "
        "appeared, or came back after it had left the list"))
    handling_state: str = pa.Field(isin=list(codes.HANDLING_STATES), description=(
        "state in the workspace on the night (core.agent_decisions): TO_DO or IN_PROGRESS"))
    assignee: str = pa.Field(nullable=True, description=(
        "account holding the alert in the workspace (login, not a name); empty: no one"))


class Exclusion(PublishedModel):
    """worklists.exclusions. Grain: one (worklist, candidate) not listed."""

    worklist: str = pa.Field(isin=list(codes.WORKLISTS), description="worklist table name")
    candidate_id: str = pa.Field(unique=True, description=(
        "the flag_id the candidate would have on the list (follows it across runs)"))
    person_key: str = pa.Field(description="person (see core.person_links)")
    num_agdref: str = pa.Field(nullable=True, description="AGDREF number when linked")
    department: str = pa.Field(nullable=True, isin=list(codes.DEPARTMENTS),
                               description="department whose prefecture would act")
    measure_id: str = pa.Field(nullable=True, description="measure (unexecuted_measures)")
    reason_code: str = pa.Field(isin=list(codes.EXCLUSION_REASONS), description=(
        "first reason that applies: RULES.md §5, or a scope code (see README)"))
    other_reasons: STRING_LIST = pa.Field(description="further reasons that also apply")
    rule_ids: STRING_LIST = pa.Field(description=(
        "RULES.md ids behind the reason and behind every other reason that applies"))
    source_rows: STRING_LIST = pa.Field(description=(
        "<file name>:<line number> of the facts: the reason's first, then the other "
        "reasons'"))


class FlagHistory(PublishedModel):
    """worklists.flag_history. Grain: one flag and run."""

    flag_id: str = pa.Field(description="flag (stable across runs)")
    worklist: str = pa.Field(isin=list(codes.WORKLISTS), description="worklist table name")
    run_date: date = pa.Field(description="as-of date of the run")
    status: str = pa.Field(isin=list(codes.FLAG_STATUSES), description=(
        "NEW (not on the list after the previous run), OPEN (still there), RESOLVED (gone)"))
    department: str = pa.Field(nullable=True, isin=list(codes.DEPARTMENTS), description=(
        "department of the flag (for RESOLVED: on its last night on the list)"))
    person_key: str = pa.Field(nullable=True, description="person of the flag")
    num_agdref: str = pa.Field(nullable=True, description="AGDREF number of the flag's person")


class FlagHistoryInterval(PublishedModel):
    """worklists.flag_history_intervals. Grain: one flag and stretch of consecutive runs
    (worklists.flag_history_runs) with the same department, person and AGDREF number, in
    which the flag has `status` on the first run and OPEN on every later one. A RESOLVED
    stretch is one run long. Stores worklists.flag_history (a view, one row per flag and
    run) as changes: an open flag costs one row, not one per night (issue 36)."""

    flag_id: str = pa.Field(description="flag (stable across runs)")
    worklist: str = pa.Field(isin=list(codes.WORKLISTS), description="worklist table name")
    status: str = pa.Field(isin=list(codes.FLAG_STATUSES), description=(
        "the flag's status on first_run_date (NEW, OPEN or RESOLVED); OPEN on the later "
        "runs of the stretch"))
    first_run_date: date = pa.Field(description="first run of the stretch")
    last_run_date: date = pa.Field(description=(
        "last run of the stretch (the latest run while the flag is still listed)"))
    department: str = pa.Field(nullable=True, isin=list(codes.DEPARTMENTS), description=(
        "department of the flag (for RESOLVED: on its last night on the list)"))
    person_key: str = pa.Field(nullable=True, description="person of the flag")
    num_agdref: str = pa.Field(nullable=True, description="AGDREF number of the flag's person")


class FlagHistoryRun(PublishedModel):
    """worklists.flag_history_runs. Grain: one run that wrote the flag history (its as-of
    date), even a night with no flag: the runs worklists.flag_history has rows for."""

    run_date: date = pa.Field(unique=True, description="as-of date of the run")


class Run(PublishedModel):
    """audit.runs. Grain: one run."""

    run_id: str = pa.Field(unique=True)
    as_of_date: date
    started_at: datetime
    finished_at: datetime = pa.Field(nullable=True)
    status: str = pa.Field(isin=list(codes.RUN_STATUSES))
    failure_reason: str = pa.Field(nullable=True, description=(
        "FAILED: why, in one line (the error's kind and first line, as the console ends); "
        "null otherwise. Never personal data"))


class RunStage(PublishedModel):
    """audit.run_stages. Grain: one stage of one successful run (names and counts only).
    What a night costs, stage by stage, for operators and the national benchmark."""

    run_id: str
    stage: str = pa.Field(description="prepare-workspace, ingest, core-sql, "
                                      "identity-scoring, identity-links, worklist-rules, "
                                      "worklist-tables, marts, commit (of core, "
                                      "the lists and marts) or exports")
    started_at: datetime
    seconds: float = pa.Field(ge=0, description="wall time")
    rows: pl.Int64 = pa.Field(nullable=True, description=(
        "rows the stage worked on: rows read (ingest), records compared (core-sql, "
        "identity-scoring), links, candidates decided, rows written, rows exported"))
    peak_rss_mb: float = pa.Field(ge=0, description=(
        "peak memory of the run during the stage, MiB: the resident memory of its process "
        "plus the pages its child processes (rules, list writers) hold alone"))


class FileRecord(PublishedModel):
    """audit.files. Grain: one file seen (name and checksum). For every file rows_read =
    rows_staged + rows_quarantined; an UNCHANGED delivery (the same bytes as an earlier
    delivery of its kind and unit, under a later date) counts 0 of each: its rows were
    counted once, under the file it repeats (repeats_file_name)."""

    file_name: str
    system: str = pa.Field(nullable=True, description="null when the name is outside the contract")
    file_kind: str = pa.Field(nullable=True, description="telemofpra, genesis or agdref_<table>")
    unit: str = pa.Field(nullable=True, description="department or establishment of the file")
    extraction_date: date = pa.Field(nullable=True)
    sha256: str = pa.Field(nullable=True)  # null: an entry that could not be read
    rows_read: pl.Int64
    rows_staged: pl.Int64
    rows_quarantined: pl.Int64
    status: str = pa.Field(isin=list(codes.FILE_STATUSES), description=(
        "LOADED, UNCHANGED (same bytes as an earlier delivery, under a later date: a "
        "delivery whose rows are not staged twice), SKIPPED_DUPLICATE (already seen, "
        "re-sent), SUPERSEDED (replaced by a correction) or REJECTED"))
    error: str = pa.Field(nullable=True, description="one-line reason or note; never personal data")
    run_id: str = pa.Field(description="run that first saw the file")
    superseded_by: str = pa.Field(nullable=True, description="file that replaced this one")
    repeats_file_name: str = pa.Field(nullable=True, description=(
        "UNCHANGED: the loaded file with the same bytes, whose staged rows are this "
        "delivery's (it counts as the delivery of its own date: latest list, freshness)"))


class SourceFreshness(PublishedModel):
    """audit.source_freshness. Grain: one source unit and run: a TélémOfpra department, a
    GENESIS establishment, an AGDREF department and table. How old the unit's latest
    delivery (loaded or UNCHANGED) extracted on or before the run date is, and whether it
    is late (RULES.md PRI-01: more days old than the source's setting). Units and dates
    only, never a person."""

    run_id: str = pa.Field(description="run (audit.runs)")
    system: str = pa.Field(isin=list(codes.SYSTEMS), description="source system")
    file_kind: str = pa.Field(description=(
        "telemofpra, genesis or agdref_<table>: with unit, the source unit"))
    unit: str = pa.Field(description=(
        "TélémOfpra department, GENESIS establishment code, or AGDREF department (its "
        "table in file_kind)"))
    latest_file_date: date = pa.Field(description=(
        "extraction date of the unit's latest delivery (an UNCHANGED delivery counts)"))
    days_old: pl.Int32 = pa.Field(ge=0, description="run date minus latest_file_date, in days")
    late_after_days: pl.Int32 = pa.Field(ge=0, description=(
        "the source's setting: late when days_old is greater (GENESIS "
        "RECONCILE_STALE_PRISON_LIST_DAYS, TélémOfpra RECONCILE_LATE_TELEMOFPRA_DAYS, "
        "AGDREF RECONCILE_LATE_AGDREF_DAYS)"))
    is_late: bool = pa.Field(description="days_old > late_after_days")


class QuarantineRow(PublishedModel):
    """audit.quarantine. Grain: one rejected row and failed check."""

    file_name: str
    line_number: pl.Int64
    column_name: str = pa.Field(nullable=True)
    check_name: str
    value: str = pa.Field(nullable=True, description="offending value (personal data: "
                                                     "same access rules as raw)")
    run_id: str
    names: STRING_LIST = pa.Field(nullable=True, description=(
        "whom the row names (DQ-01), kept after a purge: agdref:<NUM_AGDREF>, "
        "telemofpra:<NUM_OFPRA>, genesis:<CODE_ETABLISSEMENT>:<NUM_ECROU>, measure:<ID_MESURE>"))


class ExportRecord(PublishedModel):
    """audit.exports. Grain: one exported file."""

    run_id: str = pa.Field(description="run that wrote the file")
    department: str = pa.Field(description="department folder, or 'national'")
    worklist: str = pa.Field(description="worklist table name, 'dashboard', 'remises' or "
                                         "'readme' (the folder's README.txt)")
    file_name: str = pa.Field(description="path under the exports folder")
    rows: pl.Int64 = pa.Field(ge=0, description="list rows in the file (0 for a dashboard)")
    sha256: str = pa.Field(description="checksum of the file as written")


class PurgeRecord(PublishedModel):
    """audit.purges. Grain: one purge of one source. What was deleted, counts only: the
    files themselves stay in audit.files with their counts."""

    purged_at: datetime = pa.Field(description="when the purge ran (server clock)")
    as_of_date: date = pa.Field(description="date the retention period is counted back from")
    system: str = pa.Field(isin=list(codes.SYSTEMS), description="source system")
    retention_days: pl.Int32 = pa.Field(ge=0, description="rows and files older than this "
                                                           "many days were removed")
    files: pl.Int64 = pa.Field(ge=0, description="files whose raw rows were removed")
    raw_rows: pl.Int64 = pa.Field(ge=0, description="raw rows deleted")
    quarantine_values: pl.Int64 = pa.Field(ge=0, description="quarantined values blanked")
    inbox_files: pl.Int64 = pa.Field(ge=0, description="inbox files deleted")


class AuditPurgeRecord(PublishedModel):
    """audit.audit_purges. Grain: one purge of one growing audit table (reconcile purge).
    Counts only: which table, the period kept and how many rows went."""

    purged_at: datetime = pa.Field(description="when the purge ran (server clock)")
    as_of_date: date = pa.Field(description="date the retention period is counted back from")
    audit_table: str = pa.Field(description="run_stages, source_freshness, exports or "
                                            "quarantine (of audit)")
    retention_days: pl.Int32 = pa.Field(ge=0, description="rows older than this many days "
                                                          "were removed")
    rows_removed: pl.Int64 = pa.Field(ge=0, description="rows deleted")


CORE_TABLES = {"person_links": PersonLink, "link_review": LinkReview,
               "asylum_outcomes": AsylumOutcome, "agent_decisions": AgentDecision,
               "agent_decision_anchors": AgentDecisionAnchor}
WORKLIST_TABLES = {
    "rejected_without_oqtf": RejectedWithoutOqtf,
    "upcoming_releases": UpcomingRelease,
    "unexecuted_measures": UnexecutedMeasure,
    "exclusions": Exclusion,
    "flag_history": FlagHistory,
    "flag_history_intervals": FlagHistoryInterval,
    "flag_history_runs": FlagHistoryRun,
    "legal_alerts": LegalAlert,
}
AUDIT_TABLES = {
    "runs": Run,
    "run_stages": RunStage,
    "files": FileRecord,
    "source_freshness": SourceFreshness,
    "quarantine": QuarantineRow,
    "exports": ExportRecord,
    "purges": PurgeRecord,
    "audit_purges": AuditPurgeRecord,
    "link_decisions": LinkDecision,
    "identity_weights": IdentityWeight,
}
