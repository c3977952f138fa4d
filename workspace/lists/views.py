"""Pages about the lists. Every view that shows persons goes through `persons_view`
(analysts refused) and passes the account's departments to the query itself."""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from schemas import codes, exports
from workspace.accounts.access import persons_view, record_lookup, record_view
from workspace.accounts.models import Role
from workspace.decisions import forms, state
from workspace.decisions.models import IdentityDecision, Step
from workspace.identities import labels as identity_labels
from workspace.identities import queries as identity_queries
from workspace.lists import labels, queries, table
from workspace.lists.warehouse import WarehouseUnavailable, published


@contextmanager
def warehouse():
    reader = published(settings.RECONCILE_WAREHOUSE, settings.RECONCILE_WAREHOUSE_SETTINGS)
    with reader.cursor() as cur:
        yield cur


def unavailable(request):
    return render(request, "lists/unavailable.html", status=503)


# A page that looks a person up by number (search, a list's filter, the exclusions) is
# asked by a form posted: the number travels in the request's body, never in its address,
# which the browser's history, the next page's Referer, the sign-in's `next=` and the
# reverse proxy's access log keep. Its other choices may come in the address (a link to
# the new flags of a list).
searching = require_http_methods(["GET", "POST"])


def _asked(request):
    """The page's choices: the posted form's, else the address's."""
    return request.POST if request.method == "POST" else request.GET


def _number(request) -> str:
    """The number looked up: from a posted form only (an address's is ignored)."""
    return request.POST.get("number", "").strip()[:40]


def _filters(request, states: dict) -> queries.ListFilters:
    asked = _asked(request)
    marker = asked.get("marker", "")
    wanted_state, assignee = _handling(request)
    chosen = state.selection(states, wanted_state, assignee)
    return queries.ListFilters(
        new=asked.get("new") == "1", overdue=asked.get("overdue") == "1",
        marker=marker if marker in codes.MARKERS else "",
        number=_number(request), only=chosen.only, never=chosen.never)


def _handling(request) -> tuple[str, str]:
    """The state and assignee asked for ("moi": the signed-in agent)."""
    wanted_state = _asked(request).get("state", "")
    assignee = _asked(request).get("assignee", "").strip()[:150]
    if assignee == "moi":
        assignee = request.user.username
    return (wanted_state if wanted_state in state.STATES else ""), assignee


@require_GET
def home(request):
    if not request.user.sees_persons:
        return indicators(request)
    departments = request.user.departments()
    decided = list(IdentityDecision.objects.filter(department__in=departments)
                   .values_list("record_key", "num_agdref"))
    try:
        with warehouse() as cur:
            counts = queries.home_counts(cur, departments, decided)
    except WarehouseUnavailable:
        return unavailable(request)
    return render(request, "lists/home.html", {
        "lists": [{"name": w, "title": labels.LIST_NAMES[w], **counts.get(w, {}),
                   "new_text": exports.counted(counts.get(w, {}).get("new") or 0,
                                               *NEW_WORDS[w]),
                   "overdue_text": _overdue_text(w, counts.get(w, {}).get("overdue"))}
                  for w in queries.LISTS],
        "identities": exports.counted(counts.get("identities", {}).get("rows") or 0,
                                      "paire", "paires"),
        "reviews": request.user.decides,
        "departments": departments})


# "new" agreeing with each list's title (détenus, déboutés; mesures, alertes)
NEW_WORDS = {codes.REJECTED: ("nouveau", "nouveaux"), codes.RELEASES: ("nouveau", "nouveaux"),
             codes.MEASURES: ("nouvelle", "nouvelles"),
             codes.LEGAL_ALERTS: ("nouvelle", "nouvelles")}


def _overdue_text(worklist: str, overdue: int | None) -> str:
    """What is overdue on a list (queries.OVERDUE), as the static card says it; "" for a
    list without a deadline."""
    if overdue is None:
        return ""
    if worklist == codes.RELEASES:
        return (exports.counted(overdue, "réponse due", "réponses dues")
                + " à l'établissement (7 jours)")
    return f"{overdue} hors délai"


