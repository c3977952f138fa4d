"""Removal measures: departure period, challenge windows, enforceability and coercion
(OQ-05…OQ-08) and the follow-up of unexecuted measures (EX-01…EX-05).

Pure functions of a measure record (house column names of `core.removal_measures`) and
the run date. Docstrings state the reading chosen where RULES.md is silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from schemas import codes
from transforms.rules.dates import add_days, add_months, add_years

Record = Mapping[str, object]

COERCION_YEARS = 3
DUBLIN_MONTHS = {"default": 6, "imprisoned": 12, "absconded": 18}
EXPULSIONS = ("APE", "AME")


@dataclass(frozen=True)
class Enforceability:
    """When a measure may be executed, and why not yet."""

    enforceable_from: date | None
    challenge_window_end: date | None
    rule_ids: tuple[str, ...]


def oq_05_departure_days(measure: Record) -> int:
    """OQ-05: the days AGDREF records in `DELAI_DEPART_JOURS`; an empty field means no
    departure period was granted (docs/contracts.md §1.3), so the challenge window of OQ-06
    alone sets when execution may start (for an OQTF at liberty, one month: never
    shorter than the usual 30-day period)."""
    days = measure["departure_period_days"]
    return int(days) if days is not None else 0


def oq_06_challenge_window_end(measure: Record) -> date | None:
    """OQ-06: one month at liberty, 7 days detained or under house arrest, 48 hours in
    retention; an unknown situation is read as liberty (the longer window). RULES.md
    gives these windows for the OQTF; they are applied to expulsions, handovers and
    Dublin transfers too, whose own windows are never longer. A judicial ITF is
    challenged through the criminal courts: no administrative window. Null when the
    measure has not been notified."""
    notified = measure["notification_date"]
    if notified is None or measure["measure_type"] == "ITF":
        return None
    situation = measure["notification_situation"]
    if situation == "RETENU":
        return add_days(notified, 2)
    if situation in ("DETENU", "ASSIGNE"):
        return add_days(notified, 7)
    return add_months(notified, 1)


def oq_07_enforceability(measure: Record, rtr_end: date | None = None,
                         ordonnance_notified: date | None = None) -> Enforceability:
    """OQ-07: `enforceable_from = max(notification + DDV, notification + challenge
    window)`, never before the end of a right to remain that suspended the measure
    (RTR-02) nor before an ordonnance's notification (RTR-05). A measure never notified
    is not enforceable (null). A judicial ITF is enforceable from its decision (no
    administrative window; a departure period only when AGDREF records one), but like
    any removal measure not while a right to remain suspended it (RTR-02) nor before an
    ordonnance's notification (RTR-05)."""
    rules = ("OQ-07",)
    notified = measure["notification_date"]
    departure_days = oq_05_departure_days(measure)
    # OQ-05 is cited for an OQTF, and for any measure whose departure period is recorded
    departure_rules = ("OQ-05",) if measure["measure_type"] == "OQTF" or departure_days else ()
    if measure["measure_type"] == "ITF":
        start, window_end = notified or measure["decision_date"], None
        rules += ("PRI-06",)
        if start is None:
            return Enforceability(None, None, rules)
        if departure_days:
            # a departure period AGDREF records on a judicial ban is not run over
            # (principle 1: the recorded period and the ban's own rule disagree)
            start, rules = add_days(start, departure_days), rules + departure_rules
    elif notified is None:
        return Enforceability(None, None, rules)
    else:
        window_end = oq_06_challenge_window_end(measure)
        start = max(add_days(notified, departure_days), window_end)
        rules += (*departure_rules, "OQ-06")
    # The end of a right to remain, or an ordonnance's notification, only counts (and
    # is cited) when it comes later.
    if rtr_end is not None and rtr_end > start:
        start, rules = rtr_end, rules + ("RTR-02",)
    if ordonnance_notified is not None and ordonnance_notified > start:
        start, rules = ordonnance_notified, rules + ("RTR-05",)
    return Enforceability(start, window_end, rules)


def oq_08_coercible_until(measure: Record) -> date | None:
    """OQ-08: house arrest and retention only on an OQTF less than 3 years old (the
    2024 window, applied to older OQTFs too). Expulsions, ITFs, handovers and Dublin
    transfers have no such window (null)."""
    if measure["measure_type"] != "OQTF":
        return None
    return add_years(measure["decision_date"], COERCION_YEARS)


