"""Telling the apps above that someone read a provider's content: ``content_read``.

Each page, download and API read that serves content calls one function here, once
it knows the answer is the content (never for a refusal). What is done with it (the
trust center's analytics) is the receiver's business; the send costs nothing when
no receiver is connected.

A HEAD asks whether something is there and reads nothing: it is not sent.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from matrices.models import MatrixVersion, PdfDocument, Provider
from matrices.selectors.editions import Edition
from matrices.signals import content_read

VIEW = "view"
DOWNLOAD = "download"


def _send(
    request: HttpRequest,
    provider: Provider,
    version: MatrixVersion | None,
    document: str,
    kind: str,
) -> None:
    if request.method == "HEAD":
        return
    user = request.user if request.user.is_authenticated else None
    content_read.send(
        sender=None,
        request=request,
        user=user,
        provider=provider,
        version=version,
        document=document,
        kind=kind,
    )
    # What a cached page remembers, to count the reads it serves without calling the view
    # (``matrices.views.cache``).
    request.content_read = {
        "provider": provider.pk,
        "slug": provider.slug,
        "version": version.pk if version else None,
        "number": version.number if version else None,
        "document": document,
        "kind": kind,
    }


def read(request: HttpRequest, edition: Edition, document: str, kind: str = VIEW) -> None:
    """``request`` read ``document`` ("matrix", "offering:<slug>", "export:<fmt>"...) of
    ``edition`` (the draft's reads are sent too: the receiver decides)."""
    _send(request, edition.provider, edition.version, document, kind)


def read_pdf(request: HttpRequest, pdf: PdfDocument) -> None:
    """``request`` downloaded ``pdf``: "pdf:<variant>", or "pdf:<variant>:<offering>"."""
    document = f"pdf:{pdf.variant}" + (f":{pdf.offering}" if pdf.offering else "")
    _send(request, pdf.provider, pdf.version, document, DOWNLOAD)


def read_again(request: HttpRequest, remembered: dict[str, Any]) -> None:
    """Send again what a cached page's first rendering sent (``request.content_read``),
    without loading the provider or the version: the receiver needs their ids only."""
    provider = Provider(pk=remembered["provider"], slug=remembered["slug"])
    version = None
    if remembered["version"] is not None:
        version = MatrixVersion(
            pk=remembered["version"], provider_id=provider.pk, number=remembered["number"]
        )
    _send(request, provider, version, remembered["document"], remembered["kind"])
