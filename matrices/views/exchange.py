"""Exports of a matrix (long-format CSV and XLSX, JSON, OSCAL, CAIQ-style XLSX); the import page."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

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
from matrices.selectors.editions import Edition, edition_for
from matrices.selectors.imports import import_job_for, import_plan, import_status
from matrices.services.imports import import_request
from matrices.views.errors import REFUSALS, invalid_status, refusal_message, refusal_status
from matrices.views.htmx import render_page
from matrices.views.provider_page import provider_page, provider_required
from matrices.views.reading import DOWNLOAD, read

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _last_modified(edition: Edition) -> datetime:
    # A version's exports carry its publication time, so they never change.
    return edition.published_at or timezone.now()


def matrix_document(edition: Edition) -> dict:
    """The whole matrix of ``edition`` as the API and the JSON export give it."""
    return {
        "provider": edition.provider.slug,
        "version": edition.number,
        "draft": edition.is_draft,
        "snapshot_hash": edition.snapshot_hash,
        "matrix": edition.snapshot,
    }


def _json(edition: Edition) -> bytes:
    return json.dumps(matrix_document(edition), ensure_ascii=False, indent=1).encode()


def _oscal(build):
    def export(edition: Edition) -> bytes:
        document = build(
            edition.snapshot, version=edition.which, last_modified=_last_modified(edition)
        )
        return oscal_json(document)

    return export


def _caiq(edition: Edition) -> bytes:
    return caiq_workbook(
        edition.snapshot,
        version=edition.which,
        published_at=edition.published_at,
        exported_at=timezone.now(),
    )


# format (the URL's suffix) -> (writer, content type)
EXPORTS: dict[str, tuple[Callable[[Edition], bytes], str]] = {
    "csv": (lambda e: write_csv(rows_from_snapshot(e.snapshot)), "text/csv; charset=utf-8"),
    "xlsx": (lambda e: write_xlsx(rows_from_snapshot(e.snapshot)), XLSX),
    "json": (_json, "application/json"),
    "oscal-component.json": (_oscal(component_definition), "application/json"),
    "oscal-ssp.json": (_oscal(system_security_plan), "application/json"),
    "caiq.xlsx": (_caiq, XLSX),
}


def export_response(edition: Edition, fmt: str) -> HttpResponse:
    """``edition`` written as ``fmt`` (one of ``EXPORTS``), as a download; the pages and the
    API serve the same bytes."""
    if fmt not in EXPORTS:
        raise Http404(f"Exports are {', '.join('.' + name for name in EXPORTS)}.")
    write, content_type = EXPORTS[fmt]
    try:
        body = write(edition)
    except OscalEmpty as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{edition.provider.slug}-{edition.which}.{fmt}"'
    )
    return response


@require_safe
@provider_required()
def export(request: HttpRequest, provider: Provider, fmt: str) -> HttpResponse:
    """The matrix of a version (default: the latest) or of the draft, for its readers."""
    edition = edition_for(request.user, provider, request.GET.get("version", "latest"))
    response = export_response(edition, fmt)
    read(request, edition, f"export:{fmt}", DOWNLOAD)
    return response


SESSION_KEY = "srm-import"


@require_http_methods(["GET", "HEAD", "POST"])
@provider_required(Action.EDIT)
def import_matrix(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Upload a long-format file, see exactly what it would change, then apply it."""
    context = provider_page(request, provider, "import")
    step = request.POST.get("step", "")
    if step == "dry-run":
        upload = request.FILES.get("file")
        problems = []
        if upload is None:
            problems = ["Choose a .csv or .xlsx file."]
        elif upload.size > MAX_FILE_BYTES:
            problems = [f"{upload.name}: larger than 5 MB; nothing was read."]
        if problems:
            context["problems"] = problems
            return render(request, "matrices/import.html", context, status=invalid_status(request))
        data = upload.read()
        try:
            parsed = read_matrix(upload.name, data)
        except ImportProblems as exc:
            context["problems"] = [str(p) for p in exc.problems]
            status = refusal_status(request, exc)
            return render(request, "matrices/import.html", context, status=status)
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
        try:
            job = import_request(
                actor=request.user,
                provider=provider,
                filename=stored["name"],
                data=data,
                expected_hash=request.POST.get("expected_hash", ""),
                reason=request.POST.get("reason", ""),
            )
        except REFUSALS as exc:
            context.update(
                problems=[refusal_message(exc)],
                plan=import_plan(
                    actor=request.user, provider=provider, parsed=read_matrix(stored["name"], data)
                ),
                filename=stored["name"],
            )
            return render(
                request, "matrices/import.html", context, status=refusal_status(request, exc)
            )
        del request.session[SESSION_KEY]
        return redirect(reverse("matrices:import_job", args=[provider.slug, job.pk]))
    return render(request, "matrices/import.html", context)


@require_safe
@provider_required(Action.EDIT)
def import_job(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    """Where an import stands: queued, importing (with its progress), done or not done."""
    job = import_job_for(request.user, provider, pk)
    context = provider_page(request, provider, "import", job=job, status=import_status(job))
    return render_page(
        request, "matrices/import_job.html", context, partial="matrices/_import_status.html"
    )
