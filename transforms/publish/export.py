"""CSV exports for prefecture units (docs/contracts.md §3), and the swap that publishes a
folder of outputs at once.

A department's folder is built from that department's rows only; cells are formatted for
a spreadsheet on a French workstation (`;`, UTF-8 with BOM, dates DD/MM/YYYY) and text
cells that a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import grp
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from schemas import codes
from schemas import exports as contract
from schemas import handovers as handover_contract
from schemas.published import ExportRecord
from transforms.publish.handovers import annex_rows, load_handovers
from transforms.publish.workbook import write_xlsx
from transforms.warehouse.checksums import checksum
from transforms.warehouse.database import read_sql
from transforms.warehouse.tables import insert_frame, model_frame

README_ENCODING = "utf-8-sig"
README_WORKLIST = "readme"  # audit.exports.worklist of a folder's README.txt
# Owner and group only (docs/contracts.md §3 names the readers: the department's unit).
EXPORT_FILE_MODE, EXPORT_FOLDER_MODE = 0o640, 0o750
# What README.txt explains after the columns: every code a cell can hold, every rule.
README_VOCABULARIES = (
    ("Motifs, situations et alertes", contract.REASONS_FR),
    ("Points d'attention", contract.MARKERS_FR),
    ("Types de mesure", contract.MEASURE_TYPES_FR),
    ("Événements d'exécution", contract.EVENT_TYPES_FR),
    ("Listes", contract.LABELS["worklist"][1]),
    ("États dans l'espace de travail", contract.HANDLING_STATES_FR),
    ("Motifs de sortie de liste (fichier resolus)", contract.RESOLUTIONS_FR),
    ("Règles appliquées", contract.RULES_FR),
)


def neutralise_formulas(column: pl.Expr) -> pl.Expr:
    """A text cell starting with = + - @ gets a leading apostrophe (never run as a formula)."""
    risky = column.str.starts_with(contract.FORMULA_PREFIXES[0])
    for prefix in contract.FORMULA_PREFIXES[1:]:
        risky = risky | column.str.starts_with(prefix)
    return pl.when(risky).then(pl.lit("'") + column).otherwise(column)


def _cell(name: str, dtype: pl.DataType, typed: bool) -> pl.Expr:
    column = pl.col(name)
    if dtype == pl.Date:
        return column if typed else column.dt.strftime(contract.DATE_FORMAT)
    if dtype == pl.Boolean:
        return pl.when(column).then(pl.lit(contract.YES)).otherwise(pl.lit(contract.NO))
    if isinstance(dtype, pl.List):
        joined = neutralise_formulas(column.list.join(contract.LIST_JOINER))
        return pl.when(column.list.len() > 0).then(joined)  # an empty list: an empty cell
    if dtype == pl.String:
        return neutralise_formulas(column)
    return column if typed else column.cast(pl.String)


def wording(name: str) -> dict[str, str]:
    """The French wording of each code a labelled column holds, as a cell shows it."""
    return {code: text[:1].upper() + text[1:]
            for code, text in contract.LABELS[name][1].items()}


def with_labels(rows: pl.DataFrame, worklist: str) -> pl.DataFrame:
    """Each code column's label column (<column>_label): the same values in French, a list
    of codes as the list of their wordings; a code without a wording stays as is."""
    labels = []
    for name in contract.COLUMNS[worklist]:
        if name in contract.NAMED_BY:  # its wording read from the rows, else the code
            source = contract.NAMED_BY[name][1]
            label = (pl.coalesce(pl.col(source), pl.col(name)) if source in rows.columns
                     else pl.col(name))
            labels.append(label.alias(name + contract.LABEL_SUFFIX))
            continue
        if name not in contract.LABELS:
            continue
        column, words = pl.col(name), wording(name)
        label = (column.list.eval(pl.element().replace(words))
                 if isinstance(rows.schema[name], pl.List) else column.replace(words))
        labels.append(label.alias(name + contract.LABEL_SUFFIX))
    return rows.with_columns(labels)


def export_frame(rows: pl.DataFrame, worklist: str, run_date: date,
                 typed: bool = False) -> pl.DataFrame:
    """One worklist's rows as the cells of its CSV: contract order, each code followed by
    its French label, French headers, sorted the way a unit works through the list.
    `typed` keeps dates and numbers as such (for the XLSX copy); otherwise every cell is
    text as the CSV holds it."""
    return _cells(rows, worklist, run_date, typed).drop(FOLDER)


# The department whose folder a row goes to, beside its cells while they are split.
FOLDER = "\x00department"


def _cells(rows: pl.DataFrame, worklist: str, run_date: date, typed: bool) -> pl.DataFrame:
    if "first_seen_date" in rows.columns:
        new = pl.col("first_seen_date") == pl.lit(run_date)
        if "department_before" in rows.columns:  # arrived from another department's list
            new = new | (pl.col("department_before") != pl.col("department")).fill_null(False)
        rows = rows.with_columns(new_tonight=new)
    ordered = with_labels(rows, worklist).sort(
        list(contract.SORT[worklist]), descending=list(contract.SORT[worklist].values()),
        nulls_last=True, maintain_order=True)
    schema = ordered.schema
    return ordered.select(*(_cell(name, schema[name], typed).alias(header)
                            for name, header, _ in contract.export_columns(worklist)),
                          pl.col("department").alias(FOLDER))


def cells_by_department(rows: pl.DataFrame, worklist: str, run_date: date,
                        departments: list[str], typed: bool = False
                        ) -> dict[str, pl.DataFrame]:
    """`export_frame` of each department's rows (an empty list: the header alone), rendered
    once for all the rows, then split: a stable sort keeps, within a department, the
    order of the department's rows sorted alone."""
    return _split(_cells(rows, worklist, run_date, typed), departments, FOLDER,
                  include_key=False)


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    frame.write_csv(path, separator=contract.SEPARATOR, include_bom=True,
                    quote_style="necessary", line_terminator="\r\n")


