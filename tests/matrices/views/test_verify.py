"""The verification page and API recognise published PDFs (stored or stamped) by file or hash,
validate their signature, and refuse unknown files, drafts and bad input."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matrices.models import PdfDocument, Provider
from tests.matrices.pdf.pdftools import pdf_text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("tasks_in_process", "signing"),
]

P = "singlestore"
PAGE = "/verify/"
API = "/api/v1/verify/"


def published_pdf(client, **params) -> PdfDocument:
    client.get(reverse("matrices:pdf_start", args=[P]), {"version": "1", **params})
    return PdfDocument.objects.filter(version__isnull=False).get()


def stored(document: PdfDocument) -> bytes:
    with open(document.file.path, "rb") as handle:
        return handle.read()


def upload(data: bytes, name: str = "matrix.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_page_recognises_an_uploaded_published_pdf_and_its_signature(client):
    document = published_pdf(client, variant="matrix")
    data = stored(document)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    response = client.post(PAGE, {"file": upload(data)})
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert "Published by this portal" in page
    assert f"Version 1 of {document.provider.name}, published on" in page
    assert f"approved by {document.version.approved_by_label}" in page
    assert "Signature valid (signed by" in page
    assert "Test signer" in page


def test_the_api_recognises_a_published_pdf_by_its_hash(client):
    document = published_pdf(client, variant="offering", offering="helios")
    response = client.post(
        API, {"sha256": document.sha256.upper()}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["published"] is True
    assert body["version"] == 1
    assert body["offering"] == "helios"
    assert body["signature"] == ""  # no file, no signature to check


def test_a_changed_byte_is_not_a_published_document(client):
    data = bytearray(stored(published_pdf(client, variant="matrix")))
    data[len(data) // 3] ^= 0x01
    response = client.post(API, {"file": upload(bytes(data))})
    assert response.status_code == 200
    assert response.json()["published"] is False
    page = client.post(PAGE, {"file": upload(bytes(data))}).content.decode()
    assert "Not a document this portal published" in page


def test_a_stamped_download_is_signed_and_recognised_without_naming_its_reader(as_user):
    Provider.objects.filter(slug=P).update(visibility="signed-in")
    client = as_user("viewer")
    document = published_pdf(client, variant="matrix")
    copy = client.get(reverse("matrices:pdf_download", args=[P, document.pk])).content
    assert hashlib.sha256(copy).hexdigest() != document.sha256
    stranger = as_user(None)
    body = stranger.post(API, {"file": upload(copy)}).json()
    assert body["published"] is True
    assert body["stamped_copy"] is True
    assert body["signature"] == "valid"
    assert body["approved_by"] == ""  # a gated provider's approver is not named
    assert "demo-viewer" not in str(body)
    assert "Demo Viewer" not in str(body)


def test_a_draft_pdf_is_never_recognised(as_user):
    client = as_user("editor")
    client.get(reverse("matrices:pdf_start", args=[P]), {"variant": "matrix", "version": "draft"})
    draft = PdfDocument.objects.get(version__isnull=True)
    body = client.post(API, {"sha256": draft.sha256}, content_type="application/json").json()
    assert body == {**body, "published": False, "provider": ""}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sha256": "abc"}, "64 hexadecimal"),
        ({"sha256": "z" * 64}, "64 hexadecimal"),
        ({}, "Choose a PDF file or paste its SHA-256"),
        ({"file": SimpleUploadedFile("x.pdf", b"GIF89a not a pdf")}, "not a PDF"),
    ],
)
def test_bad_input_on_the_page_is_a_400_with_a_message(client, data, message):
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_bad_input_to_the_api_is_a_400_with_a_reason(client, settings):
    settings.VERIFY_MAX_BYTES = 100
    too_big = client.post(API, {"file": upload(b"%PDF-1.7\n" + b"0" * 200)})
    assert too_big.status_code == 400
    assert "larger than" in too_big.json()["error"]["message"]
    not_pdf = client.post(API, {"file": upload(b"hello")})
    assert not_pdf.status_code == 400
    assert "not a PDF" in not_pdf.json()["error"]["message"]
    bad_hash = client.post(API, {"sha256": "12"}, content_type="application/json")
    assert bad_hash.status_code == 400
    assert client.post(API, {}, content_type="application/json").status_code == 400


def test_a_published_pdf_says_where_to_verify_it_and_a_draft_does_not(client, users, settings):
    settings.SITE_URL = "https://srm.example.org"
    published = stored(published_pdf(client, variant="matrix"))
    # (The line may wrap inside the address.)
    assert "https://srm.example.org/verify/" in "".join(pdf_text(published).split())
    client.force_login(users["editor"])
    client.get(
        reverse("matrices:pdf_start", args=["singlestore"]),
        {"variant": "matrix", "version": "draft"},
    )
    draft = PdfDocument.objects.get(version__isnull=True)
    assert "/verify/" not in pdf_text(stored(draft))
