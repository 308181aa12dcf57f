"""Exports honour permissions and versions: published by default, the draft for its editors."""

from __future__ import annotations

import json

import pytest

from matrices.exchange.files import read_csv, read_xlsx
from matrices.exchange.longformat import parse_rows
from matrices.models import Provider
from tests.factories import customer_duty_set

pytestmark = pytest.mark.django_db

URL = "/providers/singlestore/export.{}"


def test_the_public_csv_is_the_latest_version_and_parses_back(as_user):
    response = as_user(None).get(URL.format("csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="singlestore-1.csv"'
    rows = read_csv(response.content, filename="x.csv")
    parsed = parse_rows(rows, source="x.csv")
    assert len(parsed.domains) == 15
    assert len(parsed.cells) == 45


def test_the_xlsx_and_json_exports_hold_the_same_matrix(as_user):
    client = as_user(None)
    xlsx = parse_rows(
        read_xlsx(client.get(URL.format("xlsx")).content, filename="x.xlsx"), source="x.xlsx"
    )
    body = json.loads(client.get(URL.format("json")).content)
    assert len(xlsx.cells) == len(body["matrix"]["cells"]) == 45
    assert (body["version"], body["draft"]) == (1, False)
    assert body["snapshot_hash"] == Provider.objects.get(slug="singlestore").published.snapshot_hash


def test_the_draft_export_is_for_its_editors_only(as_user, users):
    customer_duty_set(users["editor"], "=HYPERLINK(1)")
    assert as_user("viewer").get(URL.format("csv"), {"version": "draft"}).status_code == 403
    assert as_user(None).get(URL.format("csv"), {"version": "draft"}).status_code == 302
    draft = as_user("editor").get(URL.format("csv"), {"version": "draft"}).content.decode()
    assert "'=HYPERLINK" in draft  # neutralised for spreadsheets
    published = as_user("editor").get(URL.format("csv")).content.decode()
    assert "HYPERLINK" not in published


def test_exports_of_a_private_provider_are_404_to_outsiders(as_user):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    for fmt in ("csv", "xlsx", "json"):
        assert as_user("outsider").get(URL.format(fmt)).status_code == 404


def test_an_unknown_format_is_404(as_user):
    assert as_user(None).get(URL.format("docx")).status_code == 404
