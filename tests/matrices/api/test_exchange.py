"""The audit log, access grants, imports and visibility over the API."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tokens import token_create
from audit.models import AuditRecord
from matrices.exchange.files import write_csv
from matrices.exchange.longformat import rows_from_snapshot
from matrices.models import Provider
from matrices.snapshot import snapshot_build
from tests.factories import customer_duty_set, state

pytestmark = pytest.mark.django_db


API = "/api/v1/providers/singlestore"


def without_self_managed() -> bytes:
    rows = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore")))
    return write_csv([r for r in rows if r["offering"] != "SingleStore Self-managed"])


def post_import(client, content: bytes, **fields):
    return client.post(
        f"{API}/import/", {"file": SimpleUploadedFile("matrix.csv", content), **fields}
    )


def test_an_import_dry_run_writes_nothing_then_applying_it_does(as_user, tasks_in_process):
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
    assert applied.status_code == 202
    job = applied.json()
    assert (job["state"], job["progress"]) == ("done", 1.0)
    assert job["summary"]["axes_removed"] == ["offering “SingleStore Self-managed”"]
    assert client.get(job["url"]).json()["state"] == "done"
    imported = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore")))
    assert write_csv(imported) == without_self_managed()
    removed = AuditRecord.objects.get(reason="sync", object_type="offering", action="delete")
    assert removed.before["name"] == "SingleStore Self-managed"


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


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_pulls_the_same_oscal_as_the_page(client, users):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    _, secret = token_create(user=users["auditor"], name="grc pipeline")
    over_api = client.get(f"{API}/export.oscal-ssp.json", **bearer(secret))
    assert over_api.status_code == 200
    assert over_api["Content-Type"] == "application/json"
    client.force_login(users["auditor"])
    on_page = client.get("/providers/singlestore/export.oscal-ssp.json")
    assert over_api.content == on_page.content
    assert json.loads(over_api.content)["system-security-plan"]["metadata"]["title"]


def test_the_draft_is_exported_to_its_readers_only(client, users):
    customer_duty_set(users["editor"], "Only in the draft, exported.")
    _, auditor = token_create(user=users["auditor"], name="a")
    _, viewer = token_create(user=users["viewer"], name="v")
    draft = client.get(f"{API}/export.csv?version=draft", **bearer(auditor))
    assert b"Only in the draft, exported." in draft.content
    refused = client.get(f"{API}/export.csv?version=draft", **bearer(viewer))
    assert refused.status_code == 403
    assert refused.json()["error"]["status"] == 403
    anonymous = client.get(f"{API}/export.csv?version=draft")
    assert anonymous.status_code == 401


def test_an_unknown_format_or_version_is_a_404_error_body(client):
    for url in (f"{API}/export.pdf", f"{API}/export.csv?version=9", f"{API}/export.csv?version=x"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["status"] == 404
