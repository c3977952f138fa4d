"""What the units decided about a flag, read from its events: the history shown on the
flag's page and the actions still open to the unit."""

from __future__ import annotations

from django.db.models import Q

from schemas import codes
from workspace.decisions.models import DecisionEvent, Kind

OTHER_GROUND_KINDS = (Kind.OTHER_GROUND, Kind.OTHER_GROUND_CLOSED)


def events(key: str, person_key: str, departments: list[str]) -> list[DecisionEvent]:
    """The flag's events, and the person's examinations on another ground (OQ-02 is about
    the person), recorded in the account's departments."""
    about = Q(flag_id=key) | Q(person_key=person_key, kind__in=OTHER_GROUND_KINDS)
    return list(DecisionEvent.objects.filter(about, department__in=departments)
                .select_related("decided_by"))


def examination_open(found: list[DecisionEvent]) -> bool:
    latest = [e for e in found if e.kind in OTHER_GROUND_KINDS]
    return bool(latest) and latest[-1].kind == Kind.OTHER_GROUND


def actions(worklist: str, found: list[DecisionEvent]) -> list[str]:
    """The decisions the unit may record on this flag now."""
    if worklist == codes.REJECTED:
        return [Kind.OTHER_GROUND_CLOSED if examination_open(found) else Kind.OTHER_GROUND]
    if worklist == codes.RELEASES:
        return [Kind.PRISON_ANSWER]
    return []


def describe(event: DecisionEvent) -> str:
    """One line of the flag's decisions, in French."""
    text = event.get_kind_display()
    if event.kind == Kind.PRISON_ANSWER:
        text += " : prise en charge par la police aux frontières " + (
            "oui" if event.taken_in_charge else "non")
        if event.charge_date:
            text += f" (le {event.charge_date:%d/%m/%Y})"
    return text
