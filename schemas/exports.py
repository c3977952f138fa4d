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

# column -> (French header, French description); the order is the order of the file: first
# what a unit searches by (AGDREF number, person, the date that sets the pace), then what
# to do, then the flag's bookkeeping and its evidence. A code column is followed in the
# file by its label column (LABELS), which the workspace does not show.
_PERSON = {
    "num_agdref": ("N° AGDREF", "Numéro AGDREF de la personne lorsque l'identité est établie "
                   "avec certitude ; vide sinon."),
    "person_key": ("Clé personne", "Numéro AGDREF si la personne est identifiée, sinon la clé "
                   "de l'enregistrement source (telemofpra:…, genesis:…)."),
}
_FLAG = {
    "new_tonight": ("Nouveau", "« oui » si le signalement est apparu lors de ce traitement, "
                    "ou s'il est arrivé cette nuit de la liste d'un autre département."),
    "first_seen_date": ("Première apparition", "Date du traitement où le signalement est "
                        "apparu sur la liste, pour sa présence actuelle : un signalement "
                        "résolu puis revenu sur la liste repart de la nuit de son retour."),
    "department": ("Département", "Département dont la préfecture doit agir."),
    "flag_id": ("Identifiant signalement", "Identifiant stable du signalement d'une nuit à "
                "l'autre : le même cas garde le même identifiant."),
}
# What the unit has done on the flag in the workspace, as the night found it (the
# workspace's pages show the state live); the workspace's own words (state.py reads them
# from here).
HANDLING_STATES_FR = {
    codes.TO_DO: "à traiter", codes.IN_PROGRESS: "en cours",
    codes.OTHER_GROUND: "examen d'un autre fondement",
    codes.OQTF_TAKEN: "OQTF prise", codes.PRISON_ANSWER: "réponse donnée",
    codes.NEXT_STEP: "étape planifiée", codes.NOT_PURSUED: "non poursuivi",
}
_HANDLING = {
    "handling_state": ("État", "Où en est le signalement dans l'espace de travail lors de "
                       "ce traitement : TO_DO (à traiter), IN_PROGRESS (pris en charge par "
                       "un agent) ou la dernière suite enregistrée ; la colonne suivante le "
                       "donne en toutes lettres."),
    "assignee": ("Attribué à", "Identifiant de connexion de l'agent qui a pris en charge le "
                 "signalement ou à qui il a été attribué ; vide si personne."),
}
HANDLING_COLUMNS = tuple(_HANDLING)
_FLAG_END = {
    "markers": ("Points d'attention", "Codes d'attention, séparés par « | » ; la colonne "
                "suivante les donne en toutes lettres."),
    "rule_ids": ("Règles appliquées", "Identifiants des règles qui ont produit le signalement, "
                 "séparés par « | » ; la colonne suivante les résume en toutes lettres, "
                 "dans le même ordre."),
    "source_rows": ("Lignes sources", "Fichiers et numéros de ligne des faits utilisés "
                    "(<fichier>:<ligne>, en-tête = ligne 1), séparés par « | »."),
}

COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    codes.REJECTED: {
        **_PERSON,
        "oqtf_due_date": ("OQTF attendue au plus tard", "Date de connaissance + 15 jours "
                          "(règle OQ-02)."),
        "days_overdue": ("Jours de retard", "Jours écoulés depuis la date limite (0 si elle "
                         "n'est pas dépassée)."),
        "reason": ("Motif", "NO_MEASURE ou PRIOR_MEASURE_NOT_COERCIBLE ; la colonne suivante "
                   "le donne en toutes lettres."),
        **_FLAG,
        **_HANDLING,
        "num_ofpra": ("N° OFPRA", "Numéro du dossier OFPRA de la décision de rejet."),
        "rtr_end_date": ("Fin du droit au maintien", "Date à laquelle le droit de se maintenir "
                         "sur le territoire a pris fin."),
        "knowledge_date": ("Date de connaissance", "Date de la première liste TélémOfpra "
                           "établissant la fin du droit au maintien."),
        **_FLAG_END,
    },
    codes.RELEASES: {
        **_PERSON,
        "release_date": ("Libération prévisible", "Date de libération prévisible sur la "
                         "dernière liste de l'établissement ; vide pour un prévenu, listé "
                         "seulement pour établir son identité (PRI-09)."),
        "situation": ("Situation", "ENFORCEABLE_MEASURE, MEASURE_TO_EXAMINE ou "
                      "IDENTITY_TO_CONFIRM ; la colonne suivante la donne en toutes lettres."),
        "establishment_code": ("Établissement", "Code GENESIS de l'établissement "
                               "pénitentiaire."),
        "window_start_date": ("Début de préparation", "Ouverture de la fenêtre de "
                              "préparation (PRI-03) : pour une peine de 2 ans ou moins, 3 "
                              "mois avant la libération prévisible, quand la libération "
                              "sous contrainte peut intervenir ; pour une peine plus "
                              "longue, la date de libération elle-même. Vide pour un "
                              "prévenu (PRI-09)."),
        **_FLAG,
        **_HANDLING,
        "measure_ids": ("Mesures", "Identifiants des mesures pouvant fonder l'éloignement, "
                        "séparés par « | »."),
        "release_date_change_days": ("Décalage de libération (jours)", "Changement de la date "
                                     "de libération depuis la liste précédente, en jours "
                                     "(négatif : libération avancée)."),
        **_FLAG_END,
    },
    codes.MEASURES: {
        **_PERSON,
        "enforceable_from": ("Exécutoire depuis", "Premier jour où la mesure pouvait être "
                             "exécutée."),
        "days_since_enforceable": ("Jours depuis exécutoire", "Jours écoulés depuis cette "
                                   "date."),
        "measure_id": ("N° mesure", "Identifiant AGDREF de la mesure."),
        "measure_type": ("Type de mesure", "OQTF, APE, AME, ITF, REMISE ou TRANSFERT_DUBLIN ; "
                         "la colonne suivante le donne en toutes lettres."),
        "is_coercible": ("Contrainte possible", "« oui » si l'assignation à résidence ou la "
                         "rétention sont encore possibles."),
        "coercible_until": ("Contrainte possible jusqu'au", "Fin de la période où "
                            "l'assignation ou la rétention restent possibles (règle OQ-08) ; "
                            "vide si sans limite."),
        "last_event_type": ("Dernier événement", "Dernier événement d'exécution enregistré ; "
                            "la colonne suivante le donne en toutes lettres."),
        "last_event_date": ("Date du dernier événement", "Date de cet événement."),
        "in_detention": ("Détenu", "« oui » si la personne figure sur la dernière liste d'un "
                         "établissement pénitentiaire."),
        **_FLAG,
        **_HANDLING,
        **_FLAG_END,
    },
    codes.LEGAL_ALERTS: {
        **_PERSON,
        "event_date": ("Date de l'événement", "Date de l'événement qui a déclenché l'alerte "
                       "(la demande de laissez-passer)."),
        "reason_code": ("Alerte", "CONSULAR_CONTACT_FORBIDDEN ; la colonne suivante le donne "
                        "en toutes lettres."),
        "measure_id": ("N° mesure", "Identifiant AGDREF de la mesure dont relève "
                       "l'événement."),
        "new_tonight": _FLAG["new_tonight"],
        "first_seen_date": _FLAG["first_seen_date"],
        "department": ("Département", "Département qui gère la mesure concernée."),
        "alert_id": ("Identifiant alerte", "Identifiant stable de l'alerte d'une nuit à "
                     "l'autre."),
        **_HANDLING,
        "rule_ids": _FLAG_END["rule_ids"],
        "source_rows": _FLAG_END["source_rows"],
    },
}

