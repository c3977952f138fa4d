"""Synthetic persons, each planted in one legal situation of RULES.md.

A situation says what the truth is and what the worklists must do with it:
`protected` persons must never appear on any worklist (a protection of RULES.md or a
closed measure); `flaggable_on` names the worklist where the person must appear. Dates
are planted with clear margins around every legal boundary (boundaries are tested by
the rule tests, not here).

Rates. Each family (asylum, measure, detainee) draws its persons by the weights of its
situations, after one person of each situation first (so that every situation is planted
at every scale, the sample included, when the family has at least 4 persons a situation:
true of every scale of scales.py). A situation's rate is its weight over the family's
total weight (asylum 104, measure 111.5, detainee 108.5). The situations of issue 31, and
the handovers carried out (for the managers' handovers by quarter):

| situation                              | family   | wt  | rate  | protected | flaggable_on |
|----------------------------------------|----------|-----|-------|-----------|--------------|
| REEXAM_REGISTERED                      | asylum   | 2   | 1.9 % | RTR-08    |              |
| REEXAM_MULTIPLE_REGISTERED             | asylum   | 1   | 1.0 % |           | rejected     |
| QUARANTINED_ROW_NAMING_PERSON          | asylum   | 1.5 | 1.4 % | DQ-01     |              |
| CONSULAR_REQUEST_TOO_EARLY (1)         | measure  | 1   | 0.9 % |           | unexecuted   |
| DUBLIN_HELD_AFTER_ACCEPTANCE           | measure  | 1.5 | 1.3 % |           | unexecuted   |
| DUBLIN_TRANSFERRED (5)                 | measure  | 4   | 3.6 % | EX-02     |              |
| REMISE_EXECUTED (5)                    | measure  | 2   | 1.8 % | EX-02     |              |
| HANDOVER_NOT_YET_ENFORCEABLE (6)       | measure  | 2   | 1.8 % | OQ-06     |              |
| DETAINEE_REEXAM_REGISTERED             | detainee | 1   | 0.9 % | RTR-08    |              |
| DETAINEE_REMAND_NOT_IN_AGDREF          | detainee | 3   | 2.8 % |           | releases     |
| DETAINEE_LONG_SENTENCE_NOT_IN_AGDREF   | detainee | 2   | 1.8 % |           | releases     |
| DETAINEE_EU_CITIZEN_ITF (2)            | detainee | 1   | 0.9 % |           | releases     |
| DETAINEE_RELEASE_IMMINENT (3)          | detainee | 2   | 1.8 % |           | releases     |
| DETAINEE_RELEASE_IN_8_TO_9_DAYS        | detainee | 1   | 0.9 % |           | releases     |
| DETAINEE_EARLY_END_SUSPENSION_POSSIBLE | detainee | 1.5 | 1.4 % |           | releases (4) |

rejected = rejected_without_oqtf, unexecuted = unexecuted_measures, releases =
upcoming_releases. Truth (truth/persons.csv): (1) legal_alert CONSULAR_CONTACT_FORBIDDEN;
(2) marker EU_CITIZEN; (3) release 0 to 7 days away, marker PRISON_ANSWER_DUE; (4) marker
SUSPENSION_REQUEST_POSSIBLE (also on EARLY_END_SAFE_COUNTRY and REEXAM_MULTIPLE_REJECTED);
(5) carried out (EXECUTEE, ELOIGNEMENT_EXECUTE), a quarter of them after a failed attempt
(ECHEC_ELOIGNEMENT), as a fifth of the handovers still to carry out (DUBLIN_PENDING,
REMISE_UNEXECUTED) have one; (6) a Dublin transfer or a remise decided 3 to 20 days before
the run date, its challenge window still running (excluded, NOT_YET_ENFORCEABLE).
The quarantined rows are listed in truth/defects.csv (`planted_for`).

Late establishments (PRI-01, marker STALE_PRISON_LIST on the flags of their latest list)
and the State of a handover (MESURES.ETAT_MEMBRE) are rates of realism.REALISM."""

from __future__ import annotations

from data.synthetic.asylum import (
    plant_closure,
    plant_cnda_hearing,
    plant_cnda_ordonnance_not_notified,
    plant_cnda_ordonnance_notified,
    plant_early_end,
    plant_ofpra_final,
    plant_ofpra_unconfirmed,
    plant_protection,
    plant_quarantined_row,
    plant_reexam_multiple,
    plant_reexam_multiple_registered,
    plant_reexam_registered,
    plant_rejected_then,
)
from data.synthetic.detainees import (
    plant_detainee,
    plant_detainee_issue31,
)
from data.synthetic.measures import (
    plant_consular_request_too_early,
    plant_dublin,
    plant_dublin_held,
    plant_expulsion,
    plant_handover_recent,
    plant_oqtf,
    plant_remise,
)
from data.synthetic.persons import (
    MEASURES,
    REJECTED,
    RELEASES,
    Situation,
)

