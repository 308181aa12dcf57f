"""Which trust-center PDFs a user may have."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import sees_draft
from matrices.models import PdfDocument, Provider


def pdf_document_for(user, provider: Provider, pk: int) -> PdfDocument:
    """The provider's PDF, if ``user`` may have it (else 404, whatever they guess).

    Drafts' PDFs are for the draft's readers; a gated provider's PDF names its
    downloader, so it is theirs alone.
    """
    document = get_object_or_404(
        PdfDocument.objects.select_related("provider", "version"), provider=provider, pk=pk
    )
    if document.version_id is None and not sees_draft(user, provider):
        raise Http404("No such document.")
    if document.stamp and document.requested_by_id != user.pk:
        raise Http404("No such document.")
    return document
