"""The audit log, access grants, imports and visibility over the API."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.access import roles_of
from accounts.roles import Role
from audit.models import AuditRecord
from matrices.exchange.files import write_csv
from matrices.exchange.longformat import rows_from_snapshot
from matrices.models import Offering, Provider
from matrices.snapshot import snapshot_build
from tests.factories import state

pytestmark = pytest.mark.django_db

API = "/api/v1/providers/singlestore"


def test_an_auditor_reads_the_log_newest_first_in_keyset_pages(as_user):
    client = as_user("auditor")
    first = client.get(f"{API}/audit/", {"page_size": 5}).json()
    seqs = [record["seq"] for record in first["results"]]
    assert len(seqs) == 5
    assert seqs == sorted(seqs, reverse=True)
    second = client.get(first["next"]).json()
    assert max(r["seq"] for r in second["results"]) < min(seqs)
    record = AuditRecord.objects.get(seq=seqs[0])
    assert first["results"][0]["hash"] == record.hash


def test_the_log_filters_like_the_log_page_and_refuses_bad_filters(as_user):
    client = as_user("auditor")
    cells = client.get(f"{API}/audit/", {"object_type": "cell", "page_size": 200}).json()
    assert cells["results"]
    assert {r["object_type"] for r in cells["results"]} == {"cell"}
    bad = client.get(f"{API}/audit/", {"date_from": "2026-02-30"})
    assert bad.status_code == 400
    assert "date_from" in bad.json()["error"]["details"]
    assert client.get(f"{API}/audit/", {"page_size": 0}).status_code == 400


def test_the_log_exports_as_csv_and_json_with_the_same_filters(as_user):
    client = as_user("auditor")
    csv = client.get(f"{API}/audit/export.csv", {"object_type": "cell"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv.streaming_content).decode().strip().splitlines()
    expected = AuditRecord.objects.filter(provider__slug="singlestore", object_type="cell").count()
    assert len(lines) == expected + 1
    body = json.loads(b"".join(client.get(f"{API}/audit/export.json").streaming_content))
    assert body["provider"] == "singlestore"
    assert client.get(f"{API}/audit/export.xml").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), (None, 401), ("outsider", 403)])
def test_the_log_is_for_auditors_editors_approvers_and_admins(as_user, who, status):
    assert as_user(who).get(f"{API}/audit/").status_code == status
    assert as_user(who).get(f"{API}/audit/export.csv").status_code == status


def test_the_site_log_is_for_site_administrators(as_user):
    assert as_user("admin").get("/api/v1/audit/").status_code == 403
    assert as_user(None).get("/api/v1/audit/").status_code == 401
    assert as_user("superuser").get("/api/v1/audit/").json()["results"]


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


def without_self_managed() -> bytes:
    rows = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore")))
    return write_csv([r for r in rows if r["offering"] != "SingleStore Self-managed"])


def post_import(client, content: bytes, **fields):
    return client.post(
        f"{API}/import/", {"file": SimpleUploadedFile("matrix.csv", content), **fields}
    )


def test_an_import_dry_run_writes_nothing_then_applying_it_does(as_user):
    client = as_user("editor")
    before = state()
    plan = post_import(client, without_self_managed()).json()
    assert plan["applied"] is False
    assert "offering “SingleStore Self-managed”" in plan["axes_removed"]
    assert plan["removed"]
    assert state() == before
    applied = post_import(
        client, without_self_managed(), apply="true", expected_hash=plan["base_hash"], reason="sync"
    )
    assert applied.status_code == 200
    assert applied.json()["applied"] is True
    assert not Offering.objects.filter(name="SingleStore Self-managed").exists()
    assert AuditRecord.objects.filter(reason="sync", object_type="offering").exists()


def test_an_import_against_a_changed_draft_is_a_409(as_user):
    client = as_user("editor")
    before = state()
    response = post_import(client, without_self_managed(), apply="true", expected_hash="0" * 64)
    assert response.status_code == 409
    assert "changed since the dry run" in response.json()["error"]["message"]
    assert state() == before


def test_a_bad_file_is_a_400_listing_each_problem_with_row_and_column(as_user):
    bad = (
        b"domain,offering,offering_kind,party,party_role,ownership,duty\r\n"
        b"Keys,Hosted,rented,Customer,customer,shared,Rotate.\r\n"
    )
    client = as_user("editor")
    before = state()
    response = post_import(client, bad)
    assert response.status_code == 400
    problem = response.json()["error"]["details"][0]
    assert (problem["file"], problem["row"], problem["column"]) == (
        "matrix.csv",
        2,
        "offering_kind",
    )
    assert post_import(client, without_self_managed(), apply="true").status_code == 400
    assert state() == before


def test_only_editors_import(as_user):
    assert post_import(as_user("viewer"), without_self_managed()).status_code == 403
    assert post_import(as_user(None), without_self_managed()).status_code == 401


def test_a_provider_admin_changes_visibility_with_the_version_they_saw(as_user):
    provider = Provider.objects.get(slug="singlestore")
    client = as_user("admin")
    stale = client.patch(
        f"{API}/",
        {"visibility": "private", "version": provider.version + 5},
        content_type="application/json",
    )
    assert stale.status_code == 409
    changed = client.patch(
        f"{API}/",
        {"visibility": "private", "version": provider.version, "reason": "embargo"},
        content_type="application/json",
    )
    assert changed.json()["visibility"] == "private"
    assert (
        as_user("editor")
        .patch(
            f"{API}/",
            {"visibility": "public", "version": provider.version + 1},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_a_site_administrator_creates_a_provider_from_the_template(as_user, users):
    response = as_user("superuser").post(
        "/api/v1/providers/",
        {"name": "Acme Data", "template": "template", "reason": "onboarding"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (response.json()["slug"], response.json()["published_version"]) == ("acme-data", None)
    acme = Provider.objects.get(slug="acme-data")
    template = Provider.objects.get(slug="template")
    assert acme.cells.count() == template.cells.count() > 0
    assert roles_of(users["superuser"], acme) == {Role.ADMIN}
    assert AuditRecord.objects.filter(provider=acme, reason="onboarding").count() > 1


def test_a_provider_created_from_a_file_holds_the_file(as_user):
    response = as_user("superuser").post(
        "/api/v1/providers/from-file/",
        {
            "name": "Copy",
            "slug": "copy",
            "file": SimpleUploadedFile("m.csv", without_self_managed()),
        },
    )
    assert response.status_code == 201
    copied = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="copy")))
    assert write_csv(copied) == without_self_managed()


def test_creating_a_provider_refuses_bad_input_and_non_administrators(as_user):
    root = as_user("superuser")
    before = (Provider.objects.count(), AuditRecord.objects.count())
    taken = root.post(
        "/api/v1/providers/", {"name": "X", "slug": "singlestore"}, content_type="application/json"
    )
    assert taken.status_code == 400
    no_template = root.post(
        "/api/v1/providers/", {"name": "X", "template": "nope"}, content_type="application/json"
    )
    assert "template" in no_template.json()["error"]["details"]
    bad_file = root.post(
        "/api/v1/providers/from-file/",
        {"name": "X", "file": SimpleUploadedFile("m.csv", b"domain,offering\r\nA,B\r\n")},
    )
    assert bad_file.status_code == 400
    form_encoded = root.post("/api/v1/providers/", {"name": "X"})  # multipart, not JSON
    assert form_encoded.status_code == 415
    assert (Provider.objects.count(), AuditRecord.objects.count()) == before
    refused = as_user("admin").post(
        "/api/v1/providers/", {"name": "X"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Provider.objects.count() == before[0]
