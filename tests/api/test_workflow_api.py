"""Versions, diffs, the four-eyes review and PDFs over the API."""

from __future__ import annotations

import pytest

from audit.models import AuditRecord
from matrices.models import Cell, MatrixVersion, PdfDocument, Provider, Submission
from tests.factories import customer_duty_set

pytestmark = pytest.mark.django_db

API = "/api/v1/providers/singlestore"


def edit_draft(users, text: str = "Rotate the API keys monthly.") -> Cell:
    return customer_duty_set(
        users["editor"],
        text,
        domain="access-control",
        ownership=Cell.objects.get(
            provider__slug="singlestore", offering__slug="helios", domain__slug="access-control"
        ).ownership,
    )


def test_versions_are_paged_and_one_version_carries_its_snapshot(as_user):
    listing = as_user(None).get(f"{API}/versions/").json()
    assert listing["count"] == 1
    assert "snapshot" not in listing["results"][0]
    one = as_user(None).get(f"{API}/versions/1/").json()
    assert one["snapshot"] == MatrixVersion.objects.get(provider__slug="singlestore").snapshot
    assert as_user(None).get(f"{API}/versions/9/").status_code == 404


def test_the_diff_from_the_latest_version_to_the_draft_shows_an_edit_word_by_word(as_user, users):
    edit_draft(users)
    diff = as_user("editor").get(f"{API}/versions/latest/diff/draft/").json()
    assert (diff["old"], diff["new"]) == ("version 1 (latest)", "the draft")
    [change] = diff["cells"]
    assert (change["domain_slug"], change["change"]) == ("access-control", "changed")
    assert "<ins>API keys monthly.</ins>" in change["texts"][0]["words_html"]
    assert as_user(None).get(f"{API}/versions/1/diff/1/").json()["cells"] == []


def test_the_draft_diff_is_for_the_drafts_readers(as_user):
    assert as_user("viewer").get(f"{API}/versions/1/diff/draft/").status_code == 403
    assert as_user("viewer").get(f"{API}/versions/1/diff/nine/").status_code == 404


def test_submit_then_another_approver_publishes_version_2(as_user, users):
    edit_draft(users)
    submitted = as_user("editor").post(
        f"{API}/review/submit/", {"summary": "Monthly keys."}, content_type="application/json"
    )
    assert submitted.status_code == 200
    pending = submitted.json()["pending"]
    assert (pending["summary"], pending["submitted_by"]) == ("Monthly keys.", "demo-editor")
    wrong = as_user("approver").post(
        f"{API}/review/approve/", {"expected_hash": "0" * 64}, content_type="application/json"
    )
    assert wrong.status_code == 400
    approved = as_user("approver").post(
        f"{API}/review/approve/",
        {"expected_hash": pending["snapshot_hash"], "comment": "Checked."},
        content_type="application/json",
    )
    assert approved.status_code == 201
    assert approved.json()["number"] == 2
    assert Provider.objects.get(slug="singlestore").published.number == 2


