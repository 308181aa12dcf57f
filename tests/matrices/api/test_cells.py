"""Writing the draft over the API: the same services, audit records, roles and 409s as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import TokenScope
from accounts.tokens import token_create
from audit.models import AuditRecord
from matrices.models import Cell, ControlDomain, Duty, Party, Provider
from tests.factories import state

pytestmark = pytest.mark.django_db


API = "/api/v1/providers/singlestore"


CELL = f"{API}/cells/helios/compliance/"


def cell_now() -> Cell:
    return Cell.objects.get(
        offering__slug="helios", domain__slug="compliance", provider__slug="singlestore"
    )


def customer() -> Party:
    return Party.objects.get(provider__slug="singlestore", role="customer")


def cell_body(version: int, text: str = "Keep the evidence for the auditors.", **extra) -> dict:
    return {
        "ownership": "shared",
        "duties": [{"party": customer().pk, "text": text, "scope": "Console"}],
        "version": version,
        "reason": "API test",
        **extra,
    }


def test_an_editor_replaces_a_cell_and_the_log_says_who_and_why(as_user, users):
    version = cell_now().version
    response = as_user("editor").put(CELL, cell_body(version), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["ownership"], body["version"]) == ("shared", version + 1)
    assert [d["text"] for d in body["duties"]] == ["Keep the evidence for the auditors."]
    record = AuditRecord.objects.order_by("-seq").first()
    assert (record.object_type, record.actor_id, record.reason) == (
        "cell",
        users["editor"].pk,
        "API test",
    )


def test_a_token_writes_as_its_user(client, users):
    _, secret = token_create(user=users["editor"], name="sync job", scope=TokenScope.READ_WRITE)
    response = Client().put(
        CELL,
        cell_body(cell_now().version),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    assert AuditRecord.objects.order_by("-seq").first().actor_label == "demo-editor"


def test_a_stale_version_is_a_409_with_the_current_cell_and_nothing_changes(as_user):
    current = cell_now()
    client = as_user("editor")  # signing in is audited: count after it
    before = state()
    response = client.put(CELL, cell_body(current.version - 1), content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["details"]["current_version"]) == ("conflict", current.version)
    assert error["details"]["current"]["ownership"] == current.ownership
    assert state() == before


@pytest.mark.parametrize(
    ("who", "status"), [("viewer", 403), ("approver", 403), ("auditor", 403), (None, 401)]
)
def test_only_editors_write_cells(as_user, who, status):
    client = as_user(who)
    before = state()
    response = client.put(CELL, cell_body(cell_now().version), content_type="application/json")
    assert response.status_code == status
    assert response.json()["error"]["status"] == status
    assert state() == before


def test_a_provider_the_caller_may_not_see_is_404_for_writes_too(as_user):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    client = as_user("outsider")
    before = state()
    response = client.put(CELL, cell_body(cell_now().version), content_type="application/json")
    assert response.status_code == 404
    assert state() == before


def test_a_session_write_without_the_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["editor"])
    before = state()
    response = client.put(CELL, cell_body(cell_now().version), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert state() == before


def test_bad_cell_input_is_a_400_naming_the_field_and_nothing_changes(as_user, elsewhere):
    client = as_user("editor")
    before = state()
    bad_ownership = client.put(
        CELL, cell_body(cell_now().version, ownership="mine"), content_type="application/json"
    )
    assert bad_ownership.status_code == 400
    assert "ownership" in bad_ownership.json()["error"]["details"]
    stranger = Party.objects.get(provider=elsewhere)
    foreign = cell_body(cell_now().version)
    foreign["duties"][0]["party"] = stranger.pk
    refused = client.put(CELL, foreign, content_type="application/json")
    assert refused.status_code == 400
    assert "No party" in str(refused.json()["error"]["details"])
    assert state() == before


@pytest.mark.parametrize("text", ["<script>x</script>", "<b></b>"])
def test_a_duty_of_only_raw_html_is_a_400_saying_so_and_nothing_changes(as_user, text):
    client = as_user("editor")
    version = cell_now().version
    before = state()
    body = cell_body(version)
    body["duties"].append({"party": customer().pk, "text": text})
    response = client.put(CELL, body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["details"] == {
        "duties": {
            "1": {
                "text": [
                    "Raw HTML is removed from duties, and nothing was left: "
                    "write the duty in Markdown, or mark it not applicable."
                ]
            }
        }
    }
    assert cell_now().version == version
    assert state() == before


def test_putting_an_empty_cell_with_version_0_creates_it(as_user):
    cell_now().delete()
    missing = as_user("editor").get(CELL)
    assert missing.status_code == 404
    created = as_user("editor").put(CELL, cell_body(0), content_type="application/json")
    assert created.status_code == 201
    assert created.json()["version"] == 1


def test_cells_and_duties_of_the_draft_are_for_its_readers_only(as_user):
    assert as_user("viewer").get(f"{API}/cells/").status_code == 403
    assert as_user(None).get(f"{API}/duties/").status_code == 401
    assert as_user("auditor").get(f"{API}/cells/").status_code == 200


def test_cells_filter_by_ownership_and_duties_by_words(as_user):
    client = as_user("editor")
    na = client.get(f"{API}/cells/", {"ownership": "n/a", "page_size": 500}).json()
    expected = Cell.objects.filter(provider__slug="singlestore", ownership="n/a").count()
    assert na["count"] == expected > 0
    assert {cell["ownership"] for cell in na["results"]} == {"n/a"}
    duties = client.get(f"{API}/duties/", {"q": "backup", "role": "customer"}).json()
    assert (
        duties["count"]
        == Duty.objects.filter(
            cell__provider__slug="singlestore", text__icontains="backup", party__role="customer"
        ).count()
    )
    assert all("backup" in d["text"].lower() for d in duties["results"])
    assert client.get(f"{API}/cells/", {"ownership": "mine"}).status_code == 400


def test_a_misspelt_field_is_a_400_naming_it_and_nothing_changes(as_user):
    client = as_user("editor")
    domain = ControlDomain.objects.get(provider__slug="singlestore", slug="compliance")
    before = state()
    typo = client.patch(
        f"{API}/domains/{domain.pk}/",
        {"nmae": "Renamed", "version": domain.version},
        content_type="application/json",
    )
    assert typo.status_code == 400
    assert typo.json()["error"]["details"] == {"nmae": ["Unknown field: nothing was written."]}
    body = cell_body(cell_now().version)
    body["duties"][0]["advnced"] = True
    nested = client.put(CELL, body, content_type="application/json")
    assert nested.status_code == 400
    assert "advnced" in str(nested.json()["error"]["details"])
    assert state() == before
