"""What a column means wherever it appears in the warehouse, by name. A column whose own
contract gives no description is described from here, so that every column an analyst
sees carries a COMMENT (tests/test_analysts.py checks it)."""

from __future__ import annotations

COLUMNS: dict[str, str] = {
    # lineage and keys
    "record_key": "source person record: telemofpra:<NUM_OFPRA>, "
                  "genesis:<CODE_ETABLISSEMENT>:<NUM_ECROU> or agdref:<NUM_AGDREF>",
    "person_key": "person: the AGDREF number when linked with confidence, else the record key",
    "num_agdref": "10-digit AGDREF number (text: leading zeros matter)",
    "numbers": "every well-formed AGDREF number the record's rows gave, verified or not",
    "num_agdref_as_delivered": "AGDREF number as written in the source row, before checks",
    "num_ofpra": "OFPRA file number",
    "claim_key": "TélémOfpra record (telemofpra:<NUM_OFPRA>) whose identity agrees with the "
                 "detainee's",
    "system": "source system: telemofpra, genesis or agdref",
    "source_row": "<file name>:<line number> of the row this fact comes from (header = line 1)",
    "source_rows": "<file name>:<line number> of every row behind this fact",
    "event_rows": "<file name>:<line number> of the measure's execution events",
    "contradicting_rows": "<file name>:<line number> of the file's rows in other "
                          "departments' snapshots of the same date when they disagree about "
                          "its holder (names, sex, birth date, nationality, entry date, "
                          "family link, status); empty when none. The rules exclude the "
                          "person with IDENTITY_CONFLICT",
    "file_name": "source file name",
    "line_number": "line in the source file (header = line 1; sheet row for XLSX)",
    "snapshot_date": "extraction date of the AGDREF snapshot the row comes from",
    "list_date": "extraction date of the GENESIS list the row comes from",
    "extraction_date": "extraction date of the file (from its name)",
    "department": "department (INSEE code: 01…95, 2A, 2B, 971…976)",
    "evidence": "NUMBER (the record gave this AGDREF number), IDENTITY (identity agrees, "
                "complete birth dates) or IDENTITY_WEAK (partial or placeholder birth date; "
                "GENESIS records only)",
    # identity (personal data)
    "last_name": "surname as written (personal data)",
    "first_names": "given names as written (personal data)",
    "usual_name": "usual name as written (personal data)",
    "last_name_ascii": "surname, ASCII upper case, single spaces (personal data)",
    "first_names_ascii": "given names, ASCII upper case, single spaces (personal data)",
    "usual_name_ascii": "usual name, ASCII upper case (personal data)",
    "last_name_skeleton": "surname reduced for matching (core_name_keys.sql): MOHAMED, "
                          "MOHAMMED and MUHAMMAD give MHMD",
    "usual_name_skeleton": "usual name reduced for matching",
    "first_name_skeleton": "first given name reduced for matching",
    "sex": "M or F",
    "birth_year": "birth year",
    "birth_month": "birth month, null when unknown",
    "birth_day": "birth day, null when unknown",
    "birth_date": "birth date when complete (personal data)",
    "birth_date_is_placeholder": "birth date given as 01/01, a common placeholder: weak evidence",
    "birth_place": "birth place as written (free text)",
    "birth_town": "town of birth compared by the linkage: the text before the last comma "
                  "(without a comma, a known town of the country ending the text), in "
                  "ASCII capitals, under GeoNames' name of a town of 15,000 inhabitants "
                  "and more when the country knows it by another (WAHRAN: ORAN, BRESLAU: "
                  "WROCLAW); empty when only a country or nothing was written",
    "nationality": "nationality, ISO 3166-1 alpha-3 (INCONNUE in marts when not known)",
    "nationality_as_delivered": "nationality as written in the source row",
    "entry_date": "declared date of entry into France",
    "french_family_link": "CONJOINT or PARENT of a French national (OQ-04)",
    "file_status": "AGDREF file situation: ACTIF, DECEDE, NATURALISE, PARTI",
    # asylum
    "decision_key": "one decision: OFPRA number, body, date, outcome, claim type",
    "claim_type": "PREMIERE, REEXAMEN, REEXAMEN_MULTIPLE or REOUVERTURE",
    "procedure": "NORMALE or ACCELEREE; null when unknown (read as not accelerated, RTR-06)",
    "claim_date": "date the claim was lodged",
    "deciding_body": "OFPRA or CNDA",
    "outcome": "decision outcome (REJET, REFUGIE, PROTECTION_SUBSIDIAIRE, IRRECEVABILITE, "
               "CLOTURE, ...)",
    "decision_basis": "legal basis given for the decision (inadmissibility, accelerated)",
    "cnda_mode": "CNDA ruling mode: AUDIENCE (after a hearing) or ORDONNANCE",
    "decision_date": "date of the decision",
    "notification_date": "date the decision was notified",
    "final_date": "date the OFPRA decision became final (no appeal lodged)",
    "first_list_date": "first TélémOfpra list that carried the decision",
    "last_list_date": "last list that carried the decision or the committal (the latest "
                      "TélémOfpra list decides the domicile)",
    "unit": "source unit: TélémOfpra or AGDREF department, GENESIS establishment",
    "file_kind": "kind of source file: telemofpra, genesis or agdref_<table>",
    "first_notified_list_date": "first list that carried the decision with its notification",
    "first_final_list_date": "first list that carried the decision with its final date",
    "first_moded_list_date": "first list that carried a CNDA decision with its mode "
                             "(AUDIENCE or ORDONNANCE)",
    "previous_list_date": "a request registered without its introduction date: the latest "
                          "list of its department before the first that showed it (it was "
                          "registered on that list's day, after its extraction, or later)",
    "corrected_keys": "the decision_key of each version of the decision that later lists "
                      "corrected (another date, outcome, basis or claim type), the first "
                      "shown first: its flag goes on under the id one of them was listed with",
    # titles
    "title_type": "CST, CR, CSP, RECEPISSE, APS or ADA (asylum attestation)",
    "start_date": "first day of validity (null when AGDREF left it empty)",
    "end_date": "last day of validity",
    "title_status": "VALIDE, RETIRE or EXPIRE",
    # measures and events
    "measure_id": "AGDREF measure id",
    "measure_type": "OQTF, APE, AME, ITF, REMISE or TRANSFERT_DUBLIN",
    "measure_basis": "legal basis of the measure (L611-1-4: rejected asylum seeker)",
    "departure_period_days": "voluntary departure period in days (null: none granted)",
    "notification_situation": "where the person was when notified: LIBRE, DETENU, ASSIGNE, "
                              "RETENU",
    "reentry_ban_years": "re-entry ban (IRTF) in years",
    "member_state_acceptance_date": "other State's acceptance (Dublin transfer, remise)",
    "member_state": "State the person is handed over to (Dublin transfer, remise), ISO "
                    "3166-1 alpha-3; null when AGDREF does not give it",
    "appeal_status": "court challenge: AUCUN, EN_COURS, REJETE, ANNULE",
    "measure_status": "EN_VIGUEUR, ANNULEE, ABROGEE, RETIREE or EXECUTEE",
    "last_event_type": "latest execution event on or before the run date",
    "last_event_date": "date of that event",
    "departure_date": "first recorded departure (forced removal or voluntary departure)",
    "absconded": ("a FUITE (absconding) event is recorded on or after the other State's "
                  "acceptance (EX-04)"),
    "absconded_on": ("date of the first FUITE (absconding) event on or after the other "
                     "State's acceptance (EX-04: it extends the transfer's time limit only "
                     "if it falls within it)"),
    "event_type": "execution event (AIDE_RETOUR_PROPOSEE, DEMANDE_LAISSEZ_PASSER, "
                  "ECHEC_ELOIGNEMENT, ELOIGNEMENT_EXECUTE, ...)",
    "event_date": "date of the event",
    "event_reason": "reason as written (free text; may hold personal data)",
    "days_since_enforceable": "days from enforceable_from to the run date",
    "is_coercible": "house arrest or retention still possible on the run date (OQ-08)",
    # detentions
    "establishment_code": "GENESIS establishment code",
    "establishment_name": "establishment name",
    "committal_number": "committal number (NUM_ECROU), unique within the establishment",
    "committal_date": "committal date",
    "penal_category": "PREVENU (remand), CONDAMNE (sentenced) or MIXTE",
    "sentence_days": "total sentence in days",
    "release_date": "expected release date",
    "previous_release_date": "expected release date on the establishment's previous list",
    "itf": ("judicial ban from the territory: NON, TEMPORAIRE or DEFINITIVE; null when GENESIS "
            "left it empty (unknown, read as no ban recorded)"),
    # worklists
    "reason": "why listed: NO_MEASURE or PRIOR_MEASURE_NOT_COERCIBLE",
    "situation": "ENFORCEABLE_MEASURE, MEASURE_TO_EXAMINE or IDENTITY_TO_CONFIRM",
    # audit
    "run_id": "run (audit.runs)",
    "as_of_date": "as-of date of the run: every date computation uses it",
    "started_at": "when the run started (server clock)",
    "finished_at": "when the run finished (null while running or if killed)",
    "status": "audit.runs: RUNNING, SUCCEEDED, FAILED; audit.files: LOADED, "
              "UNCHANGED, SKIPPED_DUPLICATE, SUPERSEDED, REJECTED",
    "sha256": "SHA-256 checksum of the file (null: an inbox entry that could not be read)",
    "rows_read": "data rows read",
    "rows_staged": "rows staged",
    "rows_quarantined": "rows quarantined (a row failing several checks counts once)",
    "column_name": "column that failed (null for a whole-row or whole-file check)",
    "check_name": "check that failed",
    "layer": "schema of the warehouse",
    "description": "what the layer holds",
}
