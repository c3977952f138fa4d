"""The identity review queue and its decisions. Only agents and managers review (an
analyst or an administrator is refused); every pair is looked up in the account's
departments before it is shown or decided (404 otherwise). A pair's address names it by
its pair_id, never by a person's number (the request log keeps addresses). A confirmation that
contradicts a confirmed pair (transforms/identity/review.py, as `reconcile link`) is
refused in one line naming that pair; a manager may record it anyway, explicitly, and
the pair it overrides is recorded with it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from transforms.identity.review import conflicting_confirmation
from workspace.accounts.access import record_view, reviewer_view
from workspace.accounts.models import Role
from workspace.decisions.models import (
    IDENTITY_LOCK,
    Identity,
    IdentityDecision,
    one_at_a_time,
)
from workspace.decisions.state import decided_after_page, page_seen
from workspace.identities import labels, queries, waterfall
from workspace.lists import labels as list_labels
from workspace.lists import queries as list_queries
from workspace.lists.views import unavailable, warehouse
from workspace.lists.warehouse import WarehouseUnavailable


def _recorded(departments: list[str]) -> dict[tuple[str, str], IdentityDecision]:
    """The latest decision recorded here on each pair of the departments (the warehouse
    holds them from the next night)."""
    found = IdentityDecision.objects.filter(department__in=departments).select_related(
        "decided_by")
    return {(d.record_key, d.num_agdref): d for d in found}


@require_GET
@reviewer_view
def queue(request):
    try:
        with warehouse() as cur:
            pairs = queries.review_pairs(cur, request.departments)
    except WarehouseUnavailable:
        return unavailable(request)
    recorded = _recorded(request.departments)
    record_view(request, "list", "identites")
    return render(request, "identities/queue.html", {"pairs": [{
        **p, "evidence_fr": labels.EVIDENCE.get(p["evidence"], p["evidence"]),
        "status_fr": labels.STATUS[p["link_status"]],
        "why_fr": labels.WHY.get(p["link_rule"], ""),
        "probability": waterfall.percent(p["match_probability"]),
        "decided": labels.DECISION.get(p["decision"], ""),
        "recorded": recorded.get((p["record_key"], p["num_agdref"]))} for p in pairs],
        "truncated": len(pairs) >= queries.MAX_PAIRS})


def _pair_context(cur, found: dict) -> dict:
    record = queries.side(cur, found["record_key"])
    file = queries.side(cur, f"agdref:{found['num_agdref']}")
    return {"pair": found, "record": record, "file": file,
            "system": labels.SYSTEMS[found["system"]],
            "evidence": labels.EVIDENCE.get(found["evidence"], found["evidence"]),
            "status": labels.STATUS[found["link_status"]],
            "why": labels.WHY.get(found["link_rule"], ""),
            "decided": labels.DECISION.get(found["decision"], ""),
            "fields": labels.side_by_side(record["latest"], file["latest"]),
            "chart": waterfall.chart(found)}


def _found(request, pair_id: str) -> dict:
    with warehouse() as cur:
        found = queries.pair(cur, pair_id, request.departments)
        if found is None:
            raise Http404
        context = _pair_context(cur, found)
        context["flags"] = _flags_waiting(cur, found, request.departments)
        if found["system"] == "genesis":
            context["held_elsewhere"] = [
                {**d, "why": labels.WHY.get(d["link_rule"], "")
                 if d["link_status"] == "LINKED" else "",
                 "status": labels.STATUS.get(d["link_status"], "")}
                for d in queries.detainees_of_file(cur, found, request.departments)]
        return context


def _flags_waiting(cur, found: dict, departments: list[str]) -> list[dict]:
    """The flags, in the account's departments, of the pair's record (a detainee not tied
    to a file is its own person) and of its AGDREF file: what the decision unblocks."""
    keys = {found["record_key"], found["record_key"].removeprefix("agdref:"),
            found["num_agdref"]}
    flags = {(f["worklist"], f["key"]): f for key in sorted(keys)
             for f in list_queries.person_flags(cur, key, departments)}
    return [{**f, "title": list_labels.LIST_NAMES[f["worklist"]]}
            for _, f in sorted(flags.items())]


@require_GET
@reviewer_view
def pair_page(request, pair_id: str):
    try:
        context = _found(request, pair_id)
    except WarehouseUnavailable:
        return unavailable(request)
    record_view(request, "identity", pair_id)
    found = context["pair"]
    history = list(IdentityDecision.objects.filter(
        record_key=found["record_key"], num_agdref=found["num_agdref"],
        department__in=request.departments).select_related("decided_by"))
    overrode = [d.overridden_pair.split(" ", 1)[0] for d in history if d.overridden_pair]
    departments_of = {}
    if overrode:
        try:
            with warehouse() as cur:
                departments_of = queries.record_departments(cur, overrode)
        except WarehouseUnavailable:
            pass  # each overridden pair then named by "another department" alone
    context["history"] = [{"decision": d, "overridden": labels.overridden(
        d.overridden_pair, departments_of, request.departments) if d.overridden_pair else ""}
        for d in history]
    # the latest decision the page shows: one a colleague records after it is refused
    context["seen"] = max((d.id for d in history), default=0)
    return render(request, "identities/pair.html", context)


def _pending() -> list[dict]:
    """Every decision recorded here, as the guard reads them with the warehouse's."""
    return [{"record_key": d.record_key, "num_agdref": d.num_agdref, "decision": d.decision,
             "decided_at": d.decided_at.replace(tzinfo=None)}
            for d in IdentityDecision.objects.all()]


