"""The demo's accounts (`reconcile demo`, `reconcile users demo`): one per role on the
sample's departments, each with a fresh random password printed once for the person
trying the demo. Never for a real installation: accounts there are made one by one with
`reconcile users add`."""

from __future__ import annotations

import secrets

from workspace.accounts.models import Account
from workspace.accounts.registry import AccountLine, add_account

DEMO_ACCOUNTS = {  # login -> (role, departments)
    "agent13": ("agent", ["13"]), "agent2a": ("agent", ["2A"]),
    "chef13": ("manager", ["13"]), "analyste": ("analyst", []), "admin": ("admin", []),
}


def add_demo_accounts() -> list[tuple[AccountLine, str]]:
    """The demo accounts not yet there, with their passwords (an account already made
    keeps its password and is not listed again)."""
    made = []
    for login, (role, departments) in DEMO_ACCOUNTS.items():
        if Account.objects.filter(username=login).exists():
            continue
        password = secrets.token_urlsafe(12)
        add_account(login, role, departments, password)
        made.append((AccountLine(login, role, tuple(departments), True), password))
    return made