def lines_fr(count: int) -> str:
    """"0 ligne", "1 ligne", "2 lignes": French puts the plural from two on."""
    return f"{count} ligne{'s' if count > 1 else ''}"


def handovers_readme(run_date: date, sizes: dict[str, int]) -> list[str]:
    """README.txt's lines on the handovers files: each quarter's file, each column."""
    lines = []
    for quarter in handover_contract.quarters(run_date):
        name = handover_contract.file_name(quarter, run_date)
        counted = f" ({lines_fr(sizes[name])} et le total)" if name in sizes else ""
        lines.append(f"== {name}{counted}")
    lines += ["", f"  {handover_contract.TITLE}.", ""]
    lines += [f"  {header} : {text}" for _, header, text in handover_contract.COLUMNS]
    return [*lines, ""]


# load_lists' key for the execution events that name no measure (unattributed_executions.sql)
UNATTRIBUTED = "unattributed_executions"


def unattributed_readme(rows: pl.DataFrame | None) -> list[str]:
    """README.txt's warning on the execution events of the latest AGDREF snapshot that
    name no measure (file and line, type and date only: no person is known)."""
    if rows is None or rows.height == 0:
        return []
    lines = [
        "== ATTENTION : exécutions sans numéro de mesure",
        "",
        f"  Le dernier extrait AGDREF des événements contient {rows.height} ligne(s)",
        "  d'exécution mise(s) en quarantaine sans numéro de mesure lisible. La mesure",
        "  concernée ne peut pas être retrouvée : elle figure peut-être encore dans la liste",
        "  des mesures non exécutées. Avant d'agir sur une mesure de cette liste, vérifier",
        "  dans AGDREF qu'elle n'a pas été exécutée, et faire corriger ces lignes :",
    ]
    for row in rows.iter_rows(named=True):
        label = contract.EVENT_TYPES_FR.get(row["event_type"], row["event_type"])
        lines.append(f"  - {row['file_name']} ligne {row['line_number']} : {label}"
                     f" (date indiquée : {row['event_date_as_delivered'] or 'aucune'})")
    return [*lines, ""]


