"""Published versions: four-eyes approval bound to a hash, immutability, drafts, diffs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditRecord
from matrices.models import MatrixVersion, Provider, Submission
from matrices.services import (
    draft_approve,
    draft_return,
    draft_submit,
)
from matrices.snapshot import snapshot_hash
from tests.factories import customer_duty_set, submit

pytestmark = pytest.mark.django_db


P = "singlestore"


def test_an_approver_who_made_none_of_the_changes_publishes_the_next_version(
    users, singlestore_edited
):
    submission = submit(users, singlestore_edited)
    version = draft_approve(
        actor=users["approver"], submission=submission, expected_hash=submission.snapshot_hash
    )
    singlestore_edited.refresh_from_db()
    assert version.number == 2
    assert singlestore_edited.published == version
    assert version.snapshot_hash == snapshot_hash(version.snapshot)
    assert version.authors == [{"id": users["editor"].pk, "name": "demo-editor"}]
    assert version.approved_by == users["approver"]
    assert Submission.objects.get(pk=submission.pk).status == "published"
    record = AuditRecord.objects.get(action="publish", object_id=str(version.pk))
    assert record.after == {
        "number": 2,
        "snapshot_hash": version.snapshot_hash,
        "summary": version.summary,
    }
    assert record.actor_id == users["approver"].pk


def test_an_approver_cannot_publish_a_draft_they_edited(users, singlestore_edited):
    customer_duty_set(users["admin"], "The admin's own wording.")
    submission = submit(users, singlestore_edited)
    with pytest.raises(PermissionDenied, match="made changes"):
        draft_approve(
            actor=users["admin"], submission=submission, expected_hash=submission.snapshot_hash
        )
    assert singlestore_edited.versions.count() == 1


def test_the_submitter_cannot_approve_their_own_submission(users, singlestore_edited):
    submission = submit(users, singlestore_edited, who="admin")
    with pytest.raises(PermissionDenied, match="submitted"):
        draft_approve(
            actor=users["admin"], submission=submission, expected_hash=submission.snapshot_hash
        )


def test_an_approval_is_refused_once_the_draft_changed_after_submission(users, singlestore_edited):
    submission = submit(users, singlestore_edited)
    customer_duty_set(users["editor"], "A late change the approver never saw.")
    with pytest.raises(ValidationError, match="changed after it was submitted"):
        draft_approve(
            actor=users["approver"], submission=submission, expected_hash=submission.snapshot_hash
        )
    assert singlestore_edited.versions.count() == 1


def test_an_approval_for_another_hash_is_refused(users, singlestore_edited):
    submission = submit(users, singlestore_edited)
    with pytest.raises(ValidationError, match="another submission"):
        draft_approve(actor=users["approver"], submission=submission, expected_hash="0" * 64)


def test_editors_and_viewers_cannot_approve(users, singlestore_edited):
    submission = submit(users, singlestore_edited)
    for who in ("editor", "viewer", "auditor"):
        with pytest.raises(PermissionDenied):
            draft_approve(
                actor=users[who], submission=submission, expected_hash=submission.snapshot_hash
            )


def test_a_returned_submission_cannot_be_approved(users, singlestore_edited):
    submission = submit(users, singlestore_edited)
    draft_return(actor=users["approver"], submission=submission, comment="Cite the source.")
    with pytest.raises(ValidationError, match="no longer pending"):
        draft_approve(
            actor=users["approver"], submission=submission, expected_hash=submission.snapshot_hash
        )


def test_submitting_an_unchanged_draft_is_refused(users):
    with pytest.raises(ValidationError, match="identical"):
        draft_submit(actor=users["editor"], provider=Provider.objects.get(slug=P), summary="x")


def test_a_submission_needs_a_summary(users, singlestore_edited):
    with pytest.raises(ValidationError, match="Say what changed"):
        draft_submit(actor=users["editor"], provider=singlestore_edited, summary="  ")


def test_editing_the_draft_never_touches_the_published_snapshot(users, singlestore_edited):
    version = singlestore_edited.published
    assert version.snapshot_hash == snapshot_hash(MatrixVersion.objects.get(pk=version.pk).snapshot)
    assert "Keep evidence for the auditors." not in str(version.snapshot)
