"""CSV exports for prefecture units (docs/contracts.md §3), and the swap that publishes a
folder of outputs at once.

A department's folder is built from that department's rows only; cells are formatted for
a spreadsheet on a French workstation (`;`, UTF-8 with BOM, dates DD/MM/YYYY) and text
cells that a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from schemas import codes
from schemas import exports as contract
from schemas.published import ExportRecord
from transforms.ingest.inbox import checksum
from transforms.publish.workbook import write_xlsx
from transforms.warehouse.tables import insert_frame, model_frame

README_ENCODING = "utf-8-sig"


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


def export_frame(rows: pl.DataFrame, worklist: str, run_date: date,
                 typed: bool = False) -> pl.DataFrame:
    """One worklist's rows as the cells of its CSV: contract order, French headers,
    sorted the way a unit works through the list. `typed` keeps dates and numbers as
    such (for the XLSX copy); otherwise every cell is text as the CSV holds it."""
    columns = contract.COLUMNS[worklist]
    ordered = rows.with_columns(
        new_tonight=pl.col("first_seen_date") == pl.lit(run_date)
    ).sort(list(contract.SORT[worklist]), descending=list(contract.SORT[worklist].values()),
           nulls_last=True, maintain_order=True)
    schema = ordered.schema
    return ordered.select(
        _cell(name, schema[name], typed).alias(header) for name, (header, _) in columns.items()
    )


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    frame.write_csv(path, separator=contract.SEPARATOR, include_bom=True,
                    quote_style="necessary", line_terminator="\r\n")


def readme_text(department: str, run_date: date, sizes: dict[str, int]) -> str:
    """README.txt of a department's folder, in French: each file, each column, each code."""
    lines = [
        f"Listes de travail du département {department} au {run_date:%d/%m/%Y}",
        "",
        "Ces listes sont des suggestions à examiner par un agent, jamais des décisions.",
        "Chaque ligne indique les règles appliquées et les lignes des fichiers sources.",
        "Format : séparateur « ; », UTF-8 avec BOM, dates JJ/MM/AAAA, listes séparées",
        "par « | ». Une cellule de texte commençant par = + - ou @ est précédée d'une",
        "apostrophe pour qu'un tableur ne l'exécute jamais comme une formule.",
        "",
    ]
    lines += [
        "Chaque liste existe en deux fichiers de même contenu : .csv (format d'échange) et",
        ".xlsx (à ouvrir de préférence dans un tableur : les numéros AGDREF gardent leurs",
        "zéros initiaux, qu'un tableur retire d'un .csv ouvert par double-clic).",
        "",
    ]
    for worklist in codes.EXPORTED_TABLES:
        name = contract.FILE_NAME.format(worklist=worklist, day=run_date)
        lines += [f"== {name} : {contract.TITLES[worklist]} ({sizes[worklist]} lignes)", ""]
        lines += [f"  {header} : {text}"
                  for header, text in contract.COLUMNS[worklist].values()]
        lines.append("")
    lines += ["== Motifs et situations", ""]
    lines += [f"  {code} : {text}" for code, text in contract.REASONS_FR.items()]
    lines += ["", "== Points d'attention", ""]
    lines += [f"  {code} : {text}" for code, text in contract.MARKERS_FR.items()]
    lines += ["", "Les personnes protégées (demande d'asile en cours, mineurs, réfugiés, titre",
              "de séjour valide, recours en cours...) ne figurent jamais sur ces listes.", ""]
    return "\r\n".join(lines)


def load_lists(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    return {name: con.sql(f"SELECT * FROM worklists.{name}").pl()  # noqa: S608 (fixed names)
            for name in codes.EXPORTED_TABLES}


def lists_of(lists: dict[str, pl.DataFrame], department: str) -> dict[str, pl.DataFrame]:
    """A department's rows of each list (what a process writing its folder is sent)."""
    return {name: rows.filter(pl.col("department") == department)
            for name, rows in lists.items()}


def export_departments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every department with data in the warehouse gets a folder, even with empty lists:
    an empty list tonight is news too."""
    rows = con.sql(
        "SELECT department FROM core.persons UNION SELECT department FROM core.detentions "
        "UNION SELECT department FROM core.asylum_decisions "
        "UNION SELECT department FROM core.removal_measures"
    ).fetchall()
    return sorted({r[0] for r in rows if r[0] is not None})


def write_department(lists: dict[str, pl.DataFrame], department: str, folder: Path,
                     run_date: date) -> list[dict]:
    """The department's three lists and its legal alerts (CSV and XLSX) and README.txt;
    returns one audit record per file."""
    folder.mkdir(parents=True, exist_ok=True)
    records, sizes = [], {}
    for worklist in codes.EXPORTED_TABLES:
        rows = lists[worklist].filter(pl.col("department") == department)
        path = folder / contract.FILE_NAME.format(worklist=worklist, day=run_date)
        write_csv(export_frame(rows, worklist, run_date), path)
        workbook = path.with_suffix(".xlsx")
        write_xlsx(export_frame(rows, worklist, run_date, typed=True), workbook,
                   contract.SHEET_NAMES[worklist], run_date)
        sizes[worklist] = rows.height
        records += [{"department": department, "worklist": worklist,
                     "file_name": f"{department}/{written.name}", "rows": rows.height,
                     "sha256": checksum(written)} for written in (path, workbook)]
    (folder / contract.README_NAME).write_text(
        readme_text(department, run_date, sizes), encoding=README_ENCODING, newline="")
    return records


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
