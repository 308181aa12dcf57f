"""The analytics and the raw reading events over the API: managers only, same counts as the
page, filters validated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Visibility
from matrices.models import Provider
from trust.models import ReadDaily, ReadEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/providers/singlestore/trust"


@pytest.fixture
def reads(singlestore):
    now = timezone.now()
    for days_ago, kind, company, reader in [
        (0, "view", "Acme", "ann@acme.example"),
        (0, "download", "Acme", "ann@acme.example"),
        (5, "view", "Globex", "bob@globex.example"),
        (45, "view", "Acme", "cy@acme.example"),
    ]:
        ReadEvent.objects.create(
            provider=singlestore,
            version_number=1,
            document="matrix" if kind == "view" else "pdf:matrix",
            kind=kind,
            company=company,
            reader=reader,
            at=now - timedelta(days=days_ago),
        )
    ReadDaily.objects.create(
        provider=singlestore,
        day=timezone.localdate() - timedelta(days=300),
        version_number=1,
        document="matrix",
        kind="view",
        company="Initech",
        count=7,
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("trust_manager", 200),
        ("editor", 403),
        ("auditor", 403),
        ("outsider", 404),
        (None, 404),
    ],
)
@pytest.mark.parametrize("endpoint", ["analytics/", "events/"])
def test_only_managers_read_the_analytics(as_user, reads, who, status, endpoint):
    Provider.objects.filter(slug="singlestore").update(visibility=Visibility.PRIVATE)
    assert as_user(who).get(f"{API}/{endpoint}").status_code == status


@pytest.mark.parametrize("endpoint", ["analytics/", "events/"])
def test_a_visitor_to_a_public_provider_is_asked_to_sign_in(client, reads, endpoint):
    assert client.get(f"{API}/{endpoint}").status_code == 401


def test_the_counts_of_the_period(as_user, reads):
    body = as_user("trust_manager").get(f"{API}/analytics/", {"days": 30}).json()
    assert body["totals"] == {"views": 2, "downloads": 1}
    assert (body["readers"], body["companies"]) == (2, 2)
    assert len(body["per_day"]) == 30
    assert body["per_day"][-1] == {
        "day": timezone.localdate().isoformat(),
        "views": 1,
        "downloads": 1,
    }
    assert body["per_version"] == [{"version": 1, "views": 2, "downloads": 1}]
    assert body["per_document"] == [
        {"document": "matrix", "views": 2, "downloads": 0},
        {"document": "pdf:matrix", "views": 0, "downloads": 1},
    ]
    assert body["per_company"][0] == {"company": "Acme", "views": 1, "downloads": 1}


def test_the_counts_include_the_folded_days(as_user, reads):
    body = as_user("admin").get(f"{API}/analytics/", {"days": 365, "company": "Initech"}).json()
    assert body["totals"] == {"views": 7, "downloads": 0}
    assert sum(day["views"] for day in body["per_day"]) == 7


def test_the_events_are_paginated_and_filtered(as_user, reads):
    client = as_user("admin")
    body = client.get(f"{API}/events/", {"days": 90, "company": "Acme", "page_size": 2}).json()
    assert body["count"] == 3
    assert [e["reader"] for e in body["results"]] == ["ann@acme.example"] * 2
    assert set(body["results"][0]) == {
        "id",
        "at",
        "reader",
        "company",
        "kind",
        "document",
        "version",
    }
    later = client.get(body["next"]).json()
    assert [e["reader"] for e in later["results"]] == ["cy@acme.example"]
    body = client.get(f"{API}/events/", {"kind": "download"}).json()
    assert [e["document"] for e in body["results"]] == ["pdf:matrix"]


@pytest.mark.parametrize(
    "params", [{"days": 0}, {"days": 400}, {"days": "x"}, {"kind": "print"}, {"colour": "red"}]
)
@pytest.mark.parametrize("endpoint", ["analytics/", "events/"])
def test_bad_filters_are_a_400_with_the_reason(as_user, reads, params, endpoint):
    response = as_user("admin").get(f"{API}/{endpoint}", params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_the_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/", headers={"Accept": "application/json"}).content.decode()
    assert "/api/v1/providers/{provider_slug}/trust/analytics/" in schema
    assert "/api/v1/providers/{provider_slug}/trust/events/" in schema
    assert "trust_analytics" in schema
    assert "trust_events_list" in schema