def _row(worklist: str, key: str, row: dict, columns: list[str], handling: state.FlagState,
         keys: frozenset[int] = frozenset()):
    """`keys`: the positions of the cells of identifiers among `columns` (the same for
    every row of a page)."""
    cells = labels.cells(row, columns)
    # the first cell opens the flag: a detainee without an AGDREF number (identity to
    # confirm) is named by the person's key, its establishment and committal number
    cells[0] = cells[0] or row.get("person_key") or key
    return table.row_html(worklist, key, cells, handling.label, handling.assignee, keys)


# `?colonnes=toutes`: every column of the list (labels.shown_columns)
EVERY_COLUMN, EVERY = "colonnes", "toutes"


def _other_view(request, every: bool) -> str:
    """The page's query with the other choice of columns, its filters kept but the number
    looked up (never in an address)."""
    query = _asked(request).copy()
    for posted_only in ("number", "csrfmiddlewaretoken"):
        query.pop(posted_only, None)
    if every:
        query.pop(EVERY_COLUMN, None)
    else:
        query[EVERY_COLUMN] = EVERY
    return query.urlencode()


@searching
@persons_view
def worklist(request, worklist: str):
    if worklist not in queries.LISTS:
        raise Http404
    try:
        with warehouse() as cur:
            states = state.list_states(worklist, request.departments,
                                       queries.stays(cur, worklist, request.departments))
            filters = _filters(request, states)
            found = queries.list_rows(cur, worklist, request.departments, filters)
            night = queries.last_night(cur)
    except WarehouseUnavailable:
        return unavailable(request)
    key = queries.KEY[worklist]
    wanted_state, assignee = _handling(request)
    rows = [r for r in found.rows
            if state.wanted(states, r[key], r["department"], r["person_key"], wanted_state,
                            assignee)]
    if filters.number:  # a person looked up by number: as the search page
        record_lookup(request, "search", [r[key] for r in rows])
    else:  # the rows of a list, by the list's name (who opened which list, when)
        record_view(request, "list", worklist)
    every = _asked(request).get(EVERY_COLUMN) == EVERY
    shown = labels.shown_columns(found.columns, every, len(request.departments))
    keys = frozenset(n for n, c in enumerate(shown) if c in labels.KEY_COLUMNS)
    return render(request, "lists/worklist.html", {
        "worklist": worklist, "title": labels.LIST_NAMES[worklist], "filters": filters,
        "night": labels.text(night), "departments": request.departments,
        "headers": labels.headers(worklist, shown),
        "rows": [_row(worklist, r[key], r, shown,
                      state.state_of(states, r[key], r["department"], r["person_key"]),
                      keys) for r in rows],
        "every_column": every, "other_view": _other_view(request, every),
        "truncated": len(found.rows) >= queries.MAX_ROWS,
        "markers": (sorted(exports.MARKERS_FR.items(), key=lambda m: m[1])
                    if worklist != codes.LEGAL_ALERTS else []),
        "has_overdue": worklist in queries.OVERDUE,
        "states": state.STATES, "wanted_state": wanted_state,
        "assignee": _asked(request).get("assignee", ""),
        "assignees": sorted({s.assignee for s in states.values() if s.assignee})})


def _flag_context(cur, worklist: str, key: str, row: dict, departments: list[str]) -> dict:
    """What a flag's page shows from the warehouse (row found in `departments`)."""
    excluded = "candidate_id" in row
    others = [f for f in queries.person_flags(cur, row["person_key"], departments)
              if f["key"] != key]
    return {
        "worklist": worklist, "title": labels.LIST_NAMES[worklist], "key": key, "row": row,
        "excluded": excluded,
        "facts": labels.exclusion_facts(row) if excluded else labels.facts(worklist, row),
        "reasons": labels.reasons(row), "markers": labels.markers(row.get("markers") or []),
        "rule_ids": row["rule_ids"], "history": labels.history(queries.history(cur, key)),
        "sources": queries.source_rows(cur, row["source_rows"], queries.withheld_rows(
            cur, row["source_rows"], row["person_key"], departments)),
        "others": [{**f, "title": labels.LIST_NAMES[f["worklist"]]} for f in others],
        # the identity this flag waits for: the pairs of its person to decide
        "pairs": [{**p, "evidence_fr": identity_labels.EVIDENCE.get(p["evidence"],
                                                                    p["evidence"])}
                  for p in identity_queries.pairs_of_person(cur, row["person_key"],
                                                            departments)]}


