"""The trust center over the API: settings, the queue and its decisions, readers' grants,
for the provider's admins and trust managers only (404 for outsiders, 403 for the other
roles); the public page's data for anyone who may see the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditRecord, ObjectType
from matrices.models import Provider
from tests.trust.access_kit import REQUESTER, pending_request, private_with_trust_center, records
from trust.models import AccessGrant, AccessRequest, TrustCenter
from trust.requests import access_request_approve

pytestmark = pytest.mark.django_db

API = "/api/v1/providers/singlestore/trust/"


@pytest.fixture
def provider(db) -> Provider:
    return private_with_trust_center()


@pytest.fixture
def made(provider) -> AccessRequest:
    return pending_request(provider)


@pytest.fixture
def grant(made, users) -> AccessGrant:
    return access_request_approve(
        actor=users["admin"], access_request=made, expires_at=timezone.now() + timedelta(days=3)
    )


def soon(days: int = 2) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


READS = ["", "requests/", "grants/"]


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("trust_manager", 200),
        ("admin", 200),
        ("editor", 403),
        ("viewer", 403),
        ("outsider", 404),
        (None, 404),
    ],
)
def test_reads_are_for_admins_and_trust_managers(as_user, provider, path, who, status):
    assert as_user(who).get(API + path).status_code == status


def test_a_visitor_writing_is_asked_to_sign_in(client, made):
    response = client.post(
        f"{API}requests/{made.pk}/deny/", {"reason": "no"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING


def test_the_settings_read_and_change_audited(as_user, provider):
    client = as_user("trust_manager")
    assert client.get(API).json()["enabled"] is True
    response = client.patch(
        API,
        {"default_days": 20, "auto_approve_domains": ["Bank.Example"], "reason": "api"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["auto_approve_domains"] == ["bank.example"]
    assert TrustCenter.objects.get(provider=provider).default_days == 20
    (record,) = records(ObjectType.TRUST_CENTER, "update")
    assert record.after["default_days"] == 20
    assert record.reason == "api"


@pytest.mark.parametrize(
    "body",
    [
        {"default_days": 0},
        {"default_days": 10_000},
        {"auto_approve_domains": ["not a domain"]},
        {"unknown": 1},
    ],
)
def test_bad_settings_answer_400_and_change_nothing(as_user, provider, body):
    client = as_user("admin")
    before = AuditRecord.objects.count()
    response = client.patch(API, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert AuditRecord.objects.count() == before


def test_an_editor_cannot_change_the_settings(as_user, provider):
    response = as_user("editor").patch(API, {"enabled": False}, content_type="application/json")
    assert response.status_code == 403
    assert TrustCenter.objects.get(provider=provider).enabled


def test_the_requests_filter_by_status(as_user, made, provider):
    pending_request(provider, "grace@insure.example")
    client = as_user("trust_manager")
    body = client.get(f"{API}requests/?status=pending").json()
    assert {row["email"] for row in body["results"]} == {REQUESTER, "grace@insure.example"}
    assert client.get(f"{API}requests/?status=denied").json()["results"] == []
    assert client.get(f"{API}requests/?status=nonsense").status_code == 400


def test_approve_through_the_api(as_user, made, users):
    client = as_user("trust_manager")
    response = client.post(
        f"{API}requests/{made.pk}/approve/",
        {"expires_at": soon(), "offerings": ["helios"], "reason": "prospect"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["offerings"] == ["helios"]
    made.refresh_from_db()
    assert made.status == AccessRequest.Status.APPROVED
    assert len(records(ObjectType.ACCESS_REQUEST, "approve")) == 1
    client.force_login(made.user)
    assert client.get("/api/v1/providers/singlestore/").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"expires_at": soon(-1)},
        {"expires_at": soon(400)},
        {"expires_at": soon(), "offerings": ["no-such-offering"]},
        {"offerings": []},
    ],
)
def test_a_bad_approval_answers_400_and_writes_nothing(as_user, made, body):
    client = as_user("admin")
    before = AuditRecord.objects.count()
    response = client.post(
        f"{API}requests/{made.pk}/approve/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert AuditRecord.objects.count() == before
    assert not AccessGrant.objects.exists()


def test_deny_through_the_api_needs_a_reason(as_user, made):
    client = as_user("trust_manager")
    url = f"{API}requests/{made.pk}/deny/"
    assert client.post(url, {}, content_type="application/json").status_code == 400
    response = client.post(url, {"reason": "Customers only."}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "denied"
    assert len(records(ObjectType.ACCESS_REQUEST, "deny")) == 1
    again = client.post(url, {"reason": "again"}, content_type="application/json")
    assert again.status_code == 400
    assert "already denied" in again.json()["error"]["message"]


def test_an_editor_cannot_decide(as_user, made):
    response = as_user("editor").post(
        f"{API}requests/{made.pk}/deny/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert AccessRequest.objects.get().status == AccessRequest.Status.PENDING


def test_grants_list_extend_and_revoke(as_user, grant):
    client = as_user("trust_manager")
    (row,) = client.get(f"{API}grants/").json()["results"]
    assert row["email"] == REQUESTER
    assert row["live"] is True
    response = client.patch(
        f"{API}grants/{grant.pk}/", {"expires_at": soon(30)}, content_type="application/json"
    )
    assert response.status_code == 200
    assert len(records(ObjectType.ACCESS_GRANT, "extend")) == 1
    assert (
        client.post(
            f"{API}grants/{grant.pk}/revoke/", {}, content_type="application/json"
        ).status_code
        == 400
    )
    response = client.post(
        f"{API}grants/{grant.pk}/revoke/", {"reason": "ended"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["live"] is False
    assert len(records(ObjectType.ACCESS_GRANT, "revoke")) == 1
    again = client.patch(
        f"{API}grants/{grant.pk}/", {"expires_at": soon(30)}, content_type="application/json"
    )
    assert again.status_code == 400


def test_a_grant_of_another_provider_is_not_found(as_user, grant):
    private_with_trust_center("clickhouse")
    response = as_user("superuser").get(f"/api/v1/providers/clickhouse/trust/grants/{grant.pk}/")
    assert response.status_code == 404


def test_the_public_page_data_follows_the_page_rule(client, provider):
    assert client.get("/api/v1/trust/singlestore/").status_code == 200
    TrustCenter.objects.filter(provider=provider).update(enabled=False)
    assert client.get("/api/v1/trust/singlestore/").status_code == 404
    assert client.get("/api/v1/trust/clickhouse/").status_code == 200  # public
    assert client.get("/api/v1/trust/no-such/").status_code == 404
