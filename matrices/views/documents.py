"""Downloading trust-center PDFs: request, watch it being generated, download."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from matrices.models import PdfDocument, Provider
from matrices.selectors.documents import pdf_document_for
from matrices.selectors.editions import edition_for
from matrices.services.documents import pdf_mark_downloaded, pdf_request
from matrices.views.errors import REFUSALS, refusal_message, refusal_status
from matrices.views.htmx import render_page
from matrices.views.provider_page import provider_page, provider_required
from matrices.views.reading import read_pdf


@require_safe
@provider_required()
def pdf_start(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Find or queue the PDF asked for in the query string, then show its status."""
    edition = edition_for(request.user, provider, request.GET.get("version", "latest"))
    try:
        document = pdf_request(
            actor=request.user,
            edition=edition,
            variant=request.GET.get("variant", "matrix"),
            offering=request.GET.get("offering", ""),
        )
    except REFUSALS as exc:
        context = provider_page(request, provider, "pdf", error=refusal_message(exc))
        return render(
            request, "matrices/pdf_status.html", context, status=refusal_status(request, exc)
        )
    url = reverse("matrices:pdf_status", args=[provider.slug, document.pk])
    if request.htmx:
        return pdf_status(request, provider.slug, document.pk)
    return redirect(url)


@require_safe
@provider_required()
def pdf_status(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    document = pdf_document_for(request.user, provider, pk)
    context = provider_page(request, provider, "pdf", document=document)
    return render_page(
        request, "matrices/pdf_status.html", context, partial="matrices/_pdf_status.html"
    )


@require_safe
@provider_required()
def pdf_download(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    document = pdf_document_for(request.user, provider, pk)
    if document.status != PdfDocument.Status.READY:
        return redirect(reverse("matrices:pdf_status", args=[provider.slug, document.pk]))
    response = pdf_attachment(request.user, document)
    read_pdf(request, document)
    return response


def pdf_attachment(user, document: PdfDocument) -> HttpResponse:
    """The stored PDF as a download, recorded as downloaded by ``user`` (audited when gated);
    a gated provider's names ``user`` atop every page."""
    copy = pdf_mark_downloaded(actor=user, document=document)
    disposition = f'attachment; filename="{document.filename}"'
    if copy is not None:
        response = HttpResponse(copy, content_type="application/pdf")
        response.headers["Content-Disposition"] = disposition
    else:
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.filename,
            content_type="application/pdf",
        )
    response.headers["Cache-Control"] = "private, max-age=0"
    return response
