"""The import page: upload, dry run, apply; bad files write nothing and say why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from matrices.exchange.files import write_csv
from matrices.exchange.longformat import rows_from_snapshot
from matrices.models import Offering, Provider
from matrices.snapshot import snapshot_build

pytestmark = pytest.mark.django_db

URL = "/providers/singlestore/import/"


def csv_without_self_managed() -> bytes:
    rows = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore")))
    return write_csv([r for r in rows if r["offering"] != "SingleStore Self-managed"])


def upload(client, content: bytes, name: str = "matrix.csv"):
    return client.post(
        URL, {"step": "dry-run", "reason": "sync", "file": SimpleUploadedFile(name, content)}
    )


def test_a_dry_run_then_apply_imports_the_file(as_user):
    client = as_user("editor")
    dry = upload(client, csv_without_self_managed())
    html = dry.content.decode()
    assert dry.status_code == 200
    assert "removed</span> offering “SingleStore Self-managed”" in html
    assert Offering.objects.filter(name="SingleStore Self-managed").exists()
    expected = html.split('name="expected_hash" value="')[1].split('"')[0]
    applied = client.post(URL, {"step": "apply", "expected_hash": expected, "reason": "sync"})
    assert applied.status_code == 302
    assert not Offering.objects.filter(name="SingleStore Self-managed").exists()


def test_a_bad_file_lists_precise_problems_and_writes_nothing(as_user):
    before = snapshot_build(Provider.objects.get(slug="singlestore"))
    bad = (
        b"domain,offering,offering_kind,party,party_role,ownership,duty\r\n"
        b"Keys,Hosted,rented,Customer,customer,shared,Rotate.\r\n"
    )
    response = upload(as_user("editor"), bad)
    assert response.status_code == 400
    assert "matrix.csv: row 2, column offering_kind" in response.content.decode()
    assert snapshot_build(Provider.objects.get(slug="singlestore")) == before


def test_a_duty_of_only_raw_html_is_refused_at_the_dry_run_with_its_row(as_user):
    provider = Provider.objects.get(slug="singlestore")
    before = snapshot_build(provider)
    rows = rows_from_snapshot(before)
    rows[0]["duty"] = "<script>x</script>"
    response = upload(as_user("editor"), write_csv(rows))
    assert response.status_code == 400
    assert (
        "matrix.csv: row 2, column duty: raw HTML is removed from duties, and nothing was "
        "left: write the item in Markdown, or mark it [n/a]"
    ) in response.content.decode()
    assert snapshot_build(provider) == before


def test_applying_after_the_draft_changed_is_refused(as_user, users):
    client = as_user("editor")
    upload(client, csv_without_self_managed())
    response = client.post(URL, {"step": "apply", "expected_hash": "0" * 64, "reason": "x"})
    assert response.status_code == 409
    assert "changed since the dry run" in response.content.decode()
    assert Offering.objects.filter(name="SingleStore Self-managed").exists()


def test_only_editors_may_import(as_user):
    assert upload(as_user("viewer"), csv_without_self_managed()).status_code == 403
    assert as_user(None).get(URL).status_code == 302