def _refused(request, pair_id: str, reason: str, may_override: bool = False,
             status: int | None = None):
    """The refusal; a manager's override is offered as a form carrying the page the
    decision came from (`seen`): a colleague's decision since is refused there too."""
    return render(request, "identities/refused.html", {
        "pair_id": pair_id, "reason": reason, "may_override": may_override,
        "seen": request.POST.get("seen", "")},
        status=status or (409 if may_override else 400))


def _decided_since(request, record: str, file: str) -> IdentityDecision | None:
    """The latest decision a colleague recorded on the pair after the page the reviewer
    decides from was drawn (`seen`: the latest decision it showed): a confirmation from
    an older page would overturn a rejection unseen, and the night would link the pair.
    None when none was, or when the form says nothing of its page."""
    seen = page_seen(request.POST.get("seen"))
    if seen is None:
        return None
    return (IdentityDecision.objects.filter(
        record_key=record, num_agdref=file, department__in=request.departments,
        id__gt=seen).exclude(decided_by=request.user)
        .select_related("decided_by").order_by("-id").first())


@require_POST
@reviewer_view
def decide(request, pair_id: str):
    decision = request.POST.get("decision", "")
    if decision not in Identity.values:
        return _refused(request, pair_id, "Décision inconnue.")
    override = request.POST.get("override") == "1" and request.user.role == Role.MANAGER
    try:
        with warehouse() as cur, one_at_a_time(IDENTITY_LOCK):  # one guard at a time
            found = queries.pair(cur, pair_id, request.departments)
            if found is None:
                raise Http404
            record, file = found["record_key"], found["num_agdref"]
            newer = _decided_since(request, record, file)
            if newer is not None:
                return _refused(request, pair_id, decided_after_page(
                    newer.decided_by.username, labels.DECISION[newer.decision],
                    newer.decided_at), status=409)
            conflict = None
            if decision == Identity.CONFIRMED:
                conflict = conflicting_confirmation(cur, record, file, _pending())
            if conflict and not override:
                if conflict.department in request.departments:  # the refusal names it
                    record_view(request, "identity",
                                queries.pair_id(conflict.record_key, conflict.num_agdref))
                return _refused(request, pair_id, labels.conflict_message(
                                    conflict, record, request.departments),
                                may_override=request.user.role == Role.MANAGER)
            IdentityDecision.objects.create(
                record_key=record, num_agdref=file, department=found["department"],
                decision=decision, decided_by=request.user,
                overridden_pair=conflict.pair if conflict else "")
    except WarehouseUnavailable:
        return unavailable(request)
    messages.success(request, f"Enregistré : {labels.DECISION[decision]}. "
                              "La nuit prochaine en tiendra compte.")
    return redirect("identity_pair", pair_id=pair_id)
