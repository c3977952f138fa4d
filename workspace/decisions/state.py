"""What the units decided about a flag, read from its events: its state and assignee
(shown on the lists and the flag's page), its history, and the actions still open.
The assignee is whoever took the flag last or the agent a manager assigned it to last;
a release, or a manager withdrawing the assignment, leaves it to no one.

A flag's state is its latest outcome (OQTF taken, examination on another ground, answer
to the prison, next step planned, not pursued; an OQTF taken only when recorded since the
flag's current stay on its list began), unless withdrawn since; without one it is "en
cours" while an agent holds it (an active account), "à traiter" otherwise. "Non
poursuivi" is a state, not an exclusion: the night keeps listing the flag (a flag is a
suggestion for human review, RULES.md principle 2) and the lists show it as not
pursued, with who decided and why."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date

from django.db.models import Q
from django.utils import timezone

from schemas import codes, exports
from workspace.decisions.models import WORKLISTS_OF, DecisionEvent, Kind

OTHER_GROUND_KINDS = (Kind.OTHER_GROUND, Kind.OTHER_GROUND_CLOSED)
OUTCOMES = (Kind.OQTF_TAKEN, Kind.PRISON_ANSWER, Kind.NEXT_STEP, Kind.NOT_PURSUED)
TO_DO, IN_PROGRESS = codes.TO_DO, codes.IN_PROGRESS
# code -> as a unit reads it: the same words as the night's exports (schemas/exports.py),
# which show each flag's state as the night found it (transforms/publish/handling.py)
STATES = exports.HANDLING_STATES_FR


@dataclass(frozen=True)
class FlagState:
    state: str = TO_DO
    assignee: str = ""
    outcome: DecisionEvent | None = None

    @property
    def label(self) -> str:
        """The state as the lists show it, with the date of an OQTF taken."""
        text = STATES[self.state]
        if self.outcome is not None and self.outcome.kind == Kind.OQTF_TAKEN:
            text += f" le {self.outcome.fact_date:%d/%m/%Y}"
        elif self.outcome is not None and self.outcome.kind == Kind.NEXT_STEP:
            text += f" : {self.outcome.get_step_display()}"
        elif self.outcome is not None and self.outcome.kind == Kind.NOT_PURSUED:
            text += f" : {self.outcome.get_reason_display()}"
        return text


def fold(found: list[DecisionEvent], since: date | None = None) -> FlagState:
    """The state of a flag from its events in the order they were recorded (and the
    person's examinations on another ground): under examination while one is open
    (open_examinations) and no outcome was recorded after it. `since`: the day the
    flag's current stay on its list began (its first_seen_date): an "OQTF prise"
    recorded before answered an earlier stay, which the night resolved once AGDREF
    recorded the OQTF (since annulled, the flag is back), and no longer counts, nor does
    any outcome before it (transforms/publish/handling.py alike: the night keeps the
    latest outcome only). An outcome withdrawn leaves none; a disabled account holds
    nothing (its flags are to be handled again: decisions_in_force.sql alike)."""
    assignee, outcome = "", None
    for event in found:
        if (since is not None and event.kind == Kind.OQTF_TAKEN
                and event.decided_at.astimezone(UTC).date() < since):
            outcome = None
            continue
        if event.kind == Kind.TAKEN:
            assignee = event.decided_by.username if event.decided_by.is_active else ""
        elif event.kind == Kind.ASSIGNED:
            assignee = event.assigned_to.username if event.assigned_to.is_active else ""
        elif event.kind in (Kind.RELEASED, Kind.UNASSIGNED):
            assignee = ""
        elif event.kind in OUTCOMES:
            outcome = event
        elif event.kind == Kind.OUTCOME_WITHDRAWN:
            outcome = None
    examining = open_examination(found)
    if examining is not None and (outcome is None
                                  or found.index(outcome) < found.index(examining)):
        return FlagState(Kind.OTHER_GROUND.value, assignee, examining)
    if outcome is not None:
        return FlagState(outcome.kind, assignee, outcome)
    return FlagState(IN_PROGRESS if assignee else TO_DO, assignee)


def events(key: str, department: str, person_keys: list[str], departments: list[str]
           ) -> list[DecisionEvent]:
    """The flag's events in its department (`department`, where the night lists it: a
    flag moved to another department is to do there, its old unit's holder and outcome
    stay the old unit's, as the night reads them, decisions_in_force.sql), and the
    person's examinations on another ground (OQ-02 is about the person, under any of
    their keys: lists.queries.person_keys) recorded in the account's departments."""
    about = (Q(flag_id=key, department=department)
             | Q(person_key__in=person_keys, kind__in=OTHER_GROUND_KINDS,
                 department__in=departments))
    return list(DecisionEvent.objects.filter(about)
                .select_related("decided_by", "assigned_to"))


