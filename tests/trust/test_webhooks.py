"""Webhooks: signed deliveries to a real receiver on publication and on trust events,
retries with backoff, redelivery, the audit log, and the pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Visibility
from audit.models import AuditRecord
from matrices.models import Provider
from tests.factories import customer_duty_set, publish
from tests.trust.webhook_receivers import verify
from trust import tasks
from trust.grants import grant_create
from trust.models import Subscription, Webhook, WebhookDelivery, WebhookEvent
from trust.webhook_delivery import retry_countdown, worth_retrying
from trust.webhooks import (
    webhook_create,
    webhook_delete,
    webhook_ping,
    webhook_redeliver,
    webhook_rotate_secret,
    webhook_update,
)

pytestmark = pytest.mark.django_db


def hook(users, receiver, events=(WebhookEvent.VERSION_PUBLISHED,), **kwargs) -> Webhook:
    return webhook_create(
        actor=users["admin"],
        provider=Provider.objects.get(slug="singlestore"),
        url=receiver.url(**kwargs),
        events=events,
    )


def sent(receiver, index: int = -1) -> tuple[dict, dict]:
    request = receiver.requests[index]
    return request.headers, json.loads(request.body)


# Deliveries ----------------------------------------------------------------------------


def test_it_delivers_a_signed_event_when_a_version_is_published(
    users, receiver, deliver_here, django_capture_on_commit_callbacks
):
    webhook = hook(users, receiver)
    customer_duty_set(users["editor"], "Keep evidence for the auditors.")
    with django_capture_on_commit_callbacks(execute=True):
        version = publish(Provider.objects.get(slug="singlestore"), summary="Evidence kept.")
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert verify(webhook.secret, request.headers["X-SRM-Signature"], request.body)
    assert request.headers["X-SRM-Event"] == "version.published"
    assert request.headers["X-SRM-Delivery"] == str(delivery.pk)
    assert request.path == "/hooks/srm"
    payload = json.loads(request.body)
    assert payload["event"] == "version.published"
    assert payload["provider"] == "singlestore"
    assert payload["data"]["number"] == version.number
    assert payload["data"]["summary"] == "Evidence kept."
    assert payload["data"]["snapshot_hash"] == version.snapshot_hash
    assert payload["data"]["url"].endswith(f"/providers/singlestore/versions/{version.number}/")
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None


def test_a_publication_receiver_that_fails_stops_neither_the_others_nor_the_publication(
    users, receiver, deliver_here, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """The broker down when the subscribers' task is queued: the version stays published
    (no error after its commit), the webhooks are still called, and the failure is logged."""
    singlestore = Provider.objects.get(slug="singlestore")
    hook(users, receiver)
    Subscription.objects.create(
        provider=singlestore,
        email="sub@example.com",
        digest="1" * 64,
        confirmed_at=timezone.now(),
    )

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.subscribers_notify, "delay", broker_down)
    customer_duty_set(users["editor"], "Keep evidence for the auditors.")
    with django_capture_on_commit_callbacks(execute=True):
        publish(singlestore, summary="Evidence kept.")
    assert len(receiver.requests) == 1
    assert "broker unreachable" in caplog.text


def test_a_signature_made_with_another_secret_does_not_verify(
    users, receiver, deliver_here, django_capture_on_commit_callbacks
):
    webhook = hook(users, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        webhook_ping(actor=users["admin"], webhook=webhook)
    request = receiver.requests[0]
    assert verify(webhook.secret, request.headers["X-SRM-Signature"], request.body)
    assert not verify("another-secret", request.headers["X-SRM-Signature"], request.body)
    assert not verify(webhook.secret, request.headers["X-SRM-Signature"], request.body + b" ")


def test_it_delivers_trust_events_to_the_webhooks_subscribed_to_them(
    users, receiver, deliver_here, django_capture_on_commit_callbacks
):
    granted = hook(users, receiver, events=[WebhookEvent.ACCESS_GRANTED], path="/granted")
    hook(users, receiver, events=[WebhookEvent.VERSION_PUBLISHED], path="/versions")
    with django_capture_on_commit_callbacks(execute=True):
        grant_create(
            actor=users["admin"],
            provider=Provider.objects.get(slug="singlestore"),
            user=users["outsider"],
            expires_at=timezone.now() + timedelta(days=10),
            company="Acme",
        )
    assert [r.path for r in receiver.requests] == ["/granted"]
    headers, payload = sent(receiver)
    assert verify(granted.secret, headers["X-SRM-Signature"], receiver.requests[0].body)
    assert headers["X-SRM-Event"] == payload["event"] == "access.granted"
    assert payload["data"]["company"] == "Acme"
    assert payload["data"]["reader"] == "outsider" or "@" in payload["data"]["reader"]


def test_a_webhook_turned_off_gets_nothing(
    users, receiver, deliver_here, django_capture_on_commit_callbacks
):
    webhook = hook(users, receiver)
    webhook_update(actor=users["admin"], webhook=webhook, active=False)
    customer_duty_set(users["editor"], "Keep evidence for the auditors.")
    with django_capture_on_commit_callbacks(execute=True):
        publish(Provider.objects.get(slug="singlestore"))
    assert receiver.requests == []
    assert not WebhookDelivery.objects.filter(webhook=webhook).exists()


def test_a_failing_receiver_is_retried_with_backoff_then_given_up_at_the_maximum(
    users, receiver, deliver_here, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.default = (500, b"down for maintenance")
    webhook = hook(users, receiver)
    countdowns = []
    task_class = type(tasks.webhook_deliver._get_current_object())
    original = task_class.retry

    def retry(self, *args, **kwargs):
        countdowns.append(kwargs["countdown"])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(task_class, "retry", retry)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    delivery.refresh_from_db()
    assert len(receiver.requests) == 3
    assert countdowns == [retry_countdown(1), retry_countdown(2)] == [60, 120]
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 3, 500)
    assert "down for maintenance" in delivery.error
    assert delivery.last_attempt_at is not None
    assert delivery.delivered_at is None


def test_a_worker_schedules_the_retry_after_the_countdown(
    users, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    receiver.default = (502, b"bad gateway")
    webhook = hook(users, receiver)
    with django_capture_on_commit_callbacks(execute=False):
        delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    # As in a worker: the retry goes to the broker (here the in-memory one, or CI's, whose
    # worker cannot see this test's delivery) and the task raises Retry.
    task = tasks.webhook_deliver._get_current_object()
    monkeypatch.setitem(task.app.conf, "task_always_eager", False)
    task.push_request(
        id="delivery-test", retries=0, is_eager=False, called_directly=False, args=[delivery.pk]
    )
    try:
        with pytest.raises(Retry) as raised:
            task.run(delivery.pk)
    finally:
        task.pop_request()
    assert raised.value.when == retry_countdown(1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 502)


def test_a_delivery_that_fails_once_is_delivered_on_the_next_attempt(
    users, receiver, deliver_here, django_capture_on_commit_callbacks
):
    receiver.answers = [(503, b"busy")]
    webhook = hook(users, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
    assert delivery.error == ""
    # Each attempt is signed afresh, over the same body.
    assert receiver.requests[0].body == receiver.requests[1].body


@pytest.mark.parametrize("status", [400, 401, 404, 410, 302])
def test_a_refusal_or_a_redirect_is_not_retried(
    users, receiver, deliver_here, status, django_capture_on_commit_callbacks
):
    receiver.default = (status, b"no")
    receiver.extra_headers = {"Location": receiver.url(path="/elsewhere")}
    webhook = hook(users, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    delivery.refresh_from_db()
    assert [r.path for r in receiver.requests] == ["/hooks/srm"]  # no redirect followed
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, status)


def test_the_retry_decision_follows_the_answer():
    assert worth_retrying(None)  # no answer: connection refused, timeout
    assert worth_retrying(500)
    assert worth_retrying(503)
    assert worth_retrying(408)
    assert worth_retrying(429)
    assert not worth_retrying(400)
    assert not worth_retrying(404)
    assert not worth_retrying(301)


def test_the_wait_between_attempts_doubles():
    waits = [retry_countdown(n) for n in range(1, 6)]
    assert waits == [60, 120, 240, 480, 960]


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(
    users, receiver, deliver_here, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.delay = 2
    webhook = hook(users, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == ("failed", None)
    assert delivery.error == "No answer in time."


def test_only_the_start_of_a_long_answer_is_kept(
    users, receiver, deliver_here, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.default = (500, b"x" * 100_000)
    webhook = hook(users, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    delivery.refresh_from_db()
    assert delivery.error == "HTTP 500: " + "x" * 1024


def test_a_webhook_deleted_before_its_delivery_sends_nothing(
    users, receiver, deliver_here, django_capture_on_commit_callbacks
):
    webhook = hook(users, receiver)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        webhook_ping(actor=users["admin"], webhook=webhook)
    webhook_delete(actor=users["admin"], webhook=webhook)
    for callback in queued:
        callback()
    assert receiver.requests == []


# Redelivery ----------------------------------------------------------------------------


def test_a_redelivery_is_a_new_delivery_of_the_same_payload(
    users, receiver, deliver_here, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.answers = [(500, b"oops")]
    webhook = hook(users, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        first = webhook_ping(actor=users["admin"], webhook=webhook)
    with django_capture_on_commit_callbacks(execute=True):
        again = webhook_redeliver(actor=users["admin"], delivery=first, reason="fixed the bug")
    first.refresh_from_db()
    again.refresh_from_db()
    assert again.pk != first.pk
    assert again.redelivery_of == first
    assert again.payload == first.payload
    assert (first.status, again.status) == ("failed", "delivered")
    assert [r.headers["X-SRM-Delivery"] for r in receiver.requests] == [
        str(first.pk),
        str(again.pk),
    ]
    assert receiver.requests[0].body == receiver.requests[1].body
    record = AuditRecord.objects.order_by("-seq").first()
    assert (record.action, record.reason) == ("redeliver", "fixed the bug")
    assert record.after == {"delivery": again.pk, "redelivery_of": first.pk, "event": "ping"}


def test_the_secret_signs_with_the_new_value_after_rotation(
    users, receiver, deliver_here, django_capture_on_commit_callbacks
):
    webhook = hook(users, receiver)
    old = webhook.secret
    rotated = webhook_rotate_secret(actor=users["admin"], webhook=webhook)
    assert rotated.secret != old
    assert len(rotated.secret) >= 40
    with django_capture_on_commit_callbacks(execute=True):
        webhook_ping(actor=users["admin"], webhook=rotated)
    request = receiver.requests[0]
    assert verify(rotated.secret, request.headers["X-SRM-Signature"], request.body)
    assert not verify(old, request.headers["X-SRM-Signature"], request.body)


# The audit log ---------------------------------------------------------------------------


def test_every_write_is_audited_and_no_record_holds_a_secret(
    users, receiver, deliver_here, django_capture_on_commit_callbacks
):
    start = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
    webhook = hook(users, receiver)
    secrets_seen = [webhook.secret]
    webhook_update(actor=users["admin"], webhook=webhook, events=["access.granted"], reason="r1")
    secrets_seen.append(webhook_rotate_secret(actor=users["admin"], webhook=webhook).secret)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    webhook_redeliver(actor=users["admin"], delivery=delivery)
    webhook_delete(actor=users["admin"], webhook=webhook, reason="gone")
    records = list(AuditRecord.objects.filter(seq__gt=start).order_by("seq"))
    assert [(r.action, r.object_type) for r in records] == [
        ("create", "webhook"),
        ("update", "webhook"),
        ("update", "webhook"),
        ("create", "webhook"),
        ("redeliver", "webhook"),
        ("delete", "webhook"),
    ]
    assert records[1].before["events"] == ["version.published"]
    assert records[1].after["events"] == ["access.granted"]
    assert records[2].after["secret"] == "rotated"
    assert all(r.actor_id == users["admin"].pk for r in records)
    for record in records:
        text = json.dumps([record.before, record.after, record.reason, record.object_label])
        assert not any(secret in text for secret in secrets_seen)
        assert not any(secret[:12] in text for secret in secrets_seen)


def test_the_audit_log_keeps_the_webhook_host_never_a_credential_in_its_url(users, receiver):
    """A receiver's URL may itself be the credential (a path or query token): the audit log,
    which auditors read, names the host and a fingerprint of the whole URL."""
    start = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
    webhook = webhook_create(
        actor=users["admin"],
        provider=Provider.objects.get(slug="singlestore"),
        url=receiver.url(path="/services/T0KENPATH?token=QUERYT0KEN"),
        events=["version.published"],
    )
    webhook_update(actor=users["admin"], webhook=webhook, url=receiver.url(path="/N3WPATH"))
    with_ping = webhook_ping(actor=users["admin"], webhook=webhook)
    webhook_delete(actor=users["admin"], webhook=with_ping.webhook)
    records = list(AuditRecord.objects.filter(seq__gt=start).order_by("seq"))
    assert len(records) == 4
    for record in records:
        text = json.dumps([record.before, record.after, record.reason, record.object_label])
        assert not any(word in text for word in ("T0KENPATH", "QUERYT0KEN", "N3WPATH"))
        assert f"127.0.0.1:{receiver.port}" in text
    assert records[1].before["url_sha256"] != records[1].after["url_sha256"]


def test_a_refused_create_writes_nothing(users, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    count = AuditRecord.objects.count()
    with pytest.raises(Exception, match="https"):
        webhook_create(
            actor=users["admin"],
            provider=Provider.objects.get(slug="singlestore"),
            url="http://hooks.example.com/",
            events=["version.published"],
        )
    assert not Webhook.objects.exists()
    assert AuditRecord.objects.count() == count


# The pages -------------------------------------------------------------------------------

PAGE = "/providers/singlestore/trust/webhooks/"


def private() -> None:
    """SingleStore private: outsiders may not know it exists (404)."""
    Provider.objects.filter(slug="singlestore").update(visibility=Visibility.PRIVATE)


def test_an_admin_adds_a_webhook_and_sees_its_secret_once(as_user, receiver):
    client = as_user("admin")
    response = client.post(
        PAGE, {"url": receiver.url(), "events": ["version.published", "access.granted"]}
    )
    webhook = Webhook.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("trust:webhook", args=["singlestore", webhook.pk])
    first = client.get(response["Location"])
    assert first.status_code == 200
    assert webhook.secret in first.content.decode()
    assert first["Cache-Control"].startswith("max-age=0")
    again = client.get(response["Location"]).content.decode()
    assert webhook.secret not in again
    assert f"{webhook.secret[:6]}…" in again
    assert sorted(webhook.events) == ["access.granted", "version.published"]


def test_the_list_shows_the_webhooks_and_the_form(as_user, users, receiver):
    webhook = hook(users, receiver)
    page = as_user("admin").get(PAGE).content.decode()
    assert webhook.url in page
    assert 'name="events"' in page
    assert 'value="access.requested"' in page
    assert webhook.secret[:6] not in page


def test_a_bad_form_re_renders_with_its_errors(as_user, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    client = as_user("admin")
    no_events = client.post(PAGE, {"url": "https://hooks.example.com/"})
    assert no_events.status_code == 400
    assert "Choose at least one event." in no_events.content.decode()
    loopback = client.post(PAGE, {"url": "https://127.0.0.1/", "events": ["version.published"]})
    assert loopback.status_code == 400
    assert "a loopback address" in loopback.content.decode()
    assert not Webhook.objects.exists()


def test_the_webhook_page_shows_the_delivery_log_and_redelivers(
    as_user, users, receiver, deliver_here, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.answers = [(500, b"<b>broken</b>")]
    webhook = hook(users, receiver)
    client = as_user("admin")
    url = reverse("trust:webhook", args=["singlestore", webhook.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trust:webhook_ping", args=["singlestore", webhook.pk]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    failed = WebhookDelivery.objects.get()
    assert "failed" in page
    assert "&lt;b&gt;broken&lt;/b&gt;" in page
    assert "<b>broken" not in page
    redeliver = reverse("trust:webhook_redeliver", args=["singlestore", webhook.pk, failed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(redeliver).status_code == 302
    assert WebhookDelivery.objects.filter(redelivery_of=failed, status="delivered").exists()
    assert "delivered" in client.get(url).content.decode()


def test_an_admin_edits_rotates_and_deletes(as_user, users, receiver):
    webhook = hook(users, receiver)
    client = as_user("admin")
    edit = reverse("trust:webhook", args=["singlestore", webhook.pk])
    saved = client.post(edit, {"url": webhook.url, "events": ["access.ended"], "reason": "x"})
    assert saved.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.events, webhook.active) == (["access.ended"], False)
    old = webhook.secret
    rotated = client.post(reverse("trust:webhook_rotate", args=["singlestore", webhook.pk]))
    webhook.refresh_from_db()
    assert webhook.secret != old
    assert webhook.secret in client.get(rotated["Location"]).content.decode()
    gone = client.post(reverse("trust:webhook_delete", args=["singlestore", webhook.pk]))
    assert gone.status_code == 302
    assert not Webhook.objects.exists()


def test_a_webhook_turned_off_refuses_a_test_event_with_a_reason(as_user, users, receiver):
    webhook = hook(users, receiver)
    webhook_update(actor=users["admin"], webhook=webhook, active=False)
    response = as_user("admin").post(
        reverse("trust:webhook_ping", args=["singlestore", webhook.pk])
    )
    assert response.status_code == 400
    assert "turned off" in response.content.decode()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("trust_manager", 403), ("editor", 403), ("viewer", 403), ("outsider", 404)],
)
def test_only_provider_admins_reach_the_pages(as_user, users, receiver, who, status):
    webhook = hook(users, receiver)
    private()
    client = as_user(who)
    assert client.get(PAGE).status_code == status
    assert client.get(reverse("trust:webhook", args=["singlestore", webhook.pk])).status_code == (
        status
    )


@pytest.mark.parametrize(("who", "status"), [("trust_manager", 403), ("outsider", 404)])
def test_others_change_nothing(as_user, users, receiver, who, status):
    webhook = hook(users, receiver)
    private()
    client = as_user(who)
    args = ["singlestore", webhook.pk]
    count = AuditRecord.objects.count()
    assert client.post(PAGE, {"url": receiver.url(), "events": ["ping"]}).status_code == status
    for name in ("trust:webhook_rotate", "trust:webhook_ping", "trust:webhook_delete"):
        assert client.post(reverse(name, args=args)).status_code == status
    webhook.refresh_from_db()
    assert Webhook.objects.count() == 1
    assert AuditRecord.objects.count() == count
    assert not WebhookDelivery.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_a_webhook_is_found_only_under_its_own_provider(as_user, users, receiver):
    webhook = hook(users, receiver)
    elsewhere = reverse("trust:webhook", args=["clickhouse", webhook.pk])
    assert as_user("superuser").get(elsewhere).status_code == 404
    assert as_user("admin").get(elsewhere).status_code == 403  # not clickhouse's admin


@pytest.mark.parametrize(
    "change",
    [
        lambda actor, hook: webhook_update(actor=actor, webhook=hook, active=False),
        lambda actor, hook: webhook_rotate_secret(actor=actor, webhook=hook),
        lambda actor, hook: webhook_ping(actor=actor, webhook=hook),
        lambda actor, hook: webhook_delete(actor=actor, webhook=hook),
    ],
    ids=["update", "rotate", "ping", "delete"],
)
def test_a_webhook_another_admin_deleted_meanwhile_is_refused_not_an_error(users, receiver, change):
    webhook = hook(users, receiver)
    stale = Webhook.objects.get(pk=webhook.pk)
    webhook_delete(actor=users["admin"], webhook=webhook)
    count = AuditRecord.objects.count()
    with pytest.raises(ValidationError, match="deleted meanwhile"):
        change(users["admin"], stale)
    assert AuditRecord.objects.count() == count
    assert not WebhookDelivery.objects.exists()
