"""Agents' decisions, one row per event, never changed nor deleted: the state of a flag
and its assignee are read from its events (state.py), the decisions the night honours
from the latest ones (in_force.py). The models refuse a change (AppendOnly), and so does
the database itself, whoever writes: triggers refuse UPDATE and DELETE on both event
tables (migrations/0005_append_only_in_the_database.py)."""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.db import connection, models, transaction

from schemas import codes


class Kind(models.TextChoices):
    # any flag: who handles it, and what they noted
    TAKEN = "TAKEN", "signalement pris en charge"
    RELEASED = "RELEASED", "signalement rendu"
    COMMENT = "COMMENT", "commentaire"
    # a manager gives the flag to a named agent of its department (`assigned_to`)
    ASSIGNED = "ASSIGNED", "signalement attribué"
    # a manager withdraws the assignment (`assigned_to`: the holder it is withdrawn from);
    # the flag is to be handled again (réattribuer: a new ASSIGNED event)
    UNASSIGNED = "UNASSIGNED", "attribution retirée"
    # OQ-02: the unit examines admission on another ground (the person leaves the list)
    OTHER_GROUND = codes.OTHER_GROUND, "examen d'un autre fondement de séjour ouvert"
    # ... until the unit closes that examination (the person may be listed again)
    OTHER_GROUND_CLOSED = "OTHER_GROUND_CLOSED", "examen d'un autre fondement de séjour clos"
    # rejected without OQTF: the OQTF is taken, shown until AGDREF records it
    OQTF_TAKEN = "OQTF_TAKEN", "OQTF prise"
    # PRI-05: the answer given to the establishment
    PRISON_ANSWER = codes.PRISON_ANSWER, "réponse à l'établissement pénitentiaire"
    # unexecuted measures: the next step planned
    NEXT_STEP = "NEXT_STEP", "étape suivante planifiée"
    # rejected without OQTF, unexecuted measures: the unit does not pursue (a reason)
    NOT_PURSUED = "NOT_PURSUED", "non poursuivi"
    # the flag's latest outcome withdrawn (recorded by mistake: an answer given on the
    # wrong detainee would silence PRISON_ANSWER_DUE for good); the flag is to be handled
    # again, its events kept (nothing is ever changed nor deleted)
    OUTCOME_WITHDRAWN = "OUTCOME_WITHDRAWN", "suite retirée (enregistrée par erreur)"


class Reason(models.TextChoices):
    """Why a unit does not pursue a flag (a fixed list: counted by the dashboard)."""

    LEFT_FRANCE = "LEFT_FRANCE", "départ de France connu du bureau"
    PROTECTION_FOUND = "PROTECTION_FOUND", "protection constatée à l'examen du dossier"
    RESIDENCE_RIGHT = "RESIDENCE_RIGHT", "droit au séjour établi"
    OTHER_DEPARTMENT = "OTHER_DEPARTMENT", "dossier relevant d'un autre département"
    IDENTITY_DOUBT = "IDENTITY_DOUBT", "doute sur l'identité de la personne"
    SOURCE_ERROR = "SOURCE_ERROR", "erreur dans les données sources"
    REMOVAL_IMPOSSIBLE = "REMOVAL_IMPOSSIBLE", "éloignement impossible (santé, pays)"
    OTHER = "OTHER", "autre motif"  # the form asks for it in the comment (forms)


class Step(models.TextChoices):
    """The next step planned on an unexecuted measure."""

    HOUSE_ARREST = "HOUSE_ARREST", "assignation à résidence"
    RETENTION = "RETENTION", "placement en rétention"
    CONSULAR_PASS = "CONSULAR_PASS", "laissez-passer consulaire demandé"
    RETURN_AID = "RETURN_AID", "aide au retour proposée"
    SUMMONS = "SUMMONS", "convocation en préfecture"
    TRANSFER = "TRANSFER", "transfert ou remise organisé"


