"""The audit log, access grants, imports and visibility over the API."""

from __future__ import annotations

import pytest

from accounts.access import roles_of
from accounts.roles import Role
from audit.models import AuditRecord
from matrices.models import Provider
from tests.factories import state

pytestmark = pytest.mark.django_db


API = "/api/v1/providers/singlestore"


def test_a_provider_admin_grants_and_revokes_a_role_with_a_reason(as_user, users):
    client = as_user("admin")
    listing = client.get(f"{API}/access/").json()
    assert {"kind": "user", "name": "demo-editor", "role": "editor"} in listing
    granted = client.post(
        f"{API}/access/",
        {"kind": "user", "name": "outsider", "role": "editor", "reason": "joined"},
        content_type="application/json",
    )
    assert granted.status_code == 200
    provider = Provider.objects.get(slug="singlestore")
    assert roles_of(users["outsider"], provider) == {Role.EDITOR}
    record = AuditRecord.objects.order_by("-seq").first()
    assert (record.action, record.reason) == ("grant", "joined")
    revoked = client.delete(f"{API}/access/user/outsider/?reason=left")
    assert revoked.status_code == 204
    users["outsider"].__dict__.pop("_provider_roles", None)
    assert roles_of(users["outsider"], provider) == set()


def test_access_is_for_provider_admins_and_names_must_exist(as_user):
    assert as_user("editor").get(f"{API}/access/").status_code == 403
    client = as_user("admin")
    before = state()
    unknown = client.post(
        f"{API}/access/",
        {"kind": "user", "name": "nobody", "role": "viewer"},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    assert client.delete(f"{API}/access/robot/x/").status_code == 404
    assert state() == before


def test_the_last_provider_admin_cannot_be_revoked(as_user):
    client = as_user("admin")
    before = state()
    response = client.delete(f"{API}/access/user/demo-admin/")
    assert response.status_code == 400
    assert "last provider admin" in response.json()["error"]["message"]
    assert state() == before
