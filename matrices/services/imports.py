"""Importing a whole matrix from the long format: a dry run, then one audited transaction.

The file is the truth for the provider's draft: parties, offerings and
domains are matched by name; what the file lacks is removed, what it adds is
created, and everything takes the file's order. The writes are set-based
(``draft_sync``), with one audit record per changed object and one shared
reason. Applying is refused when the draft changed since the dry run.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.access import require
from accounts.roles import Action
from audit.models import AuditAction
from matrices.exchange.files import read_matrix
from matrices.exchange.longformat import ParsedMatrix
from matrices.models import ImportJob, Provider
from matrices.progress import progress_reporter
from matrices.selectors.imports import ImportPlan, import_plan
from matrices.services.auditing import audit_change
from matrices.services.draft_sync import MatrixTarget, Progress, draft_sync
from matrices.services.errors import REFUSALS, StaleDraft, refusal_message
from matrices.snapshot import snapshot_build, snapshot_hash
from matrices.tasks import run_import

STALE_DRY_RUN = (
    "The draft changed since the dry run: run it again and check the differences before applying."
)


@transaction.atomic
def import_apply(
    *,
    actor,
    provider: Provider,
    parsed: ParsedMatrix,
    expected_hash: str,
    reason: str,
    progress: Progress | None = None,
) -> ImportPlan:
    """Make the draft exactly what the file says, in one transaction; returns what was done.

    Refused (StaleDraft) when the draft changed since the dry run whose ``base_hash``
    the caller checked; nothing is written then, nor when any row is refused.
    """
    require(actor, provider, Action.EDIT)
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    draft = snapshot_build(provider)
    if snapshot_hash(draft) != expected_hash:
        raise StaleDraft(STALE_DRY_RUN)
    plan = import_plan(actor=actor, provider=provider, parsed=parsed, draft=draft)
    draft_sync(
        actor=actor,
        provider=provider,
        target=MatrixTarget.from_parsed(parsed),
        reason=reason.strip() or ImportJob.DEFAULT_REASON,
        progress=progress,
    )
    return plan


@transaction.atomic
def import_request(
    *, actor, provider: Provider, filename: str, data: bytes, expected_hash: str, reason: str = ""
) -> ImportJob:
    """Queue the file for applying by a worker, once it reads and its dry run still holds.

    Refused at once, with nothing queued: a file that does not read (ImportProblems),
    a draft that changed since the dry run (StaleDraft), an actor who may not edit.
    The worker checks the draft again before it writes.
    """
    require(actor, provider, Action.EDIT)
    parsed = read_matrix(filename, data)
    if snapshot_hash(snapshot_build(provider)) != expected_hash:
        raise StaleDraft(STALE_DRY_RUN)
    job = ImportJob(
        provider=provider,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        filename=filename[:200],
        expected_hash=expected_hash,
        # The job, its record and the changes it writes share one reason, to find them by.
        reason=reason.strip() or ImportJob.DEFAULT_REASON,
    )
    job.file.save(f"{provider.slug}/{filename[:150]}", ContentFile(data), save=False)
    job.full_clean()
    job.save()
    audit_change(
        job,
        AuditAction.CREATE,
        actor=actor,
        after={
            "filename": job.filename,
            "expected_hash": expected_hash,
            "cells": len(parsed.cells),
        },
        reason=job.reason,
    )
    transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


def import_run(job_id: int) -> ImportJob:
    """Apply a queued import (the worker's part): all of it in one transaction, or nothing.

    Progress and a heartbeat go to the cache as it runs; the outcome (done with what
    changed, or failed with why) is saved on the job. A job already finished is left
    as it is, so a redelivered task does no harm.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("provider").get(pk=job_id)
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
            return job
        job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    progress = progress_reporter(job.pk)
    progress(0.0, "Started")
    try:
        with job.file.open("rb") as handle:
            parsed = read_matrix(job.filename, handle.read())
        plan = import_apply(
            actor=job.requested_by,
            provider=job.provider,
            parsed=parsed,
            expected_hash=job.expected_hash,
            reason=job.reason,
            progress=progress,
        )
    except REFUSALS as exc:
        job.status, job.error = ImportJob.Status.FAILED, refusal_message(exc)
    else:
        job.status = ImportJob.Status.DONE
        job.summary = {
            "added": len(plan.added),
            "changed": len(plan.changed),
            "removed": len(plan.removed),
            "axes_added": plan.axes_added,
            "axes_removed": plan.axes_removed,
        }
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "summary", "finished_at"])
    progress(1.0, job.get_status_display())
    return job