SITUATIONS: list[Situation] = [
    # asylum: flaggable on the OQTF list
    Situation("OFPRA_REJECTION_FINAL", "asylum", 20, False, REJECTED, plant_ofpra_final),
    Situation("CNDA_REJECTION_HEARING", "asylum", 14, False, REJECTED, plant_cnda_hearing),
    Situation("CNDA_ORDONNANCE_NOT_NOTIFIED", "asylum", 3, False, REJECTED,
              plant_cnda_ordonnance_not_notified),
    Situation("CNDA_ORDONNANCE_NOTIFIED", "asylum", 7, False, REJECTED,
              plant_cnda_ordonnance_notified),
    Situation("EARLY_END_INADMISSIBLE", "asylum", 3, False, REJECTED,
              plant_early_end("L531-32-2", "IRRECEVABILITE", "NORMALE")),
    Situation("EARLY_END_SAFE_COUNTRY", "asylum", 3, False, REJECTED,
              plant_early_end("L531-24", "REJET", "ACCELEREE")),
    Situation("REEXAM_MULTIPLE_REJECTED", "asylum", 2, False, REJECTED, plant_reexam_multiple),
    Situation("CLOSURE_OLD", "asylum", 1.5, False, REJECTED, plant_closure(recent=False)),
    Situation("REJECTED_OLD_OQTF", "asylum", 2, False, REJECTED, plant_rejected_then("old_oqtf")),
    Situation("REJECTED_LONG_PRESENCE", "asylum", 2, False, REJECTED,
              plant_rejected_then("long_presence")),
    Situation("REJECTED_FRENCH_FAMILY", "asylum", 1.5, False, REJECTED,
              plant_rejected_then("french_family")),
    # asylum: protected or off the list
    Situation("OFPRA_REJECTION_UNCONFIRMED", "asylum", 3, True, "", plant_ofpra_unconfirmed),
    Situation("CLOSURE_REOPENABLE", "asylum", 2, True, "", plant_closure(recent=True)),
    Situation("REFUGEE_OFPRA", "asylum", 10, True, "", plant_protection("REFUGIE")),
    Situation("SUBSIDIARY_PROTECTION_CNDA", "asylum", 4, True, "",
              plant_protection("ANNULATION_PROTECTION_SUBSIDIAIRE", "CNDA")),
    Situation("STATELESS", "asylum", 0.5, True, "", plant_protection("APATRIDE")),
    Situation("REFUGEE_WITH_OLD_OQTF", "asylum", 1, True, "",
              plant_protection("ANNULATION_REFUGIE", "CNDA", old_oqtf=True)),
    Situation("REJECTED_NEW_CLAIM_PENDING", "asylum", 2, True, "",
              plant_rejected_then("new_claim")),
    Situation("REJECTED_MINOR", "asylum", 1.5, True, "", plant_rejected_then("minor")),
    Situation("REJECTED_RESIDENCE_PERMIT", "asylum", 1.5, True, "",
              plant_rejected_then("permit")),
    Situation("REJECTED_DECEASED_OR_LEFT", "asylum", 1, True, "",
              plant_rejected_then("deceased_or_left")),
    Situation("REJECTED_OQTF_ISSUED", "asylum", 14, False, "",
              plant_rejected_then("oqtf_issued")),
    # issue 31 (after the older situations of the family, see the table above)
    Situation("REEXAM_REGISTERED", "asylum", 2, True, "", plant_reexam_registered),
    Situation("REEXAM_MULTIPLE_REGISTERED", "asylum", 1, False, REJECTED,
              plant_reexam_multiple_registered),
    Situation("QUARANTINED_ROW_NAMING_PERSON", "asylum", 1.5, True, "", plant_quarantined_row),
    # removal measures
    Situation("OQTF_ENFORCEABLE", "measure", 40, False, MEASURES, plant_oqtf("enforceable")),
    Situation("OQTF_NOT_COERCIBLE", "measure", 14, False, MEASURES, plant_oqtf("old")),
    Situation("OQTF_DETAINED_NOTIFIED", "measure", 4, False, MEASURES,
              plant_oqtf("detained_notified")),
    Situation("EXPULSION_UNEXECUTED", "measure", 3, False, MEASURES, plant_expulsion),
    Situation("DUBLIN_PENDING", "measure", 5, False, MEASURES, plant_dublin("pending")),
    Situation("DUBLIN_ABSCONDED", "measure", 2, False, MEASURES, plant_dublin("absconded")),
    Situation("REMISE_UNEXECUTED", "measure", 2, False, MEASURES, plant_remise("unexecuted")),
    Situation("OQTF_DEPARTURE_PERIOD_RUNNING", "measure", 4, True, "", plant_oqtf("ddv_running")),
    Situation("OQTF_APPEAL_PENDING", "measure", 8, True, "", plant_oqtf("appeal_pending")),
    Situation("OQTF_ANNULLED", "measure", 5, True, "", plant_oqtf("annulled")),
    Situation("OQTF_EXECUTED", "measure", 6, True, "", plant_oqtf("executed")),
    Situation("OQTF_RETENTION_WINDOW_OPEN", "measure", 1, True, "",
              plant_oqtf("retention_recent")),
    Situation("OQTF_SUSPENDED_BY_RTR", "measure", 2, True, "", plant_oqtf("suspended_by_rtr")),
    Situation("DUBLIN_DEADLINE_EXPIRED", "measure", 3, True, "", plant_dublin("expired")),
    Situation("MEASURE_PERSON_LEFT", "measure", 2, True, "", plant_oqtf("person_left")),
    # issue 31
    Situation("CONSULAR_REQUEST_TOO_EARLY", "measure", 1, False, MEASURES,
              plant_consular_request_too_early),
    Situation("DUBLIN_HELD_AFTER_ACCEPTANCE", "measure", 1.5, False, MEASURES,
              plant_dublin_held),
    # handovers carried out (the managers' handovers by quarter, EX-02)
    Situation("DUBLIN_TRANSFERRED", "measure", 4, True, "", plant_dublin("transferred")),
    Situation("REMISE_EXECUTED", "measure", 2, True, "", plant_remise("executed")),
    Situation("HANDOVER_NOT_YET_ENFORCEABLE", "measure", 2, True, "", plant_handover_recent),
    # detainees
    Situation("DETAINEE_ITF", "detainee", 12, False, RELEASES, plant_detainee("itf")),
    Situation("DETAINEE_OQTF", "detainee", 10, False, RELEASES, plant_detainee("oqtf")),
    Situation("DETAINEE_NO_MEASURE", "detainee", 10, False, RELEASES,
              plant_detainee("no_measure")),
    Situation("DETAINEE_NOT_IN_AGDREF", "detainee", 6, False, RELEASES,
              plant_detainee("not_in_agdref")),
    Situation("DETAINEE_REMAND", "detainee", 25, False, "", plant_detainee("remand")),
    Situation("DETAINEE_RELEASE_FAR", "detainee", 20, False, "", plant_detainee("release_far")),
    Situation("DETAINEE_RELEASED", "detainee", 5, False, "", plant_detainee("released")),
    Situation("DETAINEE_REFUGEE", "detainee", 3, True, "", plant_detainee("refugee")),
    Situation("DETAINEE_ASYLUM_PENDING", "detainee", 2, True, "",
              plant_detainee("asylum_pending")),
    Situation("DETAINEE_MINOR", "detainee", 2, True, "", plant_detainee("minor")),
    Situation("DETAINEE_EU_CITIZEN", "detainee", 2, True, "", plant_detainee("eu_citizen")),
    # issue 31
    Situation("DETAINEE_REEXAM_REGISTERED", "detainee", 1, True, "",
              plant_detainee_issue31("reexam_registered")),
    Situation("DETAINEE_REMAND_NOT_IN_AGDREF", "detainee", 3, False, RELEASES,
              plant_detainee_issue31("remand_not_in_agdref")),
    Situation("DETAINEE_LONG_SENTENCE_NOT_IN_AGDREF", "detainee", 2, False, RELEASES,
              plant_detainee_issue31("long_sentence_not_in_agdref")),
    Situation("DETAINEE_EU_CITIZEN_ITF", "detainee", 1, False, RELEASES,
              plant_detainee_issue31("eu_citizen_itf")),
    Situation("DETAINEE_RELEASE_IMMINENT", "detainee", 2, False, RELEASES,
              plant_detainee_issue31("release_imminent")),
    Situation("DETAINEE_RELEASE_IN_8_TO_9_DAYS", "detainee", 1, False, RELEASES,
              plant_detainee_issue31("release_in_8_to_9_days")),
    Situation("DETAINEE_EARLY_END_SUSPENSION_POSSIBLE", "detainee", 1.5, False, RELEASES,
              plant_detainee_issue31("early_end_suspension")),
]

SITUATIONS_BY_FAMILY: dict[str, list[Situation]] = {}
for _s in SITUATIONS:
    SITUATIONS_BY_FAMILY.setdefault(_s.family, []).append(_s)
