"""Refused requests in the views log (issue 34 §6, need to know): an account that asks for
a flag, a pair or an export outside its departments gets "not found" (an analyst asking
for a person, "forbidden"), and an administrator reading the log sees who probed what, of
the address only what cannot be a person (workspace.addresses)."""

from __future__ import annotations

from workspace.accounts.access import record_view
from workspace.addresses import NOT_KEPT, kept_address

REFUSED = "refused"  # the views log's kind of a refused request
__all__ = ["NOT_KEPT", "REFUSED", "RefusalLog", "refused_target"]


def refused_target(request, status: int) -> str:
    """`<status> <page> <parts…>`: what a refused request asked for, without anything
    that could be a person (workspace.addresses)."""
    return f"{status} {kept_address(request)}"


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