# the lists whose flags each decision may be taken on
ANY_LIST = (*codes.WORKLISTS, codes.LEGAL_ALERTS)
WORKLISTS_OF = {
    Kind.TAKEN: ANY_LIST, Kind.RELEASED: ANY_LIST, Kind.COMMENT: ANY_LIST,
    Kind.ASSIGNED: ANY_LIST, Kind.UNASSIGNED: ANY_LIST,
    # an examination is opened on the rejected list (OQ-02) but excludes the person from
    # every list (§5): it may be closed wherever it excludes them
    Kind.OTHER_GROUND: (codes.REJECTED,), Kind.OTHER_GROUND_CLOSED: codes.WORKLISTS,
    Kind.OQTF_TAKEN: (codes.REJECTED,), Kind.PRISON_ANSWER: (codes.RELEASES,),
    Kind.NEXT_STEP: (codes.MEASURES,), Kind.NOT_PURSUED: (codes.REJECTED, codes.MEASURES),
    Kind.OUTCOME_WITHDRAWN: codes.WORKLISTS,
}


# The advisory locks (PostgreSQL) under which decisions are checked and recorded.
FLAG_LOCK, IDENTITY_LOCK = 35, 34


@contextmanager
def one_at_a_time(lock: int):
    """A transaction in which a decision is checked against those in force and recorded,
    one request at a time: two agents deciding together from one page would each pass
    the check made before the other's decision. SQLite's transactions start IMMEDIATE
    (workspace.options: the second waits for the first's commit); PostgreSQL's take an
    advisory lock held until they end."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as db:
                db.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        yield


class AppendOnly(RuntimeError):
    """A decision event is never changed nor deleted: record a new one."""


class DecisionEvent(models.Model):
    """One decision an agent recorded on a flag. `taken_in_charge` (PRISON_ANSWER): the
    border police takes the detainee in charge at release or not; `charge_date`: when.
    `fact_date`: the day the OQTF was signed (OQTF_TAKEN), the day the next step is
    planned for (NEXT_STEP). `reason` (NOT_PURSUED), `step` (NEXT_STEP): from the fixed
    lists above. `assigned_to`: the agent the manager gave the flag to (ASSIGNED), or took it
back from (UNASSIGNED)."""

    kind = models.CharField(max_length=40, choices=Kind.choices)
    worklist = models.CharField(max_length=40)
    flag_id = models.CharField(max_length=64, db_index=True)
    person_key = models.CharField(max_length=200, db_index=True)
    department = models.CharField(max_length=3)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="decisions")
    decided_at = models.DateTimeField(auto_now_add=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="assignments")
    effective_date = models.DateField()
    taken_in_charge = models.BooleanField(null=True)
    charge_date = models.DateField(null=True)
    fact_date = models.DateField(null=True)
    reason = models.CharField(max_length=40, choices=Reason.choices, blank=True)
    step = models.CharField(max_length=40, choices=Step.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("decision events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("decision events are never deleted")


class Identity(models.TextChoices):
    CONFIRMED = "CONFIRMED", "même personne (lien confirmé)"
    REJECTED = "REJECTED", "personnes différentes (lien rejeté)"


class IdentityDecision(models.Model):
    """An agent's decision on a pair of core.link_review: a source record (or
    agdref:<the lower number>) and an AGDREF file. Copied each night into
    audit.link_decisions (transforms/identity/review.py), where the latest decision on
    each pair counts. `overridden_pair`: the confirmed pair a manager's confirmation
    contradicts, recorded on the manager's explicit override."""

    record_key = models.CharField(max_length=200, db_index=True)
    num_agdref = models.CharField(max_length=20)
    department = models.CharField(max_length=3)
    decision = models.CharField(max_length=10, choices=Identity.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="identity_decisions")
    decided_at = models.DateTimeField(auto_now_add=True)
    overridden_pair = models.CharField(max_length=240, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("identity decisions are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("identity decisions are never deleted")
