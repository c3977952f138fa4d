"""Code lists of docs/contracts.md §1, declared once and shared by the contracts and the rules."""

from __future__ import annotations

import pycountry

SEXES = ("M", "F")

# TélémOfpra
CLAIM_TYPES = ("PREMIERE", "REEXAMEN", "REEXAMEN_MULTIPLE", "REOUVERTURE")
# Requests that TélémOfpra lists once registered, before any decision (docs/contracts.md §1.1,
# RULES.md RTR-08).
REQUEST_TYPES = ("REEXAMEN", "REEXAMEN_MULTIPLE", "REOUVERTURE")
PROCEDURES = ("NORMALE", "ACCELEREE")
BODIES = ("OFPRA", "CNDA")
OFPRA_OUTCOMES = (
    "REJET", "IRRECEVABILITE", "CLOTURE", "RETRAIT", "REFUGIE", "PROTECTION_SUBSIDIAIRE",
    "APATRIDE",
)
CNDA_OUTCOMES = (
    "REJET", "ANNULATION_REFUGIE", "ANNULATION_PROTECTION_SUBSIDIAIRE", "NON_LIEU",
    "DESISTEMENT",
)
DECISION_OUTCOMES = tuple(dict.fromkeys(OFPRA_OUTCOMES + CNDA_OUTCOMES))
DECISION_BASES = (
    "L531-32-1", "L531-32-2", "L531-32-3", "L531-24", "L531-27-5", "L753-5", "L531-37",
    "L531-38",
)
CNDA_MODES = ("AUDIENCE", "ORDONNANCE")

# GENESIS
PENAL_CATEGORIES = ("PREVENU", "CONDAMNE", "MIXTE")
ITF_CODES = ("NON", "TEMPORAIRE", "DEFINITIVE")
# A ban recorded: an empty ITF is unknown, read as none recorded (no list acts on a ban
# nobody wrote; an EU citizen stays excluded, PRI-10).
ITF_BANS = ("TEMPORAIRE", "DEFINITIVE")
UNKNOWN_NATIONALITY = "INDETERMINEE"

# AGDREF
FAMILY_LINKS = ("CONJOINT", "PARENT")
PERSON_STATUSES = ("ACTIF", "DECEDE", "NATURALISE", "PARTI")
TITLE_TYPES = ("CST", "CR", "CSP", "RECEPISSE", "APS", "ADA")
TITLE_STATUSES = ("VALIDE", "RETIRE", "EXPIRE")
MEASURE_TYPES = ("OQTF", "APE", "AME", "ITF", "REMISE", "TRANSFERT_DUBLIN")
NOTIFICATION_SITUATIONS = ("LIBRE", "DETENU", "ASSIGNE", "RETENU")
APPEAL_STATUSES = ("AUCUN", "EN_COURS", "REJETE", "ANNULE")
MEASURE_STATUSES = ("EN_VIGUEUR", "ANNULEE", "ABROGEE", "RETIREE", "EXECUTEE")
EVENT_TYPES = (
    "AIDE_RETOUR_PROPOSEE", "DEMANDE_LAISSEZ_PASSER", "LAISSEZ_PASSER_OBTENU",
    "LAISSEZ_PASSER_REFUSE", "ASSIGNATION_RESIDENCE", "PLACEMENT_RETENTION", "FIN_RETENTION",
    "FUITE", "ECHEC_ELOIGNEMENT", "DEPART_VOLONTAIRE_CONSTATE", "ELOIGNEMENT_EXECUTE",
)
AGDREF_TABLES = ("PERSONNES", "TITRES", "MESURES", "EVENEMENTS")

# Departments: metropolitan 01–95 (20 split into 2A/2B) and overseas 971–976.
DEPARTMENTS = tuple(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    + [str(n) for n in range(971, 977)]
)

# Systems and audit statuses of docs/contracts.md §2.
SYSTEMS = ("telemofpra", "genesis", "agdref")
FILE_STATUSES = ("LOADED", "UNCHANGED", "SKIPPED_DUPLICATE", "SUPERSEDED", "REJECTED")
# Statuses of a file that is a delivery of its date (PRI-01: the latest list, freshness).
DELIVERED_STATUSES = ("LOADED", "UNCHANGED")
LINK_STATUSES = ("LINKED", "REVIEW", "UNLINKED")
LINK_DECISIONS = ("CONFIRMED", "REJECTED")
FLAG_STATUSES = ("NEW", "OPEN", "RESOLVED")
RUN_STATUSES = ("RUNNING", "SUCCEEDED", "FAILED")

