"""What each decision carries besides who and when, checked by Django's forms on the
server; the agents a manager may assign a flag to; and the guards the rules put on a
next step (RULES.md PRI-07, OQ-08)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from workspace.accounts.models import Account, Role
from workspace.decisions.models import Kind, Reason, Step

NOTE_LENGTH = 500
YES_NO = [("oui", "oui"), ("non", "non")]
# How far from today a date given on a flag may lie: an OQTF signed, a next step done or
# planned, is of this year's work on the lists; a date further off is a mistyped year.
PLAUSIBLE_SPAN = timedelta(days=366)


def not_in_future(day):
    if day is not None and day > timezone.localdate():
        raise ValidationError("une date à venir n'est pas possible ici")


def within_a_year(day):
    today = timezone.localdate()
    if day is not None and not today - PLAUSIBLE_SPAN <= day <= today + PLAUSIBLE_SPAN:
        raise ValidationError(f"le {day:%d/%m/%Y} est à plus d'un an d'aujourd'hui : "
                              "vérifiez l'année")


class DecisionForm(forms.Form):
    """Any decision: an optional comment (no needless personal data)."""

    note = forms.CharField(max_length=NOTE_LENGTH, required=False, strip=True)

    def event_fields(self) -> dict:
        return {"note": self.cleaned_data["note"]}


class CommentForm(DecisionForm):
    note = forms.CharField(max_length=NOTE_LENGTH, required=True, strip=True)


class PrisonAnswerForm(DecisionForm):
    taken_in_charge = forms.ChoiceField(choices=YES_NO)
    charge_date = forms.DateField(required=False)  # checked: _charge_date_refused

    def event_fields(self) -> dict:
        return {**super().event_fields(),
                "taken_in_charge": self.cleaned_data["taken_in_charge"] == "oui",
                "charge_date": self.cleaned_data["charge_date"]}


class OqtfTakenForm(DecisionForm):
    """"OQTF prise le …": the day the prefect signed it (today or before)."""

    fact_date = forms.DateField(validators=[not_in_future, within_a_year])

    def event_fields(self) -> dict:
        return {**super().event_fields(), "fact_date": self.cleaned_data["fact_date"]}


class NextStepForm(DecisionForm):
    step = forms.ChoiceField(choices=Step.choices)
    fact_date = forms.DateField(required=False, validators=[within_a_year])

    def event_fields(self) -> dict:
        return {**super().event_fields(), "step": self.cleaned_data["step"],
                "fact_date": self.cleaned_data["fact_date"]}


# The reasons as the form offers them: "autre motif" says where to give it.
REASON_CHOICES = [(code, f"{label} (à préciser en commentaire)" if code == Reason.OTHER
                   else label) for code, label in Reason.choices]


class NotPursuedForm(DecisionForm):
    reason = forms.ChoiceField(choices=REASON_CHOICES)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER and not cleaned.get("note"):
            raise ValidationError("précisez le motif en commentaire")
        return cleaned

    def event_fields(self) -> dict:
        return {**super().event_fields(), "reason": self.cleaned_data["reason"]}


def assignable(department: str):
    """The accounts a flag of `department` may be assigned to: active agents and managers
    who see that department."""
    return (Account.objects.filter(is_active=True, role__in=[Role.AGENT, Role.MANAGER],
                                   grants__department=department)
            .order_by("username"))


class AssignForm(forms.Form):
    """A manager gives a flag to a named agent of the flag's department: an account of
    another department, inactive, or an analyst or administrator is not a valid choice."""

    agent = forms.ModelChoiceField(
        queryset=Account.objects.none(), to_field_name="username",
        error_messages={"required": "choisissez un agent",
                        "invalid_choice": "cet agent n'est pas un agent actif du département"})

    def __init__(self, department: str, data=None):
        super().__init__(data)
        self.fields["agent"].queryset = assignable(department)


FORMS = {Kind.COMMENT: CommentForm, Kind.OUTCOME_WITHDRAWN: CommentForm,
         Kind.PRISON_ANSWER: PrisonAnswerForm,
         Kind.OQTF_TAKEN: OqtfTakenForm, Kind.NEXT_STEP: NextStepForm,
         Kind.NOT_PURSUED: NotPursuedForm}


def form_for(kind: str, data) -> DecisionForm:
    return FORMS.get(kind, DecisionForm)(data)


def date_refused(kind: str, cleaned: dict, flag: dict) -> str:
    """Why the date given cannot be the fact's ("" when it can): the OQTF the rejected
    list asks for (OQ-01, L. 611-1 4°) rests on the end of the right to remain, so it is
    not signed before that day (a mistyped year would show the flag handled, and count
    in the dashboards, on a date no OQTF could bear). Except after a second or later
    re-examination (RTR-08 cited): that request gave no right to remain, so an OQTF may
    lawfully predate its decision. The answer to an establishment: _charge_date_refused."""
    if kind == Kind.PRISON_ANSWER:
        return _charge_date_refused(cleaned, flag)
    if "RTR-08" in (flag.get("rule_ids") or ()):
        return ""
    ended, day = flag.get("rtr_end_date"), cleaned.get("fact_date")
    if kind == Kind.OQTF_TAKEN and ended is not None and day is not None and day < ended:
        return (f"OQTF datée du {day:%d/%m/%Y}, avant la fin du droit au maintien le "
                f"{ended:%d/%m/%Y} : vérifiez la date de signature")
    return ""


CHARGE_MARGIN_DAYS = 31  # a release may come a little later, or be answered a little late


def _charge_date_refused(cleaned: dict, flag: dict) -> str:
    """The border police's taking charge is at the release (PRI-05), which may come from
    the opening of its window (PRI-03): a date given with a "non" means nothing, and one
    more than a month outside the window and the release the flag shows is a slip (the
    flag would show an answer no one can act on). A flag without a release date (a remand
    prisoner whose identity is to be confirmed, PRI-09) bounds it as any date given on a
    flag: within a year of today."""
    day, release = cleaned.get("charge_date"), flag.get("release_date")
    opens = flag.get("window_start_date") or release
    if day is None:
        return ""
    if cleaned.get("taken_in_charge") != "oui":
        return "une date de prise en charge ne se donne qu'avec la réponse « oui »"
    if opens is None:
        try:
            within_a_year(day)
        except ValidationError as err:
            return "prise en charge " + " ".join(err.messages)
    margin = timedelta(days=CHARGE_MARGIN_DAYS)
    if release is not None and day > release + margin:
        return (f"prise en charge le {day:%d/%m/%Y}, plus d'un mois après la libération "
                f"prévue le {release:%d/%m/%Y} : vérifiez la date")
    if opens is not None and day < opens - margin:
        return (f"prise en charge le {day:%d/%m/%Y}, plus d'un mois avant le "
                f"{opens:%d/%m/%Y}, où la libération devient possible : vérifiez la date")
    return ""


def step_refused(step: str, flag: dict, planned=None) -> str:
    """Why the rules forbid this next step on this measure ("" when they allow it): no
    consulate is contacted about a person who may await an asylum decision (PRI-07);
    house arrest and retention need an OQTF under 3 years old on the day they are
    planned for (`planned`, else today): from its third anniversary (coercible_until)
    the OQTF cannot support them (OQ-08), even when last night it still could. No
    removal step (house arrest, retention, transfer) is planned before the measure is
    enforceable (OQ-07, enforceable_from): a slip in the date, as a year mistyped."""
    markers = flag.get("markers") or []
    if step == Step.CONSULAR_PASS and "NO_CONSULAR_CONTACT" in markers:
        return "contact consulaire interdit pour cette personne (PRI-07)"
    enforceable = flag.get("enforceable_from")
    if (step in (Step.HOUSE_ARREST, Step.RETENTION, Step.TRANSFER) and planned is not None
            and enforceable is not None and planned < enforceable):
        return (f"étape prévue le {planned:%d/%m/%Y}, avant le {enforceable:%d/%m/%Y} où la "
                "mesure devient exécutoire (OQ-07) : vérifiez la date")
    if step not in (Step.HOUSE_ARREST, Step.RETENTION):
        return ""
    if flag.get("is_coercible") is False or "NOT_COERCIBLE" in markers:
        return "mesure de 3 ans ou plus : ni assignation ni rétention (OQ-08)"
    until, day = flag.get("coercible_until"), planned or timezone.localdate()
    if until is not None and day >= until:
        return (f"la mesure a 3 ans le {until:%d/%m/%Y} : ni assignation ni rétention "
                "à partir de ce jour (OQ-08)")
    return ""
