"""Realism rates of the synthetic inbox, declared once: written to the manifest and
measured back from the files and the truth by the tests."""

from __future__ import annotations

REALISM = {
    # identity noise on TélémOfpra and GENESIS rows, relative to the AGDREF file
    "telemofpra_name_variant": 0.15,
    "genesis_name_variant": 0.25,
    "telemofpra_name_swap": 0.03,
    "genesis_name_swap": 0.06,
    "given_names_comma_separated": 0.2,
    # a row that keeps the first given name only (a register with one field, a clerk in
    # a hurry): the file has them all
    "telemofpra_first_given_name_only": 0.10,
    "genesis_first_given_name_only": 0.20,
    "genesis_alias": 0.25,
    "telemofpra_birth_partial_on_row": 0.03,
    "genesis_birth_partial_on_row": 0.06,
    # person-level birth dates (the same in every system)
    "birth_date_placeholder_0101": 0.06,
    "birth_date_unknown_0000": 0.03,
    # the ADA starts when the prefecture registers the claim, 1 to 21 days before OFPRA's
    # date of introduction (days)
    "asylum_registered_min_days_before_claim": 1,
    "asylum_registered_max_days_before_claim": 21,
    # AGDREF numbers on source rows
    "telemofpra_agdref_missing": 0.20,
    "telemofpra_agdref_wrong": 0.02,
    "genesis_agdref_missing": 0.70,
    "genesis_agdref_wrong": 0.03,
    # persons
    "second_agdref_file": 0.02,
    "namesake": 0.01,
    # people who moved (only where the scale has more than one department): lists come
    # from the department where the person lives or is held, files from the department
    # that manages them, and a second file is mostly opened by another prefecture
    "telemofpra_domicile_elsewhere": 0.05,
    "genesis_held_elsewhere": 0.20,
    "second_agdref_file_elsewhere": 0.5,
    # files
    "genesis_xlsx": 0.30,
    "telemofpra_decision_repeated_next_list": 0.03,
    "genesis_release_date_moves": 0.20,
    "genesis_unknown_nationality": 0.03,
    # LIEU_NAISSANCE ("town, country"), per row: empty, the country only, another town of
    # the country than the person's (a slip: the sources disagree), another spelling of
    # the town (Tbilissi / Tbilisi) where it has one
    "genesis_birth_place_missing": 0.08,
    "genesis_birth_place_country_only": 0.12,
    "agdref_birth_place_missing": 0.04,
    "agdref_birth_place_country_only": 0.08,
    "birth_place_other_town": 0.03,
    "birth_place_other_spelling": 0.3,
    # DATE_ENTREE_FRANCE of a person's second AGDREF file: empty, or a few days off (keyed
    # again from another document); otherwise the first file's
    "agdref_entry_date_empty_on_second_file": 0.1,
    "agdref_entry_date_moved_on_second_file": 0.1,
    "defective_row": 0.003,
    # issue 31: establishments whose latest list is late (PRI-01: more than 16 days old on
    # the as-of date), at least one at every scale; their latest list is this old (days)
    "genesis_establishment_late": 0.10,
    "genesis_late_list_min_days": 20,
    "genesis_late_list_max_days": 30,
    # a Dublin transfer or a remise whose State (MESURES.ETAT_MEMBRE) AGDREF does not show
    "mesures_member_state_unknown": 0.10,
}

# The States a person is handed over to (Dublin transfer, remise), ISO 3166-1 alpha-3,
# the frequent partners repeated.
MEMBER_STATES = ("ITA", "ITA", "DEU", "DEU", "ESP", "ESP", "BEL", "NLD", "AUT", "CHE",
                 "SWE", "GRC", "POL", "PRT", "LUX", "BGR", "HRV")
STALE_LIST_DAYS = 16  # PRI-01's default setting
ANSWER_DUE_DAYS = 7  # PRI-05