# Residence documents that protect their holder on the run date (RULES.md §5
# RESIDENCE_PERMIT: permit, receipt or APS); the ADA is the asylum attestation (RTR-01).
PERMIT_TYPES = ("CST", "CR", "CSP", "RECEPISSE", "APS")
ASYLUM_ATTESTATION = "ADA"
CLOSED_MEASURE_STATUSES = ("ANNULEE", "ABROGEE", "RETIREE", "EXECUTEE")
WITHDRAWN_MEASURE_STATUSES = ("ANNULEE", "ABROGEE", "RETIREE")
LEFT_FILE_STATUSES = ("DECEDE", "NATURALISE", "PARTI")

# ISO 3166-1 alpha-3 codes (CONTRACTS §1.1, §1.3: NATIONALITE, ETAT_MEMBRE), and XKX,
# the code in common use for Kosovo, which ISO has not assigned: a code outside them (ROM,
# Romania's before 2002) is not read as some other nationality than the EU one it may be.
COUNTRY_CODES = tuple(sorted({country.alpha_3 for country in pycountry.countries} | {"XKX"}))

# EU and EEA States and Switzerland (RULES.md §5 EU_CITIZEN, CESEDA Book II).
EU_EEA_CH = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
    "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
    "SVN", "ESP", "SWE", "ISL", "LIE", "NOR", "CHE",
)

# Worklists (table names of docs/contracts.md §2).
REJECTED = "rejected_without_oqtf"
RELEASES = "upcoming_releases"
MEASURES = "unexecuted_measures"
WORKLISTS = (REJECTED, RELEASES, MEASURES)

# How a person's right to remain stands (transforms.rules.rights).
RTR_EFFECTS = ("GRANTED", "ENDED", "REOPENABLE", "NOT_ENDED")

# Exclusion reasons. The first sixteen are RULES.md §5 (protections and uncertainty);
# the last five say why a candidate is outside a list's scope, so that every candidate
# is explained (they are not protections and never hide a protected person).
EXCLUSION_REASONS: dict[str, str] = {
    "MINOR": "under 18 on the run date, or age not established",
    "ASYLUM_PENDING": "right to remain running (valid ADA, registered re-examination, "
                      "Dublin procedure)",
    "RTR_END_UNCONFIRMED": "end of the right to remain not proven",
    "CLOSURE_REOPENABLE": "closure less than 9 months old",
    "PROTECTION_GRANTED": "refugee, subsidiary protection or stateless",
    "RESIDENCE_PERMIT": "valid residence permit, receipt or APS",
    "EU_CITIZEN": "national of an EU/EEA State or Switzerland",
    "MEASURE_CLOSED": "measure annulled, abrogated, withdrawn or executed",
    "APPEAL_PENDING": "court challenge of the measure pending",
    "NOT_YET_ENFORCEABLE": "departure period, notification or challenge window pending",
    "SUSPENDED_BY_RTR": "measure suspended by a right to remain",
    "DUBLIN_DEADLINE_EXPIRED": "Dublin transfer deadline passed",
    "DECEASED_OR_LEFT": "death, naturalisation or departure recorded",
    "IDENTITY_CONFLICT": "records not tied to one person with confidence",
    "SOURCE_ROW_QUARANTINED": "a quarantined source row names the person and may protect "
                              "them (DQ-01): wait for the corrected file",
    "OTHER_GROUND_UNDER_EXAMINATION": "the unit examines admission on another ground (OQ-02)",
    # scope of a list
    "MEASURE_IN_FORCE": "already under a removal measure (followed on unexecuted_measures)",
    "NOT_SENTENCED": "remand prisoner, or MIXTE without a release date",
    "RELEASE_DATE_UNKNOWN": "sentenced detainee without an expected release date",
    "RELEASE_DATE_PASSED": "expected release date already past",
    "RELEASE_OUTSIDE_HORIZON": "planning window opens after the horizon",
}
SCOPE_REASONS = ("MEASURE_IN_FORCE", "NOT_SENTENCED", "RELEASE_DATE_UNKNOWN",
                 "RELEASE_DATE_PASSED", "RELEASE_OUTSIDE_HORIZON")
PROTECTIVE_REASONS = tuple(r for r in EXCLUSION_REASONS if r not in SCOPE_REASONS)

