"""Webhooks over the API: for provider admins only; the secret only when just made."""

from __future__ import annotations

import pytest

from accounts.roles import Visibility
from audit.models import AuditRecord
from matrices.models import Provider
from tests.trust.webhook_receivers import verify
from trust.models import Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db

API = "/api/v1/providers/singlestore/trust/webhooks/"
JSON = {"content_type": "application/json"}


def create(client, receiver, **fields):
    body = {"url": receiver.url(), "events": ["version.published"], **fields}
    return client.post(API, body, **JSON)


def test_an_admin_creates_a_webhook_and_gets_its_secret_this_once(as_user, receiver):
    client = as_user("admin")
    made = create(client, receiver, events=["access.granted", "version.published"], reason="ci")
    assert made.status_code == 201
    webhook = Webhook.objects.get()
    body = made.json()
    assert body["secret"] == webhook.secret
    assert len(body["secret"]) >= 40
    assert body["events"] == ["access.granted", "version.published"]
    assert body["secret_hint"] == webhook.secret[:6] + "…"
    read = client.get(f"{API}{webhook.pk}/").json()
    assert "secret" not in read
    assert read["url"] == webhook.url
    listing = client.get(API).json()
    assert [item["id"] for item in listing] == [webhook.pk]
    assert "secret" not in listing[0]
    record = AuditRecord.objects.order_by("-seq").first()
    assert (record.action, record.reason) == ("create", "ci")
    assert webhook.secret not in str([record.before, record.after])


def test_an_admin_changes_rotates_and_deletes(as_user, receiver):
    client = as_user("admin")
    webhook_id = create(client, receiver).json()["id"]
    changed = client.patch(
        f"{API}{webhook_id}/", {"events": ["access.ended"], "active": False}, **JSON
    )
    assert changed.status_code == 200
    assert (changed.json()["events"], changed.json()["active"]) == (["access.ended"], False)
    old = Webhook.objects.get().secret
    rotated = client.post(f"{API}{webhook_id}/rotate-secret/", {"reason": "leaked"}, **JSON)
    assert rotated.status_code == 200
    assert rotated.json()["secret"] == Webhook.objects.get().secret != old
    assert client.delete(f"{API}{webhook_id}/?reason=done").status_code == 204
    assert not Webhook.objects.exists()
    actions = list(AuditRecord.objects.order_by("-seq").values_list("action", flat=True)[:4])
    assert actions == ["delete", "update", "update", "create"]


def test_the_deliveries_are_listed_and_one_is_redelivered(
    as_user, receiver, deliver_here, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.answers = [(500, b"oops")]
    client = as_user("admin")
    webhook_id = create(client, receiver).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        pinged = client.post(f"{API}{webhook_id}/ping/", {}, **JSON)
    assert pinged.status_code == 202
    assert pinged.json()["event"] == "ping"
    deliveries = client.get(f"{API}{webhook_id}/deliveries/").json()
    failed = deliveries["results"][0]
    assert (failed["status"], failed["response_status"], failed["attempts"]) == ("failed", 500, 1)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            f"{API}{webhook_id}/deliveries/{failed['id']}/redeliver/", {"reason": "fixed"}, **JSON
        )
    assert again.status_code == 202
    assert (again.json()["redelivery_of"], again.json()["status"]) == (failed["id"], "pending")
    assert again.json()["payload"] == failed["payload"]
    latest = client.get(f"{API}{webhook_id}/deliveries/").json()["results"][0]
    assert (latest["id"], latest["status"]) == (again.json()["id"], "delivered")
    secret = Webhook.objects.get().secret
    last = receiver.requests[-1]
    assert verify(secret, last.headers["X-SRM-Signature"], last.body)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": ["version.published"]}, "url"),
        ({"url": "https://127.0.0.1/", "events": []}, "events"),
        ({"url": "https://127.0.0.1/", "events": ["nope"]}, "events"),
        ({"url": "https://127.0.0.1/", "events": ["ping"]}, "events"),
        ({"url": "not a url", "events": ["version.published"]}, "url"),
        ({"url": "https://127.0.0.1/", "events": ["version.published"], "secret": "x"}, "secret"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(as_user, settings, body, field):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = as_user("admin").post(API, body, **JSON)
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]
    assert not Webhook.objects.exists()


def test_a_private_address_is_a_400_with_the_reason(as_user, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = as_user("admin").post(
        API, {"url": "https://169.254.169.254/", "events": ["version.published"]}, **JSON
    )
    assert response.status_code == 400
    assert "metadata" in response.json()["error"]["details"]["url"][0]
    assert not Webhook.objects.exists()


def test_a_delivery_of_another_webhook_is_not_found(as_user, receiver):
    client = as_user("admin")
    first = create(client, receiver).json()["id"]
    second = create(client, receiver).json()["id"]
    delivery = WebhookDelivery.objects.create(
        webhook_id=first, event="ping", payload={"event": "ping"}
    )
    response = client.post(f"{API}{second}/deliveries/{delivery.pk}/redeliver/", {}, **JSON)
    assert response.status_code == 404
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("trust_manager", 403), ("editor", 403), ("approver", 403), ("outsider", 404)],
)
def test_only_provider_admins_may_use_them(as_user, users, receiver, who, status):
    webhook_id = create(as_user("admin"), receiver).json()["id"]
    Provider.objects.filter(slug="singlestore").update(visibility=Visibility.PRIVATE)
    client = as_user(who)
    count = AuditRecord.objects.count()
    assert client.get(API).status_code == status
    assert client.get(f"{API}{webhook_id}/").status_code == status
    assert client.get(f"{API}{webhook_id}/deliveries/").status_code == status
    assert create(client, receiver).status_code == status
    assert client.patch(f"{API}{webhook_id}/", {"active": False}, **JSON).status_code == status
    assert client.post(f"{API}{webhook_id}/rotate-secret/", {}, **JSON).status_code == status
    assert client.post(f"{API}{webhook_id}/ping/", {}, **JSON).status_code == status
    assert client.delete(f"{API}{webhook_id}/").status_code == status
    webhook = Webhook.objects.get()
    assert webhook.active
    assert AuditRecord.objects.count() == count
    assert not WebhookDelivery.objects.exists()


def test_an_anonymous_caller_is_asked_to_authenticate(client):
    response = client.get(API)
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"
