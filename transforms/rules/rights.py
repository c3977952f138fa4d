"""Rights to remain and protections of persons: RULES.md §1 (RTR-01…10), OQ-03, OQ-04
and the person-level exclusions of §5.

Every function takes the run date as a parameter and plain records (dicts with the
house column names of `core`), so that a rule reads like the rule book and is tested on
a handful of values. Where RULES.md is silent or ambiguous the docstring states the
reading chosen; it is always the one that never shortens a protection.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from schemas import codes
from transforms.rules.dates import add_days, add_months, add_years, is_minor, latest_possible_birth

Record = Mapping[str, object]

GRANTED = "GRANTED"
ENDED = "ENDED"
NOT_ENDED = "NOT_ENDED"
REOPENABLE = "REOPENABLE"
# A registered second or later re-examination: no right to remain (RTR-06, RTR-08), but
# OFPRA has still to decide (PRI-07).
NO_RTR = "NO_RTR"
RE_EXAMINATIONS = ("REEXAMEN", "REEXAMEN_MULTIPLE")

GRANT_OUTCOMES = ("REFUGIE", "PROTECTION_SUBSIDIAIRE", "APATRIDE", "ANNULATION_REFUGIE",
                  "ANNULATION_PROTECTION_SUBSIDIAIRE")
CNDA_ENDING_OUTCOMES = ("REJET", "NON_LIEU", "DESISTEMENT")
OFPRA_REJECTIONS = ("REJET", "IRRECEVABILITE")
INADMISSIBILITY_BASES = ("L531-32-1", "L531-32-2", "L531-32-3")
ACCELERATED_REJECTION_BASES = ("L531-24", "L531-27-5")
RETENTION_BASIS = "L753-5"
SUSPENSION_BASES = ("L531-32-3", "L753-5", "L531-24", "L531-27-5")
CLOSURE_REOPENING_MONTHS = 9


@dataclass(frozen=True)
class Finding:
    """A fact a rule established about a candidate: an exclusion reason or a marker,
    with the rule ids that produced it and the source rows it rests on."""

    code: str
    rule_ids: tuple[str, ...]
    source_rows: tuple[str, ...] = ()


@dataclass(frozen=True)
class RtrOutcome:
    """What one decision (or a person's decisions) says about the right to remain."""

    effect: str
    rtr_end_date: date | None = None
    knowledge_date: date | None = None
    rule_ids: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    reason: str | None = None
    decision: Record | None = field(default=None, compare=False)
    # RTR-05: the latest notification of a CNDA ordonnance ending the claim; no removal
    # before it (OQ-07), whichever decision ended the right to remain
    execution_after: date | None = None
    # RTR-02 / RTR-08: the end of the latest right to remain a claim gave, which held
    # back the person's measures: a second or later re-examination gives none, so the
    # claim before it (its own end when no earlier claim is known: principle 1)
    suspended_until: date | None = field(default=None, compare=False)
    # the rows of the claim's other decisions that give a marker or a rule id (a later
    # registered request, an ordonnance, a final rejection): principle 2, cited too
    marker_rows: tuple[str, ...] = field(default=(), compare=False)

    @property
    def source_rows(self) -> tuple[str, ...]:
        own = tuple(self.decision["source_rows"]) if self.decision else ()
        return tuple(dict.fromkeys((*own, *self.marker_rows)))


# --- one decision -------------------------------------------------------------------

def rtr_10_is_grant(decision: Record) -> bool:
    """RTR-10: refugee status, subsidiary protection (OFPRA, or CNDA annulling a
    rejection) or statelessness. A grant outcome on a row of the other body is still
    read as a grant: a protection is never discarded for a data-entry slip."""
    return decision["outcome"] in GRANT_OUTCOMES


def rtr_06_is_early_end(decision: Record) -> bool:
    """RTR-06 (L. 542-2): the OFPRA decisions whose notification ends the right to
    remain even if the CNDA is seized. An inadmissibility or an accelerated rejection
    whose legal basis is not given is *not* read as an early end (RTR-03 applies and
    requires proof that the decision is final)."""
    outcome, basis = decision["outcome"], decision["decision_basis"]
    return (
        (outcome == "IRRECEVABILITE" and basis in INADMISSIBILITY_BASES)
        or (outcome == "REJET" and decision["procedure"] == "ACCELEREE"
            and basis in ACCELERATED_REJECTION_BASES)
        or basis == RETENTION_BASIS
        or outcome in ("CLOTURE", "RETRAIT")
        or decision["claim_type"] == "REEXAMEN_MULTIPLE"
    )


def rtr_06_suspension_possible(decision: Record) -> bool:
    """RTR-06 / L. 542-6: in the cases L. 531-32 3°, L. 753-5 and L. 531-24 /
    L. 531-27 5° the person may ask the court to suspend removal."""
    return decision["decision_basis"] in SUSPENSION_BASES


def rtr_07_reopening_window_end(decision: Record) -> date:
    """RTR-07: 9 months to have a closed file reopened, counted from the later of the
    decision and its notification; the 9-month anniversary is the window's last day."""
    start = max(d for d in (decision["decision_date"], decision["notification_date"]) if d)
    return add_months(start, CLOSURE_REOPENING_MONTHS)


def _not_ended(decision: Record, rule_ids: tuple[str, ...]) -> RtrOutcome:
    return RtrOutcome(NOT_ENDED, rule_ids=rule_ids, reason="RTR_END_UNCONFIRMED",
                      decision=decision)


def _ended(decision: Record, end: date, known: date | None, run_date: date,
           rule_ids: tuple[str, ...], markers: tuple[str, ...] = ()) -> RtrOutcome:
    # An end dated after the run date has not happened yet; a decision must have been
    # on a list on or before the run date to be known.
    if end > run_date or known is None or known > run_date:
        return _not_ended(decision, rule_ids)
    return RtrOutcome(ENDED, end, known, rule_ids, markers, decision=decision)


def rtr_early_end(decision: Record, run_date: date) -> RtrOutcome:
    """RTR-06 and RTR-07: the right to remain ends at notification; a closure stays
    reopenable for 9 months, its anniversary included. Since nothing can be done before,
    the knowledge date of a closure (OQ-02) is the later of the first list proving its
    notification and the day after the window."""
    rules = ("RTR-06",) + (("RTR-08",) if decision["claim_type"] == "REEXAMEN_MULTIPLE"
                           else ())
    markers = ("SUSPENSION_REQUEST_POSSIBLE",) if rtr_06_suspension_possible(decision) else ()
    known = decision["first_notified_list_date"]
    if decision["outcome"] == "CLOTURE":
        rules += ("RTR-07",)
        window_end = rtr_07_reopening_window_end(decision)
        if run_date <= window_end:
            return RtrOutcome(REOPENABLE, rule_ids=rules, reason="CLOSURE_REOPENABLE",
                              decision=decision)
        known = max(known, add_days(window_end, 1)) if known else None
    if decision["notification_date"] is None:
        if decision["final_date"] is None or decision["outcome"] == "CLOTURE":
            return _not_ended(decision, rules)
        # reported final (RTR-03's proof) with no notification date: the end is taken at
        # the final date, the later of the two possible readings, as rtr_03_ofpra_final
        return _ended(decision, decision["final_date"], decision["first_final_list_date"],
                      run_date, (*rules, "RTR-03"), markers)
    return _ended(decision, decision["notification_date"], known, run_date, rules, markers)


def rtr_03_ofpra_final(decision: Record, run_date: date) -> RtrOutcome:
    """RTR-03: an OFPRA decision not appealed ends the right to remain at its
    notification, but only a row reported final (`final_date`) proves that no appeal
    was lodged. Without a notification date the end is taken at the final date (the
    later of the two possible readings)."""
    if decision["final_date"] is None:
        return _not_ended(decision, ("RTR-03",))
    end = decision["notification_date"] or decision["final_date"]
    return _ended(decision, end, decision["first_final_list_date"], run_date, ("RTR-03",))


def rtr_cnda(decision: Record, run_date: date) -> RtrOutcome:
    """RTR-04: after a hearing the right to remain ends on the reading date. RTR-05: an
    ordonnance ends it on signature, but execution waits for notification (marker
    EXECUTION_AFTER_NOTIFICATION). A CNDA row without its mode cannot say which date
    applies: not ended; the list that first gives the mode proves the end (OQ-02's
    knowledge date), not an earlier one that showed the decision without it."""
    mode, known = decision["cnda_mode"], decision["first_moded_list_date"]
    if mode == "AUDIENCE":
        return _ended(decision, decision["decision_date"], known, run_date, ("RTR-04",))
    if mode == "ORDONNANCE":
        markers = () if decision["notification_date"] else ("EXECUTION_AFTER_NOTIFICATION",)
        return _ended(decision, decision["decision_date"], known, run_date, ("RTR-05",),
                      markers)
    return _not_ended(decision, ("RTR-04", "RTR-05"))


def is_registered_request(decision: Record) -> bool:
    """RTR-08 / docs/contracts.md §1.1: a re-examination or reopening request registered at
    OFPRA and not yet decided (the decision fields are empty)."""
    return decision["outcome"] is None


def registration_date(decision: Record) -> date:
    """When a request was registered: its introduction date, else the first list that
    showed it."""
    return decision["claim_date"] or decision["first_list_date"]


def earliest_registration(request: Record) -> date | None:
    """The earliest day a request may have been registered: its introduction date; without
    it, the day of the list of its department before the first that showed it (None: no
    such list, any day). That list's own day, not the next: a list is extracted at some
    hour of its day, and a request registered later that day is first shown by the next
    list (principle 1: the reading that keeps a closure's window open)."""
    if request["claim_date"] is not None:
        return request["claim_date"]
    return request.get("previous_list_date")


def rtr_08_reopening_read_as(request: Record, history: Iterable[Record]) -> str:
    """RTR-08: what a reopening request (RTR-07) is read as: a reopening when registered
    within the 9-month window of a closure, its anniversary included, or when the history
    holds no closure at all; after the window a re-examination, the first (REEXAMEN)
    unless the person's history holds an earlier re-examination (REEXAMEN_MULTIPLE). A
    reopening without its introduction date may have been registered any day from that of
    the list of its department before the one that first showed it
    (earliest_registration): within a closure's window if that day is (principle 1, data
    missing)."""
    history = list(history)
    if _within_a_closure_window(request, history) or not any(
            d["outcome"] == "CLOTURE" for d in history if not is_registered_request(d)):
        # (no closure held: the one it reopens may be older than the warehouse's lists,
        # its window unknown: read as what it says it is, principle 1)
        return "REOUVERTURE"
    registered = registration_date(request)
    earlier = [d for d in history if d is not request
               and ((d["claim_type"] in RE_EXAMINATIONS
                     and (d["claim_date"] or registration_date(d)) <= registered)
                    or _earlier_late_reopening(d, request, history))]
    return "REEXAMEN_MULTIPLE" if earlier else "REEXAMEN"


def _within_a_closure_window(request: Record, history: list[Record]) -> bool:
    earliest = earliest_registration(request)
    return any(d["outcome"] == "CLOTURE"
               and (earliest is None or earliest <= rtr_07_reopening_window_end(d))
               for d in history if not is_registered_request(d))


def _earlier_late_reopening(other: Record, request: Record, history: list[Record]) -> bool:
    """RTR-08, "by the person's history": another reopening request that was itself a
    re-examination before `request` was introduced. Only on what proves it: both give
    their introduction date, the other's first; the other's claim was decided before
    `request` was introduced (a re-examination follows a decision: the rows of one
    request, whatever dates they give, never do); and the history holds a closure decided
    before the other was introduced, every such closure's window past by then (a closure
    the warehouse does not hold may have kept it a reopening). Otherwise the request is
    read as a first re-examination, the reading that keeps the right to remain."""
    if not (other["claim_type"] == "REOUVERTURE" and other["claim_date"] is not None
            and request["claim_date"] is not None
            and other["claim_date"] < request["claim_date"]):
        return False
    decided = any(d["claim_type"] == "REOUVERTURE" and d["num_ofpra"] == other["num_ofpra"]
                  and d["claim_date"] == other["claim_date"]
                  and not is_registered_request(d) and d["decision_date"] is not None
                  and d["decision_date"] < request["claim_date"] for d in history)
    closures = [d for d in history if d["outcome"] == "CLOTURE"
                and not is_registered_request(d) and d["decision_date"] is not None
                and d["decision_date"] < other["claim_date"]]
    return decided and bool(closures) and all(
        other["claim_date"] > rtr_07_reopening_window_end(c) for c in closures)


def rtr_08_registered_request(request: Record, history: Iterable[Record]) -> RtrOutcome:
    """RTR-08: a first re-examination registered and not yet decided restores the right
    to remain (ASYLUM_PENDING); a second or later one gives none (RTR-06: effect NO_RTR,
    the earlier claim's end stands). A reopening restores it as what it is read as
    (rtr_08_reopening_read_as). A registered first claim (never delivered so,
    docs/contracts.md) would also restore it."""
    claim_type, rules = request["claim_type"], ("RTR-08",)
    if claim_type == "REOUVERTURE":
        rules += ("RTR-07",)
        claim_type = rtr_08_reopening_read_as(request, history)
        if claim_type == "REOUVERTURE":
            return RtrOutcome(NOT_ENDED, rule_ids=rules, reason="ASYLUM_PENDING",
                              decision=request)
    if claim_type == "REEXAMEN_MULTIPLE":
        return RtrOutcome(NO_RTR, rule_ids=(*rules, "RTR-06"), decision=request)
    if claim_type not in RE_EXAMINATIONS:  # a first claim awaiting its decision
        rules = ("RTR-01",)
    return RtrOutcome(NOT_ENDED, rule_ids=rules, reason="ASYLUM_PENDING", decision=request)


def decided_as_read(decision: Record, history: Iterable[Record]) -> Record:
    """A reopening read, as its request was (RTR-08), as a second or later
    re-examination: its decision ends the right to remain at notification (RTR-06), and
    its registration is of the same claim (keyed by its type: _claim_key), not a later
    request still awaited. Any other row as it is."""
    if decision["claim_type"] == "REOUVERTURE" and rtr_08_reopening_read_as(
            decision, history) == "REEXAMEN_MULTIPLE":
        return {**decision, "claim_type": "REEXAMEN_MULTIPLE"}
    return decision


def assess_decision(decision: Record, run_date: date) -> RtrOutcome:
    """What one OFPRA or CNDA decision says about the right to remain on `run_date`
    (a registered request is read with the person's history: rtr_08_registered_request)."""
    if rtr_10_is_grant(decision):
        return RtrOutcome(GRANTED, rule_ids=("RTR-10",), reason="PROTECTION_GRANTED",
                          decision=decision)
    if decision["deciding_body"] == "CNDA":
        if decision["outcome"] in CNDA_ENDING_OUTCOMES:
            return rtr_cnda(decision, run_date)
        return _not_ended(decision, ("RTR-04", "RTR-05"))
    if decision["outcome"] not in codes.OFPRA_OUTCOMES:
        return _not_ended(decision, ("RTR-03",))
    if rtr_06_is_early_end(decision):
        return rtr_early_end(decision, run_date)
    return rtr_03_ofpra_final(decision, run_date)


# --- all decisions of a person ------------------------------------------------------

def _claim_key(decision: Record) -> tuple:
    """The claim a decision belongs to (its introduction date and type)."""
    start = decision["claim_date"] or (registration_date(decision)
                                       if is_registered_request(decision) else None)
    return (start or date.min, decision["claim_type"])


# The claims an applicant makes once (CONTRACTS §1.1: the first claim, the first
# re-examination): every decision of that type under one OFPRA number is of one claim.
ONCE_PER_APPLICANT = ("PREMIERE", "REEXAMEN")


def _claims(outcomes: Iterable[RtrOutcome]) -> dict[tuple, list[RtrOutcome]]:
    """The outcomes by claim (`_claim_key`). A row whose claim's introduction date is
    unknown (`DATE_INTRODUCTION` empty: allowed) belongs to the claim of its type under
    the same OFPRA number when its type is made once per applicant and exactly one such
    claim is dated, or, for a type made again and again, to the latest such claim
    introduced by the row's date: left on its own, it was read as another claim, the latest by its
    decision date, and what its claim held was left out (an unnotified ordonnance after
    an early end at OFPRA did not hold the execution, RTR-05). So does an undated
    registered request (RTR-08) first listed no later than that claim's first decision:
    left on its own, keyed by its first list, it stayed undecided for good after its own
    decision was reported final. Two dated claims of one type (a slip in the data) are
    not merged: the later one keeps deciding."""
    claims: dict[tuple, list[RtrOutcome]] = {}
    for o in outcomes:
        claims.setdefault(_claim_key(o.decision), []).append(o)
    undated = [(key, o) for key, found in claims.items()
               for o in found if o.decision["claim_date"] is None]
    for key, o in undated:
        dated = [k for k, found in claims.items() if k != key and k[1] == key[1]
                 and any(f.decision["claim_date"] is not None
                         and f.decision["num_ofpra"] == o.decision["num_ofpra"]
                         for f in found)]
        if key[1] not in ONCE_PER_APPLICANT:
            # a claim made again and again (a later re-examination, a reopening): the
            # row's decision is on the one in progress then, the latest introduced by its
            # date (the next is introduced only once this one is decided for good); left
            # on its own, a second re-examination's undated OFPRA row hid the CNDA's
            # unnotified ordonnance on it (audit of 2026-12-07, RTR-05)
            by = o.decision["decision_date"] or registration_date(o.decision)
            dated = sorted(k for k in dated if k[0] <= by)[-1:]
        if len(dated) == 1 and (not is_registered_request(o.decision) or registration_date(
                o.decision) <= min((f.decision["first_list_date"] for f in claims[dated[0]]
                                    if not is_registered_request(f.decision)),
                                   default=date.max)):
            claims[key].remove(o)
            claims[dated[0]].append(o)
            if not claims[key]:
                del claims[key]
    return claims


def _claim_order(claim: list[Record]) -> tuple:
    """When a claim came, to find the person's latest: its introduction date. A claim
    whose rows give none (`DATE_INTRODUCTION` may be empty) is placed by its earliest
    decision (or, without one, the first list showing it): a claim is decided after it
    is introduced, and a later claim (a re-examination) is introduced only after the
    final decision on the one before, so an undated claim never falls behind an earlier
    one (read as the oldest, an undated re-examination still open to appeal left the
    first claim's final rejection to decide). On the same day, a first claim comes
    before a re-examination."""
    first = claim[0]
    start = _claim_key(first)[0]
    if start == date.min:
        start = min(d["decision_date"] or d["first_list_date"] or date.min for d in claim)
    return (start, first["claim_type"] != "PREMIERE", first["claim_type"])


def assess_claims(decisions: Iterable[Record], run_date: date) -> RtrOutcome | None:
    """The right to remain of a person from all their decisions.

    A grant in any claim is final (RTR-10). Otherwise the latest claim decides: a
    re-examination restores the right to remain (RTR-08), so an earlier claim's end
    never overrides a later claim that is still open; a registered second re-examination
    gives no right to remain, so the claim before it decides. Within that claim a decision
    outweighs the registration of its request, the earliest established end wins (an
    early end at OFPRA notification comes before the CNDA reading); a reopenable closure
    keeps the right alive (RTR-07); without an established end the latest decision
    explains why. The markers of the claim are added (`claim_markers`).
    """
    decisions = list(decisions)
    outcomes = [rtr_08_registered_request(decided_as_read(d, decisions), decisions)
                if is_registered_request(d)
                else assess_decision(decided_as_read(d, decisions), run_date)
                for d in decisions]
    if not outcomes:
        return None
    grants = [o for o in outcomes if o.effect == GRANTED]
    if grants:
        return grants[0]
    awaited = [o for o in outcomes if o.effect == NO_RTR]
    standing = [o for o in outcomes if o.effect != NO_RTR]
    if not standing:  # only a later request is known: its claim's end is not proven
        o = awaited[0]
        return RtrOutcome(NOT_ENDED, rule_ids=o.rule_ids, reason="RTR_END_UNCONFIRMED",
                          markers=("NO_CONSULAR_CONTACT",), decision=o.decision)
    claims = _claims(standing)
    order = {key: _claim_order([o.decision for o in found]) for key, found in claims.items()}
    latest_claim = max(claims, key=order.__getitem__)
    claim = claims[latest_claim]
    decided = [o for o in claim if not is_registered_request(o.decision)]
    claim = decided or claim
    reopenable = [o for o in claim if o.effect == REOPENABLE]
    if reopenable:
        return reopenable[0]
    ended = [o for o in claim if o.effect == ENDED]
    if ended and (window := _closure_still_reopenable(claims, latest_claim, claim)):
        return window
    if ended and (unproven := _earlier_end_unproven(claims, latest_claim, claim)):
        return unproven
    if ended:
        deciding = min(ended, key=lambda o: (o.rtr_end_date, o.knowledge_date,
                                             o.decision["decision_key"]))
        later = [o for o in awaited if _claim_order([o.decision]) > order[latest_claim]]
        markers = claim_markers(deciding, [o.decision for o in claim], bool(later))
        ordonnances = [o.decision for o in claim if is_ending_ordonnance(o.decision)]
        finals = [o.decision for o in claim if "OFPRA_DOCUMENTS_REQUESTABLE" in markers
                  and is_final_rejection(o.decision)]
        suspended_until = ((deciding.decision["claim_type"] == "REEXAMEN_MULTIPLE"
                            and rtr_given_until(claims, latest_claim))
                           or deciding.rtr_end_date)
        return replace(deciding, markers=tuple(sorted({*deciding.markers, *markers})),
                       suspended_until=suspended_until,
                       marker_rows=tuple(row for d in [*(o.decision for o in later),
                                                       *ordonnances, *finals]
                                         for row in d["source_rows"]),
                       rule_ids=tuple(dict.fromkeys(
                           (*deciding.rule_ids, *(r for o in later for r in o.rule_ids),
                            *(("RTR-05",) if ordonnances else ())))),
                       execution_after=max((d["notification_date"] for d in ordonnances
                                            if d["notification_date"]), default=None))
    return max(claim, key=lambda o: (o.decision["decision_date"] or date.min,
                                     o.decision["decision_key"]))


def _closure_still_reopenable(claims: dict[tuple, list[RtrOutcome]], latest: tuple,
                              claim: list[RtrOutcome]) -> RtrOutcome | None:
    """RTR-07 and principle 1: a re-examination introduced while an earlier claim's
    closure may still be reopened (its window runs on the run date, so the request came
    within it) is the reopening L. 531-42 provides for, typed otherwise: its decision
    does not close the window, and the person stays excluded CLOSURE_REOPENABLE until
    the window ends, citing the closure and the re-examination's rows. A request typed
    as a reopening is read as one (rtr_08_reopening_read_as), and its decision stands."""
    if claim[0].decision["claim_type"] not in RE_EXAMINATIONS:
        return None
    windows = [o for key, found in claims.items() if key != latest for o in found
               if o.effect == REOPENABLE]
    if not windows:
        return None
    return replace(windows[0], rule_ids=(*windows[0].rule_ids, "RTR-08"),
                   marker_rows=tuple(row for o in claim for row in o.decision["source_rows"]))


def _earlier_end_unproven(claims: dict[tuple, list[RtrOutcome]], latest: tuple,
                          claim: list[RtrOutcome]) -> RtrOutcome | None:
    """RTR-03 and principle 1: an earlier claim decided, whose end no decision establishes
    (an OFPRA rejection not reported final and no CNDA decision known, a CNDA decision
    without its mode...). A later claim presupposes a final decision on it (a
    re-examination follows one), but the data do not prove it: the earlier claim may
    still be before the CNDA, so the later claim's end does not end the right to remain.
    RTR_END_UNCONFIRMED, citing both claims' rows."""
    for key, found in sorted(claims.items()):
        if key == latest or any(o.effect != NOT_ENDED for o in found):
            continue
        decided = [o for o in found if not is_registered_request(o.decision)]
        if decided:
            o = max(decided, key=lambda o: (o.decision["decision_date"] or date.min,
                                            o.decision["decision_key"]))
            return replace(o, reason="RTR_END_UNCONFIRMED", marker_rows=tuple(
                row for other in claim for row in other.decision["source_rows"]))
    return None


def rtr_given_until(claims: dict[object, list[RtrOutcome]], latest: object) -> date | None:
    """RTR-02 / RTR-08: when the latest claim is a second or later re-examination (no
    right to remain), the end of the right to remain of the latest claim before it that
    gave one: the earliest established end of that claim, as assess_claims reads it
    (None when none is known). Every other claim is before the latest."""
    ends = {key: min(o.rtr_end_date for o in ended) for key, found in claims.items()
            if key != latest and (ended := [
                o for o in found if o.effect == ENDED and o.rtr_end_date is not None
                and o.decision["claim_type"] != "REEXAMEN_MULTIPLE"])}
    if not ends:
        return None
    order = {key: _claim_order([o.decision for o in claims[key]]) for key in ends}
    return ends[max(ends, key=order.__getitem__)]


def pri_07_awaits_decision(deciding: Record, claim: Iterable[Record]) -> bool:
    """PRI-07: the latest claim may still await a decision when its right to remain ended
    early (RTR-06, a withdrawal excepted: the claimant gave it up) and neither a CNDA
    decision nor OFPRA's proof that the decision is final (`DATE_DEFINITIVE`) is known
    for that claim: an appeal may be pending at the CNDA."""
    if not rtr_06_is_early_end(deciding) or deciding["outcome"] == "RETRAIT":
        return False
    return not any(d["deciding_body"] == "CNDA" or d["final_date"] is not None
                   for d in claim)


def is_final_rejection(decision: Record) -> bool:
    """The 2014 circular's "final rejection": an OFPRA rejection or inadmissibility
    reported final (RTR-03; a closure or a withdrawal is no rejection), a CNDA reading
    (RTR-04) or a notified ordonnance (RTR-05)."""
    if rtr_10_is_grant(decision) or is_registered_request(decision):
        return False
    if decision["deciding_body"] == "CNDA":
        return decision["outcome"] in CNDA_ENDING_OUTCOMES and (
            decision["cnda_mode"] == "AUDIENCE"
            or (decision["cnda_mode"] == "ORDONNANCE" and decision["notification_date"]))
    return decision["outcome"] in OFPRA_REJECTIONS and decision["final_date"] is not None


def is_ending_ordonnance(decision: Record) -> bool:
    """RTR-05: a CNDA ordonnance ending the claim (a rejection, a non-lieu, a
    withdrawal)."""
    return (decision["deciding_body"] == "CNDA" and decision["cnda_mode"] == "ORDONNANCE"
            and decision["outcome"] in CNDA_ENDING_OUTCOMES)


def claim_markers(deciding: RtrOutcome, claim: list[Record], request_awaited: bool
                  ) -> tuple[str, ...]:
    """Markers of the claim that ended the right to remain, carried on every list:
    NO_CONSULAR_CONTACT (PRI-07) while a decision may still be awaited on it, or on a
    later registered request; OFPRA_DOCUMENTS_REQUESTABLE once the rejection is final
    (circular of 11 March 2014), never before; EXECUTION_AFTER_NOTIFICATION while an
    ordonnance of the claim is signed and not notified, even when an earlier decision
    (an early end at OFPRA, RTR-06) ended the right to remain: a removal may only be
    executed from the ordonnance's notification (RTR-05, OQ-07; the reading that never
    shortens a protection)."""
    markers = []
    if any(is_ending_ordonnance(d) and not d["notification_date"] for d in claim):
        markers.append("EXECUTION_AFTER_NOTIFICATION")
    if request_awaited or pri_07_awaits_decision(deciding.decision, claim):
        markers.append("NO_CONSULAR_CONTACT")
    if any(is_final_rejection(d) for d in claim):
        markers.append("OFPRA_DOCUMENTS_REQUESTABLE")
    return tuple(markers)


# --- protections of a person (one AGDREF file) --------------------------------------

def title_is_valid(title: Record, run_date: date) -> bool:
    """Valid on the run date (its DATE_FIN day included). Contradictory data protect
    (principle 1): a title said `VALIDE` whose DATE_DEBUT is still to come (issued, so
    granted) and one said `EXPIRE` whose dates still cover the run date are read as
    valid; a withdrawn one (`RETIRE`) ended before its term."""
    end = title["end_date"]
    if title["title_status"] == "VALIDE":
        return end is None or end >= run_date
    start = title["start_date"]  # unknown (empty in AGDREF): it may have begun
    return (title["title_status"] == "EXPIRE" and (start is None or start <= run_date)
            and end is not None and end >= run_date)


def rtr_01_asylum_attestation(titles: Iterable[Record], run_date: date) -> Finding | None:
    """RTR-01 / RTR-08: a valid ADA means the right to remain is running, whatever
    TélémOfpra says (an attestation that outlived a rejection is contradictory data:
    the person is excluded, never flagged)."""
    rows = tuple(t["source_row"] for t in titles
                 if t["title_type"] == codes.ASYLUM_ATTESTATION and title_is_valid(t, run_date))
    return Finding("ASYLUM_PENDING", ("RTR-01", "RTR-08"), rows) if rows else None


def residence_permit(titles: Iterable[Record], run_date: date) -> Finding | None:
    """§5 RESIDENCE_PERMIT: a permit, receipt or APS valid on the run date."""
    rows = tuple(t["source_row"] for t in titles
                 if t["title_type"] in codes.PERMIT_TYPES and title_is_valid(t, run_date))
    return Finding("RESIDENCE_PERMIT", ("OQ-01",), rows) if rows else None


def birth_of(identity: Record) -> date | None:
    return latest_possible_birth(identity["birth_year"], identity["birth_month"],
                                 identity["birth_day"],
                                 bool(identity["birth_date_is_placeholder"]))


def oq_03_minor(identities: Iterable[Record], run_date: date) -> Finding | None:
    """OQ-03: under 18 on the run date. Every source's birth date is read at its
    youngest (partial dates, 01/01 placeholders), and the youngest source wins: when
    systems disagree about age, the person is treated as the younger. With no source at
    all the caller reports IDENTITY_CONFLICT instead."""
    identities = [i for i in identities if i is not None]
    if any(is_minor(birth_of(i), run_date) for i in identities):
        rows = tuple(i["source_row"] for i in identities if i.get("source_row"))
        return Finding("MINOR", ("OQ-03",), rows)
    return None


def eu_citizen(identities: Iterable[Record]) -> Finding | None:
    """§5 EU_CITIZEN: any source giving an EU/EEA or Swiss nationality."""
    rows = tuple(i["source_row"] for i in identities
                 if i is not None and i["nationality"] in codes.EU_EEA_CH)
    return Finding("EU_CITIZEN", ("OQ-01",), rows) if rows else None


def deceased_or_left(person: Record | None) -> Finding | None:
    """§5 DECEASED_OR_LEFT: AGDREF records death, naturalisation or departure."""
    if person is not None and person["file_status"] in codes.LEFT_FILE_STATUSES:
        return Finding("DECEASED_OR_LEFT", ("EX-02",), (person["source_row"],))
    return None


def oq_04_individual_assessment(person: Record | None, run_date: date) -> bool:
    """OQ-04: 10 years of presence (from the AGDREF entry date) or a French spouse or
    child recorded in AGDREF call for an individual assessment before any OQTF."""
    if person is None:
        return False
    entry = person["entry_date"]
    return bool(person["french_family_link"]) or (
        entry is not None and add_years(entry, 10) <= run_date)


def file_protections(person: Record, titles: Iterable[Record], run_date: date
                     ) -> list[Finding]:
    """Protections that one AGDREF file shows on the run date."""
    titles = list(titles)
    found = [rtr_01_asylum_attestation(titles, run_date), residence_permit(titles, run_date),
             deceased_or_left(person)]
    return [f for f in found if f is not None]
