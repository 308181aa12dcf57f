"""Four-eyes publishing: editors submit the draft, an approver who made none of its
changes publishes it as an immutable version, bound to the hash of what was submitted."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import require
from accounts.roles import Action
from audit.models import AuditAction
from audit.services import audit_head_seq
from matrices.models import MatrixVersion, Provider, Submission
from matrices.selectors.public import public_version_forget
from matrices.selectors.review import draft_authors
from matrices.services.auditing import audit_change
from matrices.signals import version_published
from matrices.snapshot import snapshot_build, snapshot_hash
from matrices.tasks import render_version_pdfs


@transaction.atomic
def draft_submit(*, actor, provider: Provider, summary: str, reason: str = "") -> Submission:
    """Submit the draft as it is now for review, with a summary of its changes.

    Replaces a pending submission of the same provider (it is withdrawn).
    Refuses an empty summary and a draft identical to the published version.
    """
    require(actor, provider, Action.EDIT)
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": "Say what changed: the approver and auditors read it."})
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    digest = snapshot_hash(snapshot_build(provider))
    if provider.published_id and provider.published.snapshot_hash == digest:
        raise ValidationError("The draft is identical to the published version: nothing to review.")
    for pending in Submission.objects.filter(provider=provider, status=Submission.Status.PENDING):
        pending.status = Submission.Status.WITHDRAWN
        pending.decided_by, pending.decided_at = actor, timezone.now()
        pending.comment = "Replaced by a newer submission."
        pending.save()
        audit_change(
            pending,
            AuditAction.WITHDRAW,
            actor=actor,
            label=f"Submission #{pending.pk}",
            reason="replaced by a newer submission",
        )
    submission = Submission(
        provider=provider,
        summary=summary,
        submitted_by=actor,
        submitted_at=timezone.now(),
        snapshot_hash=digest,
    )
    submission.full_clean()
    submission.save()
    audit_change(
        submission,
        AuditAction.SUBMIT,
        actor=actor,
        label=f"Submission #{submission.pk}",
        after={"snapshot_hash": digest, "summary": summary},
        reason=reason,
    )
    return submission


def _pending(submission: Submission) -> Submission:
    current = (
        Submission.objects.select_for_update().select_related("provider").get(pk=submission.pk)
    )
    if current.status != Submission.Status.PENDING:
        raise ValidationError(
            f"This submission is no longer pending ({current.get_status_display()})."
        )
    return current


@transaction.atomic
def draft_approve(
    *, actor, submission: Submission, expected_hash: str, comment: str = "", reason: str = ""
) -> MatrixVersion:
    """Approve a pending submission and publish it as the next version.

    Refused (PermissionDenied) to anyone without the approver role, to the
    submitter, and to anyone who made a change in the draft; refused
    (ValidationError) when the draft or the submission changed since it was
    reviewed, so an approval always covers exactly what the approver saw.
    ``actor=None`` (the system) is allowed only by management commands.
    """
    submission = _pending(submission)
    provider = Provider.objects.select_for_update().get(pk=submission.provider_id)
    require(actor, provider, Action.PUBLISH)
    authors = draft_authors(provider)
    if actor is not None:
        if submission.submitted_by_id == actor.pk:
            raise PermissionDenied("You submitted this draft: another approver must publish it.")
        if any(author["id"] == actor.pk for author in authors):
            raise PermissionDenied(
                "You made changes in this draft: another approver must publish it."
            )
    if expected_hash != submission.snapshot_hash:
        raise ValidationError("This approval is for another submission; reload and review again.")
    snapshot = snapshot_build(provider)
    digest = snapshot_hash(snapshot)
    if digest != submission.snapshot_hash:
        raise ValidationError(
            "The draft changed after it was submitted: it must be submitted "
            "again and reviewed as it is now."
        )
    last = provider.versions.order_by("-number").values_list("number", flat=True).first() or 0
    submitter = submission.submitted_by
    version = MatrixVersion(
        provider=provider,
        number=last + 1,
        published_at=timezone.now(),
        summary=submission.summary,
        authors=authors,
        submitted_by=submitter,
        submitted_by_label=submitter.get_username() if submitter else "system",
        approved_by=actor,
        approved_by_label=actor.get_username() if actor else "system",
        snapshot=snapshot,
        snapshot_hash=digest,
        audit_seq=0,
    )
    # The version covers every change up to this point: the audit record of
    # its own publication comes after it.
    version.audit_seq = audit_head_seq()
    version.save()
    Provider.objects.filter(pk=provider.pk).update(published=version)
    provider.published = version
    transaction.on_commit(lambda: public_version_forget(provider.slug))
    if settings.PDFS_AT_PUBLICATION:
        transaction.on_commit(lambda: render_version_pdfs.delay(version.pk))
    # Robust: the version is published whatever a receiver does afterwards; one that fails
    # (a broker down) is logged and the others still hear of it.
    transaction.on_commit(
        lambda: version_published.send_robust(
            sender=MatrixVersion, provider=provider, version=version
        )
    )
    submission.status = Submission.Status.PUBLISHED
    submission.decided_by, submission.decided_at = actor, timezone.now()
    submission.comment, submission.version = comment.strip(), version
    submission.save()
    audit_change(
        version,
        AuditAction.PUBLISH,
        actor=actor,
        after={"number": version.number, "snapshot_hash": digest, "summary": version.summary},
        reason=reason or comment,
    )
    return version


@transaction.atomic
def draft_return(*, actor, submission: Submission, comment: str, reason: str = "") -> Submission:
    """Send a pending submission back to the editors with a comment."""
    submission = _pending(submission)
    require(actor, submission.provider, Action.PUBLISH)
    if not comment.strip():
        raise ValidationError({"comment": "Tell the editors what to change."})
    submission.status = Submission.Status.RETURNED
    submission.decided_by, submission.decided_at = actor, timezone.now()
    submission.comment = comment.strip()
    submission.save()
    audit_change(
        submission,
        AuditAction.RETURN,
        actor=actor,
        label=f"Submission #{submission.pk}",
        reason=reason or comment,
    )
    return submission


@transaction.atomic
def draft_withdraw(*, actor, submission: Submission, reason: str = "") -> Submission:
    """Take a pending submission back (an editor), e.g. to change the draft first."""
    submission = _pending(submission)
    require(actor, submission.provider, Action.EDIT)
    submission.status = Submission.Status.WITHDRAWN
    submission.decided_by, submission.decided_at = actor, timezone.now()
    submission.save()
    audit_change(
        submission,
        AuditAction.WITHDRAW,
        actor=actor,
        label=f"Submission #{submission.pk}",
        reason=reason,
    )
    return submission
