"""Recording a decision on a flag. The flag is looked up again in the account's
departments before anything is written: a decision on another department's flag, or on
a list the decision does not belong to, is refused (404 and 400)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from workspace.accounts.access import persons_view
from workspace.decisions import state
from workspace.decisions.models import WORKLIST_OF, DecisionEvent, Kind
from workspace.lists import queries
from workspace.lists.views import warehouse
from workspace.lists.warehouse import WarehouseUnavailable

NOTE_LENGTH = 500


def _target(request, worklist: str, key: str) -> dict:
    try:
        with warehouse() as cur:
            found = (queries.flag(cur, worklist, key, request.departments)
                     or queries.exclusion(cur, worklist, key, request.departments))
    except WarehouseUnavailable:
        found = None
    if found is None:
        raise Http404
    return found


def _prison_answer(request) -> tuple[bool | None, date | None]:
    answer = request.POST.get("taken_in_charge")
    if answer not in ("oui", "non"):
        raise ValueError("answer")
    raw = request.POST.get("charge_date", "").strip()
    return answer == "oui", date.fromisoformat(raw) if raw else None


@require_POST
@persons_view
def decide(request, worklist: str, key: str):
    kind = request.POST.get("kind", "")
    if kind not in Kind.values or WORKLIST_OF[kind] != worklist:
        return HttpResponseBadRequest("décision inconnue pour cette liste")
    row = _target(request, worklist, key)
    if kind not in state.actions(worklist, state.events(key, row["person_key"],
                                                         request.departments)):
        return HttpResponseBadRequest("décision déjà enregistrée")
    taken, charge = None, None
    if kind == Kind.PRISON_ANSWER:
        try:
            taken, charge = _prison_answer(request)
        except ValueError:
            return HttpResponseBadRequest("réponse incomplète")
    event = DecisionEvent.objects.create(
        kind=kind, worklist=worklist, flag_id=key, person_key=row["person_key"],
        department=row["department"], decided_by=request.user,
        effective_date=timezone.localdate(), taken_in_charge=taken, charge_date=charge,
        note=request.POST.get("note", "")[:NOTE_LENGTH])
    messages.success(request, f"Enregistré : {state.describe(event)}. La nuit prochaine "
                              "en tiendra compte.")
    return redirect("flag", worklist=worklist, key=key)
