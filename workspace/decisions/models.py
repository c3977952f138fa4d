"""Agents' decisions, one row per event, never changed nor deleted: the state of a flag
is read from its latest events (in_force.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from schemas import codes


class Kind(models.TextChoices):
    # OQ-02: the unit examines admission on another ground (the person leaves the list)
    OTHER_GROUND = codes.OTHER_GROUND, "examen d'un autre fondement de séjour ouvert"
    # ... until the unit closes that examination (the person may be listed again)
    OTHER_GROUND_CLOSED = "OTHER_GROUND_CLOSED", "examen d'un autre fondement de séjour clos"
    # PRI-05: the answer given to the establishment
    PRISON_ANSWER = codes.PRISON_ANSWER, "réponse à l'établissement pénitentiaire"


# the list whose flags each decision may be taken on
WORKLIST_OF = {Kind.OTHER_GROUND: codes.REJECTED, Kind.OTHER_GROUND_CLOSED: codes.REJECTED,
               Kind.PRISON_ANSWER: codes.RELEASES}


class AppendOnly(RuntimeError):
    """A decision event is never changed nor deleted: record a new one."""


class DecisionEvent(models.Model):
    """One decision an agent recorded on a flag. `taken_in_charge` (PRISON_ANSWER): the
    border police takes the detainee in charge at release or not; `charge_date`: when."""

    kind = models.CharField(max_length=40, choices=Kind.choices)
    worklist = models.CharField(max_length=40)
    flag_id = models.CharField(max_length=64, db_index=True)
    person_key = models.CharField(max_length=200, db_index=True)
    department = models.CharField(max_length=3)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="decisions")
    decided_at = models.DateTimeField(auto_now_add=True)
    effective_date = models.DateField()
    taken_in_charge = models.BooleanField(null=True)
    charge_date = models.DateField(null=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("decision events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("decision events are never deleted")