# The one fixed order of RULES.md §5 "When several reasons apply" (docs/reason_order.md):
# an exclusion's reason_code is the first that applies, the others are other_reasons.
# What protects the person comes first (a protection, then a right to remain), then what
# closes or lapses the measure, then doubt about the data, then the unit's own decision,
# then the measure's pending steps, then the list's scope.
REASON_ORDER = (
    "PROTECTION_GRANTED", "MINOR", "ASYLUM_PENDING", "CLOSURE_REOPENABLE",
    "SUSPENDED_BY_RTR", "RTR_END_UNCONFIRMED", "RESIDENCE_PERMIT", "EU_CITIZEN",
    "DECEASED_OR_LEFT", "MEASURE_CLOSED", "DUBLIN_DEADLINE_EXPIRED",
    "SOURCE_ROW_QUARANTINED", "IDENTITY_CONFLICT", "OTHER_GROUND_UNDER_EXAMINATION",
    "APPEAL_PENDING", "NOT_YET_ENFORCEABLE",
    "MEASURE_IN_FORCE", "NOT_SENTENCED", "RELEASE_DATE_UNKNOWN", "RELEASE_DATE_PASSED",
    "RELEASE_OUTSIDE_HORIZON",
)

MARKERS: dict[str, str] = {
    "EXECUTION_AFTER_NOTIFICATION": "CNDA ordonnance signed, not yet notified (RTR-05)",
    "SUSPENSION_REQUEST_POSSIBLE": "the court may be asked to suspend removal (RTR-06)",
    "INDIVIDUAL_ASSESSMENT": "10 years of presence or French family: assess first (OQ-04)",
    "NOT_COERCIBLE": "OQTF 3 years old or more: no house arrest or retention (OQ-08)",
    "NO_CONSULAR_CONTACT": "never contact the consulate about this person (PRI-07)",
    "OFPRA_DOCUMENTS_REQUESTABLE": "final rejection: OFPRA may be asked for the person's "
                                   "documents (circular of 11 March 2014)",
    "STALE_PRISON_LIST": "the establishment's latest list is late (PRI-01)",
    "EU_CITIZEN": "EU/EEA/Swiss detainee listed for a judicial ITF (PRI-10)",
    "PRISON_ANSWER_DUE": "release within 7 days, the prison still has no answer (PRI-05)",
}

# Agents' decisions the night honours (core.agent_decisions, docs/contracts.md §2): admission on
# another ground under examination (OQ-02) and the answer given to a prison (PRI-05).
OTHER_GROUND = "OTHER_GROUND_UNDER_EXAMINATION"
PRISON_ANSWER = "PRISON_ANSWER"
# The night copies also what makes each flag's state and assignee (shown by the lists,
# the exports and the dashboards): the latest outcome recorded on a flag and who holds it.
OQTF_TAKEN, NEXT_STEP, NOT_PURSUED = "OQTF_TAKEN", "NEXT_STEP", "NOT_PURSUED"
HANDLING_OUTCOMES = (OQTF_TAKEN, PRISON_ANSWER, NEXT_STEP, NOT_PURSUED)
TAKEN, ASSIGNED = "TAKEN", "ASSIGNED"  # the flag's holder: who took it, or was given it
AGENT_DECISION_KINDS = (OTHER_GROUND, PRISON_ANSWER, OQTF_TAKEN, NEXT_STEP, NOT_PURSUED,
                        TAKEN, ASSIGNED)
# A flag's state in the workspace (worklists.*.handling_state): to do, held by an agent,
# or its latest outcome (the person's examination on another ground counts when later).
TO_DO, IN_PROGRESS = "TO_DO", "IN_PROGRESS"
HANDLING_STATES = (TO_DO, IN_PROGRESS, OTHER_GROUND, *HANDLING_OUTCOMES)

# Legal alerts (worklists.legal_alerts, docs/contracts.md §2).
LEGAL_ALERT_REASONS: dict[str, str] = {
    "CONSULAR_CONTACT_FORBIDDEN": "consular pass requested while the person awaited an OFPRA "
                                  "or CNDA decision, or was protected (PRI-07)",
}
LEGAL_ALERTS = "legal_alerts"
# What each department's export folder holds (docs/contracts.md §3): the lists and the alerts.
EXPORTED_TABLES = (*WORKLISTS, LEGAL_ALERTS)