# The flags that left a list last night, and why (resolus_<YYYYMMDD>.csv): from
# worklists.flag_history (RESOLVED) and the candidate's exclusion, if any.
RESOLVED = "resolus"
NO_LONGER_CANDIDATE = "NO_LONGER_CANDIDATE"
MOVED = "MOVED_TO_ANOTHER_DEPARTMENT"
COLUMNS[RESOLVED] = {
    **_PERSON,
    "worklist": ("Liste", "Nom technique de la liste que le signalement a quittée ; la "
                 "colonne suivante la nomme en toutes lettres."),
    "resolution": ("Motif de sortie", "Pourquoi le signalement a quitté la liste : le motif "
                   "d'exclusion de la personne ou de la mesure, NO_LONGER_CANDIDATE ou "
                   "MOVED_TO_ANOTHER_DEPARTMENT ; la colonne suivante le donne en toutes "
                   "lettres."),
    "department": _FLAG["department"],
    "flag_id": _FLAG["flag_id"],
    "rule_ids": ("Règles appliquées", "Règles qui fondent le motif de sortie, séparées par "
                 "« | » ; la colonne suivante les résume en toutes lettres."),
    "source_rows": _FLAG_END["source_rows"],
}

TITLES = {
    codes.REJECTED: "Déboutés du droit d'asile sans OQTF",
    codes.RELEASES: "Détenus étrangers dont la libération approche",
    codes.MEASURES: "Mesures d'éloignement non exécutées",
    codes.LEGAL_ALERTS: "Alertes juridiques (démarches interdites déjà faites)",
    RESOLVED: "Signalements sortis des listes lors de ce traitement, et pourquoi",
}

