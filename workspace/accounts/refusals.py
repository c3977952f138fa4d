"""Refused requests in the views log (issue 34 §6, need to know): an account that asks for
a flag, a pair or an export outside its departments gets "not found" (an analyst asking
for a person, "forbidden"), and an administrator reading the log sees who probed what.

What is kept of the address is only what cannot be a person: the page's name and, of its
parts, a list's name, a flag's or a pair's key, a department, an export's file name, each
checked against its shape. Anything else typed into an address (a name, an AGDREF or
OFPRA number) is kept as "(non conservé)", never as typed."""

from __future__ import annotations

import re

from schemas import codes
from workspace.accounts.access import record_view

REFUSED = "refused"  # the views log's kind of a refused request
NOT_KEPT = "(non conservé)"
# Each part of an address, by its name in workspace/urls.py, and the shape it must have
# to be kept as it is.
SHAPES = {
    "key": re.compile(r"[A-Z]{3}-[0-9a-f]{16}"),  # flag, alert or candidate id
    "pair_id": re.compile(r"IDP-[0-9a-f]{16}"),
    "department": re.compile(r"\d{2}|2[AB]|97[1-6]"),
    "name": re.compile(r"[a-z_]+(_\d{4}T[1-4])?_\d{8}\.(csv|xlsx)|README\.txt"
                       r"|tableau_de_bord\.html"),
}


def _kept(part: str, value: str) -> str:
    if part == "worklist":
        return value if value in codes.EXPORTED_TABLES else NOT_KEPT
    shape = SHAPES.get(part)
    return value if shape is not None and shape.fullmatch(value) else NOT_KEPT


def refused_target(request, status: int) -> str:
    """`<status> <page> <parts…>`: what a refused request asked for, without anything
    that could be a person."""
    match = request.resolver_match
    parts = [_kept(part, str(value)) for part, value in sorted(match.kwargs.items())]
    return " ".join([str(status), match.url_name or "?", *parts])


class RefusalLog:
    """Middleware: a signed-in account's request for a page of the workspace answered "not
    found" or "forbidden" is kept in the views log (kind REFUSED)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An address that is no page of the workspace (a browser's /favicon.ico) shows
        # nothing to refuse: not kept. (request.user: set by AuthenticationMiddleware,
        # before this one.)
        if (response.status_code in (403, 404) and request.resolver_match is not None
                and request.user.is_authenticated):
            record_view(request, REFUSED, refused_target(request, response.status_code))
        return response
