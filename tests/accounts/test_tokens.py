"""Personal API tokens: shown once, stored hashed, expiring, revocable, attributed."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiToken, TokenScope
from accounts.tokens import token_create, token_revoke
from audit.models import AuditRecord
from matrices.models import Provider

pytestmark = pytest.mark.django_db


MATRIX = "/api/v1/providers/singlestore/matrix/"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_the_page_shows_a_new_token_once_and_stores_only_its_digest(as_user, users):
    client = as_user("editor")
    response = client.post("/accounts/tokens/", {"do": "create", "name": "nightly export"})
    html = response.content.decode()
    secret = html.split('<code class="secret__value">')[1].split("</code>")[0]
    assert secret.startswith("srm_")
    token = ApiToken.objects.get(user=users["editor"])
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values_list().get())
    assert secret not in client.get("/accounts/tokens/").content.decode()


def test_a_token_acts_as_its_user(client, users):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    _, secret = token_create(user=users["editor"], name="ci", scope=TokenScope.READ_WRITE)
    assert client.get(MATRIX).status_code == 404
    response = client.get(MATRIX, headers=bearer(secret))
    assert response.status_code == 200
    assert response.json()["draft"] is True  # the editor's view
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("state", ["revoked", "expired", "wrong", "inactive user"])
def test_a_revoked_expired_or_unknown_token_is_refused(client, users, state):
    token, secret = token_create(user=users["editor"], name="ci")
    if state == "revoked":
        token_revoke(user=users["editor"], token=token)
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(1))
    elif state == "wrong":
        secret = secret[:-2] + "xx"
    else:
        users["editor"].is_active = False
        users["editor"].save()
    response = client.get(MATRIX, headers=bearer(secret))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Invalid, expired or revoked token."


def test_creating_and_revoking_tokens_is_audited(users):
    token, _ = token_create(user=users["viewer"], name="laptop")
    token_revoke(user=users["viewer"], token=token)
    actions = list(
        AuditRecord.objects.filter(object_type="api-token")
        .order_by("seq")
        .values_list("action", "actor_id")
    )
    assert actions == [("create", users["viewer"].pk), ("delete", users["viewer"].pk)]


def test_nobody_revokes_another_users_token(as_user, users):
    token, _ = token_create(user=users["viewer"], name="laptop")
    response = as_user("editor").post("/accounts/tokens/", {"do": "revoke", "token": token.pk})
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_an_expiry_in_the_past_is_refused_on_the_page(as_user):
    response = as_user("viewer").post(
        "/accounts/tokens/", {"do": "create", "name": "x", "expires_at": "2001-01-01"}
    )
    assert response.status_code == 400
    assert "must be in the future" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_tokens_page_needs_a_sign_in(client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
