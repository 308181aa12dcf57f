"""Published versions: four-eyes approval bound to a hash, immutability, drafts, diffs."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AuditRecord
from matrices.models import Cell, ControlDomain, MatrixVersion, Party, Provider, Submission
from matrices.services import (
    DutyInput,
    axis_update,
    cell_set,
    domain_create,
    draft_approve,
    draft_return,
    draft_submit,
)
from matrices.snapshot import snapshot_build, snapshot_hash

pytestmark = pytest.mark.django_db

P = "singlestore"


@pytest.fixture
def singlestore_edited(users):
    """SingleStore with one unpublished edit by the demo editor."""
    provider = Provider.objects.get(slug=P)
    edit_compliance(users["editor"], "Keep evidence for the auditors.")
    return provider


def edit_compliance(user, text: str, ownership: str = "customer") -> Cell:
    provider = Provider.objects.get(slug=P)
    cell = Cell.objects.get(provider=provider, offering__slug="helios", domain__slug="compliance")
    customer = Party.objects.get(provider=provider, role="customer")
    return cell_set(
        actor=user,
        offering=cell.offering,
        domain=cell.domain,
        ownership=ownership,
        duties={customer: [DutyInput(text=text)]},
        expected_version=cell.version,
    )


def inserted_words(html: str) -> set[str]:
    """The words a word-level diff marks as added."""
    return {word for part in re.findall(r"<ins>(.*?)</ins>", html) for word in part.split()}


def submit(users, provider, who="editor"):
    return draft_submit(actor=users[who], provider=provider, summary="Clarified compliance.")


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
    assert AuditRecord.objects.filter(action="publish", object_id=str(version.pk)).exists()


def test_an_approver_cannot_publish_a_draft_they_edited(users, singlestore_edited):
    edit_compliance(users["admin"], "The admin's own wording.")
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
    edit_compliance(users["editor"], "A late change the approver never saw.")
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


# --- immutability --------------------------------------------------------------------


def test_a_published_version_refuses_to_be_saved_again():
    version = MatrixVersion.objects.filter(provider__slug=P).first()
    version.summary = "rewritten history"
    with pytest.raises(ValidationError, match="never changes"):
        version.save()


def test_the_database_refuses_to_update_a_published_version():
    version = MatrixVersion.objects.filter(provider__slug=P).first()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        MatrixVersion.objects.filter(pk=version.pk).update(summary="rewritten history")
    assert MatrixVersion.objects.get(pk=version.pk).summary == version.summary


def test_editing_the_draft_never_touches_the_published_snapshot(users, singlestore_edited):
    version = singlestore_edited.published
    assert version.snapshot_hash == snapshot_hash(MatrixVersion.objects.get(pk=version.pk).snapshot)
    assert "Keep evidence for the auditors." not in str(version.snapshot)


# --- what people see -----------------------------------------------------------------


def test_the_public_sees_the_published_version_not_the_draft(as_user, singlestore_edited):
    url = reverse("matrices:provider", args=[P])
    for who in (None, "viewer", "outsider"):
        html = as_user(who).get(url).content.decode()
        assert "Keep evidence for the auditors." not in html
        assert "Version 1" in html


def test_asking_for_the_draft_without_the_right_to_read_it_is_refused(as_user, singlestore_edited):
    url = reverse("matrices:provider", args=[P])
    anonymous = as_user(None).get(url, {"view": "draft"})
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    for who in ("viewer", "outsider"):
        response = as_user(who).get(url, {"view": "draft"})
        assert response.status_code == 403
        assert "Keep evidence for the auditors." not in response.content.decode()


def test_editors_see_the_draft_with_unpublished_changes_marked(as_user, singlestore_edited):
    html = as_user("editor").get(reverse("matrices:provider", args=[P])).content.decode()
    assert "Keep evidence for the auditors." in html
    assert html.count("cell--unpublished") >= 1
    assert "1 cell changed since" in " ".join(html.split())
    published = (
        as_user("editor")
        .get(reverse("matrices:provider", args=[P]), {"view": "published"})
        .content.decode()
    )
    assert "Keep evidence for the auditors." not in published


def test_a_provider_with_no_published_version_is_not_public(as_user, users):
    provider = Provider.objects.create(name="Unpublished", slug="unpublished")
    from accounts.roles import Role
    from accounts.services import role_set

    role_set(actor=None, provider=provider, principal=users["outsider"], role=Role.VIEWER)
    role_set(actor=None, provider=provider, principal=users["auditor"], role=Role.AUDITOR)
    url = reverse("matrices:provider", args=["unpublished"])
    assert as_user(None).get(url).status_code == 404
    assert as_user("viewer").get(url).status_code == 404  # a viewer of another provider
    # Its own viewer sees published content only, and nothing is published: the draft is
    # for those who write, approve or audit it.
    assert as_user("outsider").get(url).status_code == 404
    assert as_user("auditor").get(url).status_code == 200
    assert "/providers/unpublished/" not in as_user(None).get("/").content.decode()


def test_a_version_link_keeps_showing_that_version(as_user, users, singlestore_edited):
    submission = submit(users, singlestore_edited)
    draft_approve(
        actor=users["approver"], submission=submission, expected_hash=submission.snapshot_hash
    )
    v1 = as_user(None).get(reverse("matrices:version", args=[P, 1])).content.decode()
    v2 = as_user(None).get(reverse("matrices:version", args=[P, 2])).content.decode()
    assert "Keep evidence for the auditors." not in v1
    assert "Keep evidence for the auditors." in v2


# --- diffs ---------------------------------------------------------------------------


def test_a_diff_between_versions_lists_each_known_edit_exactly_once(users):
    provider = Provider.objects.get(slug=P)
    editor = users["editor"]
    edit_compliance(editor, "Brand new customer duty.", ownership="customer")
    domain = ControlDomain.objects.get(provider=provider, slug="secrets-management")
    axis_update(
        actor=editor,
        obj=domain,
        expected_version=domain.version,
        changes={"name": "Secrets and keys"},
    )
    domain_create(actor=editor, provider=provider, name="Physical security", slug="physical")
    submission = submit(users, provider)
    draft_approve(
        actor=users["approver"], submission=submission, expected_hash=submission.snapshot_hash
    )
    html = Client().get(reverse("matrices:version_diff", args=[P, "1", "2"])).content.decode()
    text = " ".join(html.split())
    assert text.count("<ins>Brand new customer duty.</ins>") == 1
    assert (
        text.count(
            "Ownership: <del>Shared (provider and customer)</del> → <ins>Customer-owned</ins>"
        )
        == 1
    )
    assert text.count("Secrets and keys") == 1
    assert text.count("Physical security") == 1
    assert "1 cell changed, 1 with a new ownership; 2 row, column or party changes" in text


def test_what_changed_since_a_version_is_there_for_everyone(as_user, users, singlestore_edited):
    submission = submit(users, singlestore_edited)
    draft_approve(
        actor=users["approver"], submission=submission, expected_hash=submission.snapshot_hash
    )
    response = as_user(None).get(reverse("matrices:version_diff", args=[P, "1", "latest"]))
    assert {"Keep", "evidence", "auditors."} <= inserted_words(response.content.decode())


def test_only_those_who_see_the_draft_may_diff_against_it(as_user, singlestore_edited):
    url = reverse("matrices:version_diff", args=[P, "latest", "draft"])
    assert as_user("viewer").get(url).status_code == 403
    assert {"Keep", "evidence", "auditors."} <= inserted_words(
        as_user("auditor").get(url).content.decode()
    )


# --- the review pages ----------------------------------------------------------------


def test_the_review_flow_through_the_pages(as_user, users, singlestore_edited):
    client = as_user("editor")
    client.post(reverse("matrices:review_submit", args=[P]), {"summary": "Clarified."})
    submission = Submission.objects.get(provider=singlestore_edited, status="pending")
    approve = {"submission": submission.pk, "expected_hash": submission.snapshot_hash}
    denied = as_user("editor").post(reverse("matrices:review_approve", args=[P]), approve)
    assert denied.status_code == 403
    page = as_user("approver").get(reverse("matrices:versions", args=[P])).content.decode()
    assert "Approve and publish version 2" in page
    response = as_user("approver").post(reverse("matrices:review_approve", args=[P]), approve)
    assert response.status_code == 302
    assert response["Location"] == reverse("matrices:version", args=[P, 2])


def test_the_versions_page_tells_an_author_approver_to_ask_someone_else(as_user, users):
    edit_compliance(users["admin"], "Admin wording.")
    draft_submit(actor=users["editor"], provider=Provider.objects.get(slug=P), summary="x")
    page = as_user("admin").get(reverse("matrices:versions", args=[P])).content.decode()
    assert "another approver must publish it" in page
    assert "Approve and publish" not in page


def test_snapshot_hash_is_stable_for_the_same_content():
    provider = Provider.objects.get(slug=P)
    assert snapshot_hash(snapshot_build(provider)) == provider.published.snapshot_hash


def test_no_page_changes_a_published_version(as_user):
    version = MatrixVersion.objects.get(provider__slug=P, number=1)
    client = as_user("superuser")
    for url in (
        reverse("matrices:version", args=[P, 1]),
        reverse("matrices:version_diff", args=[P, "1", "latest"]),
        reverse("matrices:versions", args=[P]),
    ):
        assert client.post(url, {"summary": "rewritten"}).status_code == 405
    assert MatrixVersion.objects.get(pk=version.pk).snapshot_hash == version.snapshot_hash
    assert MatrixVersion.objects.get(pk=version.pk).summary == version.summary
