"""The handovers export (issue 35, item 4): one CSV per quarter in each department's
folder, laid out as the annex tables of the 1995 Schengen circular ask for the statistics
of handovers to other States: a row per nationality and destination State, then executed,
not executed and why attempts failed; a last row of totals. Same cell conventions as the
lists (docs/contracts.md §3)."""

from __future__ import annotations

from datetime import date

HANDOVERS = "remises"  # audit.exports.worklist of these files
FILE_NAME = "remises_{quarter}_{day:%Y%m%d}.csv"  # quarter as 2026T4
QUARTERS = 4  # the run's quarter and the three before it
TOTAL = "TOTAL"
TITLE = ("Remises et transferts Dublin décidés dans le trimestre, par nationalité et État "
         "de destination, exécutés ou non, avec les motifs d'échec (un fichier par "
         "trimestre, présenté comme les tableaux annexes de la circulaire Schengen de 1995)")

# (column, French header, description), in the file's order.
COLUMNS = (
    ("nationality", "Nationalité", "Code ISO 3166-1 alpha-3 de la nationalité ; INCONNUE si "
     "AGDREF ne la donne pas ; TOTAL sur la dernière ligne, qui fait les totaux."),
    ("nationality_label", "Nationalité (en clair)", "Le pays de nationalité en toutes lettres."),
    ("member_state", "État de destination", "Code ISO 3166-1 alpha-3 de l'État auquel la "
     "personne est remise ; INCONNU quand AGDREF ne le donne pas (extraits antérieurs à la "
     "colonne ETAT_MEMBRE)."),
    ("member_state_label", "État de destination (en clair)",
     "L'État de destination en toutes lettres."),
    ("measures", "Décidées", "Remises et transferts Dublin décidés dans le trimestre."),
    ("executed", "Exécutées", "Dont exécutés (départ constaté ou mesure exécutée)."),
    ("not_executed", "Non exécutées", "Dont non exécutés à ce jour."),
    ("failed_attempts", "Tentatives échouées",
     "Échecs d'éloignement enregistrés sur ces mesures."),
    ("failure_reasons", "Motifs d'échec", "Motifs des échecs, séparés par « | » (« autre » "
     "pour un motif que moins de 5 échecs partagent, « non précisé » sans motif)."),
)


def quarters(run_date: date) -> list[str]:
    """The quarters a folder holds a file for, newest first, as the marts name them
    (YYYY-Qn)."""
    year, quarter = run_date.year, (run_date.month - 1) // 3 + 1
    named = []
    for _ in range(QUARTERS):
        named.append(f"{year}-Q{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return named


def file_name(quarter: str, run_date: date) -> str:
    return FILE_NAME.format(quarter=quarter.replace("-Q", "T"), day=run_date)
