"""What the trust center listens to, connected once when Django is ready: reads of published
content (analytics), publications (subscribers' emails, webhooks) and the trust center's own
events (webhooks)."""

from __future__ import annotations

from matrices.signals import content_read, version_published
from trust import reading, subscriptions, webhooks
from trust.signals import trust_event


def receivers_connect() -> None:
    content_read.connect(reading.record_read, dispatch_uid="trust.reading.record_read")
    version_published.connect(
        subscriptions.notify_on_publication, dispatch_uid="trust.subscriptions.notify"
    )
    version_published.connect(
        webhooks.webhooks_on_publication, dispatch_uid="trust.webhooks.version_published"
    )
    trust_event.connect(webhooks.webhooks_on_trust_event, dispatch_uid="trust.webhooks.trust_event")
