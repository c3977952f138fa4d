"""Row builders whose defaults pass the source contracts, so a test states only what
matters; and a tiny inbox writer in the exact file formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from data.synthetic.files import write_csv, write_xlsx
from schemas.sources import SOURCE_MODELS

DEFAULTS: dict[str, dict[str, str]] = {
    "telemofpra": {
        "NUM_OFPRA": "OF20250000001", "NUM_AGDREF": "0123456789", "NOM": "DIALLO",
        "PRENOMS": "MAMADOU", "SEXE": "M", "DATE_NAISSANCE": "14/03/1990",
        "NATIONALITE": "GIN", "DEPT_DOMICILIATION": "13", "TYPE_DEMANDE": "PREMIERE",
        "PROCEDURE": "NORMALE", "DATE_INTRODUCTION": "02/01/2025", "ORGANE": "OFPRA",
        "SENS_DECISION": "REJET", "FONDEMENT": "", "DATE_DECISION": "03/09/2026",
        "MODE_CNDA": "", "DATE_NOTIFICATION": "07/09/2026", "DATE_DEFINITIVE": "09/10/2026",
    },
    "genesis": {
        "NUM_ECROU": "000101", "CODE_ETABLISSEMENT": "E01301",
        "LIBELLE_ETABLISSEMENT": "MAISON D'ARRET 13-1", "DEPT_ETABLISSEMENT": "13",
        "NOM": "BENALI", "PRENOMS": "KARIM", "ALIAS": "", "SEXE": "M",
        "DATE_NAISSANCE": "01/06/1988", "LIEU_NAISSANCE": "ALGERIE", "NATIONALITE": "ALGERIE",
        "DATE_ECROU": "10/02/2025", "CATEGORIE_PENALE": "CONDAMNE",
        "QUANTUM_TOTAL_JOURS": "700", "DATE_LIBERATION_PREVISIBLE": "15/01/2027",
        "ITF": "NON", "NUM_AGDREF": "",
    },
    "agdref_personnes": {
        "NUM_AGDREF": "0123456789", "NOM": "DIALLO", "NOM_USAGE": "", "PRENOMS": "MAMADOU",
        "SEXE": "M", "DATE_NAISSANCE": "14/03/1990", "LIEU_NAISSANCE": "Conakry",
        "NATIONALITE": "GIN", "DEPT_GESTION": "13", "DATE_ENTREE_FRANCE": "01/12/2024",
        "LIEN_FAMILIAL_FRANCAIS": "", "SITUATION": "ACTIF",
    },
    "agdref_titres": {
        "NUM_AGDREF": "0123456789", "TYPE_TITRE": "ADA", "DATE_DEBUT": "02/01/2025",
        "DATE_FIN": "03/10/2026", "STATUT": "EXPIRE",
    },
    "agdref_mesures": {
        "ID_MESURE": "M01300000001", "NUM_AGDREF": "0123456789", "TYPE_MESURE": "OQTF",
        "FONDEMENT": "L611-1-4", "DATE_DECISION": "20/10/2026",
        "DATE_NOTIFICATION": "22/10/2026", "DELAI_DEPART_JOURS": "30",
        "SITUATION_NOTIFICATION": "LIBRE", "IRTF_ANNEES": "1", "DATE_ACCORD_ETAT_MEMBRE": "",
        "RECOURS": "AUCUN", "STATUT": "EN_VIGUEUR", "ETAT_MEMBRE": "",
    },
    "agdref_evenements": {
        "ID_MESURE": "M01300000001", "TYPE_EVENEMENT": "AIDE_RETOUR_PROPOSEE",
        "DATE_EVENEMENT": "01/11/2026", "MOTIF": "",
    },
}

ENCODINGS = {"telemofpra": "cp1252", "genesis": "utf-8-sig"}


def row(kind: str, **overrides: str) -> dict[str, str]:
    unknown = set(overrides) - set(SOURCE_MODELS[kind].to_schema().columns)
    assert not unknown, f"not a column of {kind}: {unknown}"
    return {**DEFAULTS[kind], **overrides}


def write_file(inbox: Path, name: str, kind: str, rows: list[dict]) -> Path:
    """Write one source file where the contract puts it (folder from the kind)."""
    folder = inbox / kind.split("_")[0]
    path = folder / name
    if name.endswith(".xlsx"):
        write_xlsx(path, rows, kind, created=date(2026, 11, 16))
    else:
        write_csv(path, rows, kind, ENCODINGS.get(kind, "utf-8"))
    return path
