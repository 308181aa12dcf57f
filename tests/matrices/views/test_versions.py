"""Published versions: four-eyes approval bound to a hash, immutability, drafts, diffs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from matrices.models import MatrixVersion, Provider, Submission
from matrices.services import (
    draft_approve,
    draft_submit,
)
from tests.factories import customer_duty_set, submit

pytestmark = pytest.mark.django_db


P = "singlestore"


def inserted_words(html: str) -> set[str]:
    """The words a word-level diff marks as added."""
    return {word for part in re.findall(r"<ins>(.*?)</ins>", html) for word in part.split()}


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
    customer_duty_set(users["admin"], "Admin wording.")
    draft_submit(actor=users["editor"], provider=Provider.objects.get(slug=P), summary="x")
    page = as_user("admin").get(reverse("matrices:versions", args=[P])).content.decode()
    assert "another approver must publish it" in page
    assert "Approve and publish" not in page


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
