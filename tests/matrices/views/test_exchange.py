"""The import page: upload, dry run, apply; bad files write nothing and say why."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matrices.exchange.files import read_csv, read_xlsx, write_csv
from matrices.exchange.longformat import parse_rows, rows_from_snapshot
from matrices.models import ImportJob, Provider
from matrices.snapshot import snapshot_build
from tests.factories import customer_duty_set, draft_hash, state

pytestmark = pytest.mark.django_db


URL = "/providers/singlestore/import/"


def csv_without_self_managed() -> bytes:
    rows = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore")))
    return write_csv([r for r in rows if r["offering"] != "SingleStore Self-managed"])


def upload(client, content: bytes, name: str = "matrix.csv"):
    return client.post(
        URL, {"step": "dry-run", "reason": "sync", "file": SimpleUploadedFile(name, content)}
    )


def test_a_dry_run_then_apply_imports_the_file_and_shows_how_it_went(as_user, tasks_in_process):
    client = as_user("editor")
    dry = upload(client, csv_without_self_managed())
    html = dry.content.decode()
    assert dry.status_code == 200
    assert "removed</span> offering “SingleStore Self-managed”" in html
    expected = html.split('name="expected_hash" value="')[1].split('"')[0]
    assert expected == draft_hash("singlestore")  # the dry run wrote nothing
    applied = client.post(URL, {"step": "apply", "expected_hash": expected, "reason": "sync"})
    assert applied.status_code == 302
    job = ImportJob.objects.get()
    assert applied["Location"] == reverse("matrices:import_job", args=["singlestore", job.pk])
    page = client.get(applied["Location"]).content.decode()
    assert "Imported matrix.csv" in page
    assert "removed offering “SingleStore Self-managed”" in page
    assert "hx-trigger" not in page  # finished: it no longer polls
    # The draft is now exactly what the file says.
    imported = write_csv(
        rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore")))
    )
    assert imported == csv_without_self_managed()


def test_a_queued_import_says_once_that_it_waits_for_a_worker_and_polls(as_user, users):
    job = ImportJob.objects.create(
        provider=Provider.objects.get(slug="singlestore"),
        requested_by=users["editor"],
        filename="matrix.csv",
        file="imports/singlestore/matrix.csv",
        expected_hash="0" * 64,
    )
    url = reverse("matrices:import_job", args=["singlestore", job.pk])
    html = as_user("editor").get(url).content.decode()
    assert html.count("Waiting for a worker") == 1
    assert f'hx-get="{url}"' in html
    assert '<progress max="100" value="0"' in html


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
    before = state()
    response = client.post(URL, {"step": "apply", "expected_hash": "0" * 64, "reason": "x"})
    assert response.status_code == 409
    assert "changed since the dry run" in response.content.decode()
    assert state() == before


def test_only_editors_may_import(as_user):
    assert upload(as_user("viewer"), csv_without_self_managed()).status_code == 403
    assert as_user(None).get(URL).status_code == 302


EXPORT_URL = "/providers/singlestore/export.{}"


def test_the_public_csv_is_the_latest_version_and_parses_back(as_user):
    response = as_user(None).get(EXPORT_URL.format("csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="singlestore-1.csv"'
    rows = read_csv(response.content, filename="x.csv")
    parsed = parse_rows(rows, source="x.csv")
    assert len(parsed.domains) == 15
    assert len(parsed.cells) == 45


def test_the_xlsx_and_json_exports_hold_the_same_matrix(as_user):
    client = as_user(None)
    xlsx = parse_rows(
        read_xlsx(client.get(EXPORT_URL.format("xlsx")).content, filename="x.xlsx"), source="x.xlsx"
    )
    body = json.loads(client.get(EXPORT_URL.format("json")).content)
    assert len(xlsx.cells) == len(body["matrix"]["cells"]) == 45
    assert (body["version"], body["draft"]) == (1, False)
    assert body["snapshot_hash"] == Provider.objects.get(slug="singlestore").published.snapshot_hash


def test_the_draft_export_is_for_its_editors_only(as_user, users):
    customer_duty_set(users["editor"], "=HYPERLINK(1)")
    assert as_user("viewer").get(EXPORT_URL.format("csv"), {"version": "draft"}).status_code == 403
    assert as_user(None).get(EXPORT_URL.format("csv"), {"version": "draft"}).status_code == 302
    draft = as_user("editor").get(EXPORT_URL.format("csv"), {"version": "draft"}).content.decode()
    assert "'=HYPERLINK" in draft  # neutralised for spreadsheets
    published = as_user("editor").get(EXPORT_URL.format("csv")).content.decode()
    assert "HYPERLINK" not in published


def test_exports_of_a_private_provider_are_404_to_outsiders(as_user):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    for fmt in ("csv", "xlsx", "json"):
        assert as_user("outsider").get(EXPORT_URL.format(fmt)).status_code == 404


def test_an_unknown_format_is_404(as_user):
    assert as_user(None).get(EXPORT_URL.format("docx")).status_code == 404


def test_the_done_page_links_to_the_records_of_that_import_even_without_a_reason(
    as_user, tasks_in_process
):
    client = as_user("editor")
    customer_duty_set(None, "Recorded before the import.")  # another change, not the import's
    dry = client.post(
        URL, {"step": "dry-run", "file": SimpleUploadedFile("m.csv", csv_without_self_managed())}
    ).content.decode()
    expected = dry.split('name="expected_hash" value="')[1].split('"')[0]
    applied = client.post(URL, {"step": "apply", "expected_hash": expected})
    page = client.get(applied["Location"]).content.decode()
    assert "because:" not in page  # no reason given
    link = page.split('href="/providers/singlestore/audit/?')[1].split('"')[0]
    log = client.get(f"/providers/singlestore/audit/?{link.replace('&amp;', '&')}")
    html = log.content.decode()
    assert "SingleStore Self-managed" in html  # the import removed that offering
    assert "Recorded before the import." not in html
