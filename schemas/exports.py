"""Contract of the CSV exports read by prefecture units (docs/contracts.md §3): French column
headers, what each column means, and the French wording of every code a cell can hold.

Other tools read these files: a header changes only with the contract."""

from __future__ import annotations

from schemas import codes

SEPARATOR = ";"
LIST_JOINER = " | "
DATE_FORMAT = "%d/%m/%Y"
XLSX_DATE_FORMAT = "dd/mm/yyyy"
FORMULA_PREFIXES = ("=", "+", "-", "@")
YES, NO = "oui", "non"

# column -> (French header, French description); the order is the order of the file.
_FLAG_START = {
    "flag_id": ("Identifiant signalement", "Identifiant stable du signalement d'une nuit à "
                "l'autre : le même cas garde le même identifiant."),
    "new_tonight": ("Nouveau", "« oui » si le signalement est apparu lors de ce traitement."),
    "first_seen_date": ("Première apparition", "Date du traitement où le signalement est "
                        "apparu pour la première fois."),
    "department": ("Département", "Département dont la préfecture doit agir."),
    "num_agdref": ("N° AGDREF", "Numéro AGDREF de la personne lorsque l'identité est établie "
                   "avec certitude ; vide sinon."),
    "person_key": ("Clé personne", "Numéro AGDREF si la personne est identifiée, sinon la clé "
                   "de l'enregistrement source (telemofpra:…, genesis:…)."),
}
_FLAG_END = {
    "markers": ("Points d'attention", "Codes d'attention (voir la liste plus bas), séparés "
                "par « | »."),
    "rule_ids": ("Règles appliquées", "Identifiants des règles (RULES.md) qui ont produit le "
                 "signalement, séparés par « | »."),
    "source_rows": ("Lignes sources", "Fichiers et numéros de ligne des faits utilisés "
                    "(<fichier>:<ligne>, en-tête = ligne 1), séparés par « | »."),
}

COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    codes.REJECTED: {
        **_FLAG_START,
        "num_ofpra": ("N° OFPRA", "Numéro du dossier OFPRA de la décision de rejet."),
        "rtr_end_date": ("Fin du droit au maintien", "Date à laquelle le droit de se maintenir "
                         "sur le territoire a pris fin."),
        "knowledge_date": ("Date de connaissance", "Date de la première liste TélémOfpra "
                           "établissant la fin du droit au maintien."),
        "oqtf_due_date": ("OQTF attendue au plus tard", "Date de connaissance + 15 jours "
                          "(règle OQ-02)."),
        "days_overdue": ("Jours de retard", "Jours écoulés depuis la date limite (0 si elle "
                         "n'est pas dépassée)."),
        "reason": ("Motif", "NO_MEASURE : aucune mesure d'éloignement ; "
                   "PRIOR_MEASURE_NOT_COERCIBLE : une mesure antérieure existe mais n'est "
                   "plus exécutable sous contrainte."),
        **_FLAG_END,
    },
    codes.RELEASES: {
        **_FLAG_START,
        "establishment_code": ("Établissement", "Code GENESIS de l'établissement "
                               "pénitentiaire."),
        "release_date": ("Libération prévisible", "Date de libération prévisible sur la "
                         "dernière liste de l'établissement."),
        "window_start_date": ("Début de préparation", "Date à partir de laquelle préparer "
                              "l'éloignement (règle PRI-03)."),
        "situation": ("Situation", "ENFORCEABLE_MEASURE : mesure exécutoire à la libération ; "
                      "MEASURE_TO_EXAMINE : aucune mesure exécutoire, situation à examiner ; "
                      "IDENTITY_TO_CONFIRM : détenu non rattaché avec certitude à un dossier "
                      "AGDREF."),
        "measure_ids": ("Mesures", "Identifiants des mesures pouvant fonder l'éloignement, "
                        "séparés par « | »."),
        "release_date_change_days": ("Décalage de libération (jours)", "Changement de la date "
                                     "de libération depuis la liste précédente, en jours "
                                     "(négatif : libération avancée)."),
        **_FLAG_END,
    },
    codes.MEASURES: {
        **_FLAG_START,
        "measure_id": ("N° mesure", "Identifiant AGDREF de la mesure."),
        "measure_type": ("Type de mesure", "OQTF, APE (expulsion préfectorale), AME "
                         "(expulsion ministérielle), ITF (interdiction judiciaire du "
                         "territoire), REMISE, TRANSFERT_DUBLIN."),
        "enforceable_from": ("Exécutoire depuis", "Premier jour où la mesure pouvait être "
                             "exécutée."),
        "days_since_enforceable": ("Jours depuis exécutoire", "Jours écoulés depuis cette "
                                   "date."),
        "coercible_until": ("Contrainte possible jusqu'au", "Fin de la période où "
                            "l'assignation ou la rétention restent possibles (règle OQ-08) ; "
                            "vide si sans limite."),
        "is_coercible": ("Contrainte possible", "« oui » si l'assignation à résidence ou la "
                         "rétention sont encore possibles."),
        "last_event_type": ("Dernier événement", "Dernier événement d'exécution enregistré."),
        "last_event_date": ("Date du dernier événement", "Date de cet événement."),
        "in_detention": ("Détenu", "« oui » si la personne figure sur la dernière liste d'un "
                         "établissement pénitentiaire."),
        **_FLAG_END,
    },
    codes.LEGAL_ALERTS: {
        "alert_id": ("Identifiant alerte", "Identifiant stable de l'alerte d'une nuit à "
                     "l'autre."),
        "new_tonight": _FLAG_START["new_tonight"],
        "first_seen_date": _FLAG_START["first_seen_date"],
        "department": ("Département", "Département qui gère la mesure concernée."),
        "num_agdref": _FLAG_START["num_agdref"],
        "person_key": _FLAG_START["person_key"],
        "measure_id": ("N° mesure", "Identifiant AGDREF de la mesure dont relève "
                       "l'événement."),
        "reason_code": ("Alerte", "CONSULAR_CONTACT_FORBIDDEN : laissez-passer consulaire "
                        "demandé alors que la personne attendait une décision de l'OFPRA ou "
                        "de la CNDA, ou était protégée (règle PRI-07)."),
        "event_date": ("Date de l'événement", "Date de l'événement qui a déclenché l'alerte "
                       "(la demande de laissez-passer)."),
        "rule_ids": _FLAG_END["rule_ids"],
        "source_rows": _FLAG_END["source_rows"],
    },
}

