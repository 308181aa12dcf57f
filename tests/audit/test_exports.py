"""CSV and JSON exports of the audit log: filtered, streamed, permission-checked, defused."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone

from audit import exports
from audit.chain import record_hash
from audit.exports import CSV_COLUMNS, neutralise
from audit.models import AuditRecord
from tests.audit.records import record_append

pytestmark = pytest.mark.django_db

CSV_URL = "/providers/singlestore/audit/export.csv"
JSON_URL = "/providers/singlestore/audit/export.json"
SITE_CSV_URL = "/audit/export.csv"
SITE_JSON_URL = "/audit/export.json"


def body_of(response) -> str:
    assert response.status_code == 200, response.status_code
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body_of(response))))


def json_of(response) -> dict:
    return json.loads(body_of(response))


def seqs_of(provider, **filters) -> list[int]:
    records = AuditRecord.objects.filter(provider=provider, **filters)
    return list(records.order_by("seq").values_list("seq", flat=True))


# Neutralising formulas


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example","x")', "@SUM(A1:A2)", "+1", "-1", "\tTab", "\rCR"],
)
def test_neutralise_defuses_every_formula_prefix(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(("value", "cell"), [("1+1", "1+1"), ("a=b", "a=b"), (None, ""), (7, "7")])
def test_neutralise_leaves_harmless_values_alone(value, cell):
    assert neutralise(value) == cell


def test_the_csv_neutralises_formulas_in_reasons_and_labels(as_user, singlestore):
    hostile_reasons = ['=HYPERLINK("http://evil.example","click")', "@SUM(A1:A9)", "+1", "-1"]
    for reason in hostile_reasons:
        record_append(provider=singlestore, object_id="formula", reason=reason)
    # audit_append strips reasons, so leading tab and CR arrive through labels.
    for label in ["\tcmd|' /C calc'!A0", "\r=1+1"]:
        record_append(provider=singlestore, object_id="formula", object_label=label)

    rows = csv_rows(as_user("auditor").get(CSV_URL, {"object_id": "formula"}))

    assert [row["reason"] for row in rows[:4]] == [f"'{reason}" for reason in hostile_reasons]
    assert [row["object_label"] for row in rows[4:]] == ["'\tcmd|' /C calc'!A0", "'\r=1+1"]
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


# Content


def test_the_csv_has_the_documented_columns_and_one_row_per_record(as_user, singlestore, users):
    record = record_append(
        provider=singlestore,
        object_id="42",
        object_label="Helios",
        before={"name": "Helios", "kind": "saas"},
        after={"name": "Helios Cloud", "kind": "paas"},
        reason="Renamed",
        actor=users["editor"],
    )
    response = as_user("auditor").get(CSV_URL)
    body = body_of(response)
    rows = list(csv.DictReader(io.StringIO(body)))

    assert body.splitlines()[0].split(",") == CSV_COLUMNS
    assert [int(row["seq"]) for row in rows] == seqs_of(singlestore)
    row = rows[-1]
    assert row["seq"] == str(record.seq)
    assert row["created_at"] == record.created_at.isoformat()
    assert row["actor"] == "demo-editor"
    assert row["provider"] == singlestore.name
    assert row["changed_fields"] == "kind;name"
    assert json.loads(row["before"]) == {"name": "Helios", "kind": "saas"}
    assert json.loads(row["after"]) == {"name": "Helios Cloud", "kind": "paas"}
    assert row["hash"] == record.hash
    assert row["prev_hash"] == record.prev_hash


def test_the_csv_honours_the_filters(as_user, singlestore):
    rows = csv_rows(as_user("auditor").get(CSV_URL, {"action": "grant"}))
    assert [int(row["seq"]) for row in rows] == seqs_of(singlestore, action="grant")
    assert {row["action"] for row in rows} == {"grant"}


def test_the_json_export_parses_and_holds_the_filtered_records(as_user, singlestore):
    document = json_of(as_user("auditor").get(JSON_URL, {"action": "create", "q": "Helios"}))

    expected = seqs_of(singlestore, action="create", object_label__icontains="helios")
    assert expected
    assert document["provider"] == "singlestore"
    assert document["filters"] == {"action": "create", "q": "Helios"}
    assert abs(timezone.now() - datetime.fromisoformat(document["exported_at"])) < timedelta(
        minutes=1
    )
    assert [record["seq"] for record in document["records"]] == expected
    assert {record["action"] for record in document["records"]} == {"create"}


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_an_export_streams_in_batches_not_as_one_document(as_user, singlestore, monkeypatch, url):
    monkeypatch.setattr(exports, "BATCH", 10)
    response = as_user("auditor").get(url)
    assert response.status_code == 200
    chunks = list(response.streaming_content)
    count = len(seqs_of(singlestore))
    assert len(chunks) >= count // 10 + 2  # head, a chunk per 10 records (and the tail)
    body = b"".join(chunks).decode()
    if url == JSON_URL:
        assert list(json.loads(body)) == ["provider", "exported_at", "filters", "records"]
        assert len(json.loads(body)["records"]) == count
    else:
        assert len(list(csv.DictReader(io.StringIO(body)))) == count


def test_the_json_export_carries_every_hashed_field_so_it_verifies_offline(as_user, singlestore):
    record_append(provider=singlestore, object_id="7", before={"a": 1}, after={"a": 2})
    document = json_of(as_user("auditor").get(JSON_URL))
    for entry in document["records"][-3:]:
        values = {**entry, "actor_label": entry["actor"], "provider_label": entry["provider"]}
        assert record_hash(values) == entry["hash"]


def test_the_json_export_lists_its_date_filters_as_iso_dates(as_user):
    document = json_of(
        as_user("auditor").get(JSON_URL, {"date_from": "2020-01-01", "date_to": "2020-01-31"})
    )
    assert document["filters"] == {"date_from": "2020-01-01", "date_to": "2020-01-31"}
    assert document["records"] == []


@pytest.mark.parametrize(("url", "kind"), [(CSV_URL, "csv"), (JSON_URL, "json")])
def test_an_export_downloads_as_a_file_named_for_the_provider_and_the_day(as_user, url, kind):
    response = as_user("auditor").get(url)
    body_of(response)
    today = timezone.now().date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-singlestore-{today}.{kind}"'
    )
    assert response["Cache-Control"] == "no-store"


def test_the_site_export_names_the_whole_site(as_user):
    response = as_user("superuser").get(SITE_CSV_URL)
    body_of(response)
    assert 'filename="audit-site-' in response["Content-Disposition"]


# Permissions and invalid input


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_an_export_is_refused_to_a_viewer(as_user, url):
    response = as_user("viewer").get(url)
    assert response.status_code == 403
    assert not isinstance(response, StreamingHttpResponse)


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL, SITE_CSV_URL, SITE_JSON_URL])
def test_an_export_sends_anonymous_visitors_to_sign_in(as_user, url):
    response = as_user(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize("slug", ["clickhouse"])
def test_an_export_of_another_providers_log_is_refused(as_user, slug):
    assert as_user("auditor").get(f"/providers/{slug}/audit/export.csv").status_code == 403


@pytest.mark.parametrize("url", [SITE_CSV_URL, SITE_JSON_URL])
def test_the_site_exports_are_for_superusers_only(as_user, url):
    assert as_user("auditor").get(url).status_code == 403
    document = body_of(as_user("superuser").get(url))
    assert document


def test_the_site_json_export_holds_every_providers_records(as_user):
    document = json_of(as_user("superuser").get(SITE_JSON_URL))
    assert document["provider"] is None
    assert [r["seq"] for r in document["records"]] == list(
        AuditRecord.objects.order_by("seq").values_list("seq", flat=True)
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2024-02-30"}, "From: Enter a valid date."),
        ({"action": "explode"}, "Action: Select a valid choice."),
    ],
)
@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_an_export_answers_400_to_invalid_filters(as_user, url, params, message):
    response = as_user("auditor").get(url, params)
    assert response.status_code == 400
    assert message in response.content.decode()
