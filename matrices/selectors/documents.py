"""Which trust-center PDFs a user may have, and what a PDF says of its version."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.access import offerings_limit, sees_draft
from accounts.roles import Visibility
from matrices.models import PdfDocument, Provider
from matrices.pdf.render import DocumentMeta
from matrices.selectors.editions import edition_for


def pdf_document_for(user, provider: Provider, pk: int) -> PdfDocument:
    """The provider's PDF, if ``user`` may have it (else 404, whatever they guess).

    Drafts' PDFs are for the draft's readers; a version's, for whoever may see
    the provider (a gated one names its reader on the pages they download).
    """
    document = get_object_or_404(
        PdfDocument.objects.select_related("provider", "version"), provider=provider, pk=pk
    )
    if document.version_id is None and not sees_draft(user, provider):
        raise Http404("No such document.")
    if document.version_id is not None and offerings_limit(user, provider) is not None:
        # A reader limited to some offerings has the PDFs made from what they see only.
        seen = edition_for(user, provider, str(document.version.number))
        if seen.snapshot_hash != document.snapshot_hash:
            raise Http404("No such document.")
    return document


def document_meta(document: PdfDocument) -> DocumentMeta:
    provider = document.provider
    classification = (
        "Public"
        if provider.visibility == Visibility.PUBLIC
        else f"Confidential: {provider.get_visibility_display()}"
    )
    versions = list(provider.versions.defer("snapshot").order_by("-number"))
    history = tuple(
        (v.label, f"{v.published_at:%Y-%m-%d}", v.summary)
        for v in versions
        if document.version is None or v.number <= document.version.number
    )
    if document.version is None:
        return DocumentMeta(
            version_label="Draft",
            effective_date=f"{timezone.now():%Y-%m-%d}",
            snapshot_hash=document.snapshot_hash,
            classification=classification,
            change_summary="Unpublished draft: not approved, not for distribution.",
            history=history,
            watermark="DRAFT",
        )
    version = document.version
    return DocumentMeta(
        version_label=version.label,
        effective_date=f"{version.published_at:%Y-%m-%d}",
        snapshot_hash=version.snapshot_hash,
        classification=classification,
        approver=version.approved_by_label,
        authors=tuple(a["name"] for a in version.authors),
        change_summary=version.summary,
        history=history,
        verify_url=urljoin(settings.SITE_URL + "/", reverse("matrices:verify")),
    )
