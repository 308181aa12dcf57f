"""Downloading trust-center PDFs: request, watch it being generated, download."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.decorators import provider_required
from matrices.models import MatrixVersion, PdfDocument, Provider
from matrices.selectors import pdf_document_for
from matrices.services.documents import pdf_mark_downloaded, pdf_request
from matrices.views.htmx import render_page


@require_GET
@provider_required()
def pdf_start(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Find or queue the PDF asked for in the query string, then show its status."""
    which = request.GET.get("version", "")
    version = None
    if which.isdigit():
        version = get_object_or_404(MatrixVersion, provider=provider, number=int(which))
    try:
        document = pdf_request(
            actor=request.user,
            provider=provider,
            variant=request.GET.get("variant", "matrix"),
            offering=request.GET.get("offering", ""),
            version=version,
            draft=which == "draft",
        )
    except ValidationError as exc:
        return render(
            request,
            "matrices/pdf_status.html",
            {"provider": provider, "error": " ".join(exc.messages)},
            status=400,
        )
    url = reverse("matrices:pdf_status", args=[provider.slug, document.pk])
    if request.htmx:
        return pdf_status(request, provider.slug, document.pk)
    return redirect(url)


@require_GET
@provider_required()
def pdf_status(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    document = pdf_document_for(request.user, provider, pk)
    return render_page(
        request,
        "matrices/pdf_status.html",
        {"provider": provider, "document": document},
        partial="matrices/_pdf_status.html",
    )


@require_GET
@provider_required()
def pdf_download(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    document = pdf_document_for(request.user, provider, pk)
    if document.status != PdfDocument.Status.READY:
        return redirect(reverse("matrices:pdf_status", args=[provider.slug, document.pk]))
    return pdf_attachment(request.user, document)


def pdf_attachment(user, document: PdfDocument) -> FileResponse:
    """The stored PDF as a download, recorded as downloaded by ``user`` (audited when gated)."""
    pdf_mark_downloaded(actor=user, document=document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type="application/pdf",
    )
    response.headers["Cache-Control"] = "private, max-age=0"
    return response