def oq_08_is_coercible(measure: Record, on: date) -> bool:
    """On the third anniversary the OQTF is 3 years old: no longer coercible."""
    until = oq_08_coercible_until(measure)
    return until is None or on < until


def ex_02_closed(measure: Record, run_date: date) -> bool:
    """EX-02: annulled, abrogated or withdrawn (status, or annulled by the court), or
    executed (status, forced removal or recorded voluntary departure)."""
    departed = measure["departure_date"]
    return (measure["measure_status"] in codes.CLOSED_MEASURE_STATUSES
            or measure["appeal_status"] == "ANNULE"
            or (departed is not None and departed <= run_date))


def oq_06_challenge_may_be_pending(measure: Record) -> bool:
    """OQ-06: a court challenge recorded pending (`RECOURS` EN_COURS), or no appeal status
    recorded at all: an empty field is unknown (CONTRACTS §1), and a challenge lodged in
    time may be pending (principle 1: the measure is not acted on until AGDREF says)."""
    return measure["appeal_status"] in ("EN_COURS", None)


def counts_as_measure(measure: Record) -> bool:
    """"Who is without OQTF" (RULES.md §2): an OQTF neither annulled, abrogated nor
    withdrawn, whatever its date; an expulsion or a judicial ITF in force."""
    if measure["appeal_status"] == "ANNULE":
        return False
    if measure["measure_type"] == "OQTF":
        return measure["measure_status"] not in codes.WITHDRAWN_MEASURE_STATUSES
    return (measure["measure_type"] in EXPULSIONS + ("ITF",)
            and measure["measure_status"] == "EN_VIGUEUR")


def ex_04_time_limit(measure: Record) -> date | None:
    """EX-04: the transfer's time limit before any extension, 6 months from the other
    State's acceptance (null when that date is unknown)."""
    accepted = measure["member_state_acceptance_date"]
    return None if accepted is None else add_months(accepted, DUBLIN_MONTHS["default"])


def ex_04_dublin_deadline(measure: Record, imprisoned: bool,
                          within_limits: bool = True) -> date | None:
    """EX-04: 6 months from the other State's acceptance; 12 when the person was
    imprisoned, 18 when they absconded (a FUITE event since the acceptance,
    core_removal_measures.sql). Only recorded facts extend the deadline: without them
    the shorter one applies, and France's responsibility (which protects the person) is
    never delayed by a guess. With `within_limits`, an absconding extends only when it
    falls within the time limit in force (Reg. 604/2013 art. 29(2): a lapsed transfer
    stays lapsed; `imprisoned` is then read within the 6 months by the caller); the
    rejected list reads every one since the acceptance (RTR-09: a transfer still running
    keeps the person off that list). Null when the acceptance date is unknown."""
    accepted = measure["member_state_acceptance_date"]
    if accepted is None:
        return None
    deadline = add_months(accepted, DUBLIN_MONTHS["imprisoned" if imprisoned else "default"])
    absconded = measure["absconded_on"]
    if absconded is not None and (not within_limits or absconded <= deadline):
        deadline = add_months(accepted, DUBLIN_MONTHS["absconded"])
    return deadline


def ex_04_dublin_lapsed(measure: Record, imprisoned: bool, run_date: date,
                        within_limits: bool = True) -> bool:
    """EX-04: the transfer may still be carried out on the anniversary day itself (Reg.
    1182/71 art. 3); it has lapsed from the day after. Without an acceptance date the
    deadline cannot be shown to run: lapsed (France responsible, the protective reading)."""
    deadline = ex_04_dublin_deadline(measure, imprisoned, within_limits)
    return deadline is None or run_date > deadline


def can_support_removal_at(measure: Record, on: date) -> bool:
    """PRI-08: a measure in force that can support removal on `on` (the release date):
    an expulsion or ITF in force, or an OQTF in force, not under a challenge that may be
    pending (oq_06_challenge_may_be_pending) and
    still coercible on that day (OQ-08)."""
    if (ex_02_closed(measure, on) or not counts_as_measure(measure)
            or oq_06_challenge_may_be_pending(measure)):
        return False
    return oq_08_is_coercible(measure, on)
