"""API token scopes: read only or read and write, and optionally limited to some providers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.access import TokenLimits, act_through_token, can
from accounts.models import ApiToken, TokenScope
from accounts.roles import Action
from accounts.tokens import token_create, token_revoke
from audit.models import AuditRecord
from matrices.models import Cell, Provider
from tests.factories import state

pytestmark = pytest.mark.django_db

API = "/api/v1/providers"
CELL = f"{API}/singlestore/cells/helios/compliance/"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def cell_body() -> dict:
    cell = Cell.objects.get(
        provider__slug="singlestore", offering__slug="helios", domain__slug="compliance"
    )
    customer = cell.provider.parties.get(role="customer")
    return {
        "ownership": "shared",
        "duties": [{"party": customer.pk, "text": "Keep the evidence.", "scope": ""}],
        "version": cell.version,
        "reason": "token test",
    }


def test_new_tokens_are_read_only_unless_asked(users):
    token, _ = token_create(user=users["editor"], name="ci")
    assert token.scope == TokenScope.READ


def test_the_page_makes_read_only_tokens_unless_asked(as_user, users):
    as_user("editor").post("/accounts/tokens/", {"do": "create", "name": "ci"})
    assert ApiToken.objects.get(user=users["editor"]).scope == TokenScope.READ


def test_a_read_only_token_is_refused_every_write_with_a_reason(users):
    _, secret = token_create(user=users["editor"], name="ci")
    body = cell_body()
    before = state()
    response = Client().put(CELL, body, content_type="application/json", headers=bearer(secret))
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "read_only_token"
    assert "read only" in error["message"]
    assert state() == before
    domain = Provider.objects.get(slug="singlestore").domains.get(slug="compliance")
    deleted = Client().delete(f"{API}/singlestore/domains/{domain.pk}/", headers=bearer(secret))
    assert deleted.status_code == 403
    assert state() == before


def test_a_read_only_token_reads_what_its_user_reads(users):
    _, secret = token_create(user=users["editor"], name="ci")
    assert Client().get(CELL, headers=bearer(secret)).status_code == 200
    assert Client().get(f"{API}/singlestore/audit/", headers=bearer(secret)).status_code == 200


def test_a_read_only_token_may_ask_for_a_pdf(users):
    _, secret = token_create(user=users["viewer"], name="pdf")
    response = Client().post(
        f"{API}/singlestore/pdfs/", {}, content_type="application/json", headers=bearer(secret)
    )
    assert response.status_code in (200, 202)


def test_a_read_write_token_writes(users):
    _, secret = token_create(user=users["editor"], name="ci", scope=TokenScope.READ_WRITE)
    response = Client().put(
        CELL, cell_body(), content_type="application/json", headers=bearer(secret)
    )
    assert response.status_code == 200


def test_the_access_rules_refuse_writes_through_a_read_only_token(users, singlestore):
    """Behind the API's refusal, the rules too: a service asked anyway refuses."""
    editor = users["editor"]
    act_through_token(editor, TokenLimits(read_only=True, provider_ids=None))
    assert can(editor, singlestore, Action.VIEW)
    assert can(editor, singlestore, Action.AUDIT)
    assert not can(editor, singlestore, Action.EDIT)
    assert not Provider.objects.restrict(editor, Action.EDIT).exists()


# Every kind of API path under a provider, read by a token limited to another provider.
PROVIDER_PATHS = [
    "{api}/{slug}/",
    "{api}/{slug}/matrix/",
    "{api}/{slug}/versions/",
    "{api}/{slug}/export.csv",
    "{api}/{slug}/export.json",
    "{api}/{slug}/audit/",
    "{api}/{slug}/audit/export.csv",
    "{api}/{slug}/cells/",
]


@pytest.fixture
def clickhouse_only(users, clickhouse):
    """A superuser's token limited to ClickHouse."""
    _, secret = token_create(user=users["superuser"], name="ch", providers=[clickhouse])
    return secret


@pytest.mark.parametrize("path", PROVIDER_PATHS)
def test_a_provider_limited_token_finds_no_other_provider(clickhouse_only, path):
    response = Client().get(
        path.format(api=API, slug="singlestore"), headers=bearer(clickhouse_only)
    )
    assert response.status_code == 404


@pytest.mark.parametrize("path", PROVIDER_PATHS)
def test_a_provider_limited_token_reads_its_own(clickhouse_only, path):
    response = Client().get(
        path.format(api=API, slug="clickhouse"), headers=bearer(clickhouse_only)
    )
    assert response.status_code == 200


def test_a_provider_limited_token_lists_only_its_providers(clickhouse_only):
    response = Client().get(f"{API}/", headers=bearer(clickhouse_only))
    assert [p["slug"] for p in response.json()["results"]] == ["clickhouse"]


def test_a_provider_limited_token_gets_no_pdf_of_another_provider(clickhouse_only):
    response = Client().post(
        f"{API}/singlestore/pdfs/",
        {},
        content_type="application/json",
        headers=bearer(clickhouse_only),
    )
    assert response.status_code == 404


def test_a_provider_limited_token_does_not_read_the_site_wide_log(clickhouse_only, users):
    assert Client().get("/api/v1/audit/", headers=bearer(clickhouse_only)).status_code == 403
    _, everything = token_create(user=users["superuser"], name="all")
    assert Client().get("/api/v1/audit/", headers=bearer(everything)).status_code == 200


def test_a_provider_limited_editor_token_writes_only_there(users, clickhouse, singlestore):
    _, secret = token_create(
        user=users["editor"], name="ci", scope=TokenScope.READ_WRITE, providers=[clickhouse]
    )
    body = cell_body()
    before = state()
    response = Client().put(CELL, body, content_type="application/json", headers=bearer(secret))
    assert response.status_code == 404
    assert state() == before


def test_a_token_cannot_be_limited_to_a_provider_its_user_cannot_see(users, singlestore):
    singlestore.visibility = "private"
    singlestore.save(update_fields=["visibility"])
    with pytest.raises(ValidationError):
        token_create(user=users["outsider"], name="x", providers=[singlestore])
    assert not ApiToken.objects.exists()


def test_the_page_creates_a_scoped_token_and_lists_its_limits(as_user, users, clickhouse):
    client = as_user("other_editor")
    response = client.post(
        "/accounts/tokens/",
        {"do": "create", "name": "sync", "scope": "read-write", "providers": [clickhouse.pk]},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=users["other_editor"])
    assert (token.scope, list(token.providers.all())) == ("read-write", [clickhouse])
    html = client.get("/accounts/tokens/").content.decode()
    assert "read and write" in html
    assert clickhouse.name in html


def test_the_page_refuses_a_provider_out_of_sight(as_user, users, singlestore):
    singlestore.visibility = "private"
    singlestore.save(update_fields=["visibility"])
    response = as_user("outsider").post(
        "/accounts/tokens/", {"do": "create", "name": "x", "providers": [singlestore.pk]}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_audit_log_keeps_a_tokens_scope_and_providers(users, clickhouse):
    token, _ = token_create(
        user=users["other_editor"], name="sync", scope=TokenScope.READ_WRITE, providers=[clickhouse]
    )
    token_revoke(user=users["other_editor"], token=token)
    records = AuditRecord.objects.filter(object_type="api-token").order_by("seq")
    created, revoked = list(records)
    limits = {"scope": "read-write", "providers": ["clickhouse"]}
    assert limits.items() <= created.after.items()
    assert limits.items() <= revoked.before.items()
