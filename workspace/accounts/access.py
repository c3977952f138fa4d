"""Need to know, on the server: which departments a request may see, and the guard every
view about a person goes through (an analyst is refused, whatever the department)."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied

from workspace.accounts.models import PageView, Role


def departments(request) -> list[str]:
    """The departments of the signed-in account (empty for an analyst)."""
    return request.user.departments()


def persons_view(view):
    """A view that shows persons: 403 for an analyst (aggregates only); the view itself
    scopes every query to `request.departments`."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.sees_persons:
            raise PermissionDenied("aggregates only")
        request.departments = departments(request)
        return view(request, *args, **kwargs)

    return guarded


def unit_view(view):
    """A view for the units (the identity review queue, the department dashboard):
    agents and managers only (403 otherwise); the view scopes every query to
    `request.departments`."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.decides:
            raise PermissionDenied("agents and managers only")
        request.departments = departments(request)
        return view(request, *args, **kwargs)

    return guarded


reviewer_view = unit_view


def admin_view(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.user.role != Role.ADMIN:
            raise PermissionDenied("administrators only")
        return view(request, *args, **kwargs)

    return guarded


def record_view(request, kind: str, target: str) -> None:
    """Traceability (issue 34 §6): who saw which flag or person, when."""
    PageView.objects.create(account=request.user, kind=kind, target=target)


def record_lookup(request, kind: str, keys: list[str]) -> None:
    """A look-up by a person's number: one view per flag or candidate it showed, by its
    key. The number typed is never kept: it is a person's number, and the log must hold
    none (docs/design.md, need to know); a look-up that found nothing in the account's
    departments is kept as one view without a target."""
    shown = sorted(set(keys)) or [""]
    PageView.objects.bulk_create(
        [PageView(account=request.user, kind=kind, target=key) for key in shown])
