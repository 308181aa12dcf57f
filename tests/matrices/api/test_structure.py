"""Writing the draft over the API: the same services, audit records, roles and 409s as the pages."""

from __future__ import annotations

import pytest

from audit.models import AuditRecord
from matrices.models import ControlDomain, Offering
from tests.factories import state

pytestmark = pytest.mark.django_db


API = "/api/v1/providers/singlestore"


def test_an_editor_adds_renames_moves_and_deletes_an_offering(as_user):
    client = as_user("editor")
    created = client.post(
        f"{API}/offerings/",
        {"name": "Edge", "slug": "edge", "kind": "managed", "reason": "new SKU"},
        content_type="application/json",
    )
    assert created.status_code == 201
    edge = created.json()
    record = AuditRecord.objects.get(object_type="offering", object_id=str(edge["id"]))
    assert (record.action, record.reason, record.after["name"]) == ("create", "new SKU", "Edge")
    url = f"{API}/offerings/{edge['id']}/"
    renamed = client.patch(
        url, {"name": "Edge Cloud", "version": edge["version"]}, content_type="application/json"
    )
    assert renamed.json()["name"] == "Edge Cloud"
    moved = client.patch(
        url, {"position": 0, "version": renamed.json()["version"]}, content_type="application/json"
    )
    assert moved.status_code == 200
    assert (
        Offering.objects.filter(provider__slug="singlestore").order_by("position")[0].slug == "edge"
    )
    stale = client.delete(f"{url}?version={edge['version']}")
    assert stale.status_code == 409
    deleted = client.delete(f"{url}?version={moved.json()['version']}&reason=dropped")
    assert deleted.status_code == 204
    assert not Offering.objects.filter(slug="edge").exists()


def test_a_duplicate_slug_or_a_missing_version_is_a_400_and_nothing_changes(as_user):
    client = as_user("editor")
    before = state()
    duplicate = client.post(
        f"{API}/domains/", {"name": "Again", "slug": "compliance"}, content_type="application/json"
    )
    assert duplicate.status_code == 400
    assert "Slug already exists" in duplicate.json()["error"]["message"]
    domain = ControlDomain.objects.get(provider__slug="singlestore", slug="compliance")
    unversioned = client.patch(
        f"{API}/domains/{domain.pk}/", {"name": "Renamed"}, content_type="application/json"
    )
    assert unversioned.status_code == 400
    assert "version" in unversioned.json()["error"]["details"]
    assert client.delete(f"{API}/domains/{domain.pk}/").status_code == 400
    assert state() == before


def test_another_providers_rows_are_not_reachable_through_this_provider(as_user, elsewhere):
    foreign = Offering.objects.get(provider=elsewhere)
    response = as_user("editor").patch(
        f"{API}/offerings/{foreign.pk}/",
        {"name": "Hijacked", "version": foreign.version},
        content_type="application/json",
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Hosted"
