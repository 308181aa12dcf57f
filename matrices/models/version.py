"""Published versions of a matrix, and drafts submitted for four-eyes review."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from audit.models import ObjectType
from matrices.models.provider import Provider


class MatrixVersion(models.Model):
    """A published, immutable version of a provider's matrix: what auditors audit.

    The snapshot holds the whole matrix as published (see matrices.snapshot);
    ``snapshot_hash`` is the SHA-256 of its canonical form, to which the
    approval was bound. Rows are never updated: ``save`` refuses it and a
    database trigger refuses UPDATE (on SQLite and PostgreSQL alike).
    """

    audit_type = ObjectType.VERSION  # how the audit log names it

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    summary = models.TextField(help_text="What changed, as the submitter described it.")
    authors = models.JSONField(
        default=list, help_text="Who made the changes in it: [{'id': …, 'name': …}]."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by_label = models.CharField(max_length=150)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by_label = models.CharField(max_length=150)
    snapshot = models.JSONField()
    snapshot_hash = models.CharField(max_length=64)
    audit_seq = models.PositiveBigIntegerField(
        help_text="The audit log's last record when published: later changes are unpublished."
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} version {self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError("A published version never changes.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("matrices:version", args=[self.provider.slug, self.number])

    @property
    def label(self) -> str:
        return f"Version {self.number}"

    @property
    def short_hash(self) -> str:
        return self.snapshot_hash[:12]


class Submission(models.Model):
    """A draft submitted for review: an approver who made none of its changes publishes it."""

    audit_type = ObjectType.SUBMISSION  # how the audit log names it

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        PUBLISHED = "published", "Approved and published"
        RETURNED = "returned", "Sent back"
        WITHDRAWN = "withdrawn", "Withdrawn"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="submissions")
    summary = models.TextField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when a management command submitted it.",
    )
    submitted_at = models.DateTimeField()
    snapshot_hash = models.CharField(max_length=64, help_text="The draft as submitted.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    version = models.OneToOneField(
        MatrixVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="submission"
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"],
                condition=Q(status="pending"),
                name="submission_one_pending_per_provider",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "published", "returned", "withdrawn"]),
                name="submission_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} submission of {self.submitted_at:%Y-%m-%d %H:%M}"
