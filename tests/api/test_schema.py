"""The OpenAPI schema works for clients nobody here wrote."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

UPLOADS = {
    ("/api/v1/providers/from-file/", "post"),
    ("/api/v1/providers/{provider_slug}/import/", "post"),
}


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
        assert content_types == expected, key


def test_every_operation_documents_being_throttled_with_retry_after(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            throttled = operation["responses"]["429"]
            assert "Retry-After" in throttled["headers"], (path, method)
