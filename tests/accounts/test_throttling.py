"""Rates per visitor, per account and for costly requests: 429 with Retry-After beyond them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tokens import token_create
from audit.models import AuditRecord
from matrices.models import PdfDocument

pytestmark = pytest.mark.django_db


API = "/api/v1/providers/singlestore"


@pytest.fixture
def rates(settings):
    def set_rates(**rates: str) -> None:
        settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, **rates}

    return set_rates


def assert_throttled(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    error = response.json()["error"]
    assert error["status"] == 429
    assert error["code"] == "throttled"
    assert "throttled" in error["message"].lower() or "too many" in error["message"].lower()


def test_a_visitor_beyond_the_anonymous_rate_gets_429(client, rates):
    rates(anonymous="3/min")
    answers = [client.get(f"{API}/matrix/").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    assert_throttled(client.get(f"{API}/matrix/"))


def test_visitors_are_counted_by_address(client, rates):
    rates(anonymous="1/min")
    assert client.get(f"{API}/matrix/", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get(f"{API}/matrix/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get(f"{API}/matrix/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_signed_in_user_has_their_own_rate(as_user, rates):
    rates(anonymous="1/min", user="2/min")
    client = as_user("viewer")
    assert [client.get(f"{API}/matrix/").status_code for _ in range(2)] == [200, 200]
    assert_throttled(client.get(f"{API}/matrix/"))


def test_imports_have_a_stricter_rate_and_a_refused_one_writes_nothing(as_user, rates):
    rates(**{"import": "1/hour"})
    client = as_user("editor")
    upload = b"domain,offering,offering_kind,party,party_role,ownership,text\r\n"
    first = client.post(f"{API}/import/", {"file": SimpleUploadedFile("m.csv", upload)})
    assert first.status_code == 400  # refused as a file, but counted
    before = AuditRecord.objects.count()
    assert_throttled(client.post(f"{API}/import/", {"file": SimpleUploadedFile("m.csv", upload)}))
    assert AuditRecord.objects.count() == before
    assert client.get(f"{API}/matrix/").status_code == 200  # reads go on


def test_pdf_requests_have_a_stricter_rate(as_user, rates, django_capture_on_commit_callbacks):
    rates(pdf="1/min")
    client = as_user("viewer")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"{API}/pdfs/", {"variant": "matrix"}, content_type="application/json")
    assert first.status_code in (200, 202)
    count = PdfDocument.objects.count()
    second = client.post(
        f"{API}/pdfs/",
        {"variant": "offering", "offering": "helios"},
        content_type="application/json",
    )
    assert_throttled(second)
    assert PdfDocument.objects.count() == count
    assert client.get(f"{API}/pdfs/{first.json()['id']}/").status_code == 200


def test_failed_token_authentications_are_slowed_down_per_address(client, users, rates):
    rates(**{"failed-token": "3/min"})
    _, secret = token_create(user=users["editor"], name="ci")
    wrong = {"HTTP_AUTHORIZATION": "Bearer srm_0000_guess"}
    assert [client.get(f"{API}/matrix/", **wrong).status_code for _ in range(3)] == [401] * 3
    assert_throttled(client.get(f"{API}/matrix/", **wrong))
    # Even the right token waits: guessing cannot go on by trying a real one in between.
    assert_throttled(client.get(f"{API}/matrix/", HTTP_AUTHORIZATION=f"Bearer {secret}"))
    other = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "REMOTE_ADDR": "192.0.2.9"}
    assert client.get(f"{API}/matrix/", **other).status_code == 200
