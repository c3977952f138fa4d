"""The log of views and downloads (issue 34 §6), for administrators only: who looked at
which flag, person, search or export, and when (keys and numbers, never a name)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from workspace.accounts.access import admin_view
from workspace.accounts.models import PageView

SHOWN = 500


@require_GET
@admin_view
def views_log(request):
    login = request.GET.get("login", "").strip()[:150]
    kind = request.GET.get("kind", "").strip()[:32]
    found = PageView.objects.select_related("account").order_by("-viewed_at", "-id")
    if login:
        found = found.filter(account__username=login)
    if kind:
        found = found.filter(kind=kind)
    return render(request, "accounts/views_log.html", {
        "views": found[:SHOWN], "shown": SHOWN, "login": login, "kind": kind,
        "kinds": PageView.objects.values_list("kind", flat=True).distinct().order_by("kind")})
