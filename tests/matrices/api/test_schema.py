"""The read API: same visibility as the pages, whole matrices in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert "/api/v1/providers/{slug}/matrix/" in (tmp_path / "s.yaml").read_text()


def test_the_api_docs_work_offline(client):
    html = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn." not in html


UPLOADS = {
    ("/api/v1/providers/from-file/", "post"),
    ("/api/v1/providers/{provider_slug}/import/", "post"),
}
# A PDF (multipart) or its SHA-256 (JSON).
EITHER = {("/api/v1/verify/", "post")}


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_passes_openapi_spec_validator(schema):
    validate(schema)


def test_writes_take_json_and_only_the_uploads_take_multipart(schema):
    bodies = {
        (path, method): sorted(operation["requestBody"]["content"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert bodies, "the API has writes"
    for key, content_types in bodies.items():
        expected = ["multipart/form-data"] if key in UPLOADS else ["application/json"]
        if key in EITHER:
            expected = ["application/json", "multipart/form-data"]
        assert content_types == expected, key


def test_every_operation_documents_being_throttled_with_retry_after(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            throttled = operation["responses"]["429"]
            assert "Retry-After" in throttled["headers"], (path, method)
