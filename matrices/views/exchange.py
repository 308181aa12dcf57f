"""Exports of a matrix (long-format CSV and XLSX, JSON, OSCAL, CAIQ-style XLSX); the import page."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import capabilities
from accounts.decorators import provider_required
from accounts.roles import Action
from matrices.exchange.caiq import caiq_workbook
from matrices.exchange.files import MAX_FILE_BYTES, read_matrix, write_csv, write_xlsx
from matrices.exchange.longformat import rows_from_snapshot
from matrices.exchange.oscal import (
    OscalEmpty,
    component_definition,
    oscal_json,
    system_security_plan,
)
from matrices.exchange.problems import ImportProblems
from matrices.models import Provider
from matrices.services.imports import import_apply, import_plan
from matrices.snapshot import snapshot_hash
from matrices.views.versions import snapshot_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Edition:
    """Which matrix an export holds: a version (its number and publication) or the draft."""

    number: int | None
    published_at: datetime | None

    @property
    def version(self) -> str:
        return "draft" if self.number is None else str(self.number)

    @property
    def last_modified(self) -> datetime:
        # A version's exports carry its publication time, so they never change.
        return self.published_at or timezone.now()


def _json(snapshot: dict, edition: Edition) -> bytes:
    # The API's shape (GET /api/v1/providers/{slug}/matrix/).
    body = {
        "provider": snapshot["provider"]["slug"],
        "version": edition.number,
        "draft": edition.number is None,
        "snapshot_hash": snapshot_hash(snapshot),
        "matrix": snapshot,
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode()


def _oscal(build):
    def export(snapshot: dict, edition: Edition) -> bytes:
        document = build(snapshot, version=edition.version, last_modified=edition.last_modified)
        return oscal_json(document)

    return export


def _caiq(snapshot: dict, edition: Edition) -> bytes:
    return caiq_workbook(
        snapshot,
        version=edition.version,
        published_at=edition.published_at,
        exported_at=timezone.now(),
    )


# format (the URL's suffix) -> (writer, content type)
EXPORTS: dict[str, tuple[Callable[[dict, Edition], bytes], str]] = {
    "csv": (lambda s, _e: write_csv(rows_from_snapshot(s)), "text/csv; charset=utf-8"),
    "xlsx": (lambda s, _e: write_xlsx(rows_from_snapshot(s)), XLSX),
    "json": (_json, "application/json"),
    "oscal-component.json": (_oscal(component_definition), "application/json"),
    "oscal-ssp.json": (_oscal(system_security_plan), "application/json"),
    "caiq.xlsx": (_caiq, XLSX),
}


@require_GET
@provider_required()
def export(request: HttpRequest, provider: Provider, fmt: str) -> HttpResponse:
    """The matrix of a version (default: the latest) or of the draft, for its editors."""
    if fmt not in EXPORTS:
        raise Http404(f"Exports are {', '.join('.' + name for name in EXPORTS)}.")
    which = request.GET.get("version", "latest")
    snapshot, label = snapshot_of(provider, which, capabilities(request.user, provider))
    if which == "draft":
        edition = Edition(number=None, published_at=None)
    else:
        number = int(label.split()[1])
        edition = Edition(number, provider.versions.get(number=number).published_at)
    write, content_type = EXPORTS[fmt]
    try:
        body = write(snapshot, edition)
    except OscalEmpty as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{provider.slug}-{edition.version}.{fmt}"'
    )
    return response


SESSION_KEY = "srm-import"


@require_http_methods(["GET", "POST"])
@provider_required(Action.EDIT)
def import_matrix(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Upload a long-format file, see exactly what it would change, then apply it."""
    context: dict = {
        "provider": provider,
        "page": "import",
        "may": capabilities(request.user, provider),
    }
    status = 200
    step = request.POST.get("step", "")
    if step == "dry-run":
        upload = request.FILES.get("file")
        if upload is None:
            context["problems"] = ["Choose a .csv or .xlsx file."]
            return render(request, "matrices/import.html", context, status=400)
        if upload.size > MAX_FILE_BYTES:
            context["problems"] = [f"{upload.name}: larger than 5 MB; nothing was read."]
            return render(request, "matrices/import.html", context, status=400)
        data = upload.read()
        try:
            parsed = read_matrix(upload.name, data)
        except ImportProblems as exc:
            context["problems"] = [str(p) for p in exc.problems]
            return render(request, "matrices/import.html", context, status=400)
        request.session[SESSION_KEY] = {
            "provider": provider.pk,
            "name": upload.name,
            "data": base64.b64encode(data).decode(),
        }
        context.update(
            plan=import_plan(actor=request.user, provider=provider, parsed=parsed),
            filename=upload.name,
            reason=request.POST.get("reason", ""),
        )
    elif step == "apply":
        stored = request.session.get(SESSION_KEY)
        if not stored or stored.get("provider") != provider.pk:
            messages.error(request, "Upload the file again: the dry run has expired.")
            return redirect(reverse("matrices:import", args=[provider.slug]))
        data = base64.b64decode(stored["data"])
        parsed = read_matrix(stored["name"], data)
        try:
            import_apply(
                actor=request.user,
                provider=provider,
                parsed=parsed,
                expected_hash=request.POST.get("expected_hash", ""),
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            context["problems"] = exc.messages
            context.update(
                plan=import_plan(actor=request.user, provider=provider, parsed=parsed),
                filename=stored["name"],
            )
            status = 409
        else:
            del request.session[SESSION_KEY]
            messages.success(request, f"Imported {stored['name']} into the draft.")
            return redirect(provider.get_absolute_url())
    return render(request, "matrices/import.html", context, status=status)