def held_key(flag_id: str, department: str) -> str:
    """A flag's key in `list_states` and in the lists' state filters (the lists' SQL
    builds the same: lists.queries.list_sql): its state is its department's."""
    return f"{flag_id}|{department}"


def page_seen(value: str | None) -> int | None:
    """The latest decision id a page showed (its form's `seen`), None when the form says
    nothing of its page (absent, or not a number: `isdigit` alone takes '²')."""
    if value is None or not (value.isascii() and value.isdigit()):
        return None
    return int(value)


def recorded_since(found: list[DecisionEvent], seen: str | None, account
                   ) -> DecisionEvent | None:
    """The latest decision another account recorded on the flag after the page the agent
    decides from was drawn (`seen`: the latest event id it showed), comments aside: a
    decision taken on a page that no longer shows the flag's state would overwrite a
    colleague's outcome, or take back a flag just given, unseen. None when nothing was, or
    when the form says nothing of its page (`seen` absent)."""
    drawn = page_seen(seen)
    if drawn is None:
        return None
    newer = [e for e in found if e.id > drawn and e.decided_by_id != account.id
             and e.kind != Kind.COMMENT]
    return max(newer, key=lambda e: e.id, default=None)


def repeated_since(found: list[DecisionEvent], seen: str | None, account, kind: str,
                   fields: dict) -> DecisionEvent | None:
    """The same decision (its kind and every field it carries) this account recorded on
    the flag after the page it decides from was drawn: a form sent twice (a double click,
    a page sent again), comments aside."""
    drawn = page_seen(seen)
    if drawn is None or kind == Kind.COMMENT:
        return None
    return next((e for e in reversed(found) if e.id > drawn and e.kind == kind
                 and e.decided_by_id == account.id
                 and all(getattr(e, name) == value for name, value in fields.items())),
                None)


def closed_since(event_id: int, departments: list[str]) -> DecisionEvent | None:
    """The close of an examination on another ground (`event_id`, opened in one of the
    departments) recorded after it, or None (no such examination there)."""
    opened = DecisionEvent.objects.filter(id=event_id, kind=Kind.OTHER_GROUND,
                                          department__in=departments).first()
    if opened is None:
        return None
    return (DecisionEvent.objects.filter(
        kind=Kind.OTHER_GROUND_CLOSED, person_key=opened.person_key,
        department=opened.department, id__gt=opened.id)
        .select_related("decided_by").order_by("id").first())


def decided_after_page(who: str, what: str, decided_at) -> str:
    """Why a decision from a page older than a colleague's is refused (recorded_since,
    and the identity review's twin): who recorded what and when, in Paris time."""
    at = timezone.localtime(decided_at)
    return (f"{who} a enregistré « {what} » le {at:%d/%m/%Y à %H:%M}, après l'ouverture "
            "de cette page : rechargez-la et décidez sur l'état à jour.")


def list_states(worklist: str, departments: list[str],
                stays: dict[str, date] | None = None) -> dict[str, FlagState]:
    """held_key(flag id, department) -> state of every flag of the list with events in
    the account's departments; a person's open examination on another ground under the
    key `person:<person_key>` (it holds for all their flags of the list). `stays`:
    held_key -> the day the flag's current stay on the list began (fold's `since`)."""
    about = Q(worklist=worklist) | Q(kind__in=OTHER_GROUND_KINDS)
    by_key: dict[str, list[DecisionEvent]] = defaultdict(list)
    for event in (DecisionEvent.objects.filter(about, department__in=departments)
                  .select_related("decided_by", "assigned_to")):
        if event.kind in OTHER_GROUND_KINDS:
            by_key[f"person:{event.person_key}"].append(event)
        else:
            by_key[held_key(event.flag_id, event.department)].append(event)
    return {key: fold(found, (stays or {}).get(key)) for key, found in by_key.items()}


