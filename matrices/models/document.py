"""A trust-center PDF of a matrix version (or of the draft), rendered once per key."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from audit.models import ObjectType
from matrices.models.provider import Provider
from matrices.models.version import MatrixVersion


class PdfVariant(models.TextChoices):
    MATRIX = "matrix", "Whole matrix"
    OFFERING = "offering", "One offering"
    CHECKLIST = "checklist", "Customer checklist of one offering"


class PdfDocument(models.Model):
    """One rendering of a PDF: queued, rendering, ready (with its file) or failed.

    ``key`` is (snapshot hash, variant, offering, draft or published): each is
    rendered once and served from storage after that (a version's, as soon as
    it is published); a gated provider's reader is named on the pages at download.
    """

    audit_type = ObjectType.PDF  # how the audit log names it

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Generating"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="pdfs")
    version = models.ForeignKey(
        MatrixVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pdfs",
        help_text="Empty for a PDF of the draft.",
    )
    snapshot_hash = models.CharField(max_length=64)
    draft_snapshot = models.JSONField(null=True, blank=True, help_text="The draft, as requested.")
    variant = models.CharField(max_length=12, choices=PdfVariant.choices)
    offering = models.SlugField(max_length=80, blank=True)
    key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="pdfs/", blank=True)
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="SHA-256 of the stored file (signed, for a published version's PDF).",
    )
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(variant="matrix") | ~Q(offering=""), name="pdf_offering_for_variants"
            ),
        ]

    def __str__(self) -> str:
        what = self.offering or "matrix"
        return f"PDF {self.provider} {self.variant} {what} ({self.status})"

    @property
    def filename(self) -> str:
        label = f"v{self.version.number}" if self.version_id else "draft"
        parts = [self.provider.slug, self.variant, self.offering, label]
        return "-".join(p for p in parts if p) + ".pdf"
