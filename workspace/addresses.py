"""What may be kept of a page's address where a person must never be (the views log's
refusals, the console's request log): the page's name and, of its parts, a list's name,
a flag's or a pair's key, a department, an export's file name, each checked against its
shape. Anything else typed into an address (a name, an AGDREF or OFPRA number) is kept as
"(non conservé)", never as typed. No model is imported here: the console's log filter is
set up with the settings, before Django's applications are ready."""

from __future__ import annotations

import logging
import re

from schemas import codes
from schemas.exports import RESOLVED
from schemas.handovers import HANDOVERS

NOT_KEPT = "(non conservé)"
# The files a night writes in a department's folder, by the start of their names: any other
# name is not kept (a name and a birth date typed as a file's, benali_01061988.csv).
_EXPORTED = "|".join(re.escape(name) for name in (*codes.EXPORTED_TABLES, RESOLVED))
# Each part of an address, by its name in workspace/urls.py, and the shape it must have
# to be kept as it is.
SHAPES = {
    "key": re.compile(r"[A-Z]{3}-[0-9a-f]{16}"),  # flag, alert or candidate id
    "pair_id": re.compile(r"IDP-[0-9a-f]{16}"),
    "department": re.compile(r"\d{2}|2[AB]|97[1-6]"),
    "name": re.compile(rf"(?:{_EXPORTED})_\d{{8}}\.(?:csv|xlsx)"
                       rf"|{HANDOVERS}_\d{{4}}T[1-4]_\d{{8}}\.csv|README\.txt"
                       r"|tableau_de_bord\.html"),
}


def kept_part(part: str, value: str) -> str:
    if part == "worklist":
        return value if value in codes.EXPORTED_TABLES else NOT_KEPT
    shape = SHAPES.get(part)
    return value if shape is not None and shape.fullmatch(value) else NOT_KEPT


def kept_address(request) -> str:
    """`<page> <parts…>` of a request's address, without anything that could be a
    person; an address that is no page of the workspace is not kept at all."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return NOT_KEPT
    parts = [kept_part(part, str(value)) for part, value in sorted(match.kwargs.items())]
    return " ".join([match.url_name or "?", *parts])


class KeptAddresses(logging.Filter):
    """Django's request log ("Not Found: <path>", "Bad Request: <path>", errors) names
    the address, where a number or a name may have been typed: the console (journald)
    gets the kept address instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path is not None and isinstance(record.args, tuple):
            # Django logs the path escaped (django.utils.log.log_response): LEFÈVRE as
            # LEF\xc8VRE
            typed = {path, path.encode("unicode_escape").decode("ascii")}
            record.args = tuple(kept_address(request) if arg in typed else arg
                                for arg in record.args)
        return True
