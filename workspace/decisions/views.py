"""Recording a decision on a flag, a unit's (agents and managers: 403 for an
administrator, whose departments, when given, let them read the lists only). The flag is
looked up again in the account's departments before anything is written: a decision on
another department's flag is refused (404); one that does not belong to the list, is
not open now, or is incomplete is refused (400) with the reason in French. Assigning a
flag to an agent is a manager's decision (403 for anyone else), to an active agent or
manager of the flag's department; so is changing it (a new assignment) or withdrawing it
(the flag is to be handled again)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from schemas import exports
from workspace.accounts.access import persons_view, record_view, unit_view
from workspace.accounts.models import Account, Role
from workspace.decisions import forms, state
from workspace.decisions.models import (
    FLAG_LOCK,
    WORKLISTS_OF,
    DecisionEvent,
    Kind,
    one_at_a_time,
)
from workspace.lists import queries
from workspace.lists.views import warehouse
from workspace.lists.warehouse import WarehouseUnavailable

# the decisions that change what the next night decides (OQ-02, PRI-05)
NIGHT_READS = (Kind.OTHER_GROUND, Kind.OTHER_GROUND_CLOSED, Kind.PRISON_ANSWER,
               Kind.OUTCOME_WITHDRAWN)


def _target(request, worklist: str, key: str) -> dict:
    """The flag (or excluded candidate) in the account's departments, with the keys its
    person's decisions may be recorded under (`person_keys`)."""
    try:
        with warehouse() as cur:
            found = (queries.flag(cur, worklist, key, request.departments)
                     or queries.exclusion(cur, worklist, key, request.departments))
            if found is not None:
                found["person_keys"] = queries.person_keys(cur, found["person_key"])
    except WarehouseUnavailable:
        found = None
    if found is None:
        raise Http404
    return found


def _refusal(request, kind: str, row: dict, found: list) -> str:
    """Why this decision cannot be recorded now ("" when it can)."""
    outcomes = state.takes_outcomes(row)
    if not outcomes and kind in state.OUTCOMES:
        reason = exports.EXCLUSIONS_FR.get(row["reason_code"], row["reason_code"])
        return (f"candidat exclu de la liste cette nuit ({reason}) : aucune suite ne "
                "s'enregistre sur un candidat ainsi exclu")
    manager = request.user.role == Role.MANAGER
    holder = state.held_by_another(state.fold(found).assignee, request.user.username, manager)
    if kind == Kind.TAKEN and holder:
        return f"signalement déjà pris en charge par {holder}"
    if holder and kind not in (Kind.COMMENT, Kind.OTHER_GROUND, Kind.OTHER_GROUND_CLOSED):
        return (f"signalement pris en charge par {holder} : seul cet agent, ou un chef de "
                "bureau, décide de sa suite")
    if kind not in state.actions(row["worklist"], found, request.user.username, outcomes,
                                 manager):
        return "décision déjà enregistrée ou sans objet"
    return ""


def _refused(request, worklist: str, key: str, reason: str, status: int = 400):
    return render(request, "lists/refused.html",
                  {"worklist": worklist, "key": key, "reason": reason}, status=status)


def _stale(request, worklist: str, key: str, found: list):
    """The refusal of a decision taken on a page older than a colleague's decision on the
    flag (409: the page is to be reloaded), or None."""
    newer = state.recorded_since(found, request.POST.get("seen"), request.user)
    if newer is None:
        return None
    return _refused(request, worklist, key, state.decided_after_page(
        newer.decided_by.username, state.describe(newer), newer.decided_at), status=409)


def _sent_again(request, worklist: str, key: str, found: list, kind: str, fields: dict):
    """The refusal of a decision this account already recorded, the same in every field,
    since its page was drawn (a form sent twice), or None."""
    again = state.repeated_since(found, request.POST.get("seen"), request.user, kind, fields)
    if again is None:
        return None
    at = timezone.localtime(again.decided_at)
    return _refused(request, worklist, key, (
        f"« {state.describe(again)} » est déjà enregistré depuis l'ouverture de cette page "
        f"(le {at:%d/%m/%Y à %H:%M}) : rien de plus n'est enregistré."), status=409)


@require_POST
@unit_view
def decide(request, worklist: str, key: str):
    kind = request.POST.get("kind", "")
    if kind not in Kind.values or worklist not in WORKLISTS_OF[kind]:
        return _refused(request, worklist, key, "décision inconnue pour cette liste")
    row = {**_target(request, worklist, key), "worklist": worklist}
    form = forms.form_for(kind, request.POST)
    with one_at_a_time(FLAG_LOCK):  # checked against the events as they are when written
        found = state.events(key, row["department"], row["person_keys"], request.departments)
        stale = _stale(request, worklist, key, found) if kind != Kind.COMMENT else None
        if stale is not None:  # a comment overwrites nothing: it is never refused so
            return stale
        refused = _refusal(request, kind, row, found)
        if not refused and not form.is_valid():
            refused = "décision non enregistrée : " + " ".join(
                m for errors in form.errors.values() for m in errors)
        if not refused:
            refused = forms.date_refused(kind, form.cleaned_data, row)
        if not refused and kind == Kind.NEXT_STEP:
            refused = forms.step_refused(form.cleaned_data["step"], row,
                                          form.cleaned_data["fact_date"])
        if refused:
            return _refused(request, worklist, key, refused)
        again = _sent_again(request, worklist, key, found, kind, form.event_fields())
        if again is not None:
            return again
        # a close ends every examination the account sees open, each recorded under the
        # examination's person and department, as the night pairs them
        # (decisions_in_force.sql): an account of several departments may close one its
        # other department opened while the person's flag is now in this one
        closing = state.open_examinations(found) if kind == Kind.OTHER_GROUND_CLOSED else []
        under = ([(e.person_key, e.department) for e in closing]
                 or [(row["person_key"], row["department"])])
        for person_key, department in under:
            event = DecisionEvent.objects.create(
                kind=kind, worklist=worklist, flag_id=key, person_key=person_key,
                department=department, decided_by=request.user,
                effective_date=timezone.localdate(), **form.event_fields())
    night = " La nuit prochaine en tiendra compte." if kind in NIGHT_READS else ""
    messages.success(request, f"Enregistré : {state.describe(event)}.{night}")
    return redirect("flag", worklist=worklist, key=key)


