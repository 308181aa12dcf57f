"""The audit log, access grants, imports and visibility over the API."""

from __future__ import annotations

import json

import pytest

from audit.models import AuditRecord

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
