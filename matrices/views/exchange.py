"""Exports of a matrix (long-format CSV and XLSX, JSON) and the import page."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.access import capabilities
from accounts.decorators import provider_required
from matrices.exchange.files import write_csv, write_xlsx
from matrices.exchange.longformat import rows_from_snapshot
from matrices.models import Provider
from matrices.snapshot import snapshot_hash
from matrices.views.versions import snapshot_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@provider_required()
def export(request: HttpRequest, provider: Provider, fmt: str) -> HttpResponse:
    """The matrix of a version (default: the latest) or of the draft, for its editors."""
    if fmt not in ("csv", "xlsx", "json"):
        raise Http404("Exports are .csv, .xlsx or .json.")
    which = request.GET.get("version", "latest")
    snapshot, label = snapshot_of(provider, which, capabilities(request.user, provider))
    name = f"{provider.slug}-{'draft' if which == 'draft' else label.split()[1]}"
    if fmt == "json":
        # The API's shape (GET /api/v1/providers/{slug}/matrix/).
        number = None if which == "draft" else int(label.split()[1])
        body = json.dumps(
            {
                "provider": provider.slug,
                "version": number,
                "draft": number is None,
                "snapshot_hash": snapshot_hash(snapshot),
                "matrix": snapshot,
            },
            ensure_ascii=False,
            indent=1,
        )
        response = HttpResponse(body, content_type="application/json")
    elif fmt == "xlsx":
        response = HttpResponse(write_xlsx(rows_from_snapshot(snapshot)), content_type=XLSX)
    else:
        response = HttpResponse(
            write_csv(rows_from_snapshot(snapshot)), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
