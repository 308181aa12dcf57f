"""Webhooks: a provider's admins have the portal POST its events to their HTTPS endpoint.

Each webhook has a random secret that signs every delivery (``X-SRM-Signature``); it is
returned once, when made or rotated, and never written to the audit log. The URL is
checked when saved and again at each attempt (``trust.webhook_http``). An event makes one
delivery per active webhook subscribed to it, sent by the Celery task
``trust.tasks.webhook_deliver`` with retries; the deliveries are the webhook's log.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import require
from accounts.roles import Action
from audit.models import AuditAction
from matrices.models import MatrixVersion, Provider
from matrices.services.auditing import audit_change
from trust.mail import absolute
from trust.models import Webhook, WebhookDelivery, WebhookEvent
from trust.tasks import webhook_deliver
from trust.webhook_http import Refused, Unreachable, target_for

logger = logging.getLogger(__name__)

# The events a webhook may subscribe to ("ping" is sent on demand, to every webhook).
SUBSCRIBABLE = [event for event in WebhookEvent if event != WebhookEvent.PING]
# How much of the secret the pages and the API show after it was first returned.
SECRET_HINT = 6


def secret_hint(webhook: Webhook) -> str:
    return f"{webhook.secret[:SECRET_HINT]}…"


# Reads ---------------------------------------------------------------------------------


def webhooks_of(provider: Provider) -> QuerySet[Webhook]:
    return Webhook.objects.filter(provider=provider).select_related("created_by")


def deliveries_of(webhook: Webhook) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(webhook=webhook)


# Checks --------------------------------------------------------------------------------


def webhook_url_check(url: str) -> None:
    """Refuse a URL the portal may not call: not https (unless ``WEBHOOKS_ALLOW_PRIVATE``),
    with credentials, or whose host does not resolve to public addresses only."""
    try:
        target_for(url)
    except (Refused, Unreachable) as exc:
        raise ValidationError({"url": str(exc)}) from exc


def _events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    if not chosen:
        raise ValidationError({"events": "Choose at least one event."})
    unknown = [event for event in chosen if event not in SUBSCRIBABLE]
    if unknown:
        raise ValidationError({"events": f"Unknown events: {', '.join(unknown)}."})
    return chosen


# Writes --------------------------------------------------------------------------------


def _locked(webhook: Webhook) -> Webhook:
    """The webhook, locked until the transaction ends (two admins acting on it take turns);
    refused when another admin deleted it meanwhile."""
    found = Webhook.objects.select_for_update(of=("self",)).filter(pk=webhook.pk).first()
    if found is None:
        raise ValidationError("This webhook was deleted meanwhile: nothing was done.")
    return found


@transaction.atomic
def webhook_create(
    *, actor, provider: Provider, url: str, events: Iterable[str], reason: str = ""
) -> Webhook:
    """A new active webhook with a new secret (``webhook.secret``: show it to the actor
    now, it is never shown again)."""
    require(actor, provider, Action.MANAGE_ACCESS)
    webhook = Webhook(
        provider=provider,
        url=url.strip(),
        events=_events(events),
        secret=secrets.token_urlsafe(32),
        created_by=actor,
    )
    webhook.full_clean()
    webhook_url_check(webhook.url)
    webhook.save()
    audit_change(
        webhook, AuditAction.CREATE, actor=actor, after=webhook.audit_snapshot(), reason=reason
    )
    return webhook


@transaction.atomic
def webhook_update(
    *,
    actor,
    webhook: Webhook,
    url: str | None = None,
    events: Iterable[str] | None = None,
    active: bool | None = None,
    reason: str = "",
) -> Webhook:
    """Change the URL, the events or whether it is on (what is None stays)."""
    require(actor, webhook.provider, Action.MANAGE_ACCESS)
    webhook = _locked(webhook)
    before, url_before = webhook.audit_snapshot(), webhook.url
    if url is not None:
        webhook.url = url.strip()
    if events is not None:
        webhook.events = _events(events)
    if active is not None:
        webhook.active = active
    if webhook.audit_snapshot() == before:
        return webhook
    webhook.full_clean()
    if webhook.url != url_before:
        webhook_url_check(webhook.url)
    webhook.save()
    audit_change(
        webhook,
        AuditAction.UPDATE,
        actor=actor,
        before=before,
        after=webhook.audit_snapshot(),
        reason=reason,
    )
    return webhook


@transaction.atomic
def webhook_delete(*, actor, webhook: Webhook, reason: str = "") -> None:
    """Delete the webhook and its delivery log; pending retries find nothing to send."""
    require(actor, webhook.provider, Action.MANAGE_ACCESS)
    webhook = _locked(webhook)
    audit_change(
        webhook, AuditAction.DELETE, actor=actor, before=webhook.audit_snapshot(), reason=reason
    )
    webhook.delete()


@transaction.atomic
def webhook_rotate_secret(*, actor, webhook: Webhook, reason: str = "") -> Webhook:
    """A new secret (``webhook.secret``: show it now); the old one signs nothing more."""
    require(actor, webhook.provider, Action.MANAGE_ACCESS)
    webhook = _locked(webhook)
    webhook.secret = secrets.token_urlsafe(32)
    webhook.full_clean()
    webhook.save(update_fields=["secret"])
    # The audit log says that it changed, never what it is.
    after = {**webhook.audit_snapshot(), "secret": "rotated"}
    audit_change(webhook, AuditAction.UPDATE, actor=actor, after=after, reason=reason)
    return webhook


def _payload(provider: Provider, event: str, data: dict) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "event": str(event),
        "created_at": timezone.now().isoformat(),
        "provider": provider.slug,
        "data": data,
    }


def _queue(deliveries: Iterable[WebhookDelivery]) -> None:
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: webhook_deliver.delay(pk), robust=True)


@transaction.atomic
def webhooks_notify(*, provider: Provider, event: str, data: dict) -> list[WebhookDelivery]:
    """One delivery of ``event`` per active webhook of ``provider`` subscribed to it, sent
    once this commits. The system writes these (the event's own write was audited); the
    deliveries are the log."""
    payload = _payload(provider, event, data)
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(webhook=webhook, event=event, payload=payload)
            for webhook in Webhook.objects.filter(provider=provider, active=True)
            if event in webhook.events
        ]
    )
    _queue(deliveries)
    return deliveries


def _usable(webhook: Webhook) -> None:
    if not webhook.active:
        raise ValidationError("The webhook is turned off: turn it on to send to it.")


@transaction.atomic
def webhook_ping(*, actor, webhook: Webhook, reason: str = "") -> WebhookDelivery:
    """Send a test event ("ping") to the webhook, whatever its events."""
    require(actor, webhook.provider, Action.MANAGE_ACCESS)
    webhook = _locked(webhook)
    _usable(webhook)
    data = {"message": "A test event from the SRM Portal.", "webhook": webhook.pk}
    delivery = WebhookDelivery(
        webhook=webhook,
        event=WebhookEvent.PING,
        payload=_payload(webhook.provider, WebhookEvent.PING, data),
    )
    delivery.full_clean()
    delivery.save()
    audit_change(
        webhook,
        AuditAction.CREATE,
        actor=actor,
        after={"delivery": delivery.pk, "event": delivery.event},
        reason=reason or "Test event",
        label=f"Test event to {webhook}",
    )
    _queue([delivery])
    return delivery


@transaction.atomic
def webhook_redeliver(*, actor, delivery: WebhookDelivery, reason: str = "") -> WebhookDelivery:
    """Send a delivery's payload again, as a new delivery (with its own log line)."""
    require(actor, delivery.webhook.provider, Action.MANAGE_ACCESS)
    webhook = _locked(delivery.webhook)
    _usable(webhook)
    again = WebhookDelivery(
        webhook=webhook, event=delivery.event, payload=delivery.payload, redelivery_of=delivery
    )
    again.full_clean()
    again.save()
    audit_change(
        webhook,
        AuditAction.REDELIVER,
        actor=actor,
        after={"delivery": again.pk, "redelivery_of": delivery.pk, "event": delivery.event},
        reason=reason,
    )
    _queue([again])
    return again


# What the rest of the portal tells ------------------------------------------------------


def version_data(version: MatrixVersion) -> dict:
    """What a ``version.published`` delivery says of the version."""
    return {
        "number": version.number,
        "published_at": version.published_at.isoformat(),
        "summary": version.summary,
        "url": absolute(settings.SITE_URL, version.get_absolute_url()),
        "snapshot_hash": version.snapshot_hash,
    }


def webhooks_on_publication(sender, provider: Provider, version: MatrixVersion, **kwargs) -> None:
    """``version_published`` receiver: a delivery to each webhook that asked for it."""
    webhooks_notify(
        provider=provider, event=WebhookEvent.VERSION_PUBLISHED, data=version_data(version)
    )


def webhooks_on_trust_event(
    sender, provider: Provider, event: str, payload: dict, **kwargs
) -> None:
    """``trust_event`` receiver: a delivery to each webhook that asked for the event."""
    webhooks_notify(provider=provider, event=event, data=payload)
