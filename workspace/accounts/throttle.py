"""The login django-axes counts a failed sign-in under (AXES_USERNAME_CALLABLE): an
account's login as it is; anything else typed (a mistyped login, a password typed in the
login's field) as a digest keyed with the workspace's secret, so that repeated failures
on the same text are still counted and locked, and the text itself is neither kept
(axes' AccessAttempt table) nor logged (axes' "Locking out …" warning, in the journal)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest

from workspace.accounts.models import Account

UNKNOWN_LOGIN = "inconnu-"


def attempted_login(request: HttpRequest, credentials: dict | None = None) -> str | None:
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = getattr(request, "POST", {}).get("username")
    if typed is None or Account.objects.filter(username=typed).exists():
        return typed
    return keyed(typed)


def keyed(typed: str) -> str:
    """What is kept of a login that names no account."""
    digest = hmac.new(settings.SECRET_KEY.encode(), typed.encode(), hashlib.sha256)
    return UNKNOWN_LOGIN + digest.hexdigest()[:16]
