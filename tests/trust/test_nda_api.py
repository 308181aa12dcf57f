"""The NDA over the API: versions (admins publish, trust managers read), acceptances, and a
reader's acceptance of the current version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditRecord, ObjectType
from tests.trust.nda_setup import TERMS, private, publish_nda, reader_with_grant
from trust.models import Nda, NdaAcceptance
from trust.nda import nda_current

pytestmark = pytest.mark.django_db

API = "/api/v1/providers/singlestore"
NDA = f"{API}/trust/nda/"
ACCEPTANCES = f"{API}/trust/nda/acceptances/"
ACCEPT = f"{API}/trust/nda/accept/"


@pytest.fixture
def provider(users):
    provider = private("singlestore")
    publish_nda(provider, users["admin"])
    return provider


@pytest.fixture
def grant(provider):
    return reader_with_grant(provider)


@pytest.fixture
def reader(client, grant):
    client.force_login(grant.user)
    return client


def post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json", REMOTE_ADDR="198.51.100.7")


def test_the_urls_are_the_named_ones():
    assert reverse("trust-api:nda", args=["singlestore"]) == NDA
    assert reverse("trust-api:nda-acceptances", args=["singlestore"]) == ACCEPTANCES
    assert reverse("trust-api:nda-accept", args=["singlestore"]) == ACCEPT


def test_trust_managers_read_the_versions_and_others_are_refused(provider, as_user):
    listing = as_user("trust_manager").get(NDA)
    assert listing.status_code == 200
    (version,) = listing.json()
    current = nda_current(provider)
    assert version["number"] == 1
    assert version["sha256"] == current.sha256
    assert version["body"] == TERMS
    assert version["created_by"] == "demo-admin"
    assert version["acceptances"] == 0
    assert as_user("viewer").get(NDA).status_code == 403
    assert as_user("outsider").get(NDA).status_code == 404
    assert as_user(None).get(NDA).status_code == 404  # a private provider, as elsewhere


def test_an_admin_publishes_a_version_audited(provider, as_user, users):
    response = post(as_user("admin"), NDA, {"body": "New terms.", "reason": "renewal"})
    assert response.status_code == 201
    assert response.json()["number"] == 2
    record = AuditRecord.objects.filter(object_type=ObjectType.NDA).latest("seq")
    assert record.after == {"number": 2, "sha256": nda_current(provider).sha256}
    assert record.reason == "renewal"


def test_publishing_is_for_admins_only(provider, as_user):
    assert post(as_user("trust_manager"), NDA, {"body": "Other."}).status_code == 403
    assert post(as_user("viewer"), NDA, {"body": "Other."}).status_code == 403
    assert post(as_user("outsider"), NDA, {"body": "Other."}).status_code == 404
    assert Nda.objects.filter(provider=provider).count() == 1


def test_an_identical_or_empty_body_is_a_400_with_a_reason(provider, as_user):
    client = as_user("admin")
    same = post(client, NDA, {"body": TERMS})
    assert same.status_code == 400
    assert "nothing changed" in str(same.json()["error"])
    assert post(client, NDA, {"body": ""}).status_code == 400
    assert post(client, NDA, {"body": "x", "typo": 1}).status_code == 400
    assert Nda.objects.filter(provider=provider).count() == 1


def test_a_waiting_reader_gets_404_saying_where_the_nda_is(reader):
    response = reader.get(f"{API}/versions/")
    assert response.status_code == 404
    assert "/trust/singlestore/nda/" in response.json()["error"]["message"]
    assert reader.get(f"{API}/").status_code == 404


def test_a_reader_reads_and_accepts_the_current_nda(reader, grant, provider):
    current = reader.get(ACCEPT).json()
    nda = nda_current(provider)
    assert current["number"] == nda.number
    assert current["sha256"] == nda.sha256
    assert current["body"] == TERMS
    assert current["accepted_at"] is None
    response = post(reader, ACCEPT, {"number": current["number"], "sha256": current["sha256"]})
    assert response.status_code == 201
    body = response.json()
    assert body["nda"] == 1
    assert body["sha256"] == nda.sha256
    assert body["ip_address"] == "198.51.100.7"
    assert body["company"] == "Acme Corp"
    assert reader.get(f"{API}/versions/").status_code == 200
    assert reader.get(ACCEPT).json()["accepted_at"] is not None


def test_a_late_acceptance_of_an_old_version_is_refused(reader, provider, users):
    old = nda_current(provider)
    publish_nda(provider, users["admin"], "Newer terms.")
    response = post(reader, ACCEPT, {"number": old.number, "sha256": old.sha256})
    assert response.status_code == 400
    assert "A newer NDA was published" in response.json()["error"]["message"]
    wrong = post(reader, ACCEPT, {"number": 2, "sha256": old.sha256})
    assert wrong.status_code == 400
    assert post(reader, ACCEPT, {"number": 9, "sha256": old.sha256}).status_code == 400
    assert not NdaAcceptance.objects.exists()


def test_someone_without_a_grant_cannot_accept(provider, as_user):
    nda = nda_current(provider)
    data = {"number": nda.number, "sha256": nda.sha256}
    assert post(as_user("outsider"), ACCEPT, data).status_code == 404
    assert as_user("outsider").get(ACCEPT).status_code == 404
    assert post(as_user("trust_manager"), ACCEPT, data).status_code == 404
    assert post(as_user(None), ACCEPT, data).status_code == 401
    assert not NdaAcceptance.objects.exists()


def test_trust_managers_list_the_acceptances(reader, grant, provider, as_user):
    nda = nda_current(provider)
    post(reader, ACCEPT, {"number": nda.number, "sha256": nda.sha256})
    listing = as_user("trust_manager").get(ACCEPTANCES)
    assert listing.status_code == 200
    (row,) = listing.json()["results"]
    assert row["email"] == "reader@acme.example"
    assert row["name"] == "Rita Reader"
    assert row["nda"] == 1
    assert as_user("viewer").get(ACCEPTANCES).status_code == 403
    assert as_user("outsider").get(ACCEPTANCES).status_code == 404
