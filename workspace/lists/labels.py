"""How the warehouse's values read on a French page: the exports' headers and wordings
(schemas/exports.py), dates DD/MM/YYYY, lists joined, yes/no in French."""

from __future__ import annotations

import re
from datetime import date, datetime

from schemas import exports
from transforms.rules.verdicts import MARKER_RULES

# why a candidate is not listed, as a unit reads it (shared with the exports' README)
EXCLUSIONS_FR = exports.EXCLUSIONS_FR
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


# The exports' descriptions of a code column end by pointing to the label column that
# follows it; a page shows the wording in the cell itself.
_NEXT_COLUMN = re.compile(r" ?; (la )?colonne suivante .*$")
IN_WORDS = " (affiché ici en toutes lettres ; le code figure dans les exports)."


# Shown on a list page only on asking for every column (`?colonnes=toutes`): the person's
# key (the AGDREF number but for a detainee without one, whose link then names it), the
# flag's or alert's id (the row's link opens its page, which gives it), the rules
# applied and the rows cited (on the flag's page, the rules with their wording, the rows
# with their values as delivered), the longest cells. So the list reads on a screen of
# 1,280 pixels and prints on an A4 page in landscape; the exports keep every column.
ON_ASKING = ("person_key", "flag_id", "alert_id", "rule_ids", "source_rows")
# Cells of identifiers, file names and lines, which a printed page breaks anywhere (the
# other cells break between words only).
KEY_COLUMNS = ("person_key", "flag_id", "alert_id", "measure_id", "measure_ids", "rule_ids",
               "source_rows")
# Shown beside those only to an account of several departments (the page's heading names
# the one department of the others).
ONE_DEPARTMENT_ASKING = ("department",)


def shown_columns(columns: list[str], every: bool, departments: int) -> list[str]:
    """The columns a list page shows: all of them (`every`), or all but ON_ASKING (and
    ONE_DEPARTMENT_ASKING for an account of one of the `departments`)."""
    hidden = ON_ASKING + (ONE_DEPARTMENT_ASKING if departments == 1 else ())
    return columns if every else [c for c in columns if c not in hidden]


def headers(worklist: str, columns: list[str]) -> list[dict]:
    return [{"name": c, "label": exports.COLUMNS[worklist][c][0],
             "help": _help(exports.COLUMNS[worklist][c][1], c)} for c in columns]


def _help(description: str, column: str) -> str:
    if column not in exports.LABELS:
        return description
    if column in KEY_COLUMNS:  # shown as in the exports, without the wording's column
        return _NEXT_COLUMN.sub("", description).rstrip(".") + "."
    return _NEXT_COLUMN.sub("", description).rstrip(".") + IN_WORDS


def in_words(column: str, value) -> str:
    """A cell as a unit reads it, a code (or a list of codes) in its French wording."""
    if column in exports.LABELS and column not in KEY_COLUMNS and value:
        wording = exports.LABELS[column][1]
        if isinstance(value, list | tuple):
            return exports.LIST_JOINER.join(wording.get(v, v) for v in value)
        return wording.get(value, value)
    return text(value)


def named(row: dict, column: str) -> str | None:
    """A prison's code with its name, as the exports' label column gives it
    (exports.NAMED_BY, read beside the row); None for any other cell."""
    if column in exports.NAMED_BY and row.get(exports.NAMED_BY[column][1]):
        return f"{row[exports.NAMED_BY[column][1]]} ({row[column]})"
    return None


def cells(row: dict, columns: list[str]) -> list[str]:
    return [named(row, c) or in_words(c, row[c]) for c in columns]


def facts(worklist: str, row: dict) -> list[dict]:
    """Every column of a flag with its French header and description, a code in its
    French wording followed by the code itself (as the README and RULES.md name it)."""
    return [{"label": h["label"], "help": h["help"],
             "value": named(row, h["name"]) or _worded(h["name"], row[h["name"]])}
            for h in headers(worklist, [c for c in row if c in exports.COLUMNS[worklist]])]


def _worded(column: str, value) -> str:
    words, code = in_words(column, value), text(value)
    return words if words == code else f"{words} ({code})"


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
