"""Accounts of the workspace. Grain of each table in its docstring."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "agent"
    MANAGER = "manager", "chef de bureau"
    ANALYST = "analyst", "analyste"
    ADMIN = "admin", "administrateur"


class Account(AbstractUser):
    """One person who signs in. `role`: what they may do; the departments they may see
    are their DepartmentGrant rows (none: no person is ever shown to them)."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)

    def departments(self) -> list[str]:
        """The departments whose persons this account may see: none for an analyst
        (aggregates only), whatever grants the account holds."""
        if self.role == Role.ANALYST or not self.is_active:
            return []
        return sorted(self.grants.values_list("department", flat=True))

    @property
    def sees_persons(self) -> bool:
        return self.role != Role.ANALYST

    @property
    def decides(self) -> bool:
        """A prefecture unit's account (agent, manager): it decides on flags and identity
        pairs; an administrator given departments only reads them."""
        return self.role in (Role.AGENT, Role.MANAGER)


class DepartmentGrant(models.Model):
    """One department an account may see."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="grants")
    # checked against schemas.codes.DEPARTMENTS when granted (accounts/registry.py)
    department = models.CharField(max_length=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "department"],
                                               name="one_grant_per_department")]


class PageView(models.Model):
    """One view of a page about a person (a flag, a person, a source row) or one export
    downloaded: who, when, what (the page's kind and the flag or person key, never a
    name). Kept `RECONCILE_WORKSPACE_ACCESS_LOG_DAYS` days."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="views")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=32)
    target = models.CharField(max_length=200)
