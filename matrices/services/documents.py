"""Trust-center PDFs: requested by key, rendered once by a Celery task, served from storage."""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.access import can, sees_draft
from accounts.roles import Action, Visibility
from audit.models import AuditAction
from matrices.models import MatrixVersion, PdfDocument, PdfVariant, Provider
from matrices.pdf.render import render_pdf
from matrices.pdf.sign import sign_pdf, signing_configured, unsigned_revision
from matrices.pdf.stamp import stamp_pdf
from matrices.selectors.documents import document_meta
from matrices.selectors.editions import DRAFT_REFUSED, Edition
from matrices.services.auditing import audit_change
from matrices.tasks import render_pdf_document

log = logging.getLogger(__name__)


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _stamp(provider: Provider, user) -> str:
    """Gated providers' PDFs name who downloaded them and when, on every page."""
    if provider.visibility == Visibility.PUBLIC:
        return ""
    user = user if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    name = (user.get_full_name() or user.get_username()) if user else "system"
    who = f"{name} ({user.get_username()})" if user and user.get_full_name() else name
    return f"Downloaded by {who} on {now:%Y-%m-%d %H:%M} UTC · confidential"


@transaction.atomic
def pdf_request(*, actor, edition: Edition, variant: str, offering: str = "") -> PdfDocument:
    """The PDF of ``edition`` for this key, created and queued for rendering when new.

    ``edition`` comes from ``edition_for(actor, ...)``: a published version, or
    the draft (its readers only), which is watermarked DRAFT. One document per
    key serves every reader: a gated provider's reader is named on its pages
    when they download it (``pdf_mark_downloaded``). A failed rendering is
    queued again. ``actor=None`` is the system (the renders at publication).
    """
    provider = edition.provider
    if variant not in PdfVariant.values:
        raise ValidationError(f"Unknown PDF variant {variant!r}.")
    if variant == PdfVariant.MATRIX:
        offering = ""
    elif not offering:
        raise ValidationError("Name the offering for this PDF.")
    if actor is not None and not can(actor, provider, Action.VIEW):
        raise PermissionDenied("You may not see this provider.")
    if actor is not None and edition.is_draft and not sees_draft(actor, provider):
        raise PermissionDenied(DRAFT_REFUSED)
    if offering and offering not in {o["slug"] for o in edition.offerings}:
        raise ValidationError(f"No offering {offering!r} in {edition.label}.")
    reader = actor if getattr(actor, "is_authenticated", False) else None
    key = _key(
        edition.snapshot_hash, variant, offering, "draft" if edition.is_draft else "published"
    )
    document, created = PdfDocument.objects.select_for_update().get_or_create(
        key=key,
        defaults={
            "provider": provider,
            "version": edition.version,
            "snapshot_hash": edition.snapshot_hash,
            # What is rendered when it is not the version's whole snapshot: the draft, or
            # the offerings a limited reader sees.
            "draft_snapshot": edition.snapshot if edition.is_draft or edition.is_limited else None,
            "variant": variant,
            "offering": offering,
            "requested_by": reader,
        },
    )
    if document.status == PdfDocument.Status.FAILED:
        document.status, document.error = PdfDocument.Status.QUEUED, ""
        document.save(update_fields=["status", "error"])
        created = True
    if created:
        transaction.on_commit(lambda: render_pdf_document.delay(document.pk))
    return document


def pdf_render(document_id: int) -> PdfDocument:
    """Render a queued PDF into storage; idempotent (a ready one is left as it is).

    A failure is recorded on the document (status "failed", with the error)
    rather than raised: the page tells the user and offers a retry.
    """
    with transaction.atomic():
        document = (
            PdfDocument.objects.select_for_update(of=("self",))
            .select_related("provider", "version")
            .get(pk=document_id)
        )
        if document.status == PdfDocument.Status.READY and document.file:
            return document
        document.status, document.started_at = PdfDocument.Status.RENDERING, timezone.now()
        document.attempts += 1
        document.save(update_fields=["status", "started_at", "attempts"])
    snapshot = document.draft_snapshot or document.version.snapshot
    try:
        content = render_pdf(
            snapshot,
            document_meta(document),
            variant=document.variant,
            offering=document.offering or None,
        )
    except Exception as exc:
        log.exception("PDF %s failed", document.pk)
        PdfDocument.objects.filter(pk=document.pk).update(
            status=PdfDocument.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        document.refresh_from_db()
        return document
    if document.version_id and signing_configured():
        # A published version's PDF is signed once, here; a draft's never is.
        content = sign_pdf(content)
    name = f"{document.snapshot_hash[:16]}/{document.key[:16]}-{document.filename}"
    document.file.save(name, ContentFile(content), save=False)
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.status, document.finished_at = PdfDocument.Status.READY, timezone.now()
    document.save(update_fields=["file", "sha256", "status", "finished_at"])
    return document


def pdf_mark_downloaded(*, actor, document: PdfDocument) -> bytes | None:
    """Record a download; returns this reader's copy, or None to serve the stored file.

    Downloads of gated PDFs, and all downloads by signed-in users, are audited;
    a gated provider's PDF names its reader and the time atop every page. The
    stamp changes the pages, which would break the stored file's signature: the
    stamp is laid on the unsigned rendering and the stamped copy signed anew, its
    SHA-256 kept in the audit record so the verification page knows it.
    """
    gated = document.provider.visibility != Visibility.PUBLIC
    stamp = _stamp(document.provider, actor)
    copy = None
    if stamp:
        with document.file.open("rb") as stored:
            copy = stamp_pdf(unsigned_revision(stored.read()), stamp)
        if document.version_id and signing_configured():
            copy = sign_pdf(copy)
    if not gated and not getattr(actor, "is_authenticated", False):
        return copy
    with transaction.atomic():
        audit_change(
            document,
            AuditAction.DOWNLOAD,
            label=document.filename,
            after={
                "snapshot_hash": document.snapshot_hash,
                "variant": document.variant,
                "offering": document.offering,
                "stamp": stamp,
                "sha256": hashlib.sha256(copy).hexdigest() if copy else document.sha256,
            },
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return copy


@transaction.atomic
def version_pdfs_request(*, version: MatrixVersion) -> list[PdfDocument]:
    """Queue every PDF of a new version (the whole matrix, each offering, each checklist),
    so its first reader downloads a stored file. The system asks, at publication."""
    edition = Edition(version.provider, version, version.snapshot_hash)
    documents = [pdf_request(actor=None, edition=edition, variant=PdfVariant.MATRIX)]
    for offering in edition.offerings:
        for variant in (PdfVariant.OFFERING, PdfVariant.CHECKLIST):
            documents.append(
                pdf_request(actor=None, edition=edition, variant=variant, offering=offering["slug"])
            )
    return documents