SHEET_NAMES = {  # at most 31 characters
    codes.REJECTED: "Déboutés sans OQTF",
    codes.RELEASES: "Libérations à venir",
    codes.MEASURES: "Mesures non exécutées",
    codes.LEGAL_ALERTS: "Alertes juridiques",
    RESOLVED: "Sortis des listes",
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

MEASURE_TYPES_FR = {
    "OQTF": "obligation de quitter le territoire français",
    "APE": "arrêté préfectoral d'expulsion",
    "AME": "arrêté ministériel d'expulsion",
    "ITF": "interdiction judiciaire du territoire français",
    "REMISE": "remise à un autre État membre",
    "TRANSFERT_DUBLIN": "transfert vers l'État responsable de la demande d'asile (Dublin)",
}

EVENT_TYPES_FR = {
    "AIDE_RETOUR_PROPOSEE": "aide au retour proposée",
    "DEMANDE_LAISSEZ_PASSER": "laissez-passer consulaire demandé",
    "LAISSEZ_PASSER_OBTENU": "laissez-passer consulaire obtenu",
    "LAISSEZ_PASSER_REFUSE": "laissez-passer consulaire refusé",
    "ASSIGNATION_RESIDENCE": "assignation à résidence",
    "PLACEMENT_RETENTION": "placement en rétention",
    "FIN_RETENTION": "fin de la rétention",
    "FUITE": "fuite",
    "ECHEC_ELOIGNEMENT": "échec de l'éloignement",
    "DEPART_VOLONTAIRE_CONSTATE": "départ volontaire constaté",
    "ELOIGNEMENT_EXECUTE": "éloignement exécuté",
}

# Why a candidate is not listed (schemas.codes.EXCLUSION_REASONS), as a unit reads it.
EXCLUSIONS_FR = {
    "MINOR": "mineur à la date du traitement, ou âge non établi",
    "ASYLUM_PENDING": "droit au maintien en cours (ADA valide, réexamen enregistré, "
                      "procédure Dublin)",
    "RTR_END_UNCONFIRMED": "fin du droit au maintien non établie",
    "CLOSURE_REOPENABLE": "clôture de moins de 9 mois (réouverture possible)",
    "PROTECTION_GRANTED": "réfugié, protection subsidiaire ou apatride",
    "RESIDENCE_PERMIT": "titre de séjour, récépissé ou APS en cours de validité",
    "EU_CITIZEN": "ressortissant de l'UE, de l'EEE ou suisse",
    "MEASURE_CLOSED": "mesure annulée, abrogée, retirée ou exécutée",
    "APPEAL_PENDING": "recours contre la mesure en cours",
    "NOT_YET_ENFORCEABLE": "délai de départ, notification ou délai de recours en cours",
    "SUSPENDED_BY_RTR": "mesure suspendue par un droit au maintien",
    "DUBLIN_DEADLINE_EXPIRED": "délai de transfert Dublin expiré",
    "DECEASED_OR_LEFT": "décès, naturalisation ou départ enregistré",
    "IDENTITY_CONFLICT": "enregistrements non rattachés avec certitude à une même personne",
    "SOURCE_ROW_QUARANTINED": "une ligne source en quarantaine concerne la personne et peut "
                              "la protéger : attendre le fichier corrigé (DQ-01)",
    "OTHER_GROUND_UNDER_EXAMINATION": "le bureau examine l'admission au séjour sur un autre "
                                      "fondement (OQ-02)",
    "MEASURE_IN_FORCE": "déjà sous le coup d'une mesure d'éloignement (suivie dans les "
                        "mesures non exécutées)",
    "NOT_SENTENCED": "prévenu, ou MIXTE sans date de libération",
    "RELEASE_DATE_UNKNOWN": "condamné sans date de libération prévisible",
    "RELEASE_DATE_PASSED": "date de libération prévisible déjà passée",
    "RELEASE_OUTSIDE_HORIZON": "la préparation commence après l'horizon de planification",
}

# Why a flag left its list (resolus_<YYYYMMDD>.csv): an exclusion reason, or no longer a
# case the rules examine at all.
RESOLUTIONS_FR = {
    **EXCLUSIONS_FR,
    NO_LONGER_CANDIDATE: "ne figure plus parmi les cas examinés : les fichiers reçus ont "
                         "changé (détenu absent de la dernière liste de l'établissement, "
                         "décision ou mesure retirée ou corrigée par la source…)",
    MOVED: "toujours signalé, mais désormais dans la liste d'un autre département (domicile "
           "de la dernière liste TélémOfpra ou département gestionnaire du dossier changé) : "
           "le dossier de ce département le montre comme nouveau",
}

# Each rule id a row can name, summed up for a unit that does not have RULES.md.
RULES_FR = {
    "RTR-01": "droit au maintien pendant l'examen de la demande d'asile par l'OFPRA puis la "
              "CNDA (attestation de demande d'asile valide)",
    "RTR-02": "une mesure prise avant la demande d'asile ne peut être exécutée tant que dure "
              "le droit au maintien",
    "RTR-03": "décision de l'OFPRA non contestée à temps : le droit au maintien prend fin à sa "
              "notification (décision devenue définitive)",
    "RTR-04": "décision de la CNDA après audience : fin du droit au maintien à la lecture "
              "publique",
    "RTR-05": "ordonnance de la CNDA : fin du droit au maintien à la signature, exécution "
              "seulement après la notification",
    "RTR-06": "fin anticipée du droit au maintien à la notification de la décision de "
              "l'OFPRA, même si la CNDA est saisie (L. 542-2) ; dans les seuls cas des "
              "L. 531-32 3°, L. 753-5, L. 531-24 et L. 531-27 5°, le juge peut être saisi "
              "d'une demande de suspension de l'éloignement (L. 542-6)",
    "RTR-07": "clôture : réouverture possible pendant 9 mois",
    "RTR-08": "premier réexamen non encore décidé : droit au maintien rétabli",
    "RTR-09": "procédure Dublin : la personne n'est pas un débouté",
    "RTR-10": "protection accordée (réfugié, protection subsidiaire, apatride) : jamais "
              "signalé",
    "OQ-01": "débouté sans titre de séjour : une OQTF peut être prise (L. 611-1 4°)",
    "OQ-02": "OQTF à prendre dans les 15 jours suivant la connaissance de la fin du droit au "
             "maintien (L. 542-4), sauf examen d'un autre fondement de séjour",
    "OQ-03": "seul un mineur ne peut faire l'objet d'une OQTF",
    "OQ-04": "examen individuel préalable : 10 ans de présence ou lien familial avec un "
             "Français (L. 613-1)",
    "OQ-05": "délai de départ volontaire tel qu'enregistré dans AGDREF (vide : aucun délai)",
    "OQ-06": "aucun éloignement avant la fin du délai de recours ni pendant un recours",
    "OQ-07": "date à partir de laquelle la mesure est exécutoire",
    "OQ-08": "assignation à résidence ou rétention possibles seulement pour une OQTF de "
             "moins de 3 ans",
    "PRI-01": "la dernière liste de chaque établissement fait foi ; une liste de plus de 16 "
              "jours est en retard",
    "PRI-02": "seuls les condamnés ont une date de libération à préparer",
    "PRI-03": "peine de 2 ans ou moins : la préparation commence 3 mois avant la libération",
    "PRI-04": "libération conditionnelle-expulsion possible (CPP 729-2)",
    "PRI-05": "l'établissement attend la réponse de la préfecture avant toute libération",
    "PRI-06": "une interdiction judiciaire du territoire (ITF) est en elle-même une mesure "
              "d'éloignement",
    "PRI-07": "ne jamais saisir les autorités consulaires au sujet d'un réfugié ou d'une "
              "personne en attente d'une décision de l'OFPRA ou de la CNDA",
    "PRI-08": "détenu condamné signalé lorsque la préparation commence dans l'horizon de "
              "planification",
    "PRI-09": "identité à établir pendant la détention, quelle que soit la date de libération",
    "PRI-10": "une ITF s'applique aussi à un ressortissant de l'UE, de l'EEE ou suisse",
    "EX-01": "mesures suivies : OQTF, expulsions, ITF, remises, transferts Dublin",
    "EX-02": "mesure annulée, abrogée ou retirée : hors liste ; mesure exécutée : close",
    "EX-03": "mesure exécutoire sans exécution enregistrée",
    "EX-04": "transfert Dublin : 6 mois après l'accord de l'État (12 en cas de détention, 18 "
             "en cas de fuite)",
    "EX-05": "mesure suspendue par un nouveau droit au maintien",
    "DQ-01": "une ligne source en quarantaine peut protéger la personne : aucune action avant "
             "le fichier corrigé",
}

# code column -> (header of the label column that follows it, the French wording of each
# code). A code without a wording (never expected) is shown as is.
LABELS: dict[str, tuple[str, dict[str, str]]] = {
    "reason": ("Motif (en clair)", REASONS_FR),
    "situation": ("Situation (en clair)", REASONS_FR),
    "reason_code": ("Alerte (en clair)", REASONS_FR),
    "measure_type": ("Type de mesure (en clair)", MEASURE_TYPES_FR),
    "last_event_type": ("Dernier événement (en clair)", EVENT_TYPES_FR),
    "markers": ("Points d'attention (en clair)", MARKERS_FR),
    "worklist": ("Liste (en clair)", {name: TITLES[name] for name in codes.WORKLISTS}),
    "resolution": ("Motif de sortie (en clair)", RESOLUTIONS_FR),
    "handling_state": ("État (en clair)", HANDLING_STATES_FR),
    "rule_ids": ("Règles appliquées (en clair)", RULES_FR),
}
LABEL_SUFFIX = "_label"
LABEL_DESCRIPTION = "La colonne précédente en toutes lettres (voir les codes plus bas)."
# A code column whose wording is data, not a vocabulary of the rules: (header of the label
# column that follows it, the column of the rows its wording is read from, description).
NAMED_BY: dict[str, tuple[str, str, str]] = {
    "establishment_code": (
        "Établissement (en clair)", "establishment_name",
        "Nom de l'établissement pénitentiaire, tel que sa dernière liste GENESIS l'écrit "
        "(son code quand aucune liste ne le nomme)."),
}

# How a unit works through each list (column -> descending); flag_id makes it total.
SORT = {
    codes.REJECTED: {"days_overdue": True, "flag_id": False},
    codes.RELEASES: {"release_date": False, "flag_id": False},
    codes.MEASURES: {"is_coercible": True, "days_since_enforceable": True, "flag_id": False},
    codes.LEGAL_ALERTS: {"event_date": True, "alert_id": False},
    RESOLVED: {"worklist": False, "resolution": False, "flag_id": False},
}

FILE_NAME = "{worklist}_{day:%Y%m%d}.csv"
README_NAME = "README.txt"


def new_in_its_department(worklist: str, night: str) -> str:
    """SQL: whether a row of worklists.<worklist> (one of codes.WORKLISTS, read under its
    own name) is new on `night` (an SQL date) in its department, as the exports' `Nouveau`
    says (new_tonight, transforms/publish/export.py): not on that list in that department
    the run before (worklists.flag_history, read in the stretches that store it, which a
    year of nights does not lengthen): it appeared tonight, came back, or arrived from
    another department's list. The dashboards' cards and the workspace count it so."""
    assert worklist in codes.WORKLISTS, worklist
    return (f"NOT EXISTS (SELECT 1 FROM worklists.flag_history_intervals h "  # noqa: S608
            f"WHERE h.worklist = '{worklist}' AND h.flag_id = {worklist}.flag_id "
            f"AND h.department = {worklist}.department AND h.status <> 'RESOLVED' "
            "AND (SELECT max(run_date) FROM worklists.flag_history_runs "
            f"WHERE run_date < {night}) BETWEEN h.first_run_date AND h.last_run_date)")


def counted(count: int, singular: str, plural: str) -> str:
    """A count and its noun as French agrees them: 0 and 1 take the singular."""
    return f"{count} {singular if count < 2 else plural}"


def export_columns(worklist: str) -> list[tuple[str, str, str]]:
    """(column, French header, description) of each column of a list's file, in order:
    each code column followed by its label column (named <column>_label)."""
    columns = []
    for name, (header, text) in COLUMNS[worklist].items():
        columns.append((name, header, text))
        if name in LABELS:
            columns.append((name + LABEL_SUFFIX, LABELS[name][0], LABEL_DESCRIPTION))
        elif name in NAMED_BY:
            columns.append((name + LABEL_SUFFIX, NAMED_BY[name][0], NAMED_BY[name][2]))
    return columns


def headers(worklist: str) -> list[str]:
    return [header for _, header, _ in export_columns(worklist)]


def check_complete() -> None:
    """Every code a labelled column can hold has a French wording (raises at import time
    otherwise)."""
    vocabularies = {
        "markers": (codes.MARKERS, MARKERS_FR),
        "measure types": (codes.MEASURE_TYPES, MEASURE_TYPES_FR),
        "event types": (codes.EVENT_TYPES, EVENT_TYPES_FR),
        "exclusion reasons": (codes.EXCLUSION_REASONS, EXCLUSIONS_FR),
        "legal alerts": (codes.LEGAL_ALERT_REASONS, REASONS_FR),
        "lists": (codes.EXPORTED_TABLES, TITLES),
        "handling states": (codes.HANDLING_STATES, HANDLING_STATES_FR),
    }
    for what, (known, worded) in vocabularies.items():
        if missing := set(known) - set(worded):
            raise ValueError(f"{what} without French wording: {sorted(missing)}")


check_complete()
