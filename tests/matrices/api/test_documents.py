"""Versions, diffs, the four-eyes review and PDFs over the API."""

from __future__ import annotations

import pytest

from audit.models import AuditRecord
from matrices.models import PdfDocument, Provider
from tests.matrices.pdf import pdftools

pytestmark = pytest.mark.django_db


API = "/api/v1/providers/singlestore"


def test_a_visitor_requests_polls_and_downloads_a_published_pdf(
    client, elsewhere, tasks_in_process
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


def test_a_gated_pdf_is_one_document_each_reader_downloads_under_their_name(
    as_user, users, tasks_in_process
):
    Provider.objects.filter(slug="singlestore").update(visibility="signed-in")
    made = as_user("viewer").post(f"{API}/pdfs/", {}, content_type="application/json").json()
    again = as_user("auditor").post(f"{API}/pdfs/", {}, content_type="application/json").json()
    assert again["id"] == made["id"]
    assert as_user(None).get(made["url"]).status_code == 404  # not signed in: not there
    download = as_user("auditor").get(f"{API}/pdfs/{made['id']}/download/")
    assert download.status_code == 200
    assert "Downloaded by Demo Auditor (demo-auditor)" in pdftools.pdf_text(download.content, 1)
    record = AuditRecord.objects.order_by("-seq").first()
    assert (record.action, record.actor_id, record.object_id) == (
        "download",
        users["auditor"].pk,
        str(made["id"]),
    )
    assert record.after["stamp"].startswith("Downloaded by Demo Auditor (demo-auditor)")