def readme_text(department: str, run_date: date, sizes: dict[str, int],
                unattributed: pl.DataFrame | None = None) -> str:
    """README.txt of a department's folder, in French: a warning first when execution
    events name no measure, then each file, each column, each code and its label, each
    rule."""
    lines = [
        f"Listes de travail du département {department} au {run_date:%d/%m/%Y}",
        "",
        "Ces listes sont des suggestions à examiner par un agent, jamais des décisions.",
        "Chaque ligne indique les règles appliquées et les lignes des fichiers sources.",
        "Chaque colonne de codes est suivie d'une colonne « (en clair) » qui les donne en",
        "toutes lettres ; chaque code et chaque règle sont expliqués à la fin de ce fichier.",
        "Format : séparateur « ; », UTF-8 avec BOM, dates JJ/MM/AAAA, listes séparées",
        "par « | ». Une cellule de texte commençant par = + - ou @ est précédée d'une",
        "apostrophe pour qu'un tableur ne l'exécute jamais comme une formule.",
        "",
        "Chaque liste existe en deux fichiers de même contenu : .csv (format d'échange) et",
        ".xlsx (à ouvrir de préférence dans un tableur : les numéros AGDREF gardent leurs",
        "zéros initiaux, qu'un tableur retire d'un .csv ouvert par double-clic ; en-tête",
        "figé, filtres ; impression en paysage à 65 %, le numéro AGDREF et la clé de la",
        "personne repris sur chaque page).",
        "",
        "tableau_de_bord.html : le tableau de bord du département (à ouvrir dans un",
        "navigateur, sans connexion) ; des comptes seulement, jamais une personne.",
        "",
        *unattributed_readme(unattributed),
    ]
    for worklist in (*codes.EXPORTED_TABLES, contract.RESOLVED):
        name = contract.FILE_NAME.format(worklist=worklist, day=run_date)
        counted = f" ({lines_fr(sizes[worklist])})" if worklist in sizes else ""
        lines += [f"== {name} : {contract.TITLES[worklist]}{counted}", ""]
        lines += [f"  {header} : {text}"
                  for _, header, text in contract.export_columns(worklist)]
        lines.append("")
    lines += handovers_readme(run_date, sizes)
    for title, vocabulary in README_VOCABULARIES:
        lines += [f"== {title}", ""]
        lines += [f"  {code} : {text}" for code, text in vocabulary.items()]
        lines.append("")
    lines += ["Les personnes protégées (demande d'asile en cours, mineurs, réfugiés, titre",
              "de séjour valide, recours en cours...) ne figurent jamais sur ces listes.", ""]
    return "\r\n".join(lines)


def load_lists(con: duckdb.DuckDBPyConnection, run_date: date | None = None
               ) -> dict[str, pl.DataFrame]:
    """The lists and the legal alerts, the flags resolved on `run_date` (default: the
    latest run of the flag history) under contract.RESOLVED, and the handovers by quarter
    under schemas.handovers.HANDOVERS."""
    if run_date is None:
        run_date = con.execute("SELECT max(run_date) FROM worklists.flag_history").fetchall()[0][0]
    lists = {name: con.sql(f"SELECT * FROM worklists.{name}").pl()  # noqa: S608 (fixed names)
             for name in codes.EXPORTED_TABLES}
    # each flag's department on its list the night before: new in a folder it arrived in
    before = con.sql(read_sql("flag_departments_before.sql"),
                     params={"run_date": run_date}).pl()
    for name in codes.WORKLISTS:
        lists[name] = lists[name].join(
            before.filter(pl.col("worklist") == name).drop("worklist"), on="flag_id",
            how="left")
    # each release's prison named beside its code (contract.NAMED_BY)
    lists[codes.RELEASES] = lists[codes.RELEASES].join(
        con.sql(read_sql("establishment_names.sql")).pl(), on="establishment_code",
        how="left")
    lists[contract.RESOLVED] = con.sql(read_sql("resolved_flags.sql"),
                                       params={"run_date": run_date}).pl()
    lists[handover_contract.HANDOVERS] = load_handovers(con)
    lists[UNATTRIBUTED] = con.sql(read_sql("unattributed_executions.sql"),
                                  params={"run_date": run_date}).pl()
    return lists


