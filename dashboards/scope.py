"""What one page covers, and what every part of a page shares: its reads, a table's row
of text."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb

from dashboards.french import department_label

# The files of the night the page is about: first seen by a run of its date (a rerun of
# the night sees none of its own, and its page stays the same).
TONIGHT = "run_id IN (SELECT run_id FROM audit.runs WHERE as_of_date = ?)"


@dataclass(frozen=True)
class Scope:
    """What one page covers: a department, or the whole country when `department` is None;
    `folders`: the departments given a folder tonight (the national page has a row for
    each, their lists empty or not)."""

    department: str | None
    run_date: date
    run_id: str
    folders: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        where = (f"Département {department_label(self.department)}" if self.department
                 else "Vue nationale")
        return f"{where} — tableau de bord au {self.run_date:%d/%m/%Y}"

    def where(self, column: str = "department") -> tuple[str, list]:
        """A filter on the department with its bound value (none for the national page)."""
        if self.department is None:
            return "TRUE", []
        return f"{column} = ?", [self.department]


def read_rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def text_row(cells: Iterable[str], css: str = "") -> str:
    """A table's row of text cells, each escaped (`css`: the row's class, if any)."""
    attribute = f' class="{css}"' if css else ""
    return f"<tr{attribute}>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