@require_POST
@unit_view
def assign(request, worklist: str, key: str):
    """A manager assigns the flag to a named agent of its department: an ASSIGNED event
    (who, when, to whom); the flag's assignee is that agent until taken or released."""
    if request.user.role != Role.MANAGER:
        raise PermissionDenied("managers only")
    if worklist not in WORKLISTS_OF[Kind.ASSIGNED]:
        return _refused(request, worklist, key, "liste inconnue")
    row = _target(request, worklist, key)
    form = forms.AssignForm(row["department"], request.POST)
    if not form.is_valid():
        return _refused(request, worklist, key, "attribution refusée : " + " ".join(
            m for errors in form.errors.values() for m in errors))
    agent = form.cleaned_data["agent"]
    with one_at_a_time(FLAG_LOCK):
        found = state.events(key, row["department"], row["person_keys"], request.departments)
        stale = _stale(request, worklist, key, found)
        if stale is not None:
            return stale
        if state.fold(found).assignee == agent.username:
            return _refused(request, worklist, key, f"signalement déjà attribué à {agent}")
        event = DecisionEvent.objects.create(
            kind=Kind.ASSIGNED, worklist=worklist, flag_id=key, person_key=row["person_key"],
            department=row["department"], decided_by=request.user, assigned_to=agent,
            effective_date=timezone.localdate())
    messages.success(request, f"Enregistré : {state.describe(event)}.")
    return redirect("flag", worklist=worklist, key=key)


@require_POST
@unit_view
def unassign(request, worklist: str, key: str):
    """A manager withdraws the flag from whoever holds it (assigned or taken): an
    UNASSIGNED event (who, when, from whom); the flag is to be handled again, tonight's
    lists and exports show it so."""
    if request.user.role != Role.MANAGER:
        raise PermissionDenied("managers only")
    if worklist not in WORKLISTS_OF[Kind.UNASSIGNED]:
        return _refused(request, worklist, key, "liste inconnue")
    row = _target(request, worklist, key)
    with one_at_a_time(FLAG_LOCK):
        found = state.events(key, row["department"], row["person_keys"], request.departments)
        stale = _stale(request, worklist, key, found)
        if stale is not None:
            return stale
        holder = state.fold(found).assignee
        if not holder:
            return _refused(request, worklist, key, "signalement attribué à personne")
        event = DecisionEvent.objects.create(
            kind=Kind.UNASSIGNED, worklist=worklist, flag_id=key, person_key=row["person_key"],
            department=row["department"], decided_by=request.user,
            assigned_to=Account.objects.get(username=holder),
            effective_date=timezone.localdate())
    messages.success(request, f"Enregistré : {state.describe(event)}.")
    return redirect("flag", worklist=worklist, key=key)


@persons_view
def examinations(request):
    """The examinations on another ground the account's departments have open (OQ-02):
    they hold the person off every list until closed, and a person whose flags moved to
    another department tonight (a domicile changed) can no longer be reached from a
    flag's page: each is closed from here too. Only the account's own decisions are
    shown (need to know: nothing of the other department's rows)."""
    record_view(request, "list", "examinations")
    return render(request, "lists/examinations.html", {"examinations": [
        {"event": e, "list_title": exports.TITLES.get(e.worklist, e.worklist)}
        for e in state.department_examinations(request.departments)],
        "may_close": request.user.decides})


@require_POST
@unit_view
def close_examination(request, event_id: int):
    """Close one of the account's open examinations (examinations), recorded under its
    person and department, as on a flag's page. One a colleague closed since the page
    was drawn is said so, by whom and when (nothing more is recorded)."""
    with one_at_a_time(FLAG_LOCK):
        opened = next((e for e in state.department_examinations(request.departments)
                       if e.id == event_id), None)
        if opened is None:
            closed = state.closed_since(event_id, request.departments)
            if closed is None:
                raise Http404
            at = timezone.localtime(closed.decided_at)
            messages.info(request, f"Examen déjà clos par {closed.decided_by.username} le "
                                   f"{at:%d/%m/%Y à %H:%M} : rien de plus à enregistrer.")
            return redirect("examinations")
        event = DecisionEvent.objects.create(
            kind=Kind.OTHER_GROUND_CLOSED, worklist=opened.worklist, flag_id=opened.flag_id,
            person_key=opened.person_key, department=opened.department,
            decided_by=request.user, effective_date=timezone.localdate())
    messages.success(request, f"Enregistré : {state.describe(event)}. La nuit prochaine en "
                              "tiendra compte.")
    return redirect("examinations")
