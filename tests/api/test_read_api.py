"""The read API: same visibility as the pages, whole matrices in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matrices.demo.synthetic import synthetic_provider_create
from matrices.models import Provider
from tests.factories import publish

pytestmark = pytest.mark.django_db

MATRIX = "/api/v1/providers/{}/matrix/"


def test_the_provider_list_holds_what_the_caller_may_see(as_user):
    Provider.objects.filter(slug="astronomer").update(visibility="private")
    slugs = {p["slug"] for p in as_user(None).get("/api/v1/providers/").json()["results"]}
    assert slugs == {"singlestore", "clickhouse", "template"}
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    slugs = {p["slug"] for p in as_user("viewer").get("/api/v1/providers/").json()["results"]}
    assert "singlestore" in slugs


def test_a_provider_the_caller_may_not_see_is_404_with_an_error_body(as_user):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    response = as_user("outsider").get("/api/v1/providers/singlestore/")
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["status"] == 404
    assert body["error"]["message"]
    assert as_user("outsider").get(MATRIX.format("singlestore")).status_code == 404


def test_the_matrix_is_the_latest_version_for_the_public_and_the_draft_for_editors(as_user):
    public = as_user(None).get(MATRIX.format("singlestore")).json()
    assert (public["version"], public["draft"]) == (1, False)
    assert (
        public["snapshot_hash"] == Provider.objects.get(slug="singlestore").published.snapshot_hash
    )
    assert len(public["matrix"]["cells"]) == 45
    draft = as_user("editor").get(MATRIX.format("singlestore")).json()
    assert draft["draft"] is True
    assert draft["version"] is None


def test_only_those_who_see_the_draft_get_it(as_user):
    assert (
        as_user("viewer").get(MATRIX.format("singlestore"), {"version": "draft"}).status_code == 403
    )
    assert (
        as_user("auditor").get(MATRIX.format("singlestore"), {"version": "draft"}).status_code
        == 200
    )


def test_an_unknown_version_is_a_clear_404(as_user):
    response = as_user(None).get(MATRIX.format("singlestore"), {"version": "seven"})
    assert response.status_code == 404
    assert "use a number" in response.json()["error"]["message"]
    assert as_user(None).get(MATRIX.format("singlestore"), {"version": "9"}).status_code == 404


@pytest.mark.parametrize("who", [None, "superuser"])
def test_the_matrix_costs_the_same_queries_for_200_domains_as_for_singlestore(as_user, who):
    big = synthetic_provider_create(domains=200, offerings=6, parties=3)
    publish(big)
    client = as_user(who)
    params = {"version": "draft"} if who else {}
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(MATRIX.format("singlestore"), params).status_code == 200
    with CaptureQueriesContext(connection) as big_queries:
        response = client.get(MATRIX.format(big.slug), params)
    assert response.status_code == 200
    assert len(response.json()["matrix"]["cells"]) == 1200
    assert len(big_queries) == len(small_queries)


def test_the_versions_endpoint_lists_published_versions(as_user):
    versions = as_user(None).get("/api/v1/providers/singlestore/versions/").json()["results"]
    assert [v["number"] for v in versions] == [1]
    assert versions[0]["approved_by_label"] == "demo-approver"


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert "/api/v1/providers/{slug}/matrix/" in (tmp_path / "s.yaml").read_text()


def test_the_api_docs_work_offline(client):
    html = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn." not in html
