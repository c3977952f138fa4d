"""What a manager reads instead of a code: the sources' names, the departments' names and,
in words, the checks a quarantined row failed (`isin(['M', 'F'])` says nothing to a
manager)."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from functools import cache

import pycountry

SOURCE_NAMES = {"telemofpra": "TélémOfpra", "genesis": "GENESIS", "agdref": "AGDREF"}

# The checks of schemas/sources.py and schemas/checks.py, and the row-level ones of the
# ingest step (field_count), by name.
CHECKS = {
    "not_nullable": "valeur obligatoire absente",
    "field_count": "nombre de champs inattendu (ligne tronquée ou trop longue)",
    "calendar_date": "date qui n'existe pas au calendrier, ou avant 1900",
    "possible_birth_date": "date de naissance impossible",
    "birth_date_not_in_future": "date de naissance dans le futur",
    "not_after_extraction_date": "date postérieure à l'extraction du fichier",
    "empty_only_on_registered_request": "décision vide hors demande de réexamen enregistrée",
    "outcome_of_its_body": "décision qui n'est pas de cet organe (OFPRA ou CNDA)",
    "mode_on_cnda_rows_only": "mode de la CNDA sur une décision de l'OFPRA",
    "department_code": "code de département inconnu",
    "name_has_letters": "nom sans aucune lettre ni chiffre",
    "whole_number": "nombre entier attendu",
    "isin": "valeur hors de la liste des codes admis",
    "str_length": "texte trop long",
    "str_matches": "format inattendu",
    "greater_than_or_equal_to": "valeur trop petite",
    "less_than_or_equal_to": "valeur trop grande",
    "in_range": "valeur hors des limites admises",
    "unique": "valeur en double",
    "unique_in_file": "même numéro sur deux lignes du fichier",
    "establishment_of_the_file": "autre établissement que celui du nom du fichier",
    "department_of_the_establishment": "département différent de celui des autres lignes "
                                       "de l'établissement",
    "cell_error": "cellule en erreur dans le classeur (#DIV/0!, #N/A…), formule sans "
                  "résultat enregistré ou cellule fusionnée",
    "country_name": "nationalité illisible (ni un pays en français, ni INDETERMINEE)",
    "notified_after_decision": "notification datée d'avant la décision",
    "final_after_notification": "décision définitive datée d'avant sa notification",
    "final_after_decision": "décision définitive datée d'avant la décision",
}


def check_in_words(column: str | None, check: str) -> str:
    """A failed check in French: its name without its arguments, a date column's
    unreadable format said as such; a check this table does not know keeps its name."""
    name = check.split("(", 1)[0]
    if name == "str_matches" and column and column.startswith("DATE_"):
        return "date illisible (JJ/MM/AAAA attendu)"
    if name == "str_length":
        limit = re.search(r"(\d+)\)$", check)
        return f"texte de plus de {limit.group(1)} caractères" if limit else CHECKS[name]
    return CHECKS.get(name, f"contrôle {name}")


def source_in_words(system: str | None) -> str:
    return SOURCE_NAMES.get(system or "", "source inconnue")


def iso_week_monday(week: str) -> date:
    """The Monday of an ISO week written YYYY-Www (the marts' iso_week)."""
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def iso_week(day: date) -> str:
    """The ISO week of `day`, written YYYY-Www as the marts write it."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def every_week(weeks: list[str], last: int | None = None) -> list[str]:
    """Each week from the earliest of `weeks` (at most the `last` ones) to the latest,
    oldest first: a week without a row is a week of nothing, drawn as such, never left
    out of the axis."""
    if not weeks:
        return []
    latest, earliest = iso_week_monday(max(weeks)), iso_week_monday(min(weeks))
    count = (latest - earliest).days // 7 + 1
    mondays = [latest - timedelta(weeks=n) for n in range(min(count, last or count) - 1,
                                                          -1, -1)]
    return [iso_week(m) for m in mondays]


def week_label(week: str) -> str:
    """An ISO week as a French reader names it: "sem. du 30/11/26"."""
    return f"sem. du {iso_week_monday(week):%d/%m/%y}"


def week_labels(weeks: list[str]) -> list[str]:
    return [week_label(w) for w in weeks]


def whole(number: int) -> str:
    """A count as French writes it: thousands apart by a narrow no-break space (14 071)."""
    return f"{number:,}".replace(",", "\u202f")


def percent(share: float) -> str:
    """A share as French writes it: a no-break space before the sign (33 %), rounded half
    up as a reader rounds (1/8: 13 %; Python's round gives the even 12)."""
    return f"{math.floor(100 * share + 0.5)}\u00a0%"


# Departments pycountry names under another code (Paris), otherwise (Guyane (française))
# or not at all (Saint-Pierre-et-Miquelon, a collectivity ISO 3166-2 gives as a country).
DEPARTMENT_NAMES = {"75": "Paris", "973": "Guyane", "975": "Saint-Pierre-et-Miquelon"}


@cache
def department_name(code: str) -> str | None:
    """A department's name (Bouches-du-Rhône for 13), from ISO 3166-2 (pycountry); None
    for a code that is not a French department's."""
    if code in DEPARTMENT_NAMES:
        return DEPARTMENT_NAMES[code]
    found = pycountry.subdivisions.get(code=f"FR-{code}")
    return found.name if found is not None else None


def department_label(code: str) -> str:
    """13 (Bouches-du-Rhône), as a manager names a department."""
    name = department_name(code)
    return f"{code} ({name})" if name else code