@dataclass(frozen=True)
class FolderLists:
    """What a department's folder is written from: each list's cells as its CSV holds
    them (`export_frame`) and, for the three lists and the alerts, as its XLSX copy does
    (typed); its handovers; the execution events naming no measure in its AGDREF
    snapshot."""

    cells: dict[str, pl.DataFrame]
    typed: dict[str, pl.DataFrame]
    handovers: pl.DataFrame | None
    unattributed: pl.DataFrame | None


def folder_lists(lists: dict[str, pl.DataFrame], departments: list[str], run_date: date
                 ) -> dict[str, FolderLists]:
    """Each department's FolderLists, from the night's lists (`load_lists`): every list
    rendered once for all departments, then split (nationally a hundred renderings of
    small frames cost more than one of all the rows)."""
    exported = [name for name in (*codes.EXPORTED_TABLES, contract.RESOLVED) if name in lists]
    cells = {name: cells_by_department(lists[name], name, run_date, departments)
             for name in exported}
    typed = {name: cells_by_department(lists[name], name, run_date, departments, typed=True)
             for name in exported}
    own = {name: _split(lists[name], departments) if name in lists else None
           for name in (handover_contract.HANDOVERS, UNATTRIBUTED)}
    return {department: FolderLists(
        {name: frames[department] for name, frames in cells.items()},
        {name: frames[department] for name, frames in typed.items()},
        *(rows[department] if rows is not None else None for rows in own.values()))
        for department in departments}


def _split(rows: pl.DataFrame, departments: list[str], column: str = "department",
           include_key: bool = True) -> dict[str, pl.DataFrame]:
    """Each department's rows (`column`: its code, left out unless `include_key`), in
    their order; a department without rows gets none."""
    parts = rows.partition_by(column, as_dict=True, include_key=include_key,
                              maintain_order=True)
    empty = rows.clear() if include_key else rows.clear().drop(column)
    return {department: parts.get((department,), empty) for department in departments}


def export_departments(con: duckdb.DuckDBPyConnection,
                       lists: dict[str, pl.DataFrame] | None = None) -> list[str]:
    """Every department with data in the warehouse gets a folder, even with empty lists:
    an empty list tonight is news too; and so does every department a row of the night's
    `lists` (load_lists) names: one whose last flag moved to another department reads
    there that it left (contract.RESOLVED, MOVED_TO_ANOTHER_DEPARTMENT)."""
    rows = con.sql(
        "SELECT department FROM core.persons UNION SELECT department FROM core.detentions "
        "UNION SELECT department FROM core.asylum_decisions "
        "UNION SELECT department FROM core.removal_measures"
    ).fetchall()
    named = {d for frame in (lists or {}).values() if "department" in frame.columns
             for d in frame.get_column("department").unique().to_list()}
    return sorted({*(r[0] for r in rows), *named} - {None})


def write_department(lists: dict[str, pl.DataFrame], department: str, folder: Path,
                     run_date: date) -> list[dict]:
    """The department's folder from the night's lists (`load_lists`, every department's
    rows: the department's are taken here); returns one audit record per file."""
    return write_folder(folder_lists(lists, [department], run_date)[department], department,
                        folder, run_date)