def test_an_author_may_not_approve_their_own_draft_and_an_editor_may_not_approve(as_user, users):
    from accounts.roles import Role
    from accounts.services import role_set

    edit_draft(users)
    as_user("editor").post(
        f"{API}/review/submit/", {"summary": "x"}, content_type="application/json"
    )
    submission = Submission.objects.get(provider__slug="singlestore", status="pending")
    body = {"expected_hash": submission.snapshot_hash}
    assert (
        as_user("editor").post(f"{API}/review/approve/", body, content_type="application/json")
    ).status_code == 403
    role_set(
        actor=None,
        provider=submission.provider,
        principal=users["editor"],
        role=Role.ADMIN,  # may publish now, but made the change
    )
    refused = as_user("editor").post(
        f"{API}/review/approve/", body, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Provider.objects.get(slug="singlestore").published.number == 1


def test_return_and_withdraw_need_a_pending_submission(as_user, users):
    withdraw = as_user("editor").post(
        f"{API}/review/withdraw/", {}, content_type="application/json"
    )
    assert withdraw.status_code == 404
    edit_draft(users)
    as_user("editor").post(
        f"{API}/review/submit/", {"summary": "x"}, content_type="application/json"
    )
    no_comment = as_user("approver").post(
        f"{API}/review/return/", {}, content_type="application/json"
    )
    assert no_comment.status_code == 400
    returned = as_user("approver").post(
        f"{API}/review/return/", {"comment": "Say why."}, content_type="application/json"
    )
    assert returned.status_code == 200
    assert returned.json()["pending"] is None


def test_the_review_state_is_for_the_drafts_readers(as_user):
    assert as_user("viewer").get(f"{API}/review/").status_code == 403
    state = as_user("auditor").get(f"{API}/review/").json()
    assert (state["published_version"], state["pending"]) == (1, None)


@pytest.fixture
def render_in_process(monkeypatch, settings, tmp_path):
    """On-commit work runs at once and the task runs here (test_celery.py covers a worker)."""
    from django.db import transaction

    from matrices import tasks

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    monkeypatch.setattr(
        tasks.render_pdf_document, "delay", lambda pk: tasks.render_pdf_document.apply(args=(pk,))
    )


def test_a_visitor_requests_polls_and_downloads_a_published_pdf(
    client, elsewhere, render_in_process
):
    response = client.post(
        "/api/v1/providers/elsewhere/pdfs/", {"variant": "matrix"}, content_type="application/json"
    )
    assert response.status_code in (200, 202)
    document = response.json()
    status = client.get(document["url"]).json()
    assert status["status"] == "ready"
    download = client.get(status["download_url"])
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    again = client.post(
        "/api/v1/providers/elsewhere/pdfs/", {"variant": "matrix"}, content_type="application/json"
    )
    assert (again.status_code, again.json()["id"]) == (200, document["id"])


def test_a_pdf_that_is_not_ready_is_a_409_on_download(client, elsewhere):
    document = PdfDocument.objects.create(
        provider=elsewhere,
        version=elsewhere.published,
        snapshot_hash=elsewhere.published.snapshot_hash,
        variant="matrix",
        key="k" * 64,
    )
    url = f"/api/v1/providers/elsewhere/pdfs/{document.pk}/download/"
    response = client.get(url)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_ready"


def test_the_draft_pdf_is_refused_to_a_viewer_and_bad_requests_say_why(as_user):
    viewer = as_user("viewer")
    draft = viewer.post(f"{API}/pdfs/", {"version": "draft"}, content_type="application/json")
    assert draft.status_code == 403
    unknown = viewer.post(
        f"{API}/pdfs/", {"variant": "offering", "offering": "nope"}, content_type="application/json"
    )
    assert unknown.status_code == 400
    assert "nope" in unknown.json()["error"]["message"]
    assert (
        viewer.post(f"{API}/pdfs/", {"version": "v1"}, content_type="application/json").status_code
        == 400
    )
    assert not PdfDocument.objects.exists()


def test_a_gated_pdf_is_404_to_anyone_but_its_downloader(as_user, users, render_in_process):
    Provider.objects.filter(slug="singlestore").update(visibility="signed-in")
    made = as_user("viewer").post(f"{API}/pdfs/", {}, content_type="application/json").json()
    assert as_user("auditor").get(made["url"]).status_code == 404
    download = as_user("viewer").get(f"{API}/pdfs/{made['id']}/download/")
    assert download.status_code == 200
    assert AuditRecord.objects.filter(action="download", actor_id=users["viewer"].pk).exists()


def test_each_review_action_takes_the_shared_reason_into_the_audit_log(as_user, users):
    edit_draft(users)
    editor, approver = as_user("editor"), None

    def post(client, action: str, body: dict):
        response = client.post(f"{API}/review/{action}/", body, content_type="application/json")
        assert response.status_code in (200, 201), response.content
        return AuditRecord.objects.order_by("-seq").first()

    assert post(editor, "submit", {"summary": "s", "reason": "quarterly"}).reason == "quarterly"
    assert post(editor, "withdraw", {"reason": "one more edit"}).reason == "one more edit"
    post(editor, "submit", {"summary": "s"})
    approver = as_user("approver")
    returned = post(approver, "return", {"comment": "fix the typo", "reason": "typo"})
    assert (returned.action, returned.reason) == ("return", "typo")
    post(as_user("editor"), "submit", {"summary": "s"})
    pending = Submission.objects.get(status="pending")
    approved = post(
        as_user("approver"),
        "approve",
        {"expected_hash": pending.snapshot_hash, "reason": "reviewed with legal"},
    )
    assert (approved.action, approved.reason) == ("publish", "reviewed with legal")
    unknown = as_user("editor").post(
        f"{API}/review/withdraw/", {"reasons": "x"}, content_type="application/json"
    )
    assert unknown.status_code == 400
