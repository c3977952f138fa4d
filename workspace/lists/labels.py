"""How the warehouse's values read on a French page: the exports' headers and wordings
(schemas/exports.py), dates DD/MM/YYYY, lists joined, yes/no in French."""

from __future__ import annotations

from datetime import date, datetime

from schemas import exports
from transforms.rules.verdicts import MARKER_RULES

# why a candidate is not listed (schemas.codes.EXCLUSION_REASONS), as a unit reads it
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
EXCLUSION_HEADERS = {
    "worklist": "Liste", "candidate_id": "Identifiant signalement",
    "person_key": exports.COLUMNS["rejected_without_oqtf"]["person_key"][0],
    "num_agdref": "N° AGDREF", "department": "Département", "measure_id": "N° mesure",
    "reason_code": "Motif d'exclusion", "other_reasons": "Autres motifs",
    "rule_ids": "Règles appliquées", "source_rows": "Lignes sources",
}
STATUS_FR = {"NEW": "nouveau", "OPEN": "toujours présent", "RESOLVED": "résolu"}
LIST_NAMES = exports.TITLES


def text(value) -> str:
    """A cell as a unit reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return exports.YES if value else exports.NO
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime(exports.DATE_FORMAT)
    if isinstance(value, list | tuple):
        return exports.LIST_JOINER.join(text(v) for v in value)
    return str(value)


def headers(worklist: str, columns: list[str]) -> list[dict]:
    return [{"name": c, "label": exports.COLUMNS[worklist][c][0],
             "help": exports.COLUMNS[worklist][c][1]} for c in columns]


def cells(row: dict, columns: list[str]) -> list[str]:
    return [text(row[c]) for c in columns]


def facts(worklist: str, row: dict) -> list[dict]:
    """Every column of a flag with its French header and description."""
    return [{"label": h["label"], "help": h["help"], "value": text(row[h["name"]])}
            for h in headers(worklist, list(row))]


def markers(codes: list[str]) -> list[dict]:
    return [{"code": m, "label": exports.MARKERS_FR.get(m, m), "rule": MARKER_RULES.get(m, "")}
            for m in codes]


def reasons(row: dict) -> list[dict]:
    """The flag's reason or situation (or the alert's) in French."""
    found = [row[c] for c in ("reason", "situation", "reason_code") if row.get(c)]
    found += row.get("other_reasons") or []
    return [{"code": r, "label": exports.REASONS_FR.get(r) or EXCLUSIONS_FR.get(r, r)}
            for r in found]


def exclusion_facts(row: dict) -> list[dict]:
    return [{"label": label, "help": "", "value": text(row[name])}
            for name, label in EXCLUSION_HEADERS.items()]


def history(rows: list[dict]) -> list[dict]:
    return [{"date": text(r["run_date"]), "status": STATUS_FR.get(r["status"], r["status"])}
            for r in rows]