def write_folder(lists: FolderLists, department: str, folder: Path, run_date: date
                 ) -> list[dict]:
    """The department's three lists, its legal alerts and the flags resolved tonight (CSV
    and XLSX) and README.txt; returns one audit record per file."""
    folder.mkdir(parents=True, exist_ok=True)
    records, sizes = [], {}
    for worklist, cells in lists.cells.items():
        path = folder / contract.FILE_NAME.format(worklist=worklist, day=run_date)
        write_csv(cells, path)
        written = [path]
        if worklist in lists.typed:
            written.append(path.with_suffix(".xlsx"))
            write_xlsx(lists.typed[worklist], written[-1], contract.SHEET_NAMES[worklist],
                       run_date)
        sizes[worklist] = cells.height
        records += [{"department": department, "worklist": worklist,
                     "file_name": f"{department}/{file.name}", "rows": cells.height,
                     "sha256": checksum(file)} for file in written]
    if lists.handovers is not None:
        written, counted = write_handovers(lists.handovers, department, folder, run_date)
        records += written
        sizes.update(counted)
    readme = folder / contract.README_NAME
    readme.write_text(readme_text(department, run_date, sizes, lists.unattributed),
                      encoding=README_ENCODING, newline="")
    # recorded as every other file of the folder (docs/contracts.md §3), no list's rows
    records.append({"department": department, "worklist": README_WORKLIST,
                    "file_name": f"{department}/{readme.name}", "rows": 0,
                    "sha256": checksum(readme)})
    return records


def write_handovers(rows: pl.DataFrame, department: str, folder: Path, run_date: date
                    ) -> tuple[list[dict], dict[str, int]]:
    """A department's handovers, one annex table a quarter (schemas/handovers.py), even
    empty; returns the audit records and each file's rows (the totals row apart)."""
    records, sizes = [], {}
    for quarter in handover_contract.quarters(run_date):
        table = annex_rows(rows, quarter)
        path = folder / handover_contract.file_name(quarter, run_date)
        write_csv(table.select(_cell(name, table.schema[name], typed=False).alias(header)
                               for name, header, _ in handover_contract.COLUMNS), path)
        sizes[path.name] = table.height - 1
        records.append({"department": department, "worklist": handover_contract.HANDOVERS,
                        # every line under the header, the totals' too (CONTRACTS §3)
                        "file_name": f"{department}/{path.name}", "rows": table.height,
                        "sha256": checksum(path)})
    return records, sizes


def exports_gid(group: str | None) -> int:
    """The group id the exports are given (-1: leave the owner's group)."""
    if group is None:
        return -1
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise LookupError(f"no group named {group!r} for the exports "
                          "(RECONCILE_EXPORTS_GROUP)") from None


def restrict_exports(root: Path, group: str | None) -> None:
    """Owner and group only, like the warehouse: every folder under `root` (itself
    included) 750, every file 640, all given `group` (None: the owner's group)."""
    gid = exports_gid(group)
    for path in (root, *sorted(root.rglob("*"))):
        if path.is_symlink():
            continue
        if gid != -1 and path.stat().st_gid != gid:
            os.chown(path, -1, gid)
        mode = EXPORT_FOLDER_MODE if path.is_dir() else EXPORT_FILE_MODE
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)


def record_exports(con: duckdb.DuckDBPyConnection, run_id: str, records: list[dict]) -> None:
    """audit.exports gains the files this run wrote, but for a file written again with the
    bytes it was last recorded with (a rerun of a night records nothing new)."""
    con.execute("DELETE FROM audit.exports WHERE run_id = ?", [run_id])
    last = dict(con.execute(
        "SELECT e.file_name, arg_max(e.sha256, r.started_at) FROM audit.exports e "
        "JOIN audit.runs r USING (run_id) GROUP BY e.file_name"
    ).fetchall())
    changed = [r for r in records if last.get(r["file_name"]) != r["sha256"]]
    insert_frame(con, "audit.exports",
                 model_frame([{"run_id": run_id, **r} for r in changed], ExportRecord))
