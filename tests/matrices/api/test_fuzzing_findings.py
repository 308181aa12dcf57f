"""What schemathesis found (scripts/api-fuzz.sh): server errors, and a schema that said less
than the API checks. Each stays fixed here, without a live server."""

from __future__ import annotations

import io

import openpyxl
import pytest
from drf_spectacular.generators import SchemaGenerator

from matrices.models import Offering, Party

pytestmark = pytest.mark.django_db

API = "/api/v1/providers/singlestore"


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("version", ["²", "٣"])  # str.isdigit() says yes, int() says no
def test_a_version_in_other_digits_is_a_404_not_a_500(as_user, version):
    editor = as_user("editor")
    assert editor.get(f"{API}/matrix/", {"version": version}).status_code == 404
    assert editor.get(f"{API}/export.csv", {"version": version}).status_code == 404
    response = editor.post(f"{API}/pdfs/", {"version": version}, content_type="application/json")
    assert response.status_code == 400


def test_a_party_filter_beyond_any_id_is_a_400_not_a_500(as_user):
    editor = as_user("editor")
    assert editor.get(f"{API}/duties/", {"party": "3.402823466e+38"}).status_code == 400
    assert editor.get(f"{API}/duties/", {"party": str(2**63)}).status_code == 400
    party = Party.objects.filter(provider__slug="singlestore").first()
    listed = editor.get(f"{API}/duties/", {"party": party.pk}).json()["results"]
    assert listed
    assert {duty["party"] for duty in listed} == {party.pk}


@pytest.mark.parametrize("fmt", ["xlsx", "caiq.xlsx"])
def test_a_control_character_in_the_draft_does_not_break_the_workbooks(as_user, fmt):
    Offering.objects.filter(provider__slug="singlestore", slug="helios").update(
        name="Helios\x03 managed"
    )
    response = as_user("editor").get(f"{API}/export.{fmt}", {"version": "draft"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    texts = {
        str(cell) for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row
    }
    assert any("Helios managed" in text for text in texts)


def test_every_input_body_refuses_what_the_api_refuses(schema):
    components = schema["components"]["schemas"]
    for name in ("ProviderCreate", "CellWrite", "DutyInput", "Offering", "PatchedOffering"):
        assert components[name]["additionalProperties"] is False, name
    # A name may not be blank: DRF trims it first, so a space alone is blank too.
    name = components["ProviderCreate"]["properties"]["name"]
    assert name["minLength"] == 1
    assert "pattern" in name
    # A PATCH must send the version it edited (and, for a provider, the visibility).
    assert components["PatchedOffering"]["required"] == ["version"]
    assert sorted(components["PatchedProviderVisibility"]["required"]) == ["version", "visibility"]
    # Uploads are files, not the URLs a FileField is read back as.
    assert components["ImportRequest"]["properties"]["file"]["format"] == "binary"


def test_the_schema_documents_what_the_api_answers(schema):
    paths = schema["paths"]
    approve = paths["/api/v1/providers/{provider_slug}/review/approve/"]["post"]["responses"]
    assert "201" in approve
    assert "200" not in approve
    export = paths["/api/v1/providers/{provider_slug}/export.{fmt}"]["get"]["responses"]["200"]
    assert export["content"]["application/json"]["schema"]["type"] == "object"
    site_export = paths["/api/v1/audit/export.{fmt}"]["get"]["parameters"]
    assert [p["schema"].get("enum") for p in site_export if p["name"] == "fmt"] == [["csv", "json"]]