@require_GET
@persons_view
def flag_page(request, worklist: str, key: str):
    """A flag, or the candidate the night excluded (why someone is not listed)."""
    try:
        with warehouse() as cur:
            row = (queries.flag(cur, worklist, key, request.departments)
                   or queries.exclusion(cur, worklist, key, request.departments))
            if row is None:
                raise Http404
            context = _flag_context(cur, worklist, key, row, request.departments)
            person_keys = queries.person_keys(cur, row["person_key"])
    except WarehouseUnavailable:
        return unavailable(request)
    record_view(request, worklist, key)
    context["sources"] = state.cited_decisions(context["sources"], request.departments)
    found = state.events(key, row["department"], person_keys, request.departments)
    context["decisions"] = [{"event": e, "text": state.describe(e)} for e in found]
    context["state"] = state.fold(found, row.get("first_seen_date"))
    # the latest decision the page shows: one recorded by a colleague after it is
    # refused (decisions.views._stale)
    context["seen"] = max((e.id for e in found), default=0)
    context["takes_outcomes"] = state.takes_outcomes(row)
    context["actions"] = (state.actions(worklist, found, request.user.username,
                                        outcomes=context["takes_outcomes"],
                                        manager=request.user.role == Role.MANAGER)
                          if request.user.decides else [])  # decisions.views
    context["reasons_choices"], context["steps"] = forms.REASON_CHOICES, Step.choices
    context["assignable"] = (forms.assignable(row["department"])
                             if request.user.role == Role.MANAGER else [])
    return render(request, "lists/flag.html", context)


@searching
@persons_view
def search(request):
    number = _number(request)
    if not number:
        return render(request, "lists/search.html", {"number": "", "found": []})
    try:
        with warehouse() as cur:
            found = queries.search(cur, number, request.departments)
    except WarehouseUnavailable:
        return unavailable(request)
    record_lookup(request, "search", [f["key"] for f in found])
    # nothing in the account's departments reads exactly like nothing at all
    return render(request, "lists/search.html", {
        "number": number,
        "found": [{"worklist": f["worklist"], "title": labels.LIST_NAMES[f["worklist"]],
                   "key": f["key"], "department": f["department"]} for f in found]},
        status=200 if found else 404)


@require_GET
def indicators(request):
    """Counts per list and department, aggregates: an analyst's of every department
    (national indicators), any other account's of its own departments only (need to
    know: every query scoped on the server)."""
    scope = None if request.user.role == Role.ANALYST else request.user.departments()
    try:
        with warehouse() as cur:
            counts = queries.department_counts(cur, scope)
    except WarehouseUnavailable:
        return unavailable(request)
    return render(request, "lists/indicators.html", {
        "national": scope is None,
        "counts": [{**c, "title": labels.LIST_NAMES[c["worklist"]]} for c in counts]})


@searching
@persons_view
def exclusions(request):
    """Why someone is not listed: the night's exclusions in the account's departments,
    by number, list and reason."""
    number = _number(request)
    worklist = _asked(request).get("worklist", "")
    worklist = worklist if worklist in codes.WORKLISTS else ""
    reason = _asked(request).get("reason", "")
    reason = reason if reason in codes.EXCLUSION_REASONS else ""
    try:
        with warehouse() as cur:
            found = queries.exclusions(cur, request.departments, worklist, reason, number)
    except WarehouseUnavailable:
        return unavailable(request)
    if number:
        record_lookup(request, "exclusions", [r["candidate_id"] for r in found])
    else:
        record_view(request, "list", "exclusions")
    return render(request, "lists/exclusions.html", {
        "number": number, "worklist": worklist, "reason": reason,
        "lists": [(w, labels.LIST_NAMES[w]) for w in codes.WORKLISTS],
        "reasons": sorted(labels.EXCLUSIONS_FR.items()),
        "rows": [{**r, "title": labels.LIST_NAMES[r["worklist"]],
                  "reasons": labels.reasons(r), "rules": labels.text(r["rule_ids"])}
                 for r in found],
        "truncated": len(found) >= queries.MAX_ROWS})
