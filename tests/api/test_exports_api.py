"""Exports over the API: what a GRC pipeline pulls with a token."""

from __future__ import annotations

import json

import pytest

from accounts.tokens import token_create
from matrices.models import Provider
from tests.factories import customer_duty_set

pytestmark = pytest.mark.django_db

API = "/api/v1/providers/singlestore"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_pulls_the_same_oscal_as_the_page(client, users):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    _, secret = token_create(user=users["auditor"], name="grc pipeline")
    over_api = client.get(f"{API}/export.oscal-ssp.json", **bearer(secret))
    assert over_api.status_code == 200
    assert over_api["Content-Type"] == "application/json"
    client.force_login(users["auditor"])
    on_page = client.get("/providers/singlestore/export.oscal-ssp.json")
    assert over_api.content == on_page.content
    assert json.loads(over_api.content)["system-security-plan"]["metadata"]["title"]


def test_the_draft_is_exported_to_its_readers_only(client, users):
    customer_duty_set(users["editor"], "Only in the draft, exported.")
    _, auditor = token_create(user=users["auditor"], name="a")
    _, viewer = token_create(user=users["viewer"], name="v")
    draft = client.get(f"{API}/export.csv?version=draft", **bearer(auditor))
    assert b"Only in the draft, exported." in draft.content
    refused = client.get(f"{API}/export.csv?version=draft", **bearer(viewer))
    assert refused.status_code == 403
    assert refused.json()["error"]["status"] == 403
    anonymous = client.get(f"{API}/export.csv?version=draft")
    assert anonymous.status_code == 401


def test_an_unknown_format_or_version_is_a_404_error_body(client):
    for url in (f"{API}/export.pdf", f"{API}/export.csv?version=9", f"{API}/export.csv?version=x"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["status"] == 404