def state_of(states: dict[str, FlagState], key: str, department: str, person_key: str
             ) -> FlagState:
    """A listed flag's state in its department from `list_states`, with the person's
    examination."""
    own = states.get(held_key(key, department), FlagState())
    person = states.get(f"person:{person_key}")
    if person is not None and person.state == Kind.OTHER_GROUND and (
            own.outcome is None or own.outcome.decided_at < person.outcome.decided_at):
        return FlagState(Kind.OTHER_GROUND.value, own.assignee, person.outcome)
    return own


def examination_open(found: list[DecisionEvent]) -> bool:
    return open_examination(found) is not None


def open_examinations(found: list[DecisionEvent]) -> list[DecisionEvent]:
    """The person's examinations on another ground opened and not closed since, one at
    most per person key and department, as the night pairs them (decisions_in_force.sql):
    an account of two departments may see one of each. Closing one is recorded under its
    key."""
    latest: dict[tuple[str, str], DecisionEvent] = {}
    for event in found:
        if event.kind in OTHER_GROUND_KINDS:
            latest[(event.person_key, event.department)] = event
    return [e for e in found if e.kind == Kind.OTHER_GROUND
            and latest[(e.person_key, e.department)] is e]


def department_examinations(departments: list[str]) -> list[DecisionEvent]:
    """The examinations on another ground these departments have open (OQ-02), whatever
    list and department the person's flags are on tonight (a domicile moved): each
    department closes its own, as the night pairs them."""
    return open_examinations(list(
        DecisionEvent.objects.filter(kind__in=OTHER_GROUND_KINDS, department__in=departments)
        .select_related("decided_by")))


def open_examination(found: list[DecisionEvent]) -> DecisionEvent | None:
    """The latest of the open examinations (open_examinations), if any."""
    still = open_examinations(found)
    return still[-1] if still else None


def takes_outcomes(row: dict) -> bool:
    """Whether a flag, or a candidate the night excluded, takes an outcome (an OQTF taken,
    an answer to a prison, a next step, not pursued). A candidate excluded for anything
    but the list's scope (RULES.md §5: a protection, doubt, the unit's own examination, a
    pending step) takes none: the exclusion protects the person (principle 1), and the
    guards on a next step read a listed flag's markers, which an exclusion does not carry
    (PRI-07: no consular pass for a refugee). Out of the list's scope (already under a
    measure, a remand prisoner, a release beyond the horizon…), the unit still answers a
    prison or records the OQTF it took."""
    if "flag_id" in row:
        return True
    return all(reason in codes.SCOPE_REASONS
               for reason in [row["reason_code"], *(row.get("other_reasons") or [])])


def held_by_another(holder: str, login: str, manager: bool = False) -> str:
    """The flag's holder (`holder`: its FlagState's assignee) when it is not this account
    and the account is no manager: only they, or a manager, decide what becomes of the
    flag. "" otherwise."""
    return holder if holder and holder != login and not manager else ""


def actions(worklist: str, found: list[DecisionEvent], login: str, outcomes: bool = True,
            manager: bool = False) -> list[str]:
    """The decisions the unit may record on this flag now, in the order the page shows
    them: the flag taken by the agent (or released by its holder; one another agent
    holds is taken over by a manager only), a comment, then what the list's rules ask for
    (`outcomes`: takes_outcomes) and the withdrawal of the flag's outcome, which only
    its holder or a manager decides when another agent holds it. An examination on
    another ground is opened on the rejected list (by any agent), and closed on any list
    it excludes the person from (RULES.md §5), as far as the account's departments see
    it."""
    current = fold(found)
    other = held_by_another(current.assignee, login, manager)
    if current.assignee == login:
        offered = [Kind.RELEASED, Kind.COMMENT]
    elif other:
        offered = [Kind.COMMENT]
    else:
        offered = [Kind.TAKEN, Kind.COMMENT]
    # an examination on another ground protects the person (it takes them off every
    # list): any agent of the unit opens one, whoever holds the flag
    if examination_open(found):
        offered.append(Kind.OTHER_GROUND_CLOSED)
    elif worklist == codes.REJECTED:
        offered.append(Kind.OTHER_GROUND)
    if outcomes and not other:
        offered += [k for k in OUTCOMES if worklist in WORKLISTS_OF[k]]
    if current.outcome is not None and current.outcome.kind in OUTCOMES and not other:
        offered.append(Kind.OUTCOME_WITHDRAWN)
    return [str(k) for k in offered]


