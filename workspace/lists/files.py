"""The night's exports offered for download (docs/contracts.md §3): a department's folder
to that department's accounts only, each download logged (issue 34 §6). A file is served
only when its name is one the night writes and it sits in a folder the account may see:
nothing from the request is ever joined into a path unchecked."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workspace.accounts.access import persons_view, record_view
from workspace.addresses import SHAPES

# What a night writes in a department's folder: the lists (csv, xlsx), the quarters'
# handovers (remises_2026T4_<date>.csv), README.txt and the dashboard; the same shape the
# logs keep of an address (workspace.addresses).
EXPORT_NAME = SHAPES["name"]


def _folder() -> Path | None:
    folder = settings.RECONCILE_EXPORTS
    return Path(folder) if folder else None


def department_files(department: str) -> list[str]:
    """The exported files of one department, as the night left them."""
    folder = _folder()
    if folder is None or not (folder / department).is_dir():
        return []
    return sorted(entry.name for entry in (folder / department).iterdir()
                  if entry.is_file() and EXPORT_NAME.fullmatch(entry.name))


@require_GET
@persons_view
def exports_page(request):
    return render(request, "lists/exports.html", {
        "configured": _folder() is not None,
        "folders": [{"department": d, "files": department_files(d)}
                    for d in request.departments]})


@require_GET
@persons_view
def download(request, department: str, name: str):
    if department not in request.departments or name not in department_files(department):
        raise Http404
    record_view(request, "export", f"{department}/{name}")
    return FileResponse(open(_folder() / department / name, "rb"),  # noqa: SIM115
                        as_attachment=True, filename=name)