TITLES = {
    codes.REJECTED: "Déboutés du droit d'asile sans OQTF",
    codes.RELEASES: "Détenus étrangers dont la libération approche",
    codes.MEASURES: "Mesures d'éloignement non exécutées",
    codes.LEGAL_ALERTS: "Alertes juridiques (démarches interdites déjà faites)",
}

SHEET_NAMES = {  # at most 31 characters
    codes.REJECTED: "Déboutés sans OQTF",
    codes.RELEASES: "Libérations à venir",
    codes.MEASURES: "Mesures non exécutées",
    codes.LEGAL_ALERTS: "Alertes juridiques",
}

REASONS_FR = {
    "NO_MEASURE": "aucune mesure d'éloignement n'est enregistrée",
    "PRIOR_MEASURE_NOT_COERCIBLE": "une mesure antérieure existe mais n'est plus exécutable "
                                   "sous contrainte (plus de 3 ans)",
    "ENFORCEABLE_MEASURE": "une mesure sera exécutoire à la date de libération",
    "MEASURE_TO_EXAMINE": "aucune mesure exécutoire : situation administrative à examiner",
    "IDENTITY_TO_CONFIRM": "identité à confirmer avant toute démarche",
    "CONSULAR_CONTACT_FORBIDDEN": "laissez-passer consulaire demandé alors que la personne "
                                  "attendait une décision de l'OFPRA ou de la CNDA, ou était "
                                  "protégée : à signaler au chef de bureau (PRI-07)",
}

MARKERS_FR = {
    "EXECUTION_AFTER_NOTIFICATION": "ordonnance de la CNDA signée mais pas encore notifiée : "
                                    "n'exécuter qu'après la notification (RTR-05)",
    "SUSPENSION_REQUEST_POSSIBLE": "le juge peut être saisi d'une demande de suspension de "
                                   "l'éloignement (RTR-06)",
    "INDIVIDUAL_ASSESSMENT": "10 ans de présence ou lien familial avec un Français : examen "
                             "individuel préalable (OQ-04)",
    "NOT_COERCIBLE": "OQTF de 3 ans ou plus : ni assignation ni rétention possibles (OQ-08)",
    "NO_CONSULAR_CONTACT": "ne jamais saisir les autorités consulaires au sujet de cette "
                           "personne : une décision de l'OFPRA ou de la CNDA peut être "
                           "attendue (PRI-07)",
    "OFPRA_DOCUMENTS_REQUESTABLE": "rejet définitif : les documents d'état civil ou de voyage "
                                   "peuvent être demandés à l'OFPRA (circulaire du 11 mars "
                                   "2014)",
    "STALE_PRISON_LIST": "la dernière liste de l'établissement est en retard : la date de "
                         "libération peut avoir changé (PRI-01)",
    "EU_CITIZEN": "ressortissant de l'UE, de l'EEE ou suisse, signalé pour son interdiction "
                  "judiciaire du territoire (PRI-10)",
    "PRISON_ANSWER_DUE": "libération dans 7 jours au plus et l'établissement attend toujours "
                         "la réponse de la préfecture (PRI-05)",
}

# How a unit works through each list (column -> descending); flag_id makes it total.
SORT = {
    codes.REJECTED: {"days_overdue": True, "flag_id": False},
    codes.RELEASES: {"release_date": False, "flag_id": False},
    codes.MEASURES: {"is_coercible": True, "days_since_enforceable": True, "flag_id": False},
    codes.LEGAL_ALERTS: {"event_date": True, "alert_id": False},
}

FILE_NAME = "{worklist}_{day:%Y%m%d}.csv"
README_NAME = "README.txt"


def headers(worklist: str) -> list[str]:
    return [header for header, _ in COLUMNS[worklist].values()]


def check_complete() -> None:
    """Every marker has a French wording (raises at import time otherwise)."""
    missing = set(codes.MARKERS) - set(MARKERS_FR)
    if missing:
        raise ValueError(f"markers without French wording: {sorted(missing)}")


check_complete()
