"""The readers' warehouse: what a night publishes for analysts, units, the workspace and
the dashboards, built afresh from the history warehouse (transforms.publish.publication)
into a file of its own, so that a night never copies the history.

It holds, with every COMMENT of the history warehouse (docs/contracts.md §2):

- `core`, `worklists`, `marts` and `audit` whole: rebuilt every night, or kept as
  changes (the flag history's stretches), or trimmed by `reconcile purge`; with their
  views (`worklists.flag_history`) and constraints; but for the identity stage's
  memories (digests and scored pairs the next night reads in the history warehouse:
  about 10 million rows nationally, of no use to a reader) and GeoNames' names of towns
  (`core.town_names`: the towns of birth read with them, `core.birth_towns`, are
  published; it lists every place text staged, of earlier deliveries too, without
  whom it names);
- the TélémOfpra and GENESIS layers whole (`raw.telemofpra`, `raw.genesis`,
  `staging.asylum_decisions`, `staging.detainees`): each delivery brings new decisions
  or committals, which the workspace shows with their rows as delivered;
- of each table AGDREF delivers in full every night (transforms.warehouse.history), the
  rows of the latest delivery of each department only, under the table's own name
  (`raw.agdref_personnes`, `staging.agdref_persons`…: what the lists cite), and for the
  staged ones the `_latest` view. Every earlier delivery (`_contents`, `_deliveries`,
  `_history`, `_on(date)`) stays in the history warehouse (docs/analysts.md says how to
  read it).

So the file grows with what readers need, not with the number of nights. The SQL names
the history warehouse's own tables, read from its catalog; values are bound, and the
comments are the code's own texts read back."""

from __future__ import annotations

from pathlib import Path

import duckdb

from transforms.core.town_names import NIGHT_ONLY_TABLES
from transforms.identity.memory import IDENTITY_MEMORY_TABLES
from transforms.warehouse import history
from transforms.warehouse.database import (
    WarehouseSettings,
    attach,
    connect,
    literal,
    table_exists,
)
from transforms.warehouse.tables import warehouse_tables

HISTORY = "history"  # the history warehouse's alias while the readers' one is built
# (schema, table or view) -> (its comment, [(column, comment)…])
Comments = dict[tuple[str, str], tuple[str | None, list[tuple[str, str]]]]
WHOLE_SCHEMAS = ("core", "worklists", "marts", "audit")
LAYER_NOTES = {
    "raw": " Published warehouse: TélémOfpra and GENESIS whole, AGDREF's latest delivery "
           "of each department; every delivery is in the history warehouse.",
    "staging": " Published warehouse: TélémOfpra and GENESIS whole, AGDREF's latest "
               "snapshot of each department; every delivery is in the history warehouse.",
}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def holds_history(path: Path, settings: WarehouseSettings) -> bool:
    """Whether a warehouse file is a whole warehouse (an earlier version's published one,
    or a history warehouse), not a readers' warehouse (whose layers say so)."""
    with connect(path, read_only=True, settings=settings) as con:
        described = table_exists(con, "audit.layers")
        found = con.execute("SELECT description FROM audit.layers WHERE layer = 'raw'"
                            ).fetchall() if described else []
    return not (found and found[0][0].endswith(LAYER_NOTES["raw"]))


def _whole(schema: str, table: str) -> bool:
    """A table of the history warehouse copied whole (the identity stage's memories and
    the names of towns are the next night's alone: not published)."""
    name = f"{schema}.{table}"
    if name in IDENTITY_MEMORY_TABLES or name in NIGHT_ONLY_TABLES:
        return False
    return schema in WHOLE_SCHEMAS or (
        name in warehouse_tables() and not history.kept_as_changes(name))


def build_readers_warehouse(history_path: Path, target: Path,
                            settings: WarehouseSettings) -> None:
    """Write the readers' warehouse of the history warehouse's committed state to
    `target` (replaced if present: a night's folder killed half-way), checkpointed."""
    target.unlink(missing_ok=True)
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    with connect(target, settings=settings) as con:
        attach(con, history_path, HISTORY, read_only=True, settings=settings)
        con.execute("BEGIN TRANSACTION")
        comments = _history_comments(con)
        _copy_schemas(con)
        _copy_whole_tables(con, comments)
        _copy_latest_deliveries(con, comments)
        _copy_views(con, comments)
        _describe_layers(con)
        con.execute("COMMIT")
        con.execute(f"DETACH {HISTORY}")
        con.execute("CHECKPOINT")


def _catalog(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql, [HISTORY]).fetchall()


