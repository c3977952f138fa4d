"""Accounts as `reconcile users add|disable|list` manages them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from schemas.codes import DEPARTMENTS
from workspace.accounts.models import Account, DepartmentGrant, Role


class AccountError(ValueError):
    """A request the registry refuses, in one line for the operator."""


@dataclass(frozen=True)
class AccountLine:
    login: str
    role: str
    departments: tuple[str, ...]
    active: bool


def add_account(login: str, role: str, departments: list[str], password: str) -> Account:
    """A new account: the password checked by Django's validators and hashed by its
    hasher (argon2); an analyst holds no department (aggregates only)."""
    if role not in Role.values:
        raise AccountError(f"role must be one of {', '.join(Role.values)}")
    unknown = sorted(set(departments) - set(DEPARTMENTS))
    if unknown:
        raise AccountError(f"unknown departments: {', '.join(unknown)}")
    if role == Role.ANALYST and departments:
        raise AccountError("an analyst sees aggregates only: no department")
    if Account.objects.filter(username=login).exists():
        raise AccountError(f"account {login} already exists")
    account = Account(username=login, role=role)
    try:
        validate_password(password, account)
    except ValidationError as err:
        raise AccountError(" ".join(err.messages)) from None
    account.set_password(password)
    with transaction.atomic():
        account.save()
        DepartmentGrant.objects.bulk_create(
            DepartmentGrant(account=account, department=d) for d in sorted(set(departments)))
    return account


def disable_account(login: str) -> None:
    """The account can no longer sign in (kept, so that its decisions keep their author)."""
    updated = Account.objects.filter(username=login).update(is_active=False)
    if not updated:
        raise AccountError(f"no account {login}")


def list_accounts() -> list[AccountLine]:
    return [AccountLine(a.username, a.role,
                        tuple(sorted(g.department for g in a.grants.all())), a.is_active)
            for a in Account.objects.prefetch_related("grants").order_by("username")]
