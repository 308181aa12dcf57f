"""An import applied in the background: the file, who asked, and how far it got."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from audit.models import ObjectType
from matrices.models.provider import Provider


class ImportJob(models.Model):
    """A long-format file being applied to a provider's draft by a worker.

    The application is one transaction: until it is done nothing of it is
    written, and a failure (or a worker that stopped) leaves the draft as it
    was. While it runs, the worker reports its progress and that it is alive
    through the cache, outside that transaction (``matrices.selectors.imports``
    reads it), so a job whose worker died is told apart from a slow one.
    """

    audit_type = ObjectType.IMPORT  # how the audit log names it
    # The reason recorded with an import's changes when its editor gave none.
    DEFAULT_REASON = "Imported from a file."

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="import_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=200)
    file = models.FileField(upload_to="imports/")
    expected_hash = models.CharField(
        max_length=64, help_text="The draft the dry run was made against."
    )
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True, help_text="What the import changed.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]),
                name="import_job_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Import of {self.filename} into {self.provider}"
