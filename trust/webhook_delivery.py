"""One attempt at a webhook delivery, and whether (and when) to try again.

The Celery task ``trust.tasks.webhook_deliver`` calls ``delivery_attempt`` and retries
after the countdown it returns. The address is checked again at every attempt (DNS can
change after the webhook was saved) and the call goes to the address checked.
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trust.models import WebhookDelivery
from trust.webhook_http import Refused, Unreachable, post, signature, target_for

# The wait before attempt n+1 is RETRY_BASE_SECONDS * 2**n: 1, 2, 4, 8, 16 minutes...
RETRY_BASE_SECONDS = 30
# Answers worth trying again besides 5xx: the receiver timed out or asks to slow down.
RETRIED_STATUSES = {408, 429}


def retry_countdown(attempts: int) -> int:
    """Seconds to wait after ``attempts`` failed attempts (exponential backoff)."""
    return RETRY_BASE_SECONDS * 2**attempts


def worth_retrying(status: int | None) -> bool:
    """No answer, a server error, 408 or 429: the same delivery may succeed later. Any
    other answer (a redirect, which is never followed, or a refusal) would only repeat."""
    return status is None or status >= 500 or status in RETRIED_STATUSES


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """What is POSTed (and signed): the payload as compact JSON."""
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def _send(delivery: WebhookDelivery) -> tuple[int | None, str, bool]:
    """(response status, error, may retry) of one call, made outside any transaction."""
    webhook = delivery.webhook
    if not webhook.active:
        return None, "The webhook is turned off.", False
    try:
        target = target_for(webhook.url)
    except Refused as exc:
        return None, f"Not sent: {exc}", False
    except Unreachable as exc:
        return None, str(exc), True
    body = delivery_body(delivery)
    headers = {
        "X-SRM-Event": delivery.event,
        "X-SRM-Delivery": str(delivery.pk),
        "X-SRM-Signature": signature(webhook.secret, int(time.time()), body),
    }
    try:
        answer = post(target, body, headers)
    except Unreachable as exc:
        return None, str(exc), True
    if 200 <= answer.status < 300:
        return answer.status, "", False
    return answer.status, f"HTTP {answer.status}: {answer.body}".strip(), True


def delivery_attempt(*, delivery_id: int) -> int | None:
    """Make one attempt at a pending delivery and record it; the seconds to wait before the
    next attempt, or None when there is none (delivered, failed for good, or gone)."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return None
    status, error, retry = _send(delivery)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:  # its webhook was deleted meanwhile
            return None
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.response_status = status
        delivery.error = error[:2000]
        retry = retry and worth_retrying(status)
        if status is not None and 200 <= status < 300:
            delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, now
        elif retry and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.PENDING
        else:
            delivery.status, retry = WebhookDelivery.Status.FAILED, False
        delivery.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "response_status",
                "error",
                "status",
                "delivered_at",
            ]
        )
    return retry_countdown(delivery.attempts) if retry else None
