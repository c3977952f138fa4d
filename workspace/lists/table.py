"""A list page's rows as HTML, built in Python: up to 3,000 rows of some twenty cells
are 60,000 template nodes, which Django's template engine renders in about 2 s on this
machine (benchmarks/workspace.py); format_html escapes every value exactly as the
template's autoescape does (conditional_escape), so a name carrying markup from an input
file is still shown as text."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

NOBODY = "—"
ROW = ('<tr><td><a href="{}">{}</a></td><td class="etat">{}</td><td>{}</td>{}</tr>')
CELL = "<td{}>{}</td>"
# a cell of identifiers, file names and lines: broken anywhere on paper (workspace.css)
KEYS = mark_safe(' class="cles"')  # noqa: S308 (a constant of the code's)
PLAIN = mark_safe("")  # noqa: S308


def row_html(worklist: str, key: str, cells: list[str], state: str, assignee: str,
             keys: frozenset[int] = frozenset()) -> SafeString:
    """One row: the first cell linked to the flag's page, then its state and assignee,
    then the other cells (`keys`: the positions of the cells of identifiers)."""
    first, *others = cells
    return format_html(ROW, reverse("flag", args=[worklist, key]), first, state,
                       assignee or NOBODY, format_html_join(
                           "", CELL, ((KEYS if n in keys else PLAIN, c)
                                      for n, c in enumerate(others, start=1))))
