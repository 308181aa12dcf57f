"""Requesting, generating and downloading PDFs: keys, permissions, stamps, audit."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from matrices.models import PdfDocument, Provider
from tests.matrices.pdf import pdftools

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


P = "singlestore"


def start(client, **params):
    return client.get(reverse("matrices:pdf_start", args=[P]), {"version": "1", **params})


def pdf_text(path) -> str:
    """The text of a stored PDF, pages separated by form feeds (poppler's pdftotext)."""
    with open(path, "rb") as handle:
        return pdftools.pdf_text(handle.read(), raw=True)


def test_a_request_renders_the_pdf_and_the_status_page_offers_it(client):
    response = start(client, variant="matrix")
    assert response.status_code == 302
    document = PdfDocument.objects.get()
    assert document.status == "ready"  # eager tasks in tests
    page = client.get(response["Location"]).content.decode()
    assert reverse("matrices:pdf_download", args=[P, document.pk]) in page
    download = client.get(reverse("matrices:pdf_download", args=[P, document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_second_request_for_the_same_key_reuses_the_stored_file(client):
    start(client, variant="offering", offering="helios")
    first = PdfDocument.objects.get()
    started = time.perf_counter()
    start(client, variant="offering", offering="helios")
    assert time.perf_counter() - started < 1.0
    assert PdfDocument.objects.count() == 1
    assert PdfDocument.objects.get().finished_at == first.finished_at


def test_the_pdf_of_a_version_carries_its_number_and_hash(client, settings):
    start(client, variant="matrix")
    document = PdfDocument.objects.get()
    text = " ".join(pdf_text(document.file.path).split())
    assert "Version 1" in text
    assert document.snapshot_hash[:12] in text


def test_a_bad_variant_or_offering_is_a_clear_400(client):
    assert start(client, variant="poster").status_code == 400
    response = start(client, variant="offering", offering="nope")
    assert response.status_code == 400
    assert "No offering" in response.content.decode()
    assert not PdfDocument.objects.exists()


def test_the_draft_pdf_is_for_its_editors_only_and_watermarked(as_user):
    assert start(as_user("viewer"), variant="matrix", version="draft").status_code == 403
    assert start(as_user(None), variant="matrix", version="draft").status_code == 302  # login
    client = as_user("editor")
    assert start(client, variant="matrix", version="draft").status_code == 302
    document = PdfDocument.objects.get()
    assert document.version is None
    text = pdf_text(document.file.path)
    assert "· Draft ·" in text  # every footer
    # The diagonal watermark comes out of pdftotext in pieces (reversed, or split by a space).
    letters = "".join(text.split())
    assert "DRAFT" in letters or "TFARD" in letters
    # Guessing the draft PDF's URL as someone else gets nothing.
    url = reverse("matrices:pdf_download", args=[P, document.pk])
    assert as_user("viewer").get(url).status_code == 404
    assert as_user(None).get(url).status_code == 404


def test_a_gated_pdf_names_each_downloader_on_every_page_and_is_audited(as_user, users):
    Provider.objects.filter(slug=P).update(visibility="signed-in")
    start(as_user("viewer"), variant="matrix")
    document = PdfDocument.objects.get()
    with open(document.file.path, "rb") as handle:
        stored = handle.read()
    assert "Downloaded by" not in pdftools.pdf_text(stored)  # rendered once, for every reader
    url = reverse("matrices:pdf_download", args=[P, document.pk])
    for who, line in (
        ("viewer", "Downloaded by Demo Viewer (demo-viewer)"),
        ("auditor", "Downloaded by Demo Auditor (demo-auditor)"),
    ):
        download = as_user(who).get(url)
        assert download.status_code == 200
        assert download["Cache-Control"] == "private, max-age=0"
        content = download.content
        pages = pdftools.pdf_page_count(content)
        assert pages == pdftools.pdf_page_count(stored) > 5
        for page in range(1, pages + 1):
            assert line in pdftools.pdf_text(content, page), (who, page)
    records = AuditRecord.objects.filter(action="download").order_by("seq")
    assert [r.actor_id for r in records] == [users["viewer"].pk, users["auditor"].pk]
    assert records[0].after["stamp"].startswith("Downloaded by Demo Viewer (demo-viewer)")
    assert PdfDocument.objects.count() == 1


def test_a_public_pdf_is_served_as_stored(client):
    start(client, variant="matrix")
    document = PdfDocument.objects.get()
    download = client.get(reverse("matrices:pdf_download", args=[P, document.pk]))
    with open(document.file.path, "rb") as handle:
        assert b"".join(download.streaming_content) == handle.read()


def test_outsiders_cannot_fetch_a_private_providers_pdf_by_url(as_user):
    start(as_user(None), variant="matrix")
    document = PdfDocument.objects.get()
    Provider.objects.filter(slug=P).update(visibility="private")
    for who in (None, "outsider", "other_editor"):
        client = as_user(who)
        assert (
            client.get(reverse("matrices:pdf_download", args=[P, document.pk])).status_code == 404
        )
        assert client.get(reverse("matrices:pdf_status", args=[P, document.pk])).status_code == 404
        assert start(client, variant="matrix").status_code == 404


def test_a_pdf_id_under_another_providers_url_is_404(client):
    start(client, variant="matrix")
    document = PdfDocument.objects.get()
    url = reverse("matrices:pdf_download", args=["clickhouse", document.pk])
    assert client.get(url).status_code == 404


def test_a_failed_rendering_is_shown_with_a_retry_and_retried(client, monkeypatch):
    import matrices.services.documents as documents

    def broken(*args, **kwargs):
        raise RuntimeError("fonts are missing")

    working = documents.render_pdf
    monkeypatch.setattr(documents, "render_pdf", broken)
    response = client.get(start(client, variant="matrix")["Location"])
    html = response.content.decode()
    assert "could not be generated" in html
    assert "Try again" in html
    monkeypatch.setattr(documents, "render_pdf", working)
    start(client, variant="matrix")
    assert PdfDocument.objects.get().status == "ready"


def test_status_polls_while_the_pdf_is_generating(client, users):
    provider = Provider.objects.get(slug=P)
    document = PdfDocument.objects.create(
        provider=provider,
        version=provider.published,
        snapshot_hash="x" * 64,
        variant="matrix",
        key="k" * 64,
        status="rendering",
    )
    html = client.get(
        reverse("matrices:pdf_status", args=[P, document.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Generating" in html
    assert 'hx-trigger="load delay:1s"' in html