AGENT_DECISION_ROW = "agent_decisions:"  # how the night cites a unit's decision


def cited_decisions(sources: list[dict], departments: list[str]) -> list[dict]:
    """A flag's source rows with the units' decisions they cite (an examination on
    another ground that excludes the person, an answer to a prison) described: what,
    when, by which department, and by whom within the account's departments (another
    department's agent is named by their department alone: need to know)."""
    cited = {s["citation"]: _decision_id(s["citation"]) for s in sources}
    events = DecisionEvent.objects.select_related("decided_by").in_bulk(
        [i for i in cited.values() if i is not None])
    shown = []
    for source in sources:
        event = events.get(cited[source["citation"]])
        if event is not None:
            source = {**source, "values": [
                ("Décision du bureau", describe(event)),
                ("Département", event.department),
                # the day in Paris (decided_at is kept in UTC)
                ("Enregistrée le", f"{timezone.localtime(event.decided_at):%d/%m/%Y}"),
                *([("Par", event.decided_by.username)]
                  if event.department in departments else [])]}
        shown.append(source)
    return shown


def _decision_id(citation: str) -> int | None:
    """The workspace's id of a decision the night cites (`agent_decisions:<id>`)."""
    number = citation.removeprefix(AGENT_DECISION_ROW)
    return int(number) if number != citation and number.isdigit() else None


def describe(event: DecisionEvent) -> str:
    """One line of the flag's decisions, in French."""
    text = event.get_kind_display()
    if event.kind == Kind.PRISON_ANSWER:
        text += " : prise en charge par la police aux frontières : " + (
            "oui" if event.taken_in_charge else "non")
        if event.charge_date:
            text += f" (le {event.charge_date:%d/%m/%Y})"
    elif event.kind == Kind.OQTF_TAKEN:
        text += f" le {event.fact_date:%d/%m/%Y}, en attente de son enregistrement dans AGDREF"
    elif event.kind == Kind.NEXT_STEP:
        text += f" : {event.get_step_display()}"
        if event.fact_date:
            text += f" (prévue le {event.fact_date:%d/%m/%Y})"
    elif event.kind == Kind.NOT_PURSUED:
        text += f" : {event.get_reason_display()}"
    elif event.kind == Kind.ASSIGNED:
        text += f" à {event.assigned_to.username}"
    elif event.kind == Kind.UNASSIGNED:
        text += f" à {event.assigned_to.username}, à traiter de nouveau"
    elif event.kind == Kind.OUTCOME_WITHDRAWN:
        text += ", signalement à traiter de nouveau"
    return text


NOBODY = "-"  # the assignee filter for flags no one holds


@dataclass(frozen=True)
class Selection:
    """A state or assignee filter as bound lists the list's SQL narrows on (flag ids, and
    persons for an examination on another ground): `only` rows matching either list
    (a superset, refined by `wanted`), `never` rows matching neither."""

    only: tuple[list[str], list[str]] | None = None
    never: tuple[list[str], list[str]] | None = None


def selection(states: dict[str, FlagState], wanted_state: str, assignee: str) -> Selection:
    persons = [k.removeprefix("person:") for k, s in states.items()
               if k.startswith("person:") and s.state == Kind.OTHER_GROUND]
    keys = [k for k in states if not k.startswith("person:")]
    held = [k for k in keys if states[k].assignee]
    if assignee == NOBODY:
        never = (held, [])
    else:
        never = None
    if wanted_state == TO_DO:
        busy = [k for k in keys if states[k].state != TO_DO]
        never = (busy + (never[0] if never else []), persons)
    only = None
    if assignee and assignee != NOBODY:
        only = ([k for k in held if states[k].assignee == assignee], [])
    elif wanted_state and wanted_state != TO_DO:
        only = (keys, persons)
    return Selection(only, never)


def wanted(states: dict[str, FlagState], key: str, department: str, person_key: str,
           wanted_state: str, assignee: str) -> bool:
    """Whether a listed flag has the state and assignee asked for (empty: any)."""
    current = state_of(states, key, department, person_key)
    if wanted_state and current.state != wanted_state:
        return False
    if assignee == NOBODY:
        return not current.assignee
    return not assignee or current.assignee == assignee