def _copy_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for (schema,) in _catalog(con, "SELECT schema_name FROM duckdb_schemas() WHERE "
                                   "database_name = ? AND NOT internal ORDER BY 1"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {_quoted(schema)}")


def _copy_whole_tables(con: duckdb.DuckDBPyConnection, comments: Comments) -> None:
    """Each table with its definition (types, constraints), rows and comments."""
    for schema, table, sql in _catalog(
            con, "SELECT schema_name, table_name, sql FROM duckdb_tables() "
                 "WHERE database_name = ? AND NOT temporary ORDER BY 1, 2"):
        if not _whole(schema, table):
            continue
        name = f"{_quoted(schema)}.{_quoted(table)}"
        con.execute(sql)
        con.execute(f"INSERT INTO {name} SELECT * FROM {HISTORY}.{name}")  # noqa: S608
        _copy_comments(con, comments, schema, table, "TABLE")


def _copy_latest_deliveries(con: duckdb.DuckDBPyConnection, comments: Comments) -> None:
    """Each AGDREF table as a table of its latest deliveries (the rows the lists cite, with
    their own file and line), and the `_latest` view of the staged snapshots."""
    present = {f"{schema}.{name}" for schema, name in _catalog(
        con, "SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = ?")}
    for table, (_, kind) in history.KEPT_AS_CHANGES.items():
        if table not in present:  # not a warehouse of this version's (a test's)
            continue
        schema, name = table.split(".")
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM {HISTORY}.{table} WHERE "  # noqa: S608
            + history.latest_deliveries_condition(table, f"{HISTORY}.audit.files"))
        _copy_comments(con, comments, schema, name, "VIEW", as_kind="TABLE")
        summary = warehouse_tables()[table][1]
        con.execute(f"COMMENT ON TABLE {table} IS " + literal(
            f"{summary} Published warehouse: the latest delivery of each department "
            "(every delivery: the history warehouse)."))
        if kind is not None:
            con.execute(f"CREATE VIEW {table}_latest AS "
                        f"{history.latest_snapshot_sql(table, kind)}")
            con.execute(f"COMMENT ON VIEW {table}_latest IS " + literal(
                "The latest delivered snapshot of each unit (every snapshot: "
                f"{table}_on(date) in the history warehouse)."))
            _copy_comments(con, comments, schema, f"{name}_latest", "VIEW", with_table=False)


def _copy_views(con: duckdb.DuckDBPyConnection, comments: Comments) -> None:
    """The views of the schemas copied whole (worklists.flag_history), over their tables
    copied above."""
    for schema, view, sql in _catalog(
            con, "SELECT schema_name, view_name, sql FROM duckdb_views() "
                 "WHERE database_name = ? AND NOT internal AND NOT temporary ORDER BY 1, 2"):
        if schema in WHOLE_SCHEMAS:
            con.execute(sql)
            _copy_comments(con, comments, schema, view, "VIEW")


def _history_comments(con: duckdb.DuckDBPyConnection) -> Comments:
    """(schema, table or view) -> (its comment, [(column, comment)…]) of the history
    warehouse, read once (the catalog of an attached database is slow to scan)."""
    objects = {(schema, name): (comment, []) for schema, name, comment in con.execute(
        "SELECT schema_name, table_name, comment FROM duckdb_tables() "
        "WHERE database_name = ? UNION ALL SELECT schema_name, view_name, comment "
        "FROM duckdb_views() WHERE database_name = ? AND NOT internal",
        [HISTORY, HISTORY]).fetchall()}
    for schema, name, column, comment in _catalog(
            con, "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
                 "WHERE database_name = ? AND comment IS NOT NULL "
                 "ORDER BY schema_name, table_name, column_index"):
        if (schema, name) in objects:
            objects[schema, name][1].append((column, comment))
    return objects


def _copy_comments(con: duckdb.DuckDBPyConnection, comments: Comments, schema: str,
                   name: str, kind: str, as_kind: str | None = None,
                   with_table: bool = True) -> None:
    """The comments of a table or view of the history warehouse and of its columns onto
    the readers' object of the same name (`as_kind`: a view published as a table;
    `with_table`: False for the columns' only)."""
    comment, columns = comments.get((schema, name), (None, []))
    target = f"{_quoted(schema)}.{_quoted(name)}"
    if with_table and comment:
        con.execute(f"COMMENT ON {as_kind or kind} {target} IS {literal(comment)}")
    for column, text in columns:
        con.execute(f"COMMENT ON COLUMN {target}.{_quoted(column)} IS {literal(text)}")


def _describe_layers(con: duckdb.DuckDBPyConnection) -> None:
    if not table_exists(con, "audit.layers"):
        return
    for layer, note in LAYER_NOTES.items():
        con.execute("UPDATE audit.layers SET description = description || ? "
                    "WHERE layer = ?", [note, layer])
