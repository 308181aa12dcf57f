"""The trust center's API answers what its schema says, with the fields a person may leave
empty: a grant the system gave (no approver, no request), a request nobody decided yet, an
NDA version or a webhook whose author is gone. The fuzzing run found these answered null
where the schema promised a string or a number."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS30Validator

from tests.factories import webhook_with_delivery
from tests.trust.access_kit import pending_request, private_with_trust_center
from tests.trust.nda_setup import reader_with_grant
from trust.models import Nda, Webhook
from trust.nda import nda_publish

pytestmark = pytest.mark.django_db

API = "/api/v1/providers/singlestore/trust"


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def body_schema(schema: dict, path: str, method: str = "get", status: str = "200") -> dict:
    answer = schema["paths"][path][method]["responses"][status]
    return answer["content"]["application/json"]["schema"]


def check(schema: dict, template: str, body) -> None:
    """``body`` is valid for the 200 answer of GET ``template`` (a path of the schema)."""
    # The components beside it, where its references ("#/components/...") point.
    validator = OAS30Validator(
        {**body_schema(schema, template), "components": schema["components"]}
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert errors == [], errors


@pytest.fixture
def made_by_the_system(db):
    """A pending request, a grant without request or approver, an NDA version published by
    the system and a webhook whose author was deleted, on SingleStore."""
    provider = private_with_trust_center()
    pending_request(provider)
    reader_with_grant(provider)
    nda_publish(actor=None, provider=provider, body="# Confidentiality")
    webhook_with_delivery(provider)
    assert Nda.objects.filter(created_by=None).exists()
    assert Webhook.objects.filter(created_by=None).exists()
    return provider


@pytest.mark.parametrize(
    ("url", "template"),
    [
        ("/requests/", "/requests/"),
        ("/grants/", "/grants/"),
        ("/nda/", "/nda/"),
        ("/webhooks/", "/webhooks/"),
    ],
)
def test_lists_with_empty_authors_and_deciders_match_the_schema(
    made_by_the_system, as_user, schema, url, template
):
    response = as_user("admin").get(f"{API}{url}")
    assert response.status_code == 200
    check(schema, f"/api/v1/providers/{{provider_slug}}/trust{template}", response.json())


def test_a_grant_the_system_gave_matches_the_schema(made_by_the_system, as_user, schema):
    grant = made_by_the_system.access_grants.get()
    response = as_user("admin").get(f"{API}/grants/{grant.pk}/")
    assert response.json()["granted_by"] is None
    check(schema, "/api/v1/providers/{provider_slug}/trust/grants/{id}/", response.json())
