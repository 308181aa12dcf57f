"""The CAIQ-style workbook: one row per domain and offering, CAIQ wording, safe cells."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pytest

from matrices.exchange.caiq import CCM_OWNERSHIP, COLUMNS, SHEET, caiq_rows, caiq_workbook
from matrices.models import Ownership, Provider
from matrices.snapshot import snapshot_hash
from tests.factories import customer_duty_set

DEMO = ("singlestore", "clickhouse", "astronomer", "template")


WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


URL = "/providers/singlestore/export.caiq.xlsx"


HEADERS = [header for header, _width in COLUMNS]


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def records(data: bytes) -> list[dict[str, str]]:
    """The data rows of the CAIQ sheet, by header."""
    rows = list(workbook(data)[SHEET].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return [
        dict(zip(HEADERS, ("" if v is None else v for v in row), strict=True)) for row in rows[1:]
    ]


def build(snapshot: dict, version: str = "1") -> bytes:
    return caiq_workbook(snapshot, version=version, published_at=WHEN, exported_at=WHEN)


@pytest.mark.parametrize("slug", DEMO)
def test_it_writes_one_row_per_domain_and_offering(demo_snapshots, slug):
    snapshot = demo_snapshots[slug]
    rows = records(build(snapshot))
    assert len(rows) == len(snapshot["domains"]) * len(snapshot["offerings"])
    assert [(r["Domain ID"], r["Offering"]) for r in rows] == [
        (d["slug"], o["name"]) for d in snapshot["domains"] for o in snapshot["offerings"]
    ]


def test_it_words_each_cells_ownership_as_caiq_does(demo_snapshots):
    snapshot = demo_snapshots["singlestore"]
    ownership = {(c["domain"], c["offering"]): c["ownership"] for c in snapshot["cells"]}
    expected = [
        CCM_OWNERSHIP[ownership[(d["id"], o["id"])]]
        for d in snapshot["domains"]
        for o in snapshot["offerings"]
    ]
    assert [r["SSRM Control Ownership"] for r in records(build(snapshot))] == expected
    assert set(CCM_OWNERSHIP.values()) == {
        "CSP-owned",
        "CSC-owned",
        "Shared CSP and CSC",
        "3rd-party outsourced",
        "Shared CSP and 3rd-party",
        "NA",
    }
    assert set(CCM_OWNERSHIP) == set(Ownership)


def test_it_puts_provider_duties_in_the_csp_column_and_customer_duties_in_the_csc_column(
    demo_snapshots,
):
    snapshot = demo_snapshots["singlestore"]
    rows = records(build(snapshot))
    helios = next(
        r
        for r in rows
        if (r["Domain ID"], r["Offering"]) == ("cloud-infrastructure", "SingleStore Helios")
    )
    assert helios["CSP Implementation Description"] == (
        "• Provision the requested clusters inside a private network.\n"
        "• Apply any further configuration the user specifies, where the platform offers it."
    )
    assert helios["CSC Responsibilities"] == (
        "Choose the cloud provider, the region and the cluster size."
    )
    assert helios["Third-party Responsibilities"] == ""
    assert "singlestore.com/shared-security-responsibility-model" in helios["Source"]


def test_it_names_the_cloud_provider_in_the_csp_column(demo_snapshots):
    snapshot = demo_snapshots["clickhouse"]
    names = {p["role"]: p["name"] for p in snapshot["parties"]}
    rows = {r["Domain ID"]: r for r in records(build(snapshot))}
    physical = rows["physical-and-environmental-security"]
    assert physical["SSRM Control Ownership"] == "3rd-party outsourced"
    assert physical["CSP Implementation Description"].startswith(f"{names['cloud-provider']}:\n")
    shared = rows["infrastructure-security"]["CSP Implementation Description"]
    assert shared.startswith(f"{names['cloud-provider']}:\nSecure the compute")
    assert f"\n\n{names['provider']}:\nOn top of the CSP's security layers" in shared
    own = rows["identity-and-access-management"]["CSP Implementation Description"]
    assert own.startswith("Manage infrastructure and application identity")


def test_it_styles_the_header_freezes_it_and_wraps_the_text(demo_snapshots):
    sheet = workbook(build(demo_snapshots["singlestore"]))[SHEET]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet["G2"].alignment.wrap_text
    assert sheet.column_dimensions["G"].width == 60


def test_it_has_an_about_sheet_naming_the_provider_version_and_hash(demo_snapshots):
    snapshot = demo_snapshots["singlestore"]
    about = dict(workbook(build(snapshot, version="3"))["About"].iter_rows(values_only=True))
    assert about["Provider"] == "SingleStore"
    assert about["Version"] == "3"
    assert about["Snapshot SHA-256"] == snapshot_hash(snapshot)
    assert about["Exported"] == "2026-01-02 03:04 UTC"
    assert about["CSP-owned"] == "The provider implements and operates the control."


def test_it_writes_not_applicable_advanced_and_scope_in_words():
    snapshot = {
        "parties": [{"id": 1, "name": "Acme", "role": "provider"}],
        "domains": [{"id": 2, "slug": "keys", "name": "Keys", "category": "CEK"}],
        "offerings": [{"id": 3, "name": "Hosted", "kind": "managed"}],
        "sources": [],
        "cells": [
            {
                "domain": 2,
                "offering": 3,
                "ownership": "provider",
                "duties": [
                    {
                        "party": 1,
                        "text": "",
                        "not_applicable": True,
                        "advanced": False,
                        "scope": "",
                    },
                    {
                        "party": 1,
                        "text": "Use an HSM.",
                        "not_applicable": False,
                        "advanced": True,
                        "scope": "KMS",
                    },
                ],
            }
        ],
    }
    (row,) = caiq_rows(snapshot)
    assert row[6] == "• Not applicable.\n• (Advanced) (KMS) Use an HSM."


@pytest.mark.django_db
def test_it_serves_the_latest_version_to_anyone_for_a_public_provider(as_user):
    response = as_user(None).get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="singlestore-1.caiq.xlsx"'
    assert len(records(response.content)) == 15 * 3


@pytest.mark.django_db
def test_it_neutralises_a_duty_that_would_be_a_formula(as_user, users):
    customer_duty_set(users["editor"], "=HYPERLINK(1)")
    assert as_user(None).get(URL, {"version": "draft"}).status_code == 302
    assert as_user("viewer").get(URL, {"version": "draft"}).status_code == 403
    response = as_user("editor").get(URL, {"version": "draft"})
    assert response["Content-Disposition"] == 'attachment; filename="singlestore-draft.caiq.xlsx"'
    sheet = workbook(response.content)[SHEET]
    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[0].value == "compliance" and r[3].value == "SingleStore Helios"
    )
    csc = row[HEADERS.index("CSC Responsibilities")]
    assert (csc.value, csc.data_type) == ("'=HYPERLINK(1)", "s")
    assert row[HEADERS.index("SSRM Control Ownership")].value == "CSC-owned"


@pytest.mark.django_db
def test_it_hides_a_private_providers_workbook_from_outsiders(as_user):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    assert as_user("outsider").get(URL).status_code == 404
    assert as_user(None).get(URL).status_code == 404
    assert as_user("viewer").get(URL).status_code == 200
